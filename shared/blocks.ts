// A delivery's content as blocks: what the admin's block editor edits, what the server renders to MJML and then HTML
// once per delivery. Rich text (the `text` block, and every entry body) is Strapi's own `blocks` rich-text format, so
// one email-safe renderer serves what an editor types here and what they wrote in the Content Manager.
//
// The document carries a version: a change to a block's shape bumps it, and the server upgrades older documents on
// read, so a delivery saved today still renders after an upgrade.
import { z } from 'zod';

export const BLOCK_DOCUMENT_VERSION = 1;

/** Strapi's rich-text `blocks` format (the value of a `blocks` attribute), the subset an email can show. */
export interface RichTextLeaf {
  type: 'text';
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  code?: boolean;
}
export interface RichTextLink {
  type: 'link';
  url: string;
  children: RichTextLeaf[];
}
export type RichTextInline = RichTextLeaf | RichTextLink;
export interface RichTextListItem {
  type: 'list-item';
  children: RichTextInline[];
}
export interface RichTextList {
  type: 'list';
  format: 'ordered' | 'unordered';
  children: Array<RichTextListItem | RichTextList>;
}
export type RichTextNode =
  | { type: 'paragraph'; children: RichTextInline[] }
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; children: RichTextInline[] }
  | { type: 'quote'; children: RichTextInline[] }
  | { type: 'code'; children: RichTextInline[] }
  | RichTextList
  | {
      type: 'image';
      image: { url: string; alternativeText?: string | null; width?: number | null; height?: number | null };
      children?: RichTextInline[];
    };

export type Align = 'left' | 'center' | 'right';

/** A picture from the Media Library: `url` as the upload provider gives it (made absolute when rendered). */
export interface MediaRef {
  id?: number | null;
  url: string;
  width?: number | null;
  height?: number | null;
}

interface BlockBase {
  /** Stable within the document: the editor's selection, undo and the link attribution key on it. */
  id: string;
}
export interface HeadingBlock extends BlockBase {
  type: 'heading';
  text: string;
  level: 1 | 2 | 3;
  align: Align;
}
export interface TextBlock extends BlockBase {
  type: 'text';
  content: RichTextNode[];
}
export interface ImageBlock extends BlockBase {
  type: 'image';
  media: MediaRef | null;
  alt: string;
  href: string;
  /** Pixels, at most the layout's width; null fills the column. */
  width: number | null;
  align: Align;
}
export interface ButtonBlock extends BlockBase {
  type: 'button';
  label: string;
  url: string;
  /** Empty: the layout's accent colour (and white text), so a change of layout recolours the button. */
  backgroundColor: string;
  textColor: string;
  align: Align;
}
export interface DividerBlock extends BlockBase {
  type: 'divider';
  color: string;
  thickness: number;
}
export interface SpacerBlock extends BlockBase {
  type: 'spacer';
  height: number;
}
/** Side by side on a wide screen, stacked on a phone. Columns hold any block but columns. */
export interface ColumnsBlock extends BlockBase {
  type: 'columns';
  columns: ContentBlock[][];
}
/** One entry of a collection type, shown through its newsletter shape (settings: title, excerpt, image, URL). */
export interface EntryCardBlock extends BlockBase {
  type: 'entry-card';
  contentType: string;
  documentId: string;
  locale: string | null;
  showImage: boolean;
  showExcerpt: boolean;
  buttonLabel: string;
}
/** The latest entries of a collection type, resolved when the delivery is rendered: the weekly digest. */
export interface EntryListBlock extends BlockBase {
  type: 'entry-list';
  contentType: string;
  locale: string | null;
  limit: number;
  /** Only entries published in the last N days (null: no limit). */
  publishedWithinDays: number | null;
  /** Only entries whose field equals the value (for example a category). */
  where: { field: string; value: string | number | boolean } | null;
  showImage: boolean;
  showExcerpt: boolean;
  buttonLabel: string;
}
export const SOCIAL_NETWORKS = [
  'facebook',
  'x',
  'instagram',
  'linkedin',
  'youtube',
  'mastodon',
  'github',
  'web',
] as const;
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number];
export interface SocialBlock extends BlockBase {
  type: 'social';
  links: Array<{ network: SocialNetwork; url: string }>;
  align: Align;
}
/** The escape hatch: HTML placed as written (the composer still rewrites its links). */
export interface HtmlBlock extends BlockBase {
  type: 'html';
  html: string;
}

