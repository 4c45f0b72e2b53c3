// Strapi entries in a newsletter. An admin maps a collection type to a newsletter shape once (which field is the
// title, the body, the image, the excerpt, and the URL of its public page); entry cards, entry lists and
// "Send as newsletter" then read any entry of that type through it.
import { z } from 'zod';
import type { RichTextNode } from './blocks';

export interface EntryShape {
  /** api::article.article */
  contentType: string;
  titleField: string;
  /** A `blocks`, `richtext` (Markdown) or text field; null when the type has no body to send. */
  bodyField: string | null;
  excerptField: string | null;
  /** A single media field. */
  imageField: string | null;
  /** The public page of an entry: `https://example.com/blog/{slug}`, any `{field}` of the entry (and `{locale}`). */
  urlPattern: string;
  /** Where i18n is on: the public page of an entry in one locale, when it differs (`fr` -> `https://exemple.fr/{slug}`). */
  localeUrlPatterns: Record<string, string>;
}

/** One entry as a newsletter shows it: plain values, read through its type's shape, not yet escaped. */
export interface EntryView {
  contentType: string;
  documentId: string;
  locale: string | null;
  title: string;
  excerpt: string;
  imageUrl: string | null;
  imageAlt: string;
  /** The public page, absolute; null when the pattern names a field the entry does not have. */
  url: string | null;
  /** The body: Strapi's rich-text blocks, or Markdown from a `richtext` field. */
  body: { format: 'blocks'; value: RichTextNode[] } | { format: 'markdown'; value: string } | null;
  publishedAt: string | null;
}

const urlPattern = z
  .string()
  .trim()
  .max(500)
  .regex(/^https?:\/\/[^\s]+$/, 'the URL pattern is an absolute http(s) URL, such as https://example.com/blog/{slug}');

const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field name');

export const entryShapeSchema = z.object({
  contentType: z.string().regex(/^api::[a-z0-9-]+\.[a-z0-9-]+$/, 'a collection type is named api::name.name'),
  titleField: fieldName,
  bodyField: fieldName.nullable(),
  excerptField: fieldName.nullable(),
  imageField: fieldName.nullable(),
  urlPattern,
  localeUrlPatterns: z
    .record(z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a locale code such as fr or pt-BR'), urlPattern)
    .default({}),
}) as z.ZodType<EntryShape, z.ZodTypeDef, unknown>;

/** How a tracked link names the entry it leads to: `api::article.article:abc123`. */
export const entryKey = (entry: { contentType: string; documentId: string }) =>
  `${entry.contentType}:${entry.documentId}`;

/** The entry an `entryKey` names, or null. */
export const entryOfKey = (key: string | null | undefined): { contentType: string; documentId: string } | null => {
  const at = key ? key.lastIndexOf(':') : -1;
  return key && at > 0 ? { contentType: key.slice(0, at), documentId: key.slice(at + 1) } : null;
};

/** The URL pattern an entry in this locale uses. */
export const urlPatternFor = (shape: EntryShape, locale: string | null): string =>
  (locale && shape.localeUrlPatterns?.[locale]) || shape.urlPattern;
