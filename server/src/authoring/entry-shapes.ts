// How an app's collection type becomes a newsletter shape: its fields, a guess from their names when the admin has
// not mapped it, the checks on a mapping, and reading one entry through it. Pure: the entries service
// (authoring/entries.ts) brings the content types and the entries.
import { errors } from '@strapi/utils';
import type { RichTextNode } from '../../../shared/blocks';
import { richTextSchema } from '../../../shared/blocks';
import { urlPatternFor, type EntryShape, type EntryView } from '../../../shared/entries';
import { absoluteUrl, richTextToPlain } from './rich-text';

export interface AttributeInfo {
  type: string;
  multiple?: boolean;
  allowedTypes?: string[] | null;
}

export interface CollectionTypeInfo {
  uid: string;
  info: { displayName: string; pluralName: string };
  options?: { draftAndPublish?: boolean };
  pluginOptions?: { i18n?: { localized?: boolean } };
  attributes: Record<string, AttributeInfo>;
}

const TITLE_TYPES = ['string', 'text', 'uid', 'email'];
const BODY_TYPES = ['blocks', 'richtext', 'text'];
const EXCERPT_TYPES = ['text', 'string', 'richtext', 'blocks'];
const EXCERPT_LENGTH = 240;

const isSingleImage = (attribute: AttributeInfo | undefined) =>
  attribute?.type === 'media' && !attribute.multiple && (attribute.allowedTypes ?? ['images']).includes('images');

/** The fields a shape can map, as the admin's selects list them. */
export const fieldsOf = (type: CollectionTypeInfo) =>
  Object.entries(type.attributes)
    .filter(([, attribute]) => [...TITLE_TYPES, ...BODY_TYPES, 'media'].includes(attribute.type))
    .map(([name, attribute]) => ({
      name,
      type: attribute.type === 'media' && attribute.multiple ? 'media-multiple' : attribute.type,
    }));

const firstOf = (type: CollectionTypeInfo, names: string[], accept: (attribute: AttributeInfo) => boolean) => {
  const named = names.find((name) => type.attributes[name] && accept(type.attributes[name]));
  if (named) return named;
  return Object.entries(type.attributes).find(([, attribute]) => accept(attribute))?.[0] ?? null;
};

/** A shape guessed from the field names (title, body, excerpt, cover...), for a type the admin has not mapped. */
export const guessShape = (type: CollectionTypeInfo, publicUrl: string): EntryShape => {
  const slug = firstOf(type, ['slug'], (a) => a.type === 'uid');
  return {
    contentType: type.uid,
    titleField: firstOf(type, ['title', 'name', 'headline', 'subject'], (a) => TITLE_TYPES.includes(a.type)) ?? 'id',
    bodyField: firstOf(type, ['body', 'content', 'text'], (a) => a.type === 'blocks' || a.type === 'richtext'),
    excerptField: firstOf(type, ['excerpt', 'summary', 'description', 'lead', 'intro'], (a) =>
      ['text', 'string'].includes(a.type),
    ),
    imageField: firstOf(type, ['cover', 'image', 'thumbnail', 'picture', 'featuredImage'], isSingleImage),
    urlPattern: `${publicUrl}/${type.info.pluralName}/${slug ? `{${slug}}` : '{documentId}'}`,
    localeUrlPatterns: {},
  };
};