export type ContentBlock =
  | HeadingBlock
  | TextBlock
  | ImageBlock
  | ButtonBlock
  | DividerBlock
  | SpacerBlock
  | ColumnsBlock
  | EntryCardBlock
  | EntryListBlock
  | SocialBlock
  | HtmlBlock;
export type BlockType = ContentBlock['type'];

export const BLOCK_TYPES = [
  'heading',
  'text',
  'image',
  'button',
  'divider',
  'spacer',
  'columns',
  'entry-card',
  'entry-list',
  'social',
  'html',
] as const satisfies readonly BlockType[];

export interface BlockDocument {
  version: typeof BLOCK_DOCUMENT_VERSION;
  blocks: ContentBlock[];
}

/** How a delivery's content is written: blocks (the editor) or raw HTML (the second mode, and every older delivery). */
export const CONTENT_MODES = ['blocks', 'html'] as const;
export type ContentMode = (typeof CONTENT_MODES)[number];

// ---- validation: the same schema checks the admin's form as the user types and the server's API ----

export const MAX_BLOCKS = 300;
const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #rrggbb');
/** Empty while a draft is being written (the checks before sending name it); otherwise http(s), mailto or tel. */
const linkUrl = z
  .string()
  .trim()
  .max(2048)
  .refine(
    (url) => url === '' || /^(https?:\/\/|mailto:|tel:|\{\{)/i.test(url),
    'a link starts with https://, http://, mailto: or tel:',
  );
const align = z.enum(['left', 'center', 'right']);
const id = z.string().min(1).max(64);
const contentTypeUid = z.string().regex(/^api::[a-z0-9-]+\.[a-z0-9-]+$/, 'a collection type is named api::name.name');
const locale = z.string().trim().min(1).max(35).nullable();

const leaf = z
  .object({
    type: z.literal('text'),
    text: z.string().max(100_000),
    bold: z.boolean().optional(),
    italic: z.boolean().optional(),
    underline: z.boolean().optional(),
    strikethrough: z.boolean().optional(),
    code: z.boolean().optional(),
  })
  .strip();
const inline = z.union([
  leaf,
  z.object({ type: z.literal('link'), url: linkUrl, children: z.array(leaf).max(1000) }).strip(),
]);
const inlines = z.array(inline).max(5000);
const list: z.ZodType<RichTextList> = z.lazy(() =>
  z
    .object({
      type: z.literal('list'),
      format: z.enum(['ordered', 'unordered']),
      children: z.array(z.union([z.object({ type: z.literal('list-item'), children: inlines }).strip(), list])),
    })
    .strip(),
);
export const richTextSchema: z.ZodType<RichTextNode[]> = z
  .array(
    z.union([
      z.object({ type: z.literal('paragraph'), children: inlines }).strip(),
      z
        .object({
          type: z.literal('heading'),
          level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]),
          children: inlines,
        })
        .strip(),
      z.object({ type: z.literal('quote'), children: inlines }).strip(),
      z.object({ type: z.literal('code'), children: inlines }).strip(),
      list,
      z
        .object({
          type: z.literal('image'),
          image: z
            .object({
              url: z.string().max(2048),
              alternativeText: z.string().max(1000).nullable().optional(),
              width: z.number().nullable().optional(),
              height: z.number().nullable().optional(),
            })
            .strip(),
          children: inlines.optional(),
        })
        .strip(),
    ]),
  )
  .max(2000) as z.ZodType<RichTextNode[]>;

