// A layout: what every newsletter made from it shares (its look, a header and a footer of blocks, and the postal
// address and unsubscribe text the law requires). A delivery keeps a snapshot of its layout once it is sent, so a
// layout edited later never changes mail already sent.
import { z } from 'zod';
import { blockSchema, type ContentBlock } from './blocks';
import { nameSchema } from './name';

export interface LayoutStyle {
  /** The message's width on a wide screen, in pixels; phones get their own width. */
  width: number;
  /** Around the message, and the message itself. */
  backgroundColor: string;
  contentBackgroundColor: string;
  textColor: string;
  linkColor: string;
  /** A button's colour unless the button says otherwise. */
  accentColor: string;
  /** CSS font stacks, ending in a generic family (Outlook desktop falls back to it). */
  fontFamily: string;
  headingFontFamily: string;
  /** Colours for readers whose mail client is in dark mode (prefers-color-scheme: dark). */
  dark: { backgroundColor: string; contentBackgroundColor: string; textColor: string; linkColor: string };
}

export interface LayoutParts {
  style: LayoutStyle;
  /** Blocks above the content (a logo is an image block). */
  header: ContentBlock[];
  /** Blocks below the content, before the legal lines. */
  footer: ContentBlock[];
  /** Printed in every message (the law asks for the sender's postal address). */
  postalAddress: string;
  /** The label of the unsubscribe link under the postal address. */
  unsubscribeLabel: string;
  /** The label of the link to the message's web version; "View in your browser" when unset. */
  mirrorLabel?: string;
  /** The label of the preference centre's link, beside the unsubscribe link; "Email preferences" when unset. */
  preferencesLabel?: string;
}

/** What a sent delivery keeps: the layout exactly as it was when the delivery was sent. */
export interface LayoutSnapshot extends LayoutParts {
  layoutDocumentId: string | null;
  name: string;
}

const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour is written #rrggbb');
const fontStack = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9 ,'"-]+$/, 'a font is a list of family names separated by commas');

export const layoutStyleSchema = z.object({
  width: z.number().int().min(320).max(900),
  backgroundColor: hexColor,
  contentBackgroundColor: hexColor,
  textColor: hexColor,
  linkColor: hexColor,
  accentColor: hexColor,
  fontFamily: fontStack,
  headingFontFamily: fontStack,
  dark: z.object({
    backgroundColor: hexColor,
    contentBackgroundColor: hexColor,
    textColor: hexColor,
    linkColor: hexColor,
  }),
}) as z.ZodType<LayoutStyle>;

export const layoutPartsSchema = z.object({
  style: layoutStyleSchema,
  header: z.array(blockSchema).max(30),
  footer: z.array(blockSchema).max(30),
  postalAddress: z.string().trim().min(1, 'the postal address is required by law in every newsletter').max(500),
  unsubscribeLabel: z.string().trim().min(1, 'the unsubscribe link needs a label').max(100),
  mirrorLabel: z.string().trim().min(1).max(100).optional(),
  preferencesLabel: z.string().trim().min(1).max(100).optional(),
}) as z.ZodType<LayoutParts>;

export const DEFAULT_LAYOUT_STYLE: LayoutStyle = {
  width: 600,
  backgroundColor: '#f4f4f5',
  contentBackgroundColor: '#ffffff',
  textColor: '#1f2933',
  linkColor: '#4945ff',
  accentColor: '#4945ff',
  fontFamily: 'Helvetica, Arial, sans-serif',
  headingFontFamily: 'Helvetica, Arial, sans-serif',
  dark: { backgroundColor: '#18181b', contentBackgroundColor: '#212134', textColor: '#eaeaef', linkColor: '#a5a3ff' },
};

export const layoutDescriptionSchema = z.string().trim().max(1000);

/** A layout as the admin edits it (admin/src/pages/LayoutEditorPage.tsx): its name and description beside its parts. */
export const layoutDraftSchema = z.object({
  name: nameSchema,
  description: layoutDescriptionSchema,
  parts: layoutPartsSchema,
});