/** 400 with a sentence for a mapping that names a field the type does not have, or of the wrong kind. */
export const assertShapeFits = (shape: EntryShape, type: CollectionTypeInfo) => {
  const problems: string[] = [];
  const check = (role: string, field: string | null, accept: (attribute: AttributeInfo) => boolean, kinds: string) => {
    if (field === null) return;
    const attribute = type.attributes[field];
    if (!attribute) problems.push(`${role}: "${type.info.displayName}" has no field "${field}"`);
    else if (!accept(attribute))
      problems.push(`${role}: "${field}" is a ${attribute.type} field; the ${role} is ${kinds}`);
  };
  check('title', shape.titleField, (a) => TITLE_TYPES.includes(a.type), 'a text field');
  check('body', shape.bodyField, (a) => BODY_TYPES.includes(a.type), 'a rich text (blocks or Markdown) or text field');
  check('excerpt', shape.excerptField, (a) => EXCERPT_TYPES.includes(a.type), 'a text or rich text field');
  check('image', shape.imageField, isSingleImage, 'a single image (media) field');
  const patterns: Array<[string, string]> = [
    ['URL pattern', shape.urlPattern],
    ...Object.entries(shape.localeUrlPatterns ?? {}).map(([locale, pattern]): [string, string] => [
      `URL pattern (${locale})`,
      pattern,
    ]),
  ];
  for (const [role, pattern] of patterns)
    for (const [, field] of pattern.matchAll(/\{([A-Za-z][A-Za-z0-9_]*)\}/g)) {
      if (field !== 'locale' && field !== 'documentId' && !type.attributes[field])
        problems.push(`${role}: "${type.info.displayName}" has no field "${field}"`);
    }
  if (Object.keys(shape.localeUrlPatterns ?? {}).length && !type.pluginOptions?.i18n?.localized)
    problems.push(`"${type.info.displayName}" is not localized: it has one URL pattern for all its entries`);
  if (problems.length) throw new errors.ValidationError(`Invalid newsletter shape: ${problems.join('; ')}.`);
};

/** The public URL of an entry: every `{field}` filled and URL-encoded; null when one is missing or empty. */
export const fillUrlPattern = (
  pattern: string,
  entry: Record<string, unknown>,
  locale: string | null,
): string | null => {
  let missing = false;
  const url = pattern.replace(/\{([A-Za-z][A-Za-z0-9_]*)\}/g, (_, field: string) => {
    const value = field === 'locale' ? locale : entry[field];
    if (value === null || value === undefined || value === '' || typeof value === 'object') {
      missing = true;
      return '';
    }
    return encodeURIComponent(String(value));
  });
  return missing ? null : url;
};

const plain = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return richTextToPlain(value as RichTextNode[]);
  return '';
};

const shorten = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_LENGTH) return flat;
  return `${flat.slice(0, flat.lastIndexOf(' ', EXCERPT_LENGTH) > 0 ? flat.lastIndexOf(' ', EXCERPT_LENGTH) : EXCERPT_LENGTH)}…`;
};

/** One entry as a newsletter shows it, read through its shape: plain values, not yet escaped. */
export const viewOf = (
  entry: Record<string, unknown> & { documentId: string },
  shape: EntryShape,
  type: CollectionTypeInfo,
  publicUrl: string,
): EntryView => {
  const bodyType = shape.bodyField ? type.attributes[shape.bodyField]?.type : undefined;
  const rawBody = shape.bodyField ? entry[shape.bodyField] : null;
  let body: EntryView['body'] = null;
  if (bodyType === 'blocks' && Array.isArray(rawBody)) {
    const parsed = richTextSchema.safeParse(rawBody);
    body = parsed.success ? { format: 'blocks', value: parsed.data } : null;
  } else if (typeof rawBody === 'string' && rawBody.trim()) body = { format: 'markdown', value: rawBody };
  const image = shape.imageField
    ? (entry[shape.imageField] as { url?: string; alternativeText?: string | null } | null | undefined)
    : null;
  const title = plain(entry[shape.titleField]);
  const excerptSource = shape.excerptField ? plain(entry[shape.excerptField]) : '';
  const locale = typeof entry.locale === 'string' ? entry.locale : null;
  return {
    contentType: shape.contentType,
    documentId: entry.documentId,
    locale,
    title,
    excerpt: shorten(excerptSource || (body?.format === 'blocks' ? richTextToPlain(body.value) : (body?.value ?? ''))),
    imageUrl: image?.url ? absoluteUrl(image.url, publicUrl) : null,
    imageAlt: image?.alternativeText || title,
    url: fillUrlPattern(urlPatternFor(shape, locale), entry, locale),
    body,
    publishedAt: entry.publishedAt ? new Date(String(entry.publishedAt)).toISOString() : null,
  };
};