const media = z
  .object({
    id: z.number().int().positive().nullable().optional(),
    url: z.string().min(1).max(2048),
    width: z.number().nullable().optional(),
    height: z.number().nullable().optional(),
  })
  .strip();
const entryDisplay = {
  showImage: z.boolean(),
  showExcerpt: z.boolean(),
  buttonLabel: z.string().trim().max(100),
};

const leafBlocks = [
  z.object({
    id,
    type: z.literal('heading'),
    text: z.string().max(1000),
    level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    align,
  }),
  z.object({ id, type: z.literal('text'), content: richTextSchema }),
  z.object({
    id,
    type: z.literal('image'),
    media: media.nullable(),
    alt: z.string().max(1000),
    href: linkUrl,
    width: z.number().int().min(20).max(1200).nullable(),
    align,
  }),
  z.object({
    id,
    type: z.literal('button'),
    label: z.string().max(200),
    url: linkUrl,
    backgroundColor: hexColor.or(z.literal('')),
    textColor: hexColor.or(z.literal('')),
    align,
  }),
  z.object({ id, type: z.literal('divider'), color: hexColor, thickness: z.number().int().min(1).max(10) }),
  z.object({ id, type: z.literal('spacer'), height: z.number().int().min(4).max(200) }),
  z.object({
    id,
    type: z.literal('entry-card'),
    // Empty while the editor has not picked yet: a draft saves, the checks before sending ask for it.
    contentType: contentTypeUid.or(z.literal('')),
    documentId: z.string().max(64),
    locale,
    ...entryDisplay,
  }),
  z.object({
    id,
    type: z.literal('entry-list'),
    contentType: contentTypeUid.or(z.literal('')),
    locale,
    limit: z.number().int().min(1).max(20),
    publishedWithinDays: z.number().int().min(1).max(366).nullable(),
    where: z
      .object({
        field: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a field name'),
        value: z.union([z.string().max(255), z.number(), z.boolean()]),
      })
      .nullable(),
    ...entryDisplay,
  }),
  z.object({
    id,
    type: z.literal('social'),
    links: z.array(z.object({ network: z.enum(SOCIAL_NETWORKS), url: linkUrl })).max(12),
    align,
  }),
  z.object({ id, type: z.literal('html'), html: z.string().max(500_000) }),
] as const;

const leafBlock = z.discriminatedUnion('type', [...leafBlocks]);
const columnsBlock = z.object({
  id,
  type: z.literal('columns'),
  columns: z
    .array(z.array(leafBlock).max(50))
    .min(2, 'columns come in twos or threes')
    .max(3, 'columns come in twos or threes'),
});

export const blockSchema = z.discriminatedUnion('type', [...leafBlocks, columnsBlock]) as z.ZodType<ContentBlock>;

export const blockDocumentSchema = z
  .object({
    version: z.literal(BLOCK_DOCUMENT_VERSION),
    blocks: z.array(blockSchema).max(MAX_BLOCKS, `at most ${MAX_BLOCKS} blocks`),
  })
  .refine((doc) => new Set(allBlocks(doc.blocks).map((block) => block.id)).size === allBlocks(doc.blocks).length, {
    message: 'two blocks share an id',
  }) as z.ZodType<BlockDocument>;

/** Every block, those inside columns included, in reading order. */
export function allBlocks(blocks: readonly ContentBlock[]): ContentBlock[] {
  return blocks.flatMap((block) => (block.type === 'columns' ? [block, ...block.columns.flat()] : [block]));
}

export const emptyBlockDocument = (): BlockDocument => ({ version: BLOCK_DOCUMENT_VERSION, blocks: [] });

/** A text block of one paragraph, the whole of it a link when `url` is given. */
export const textBlock = (id: string, text: string, url?: string): TextBlock => ({
  id,
  type: 'text',
  content: [
    {
      type: 'paragraph',
      children: url ? [{ type: 'link', url, children: [{ type: 'text', text }] }] : [{ type: 'text', text }],
    },
  ],
});
