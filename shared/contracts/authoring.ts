// The admin API of authoring: the block editor's live preview, layouts, and the Strapi entries a newsletter can show.
import type { BlockDocument, ContentMode } from '../blocks';
import type { DeliveryStatus } from '../constants';
import type { EntryShape, EntryView } from '../entries';
import type { LayoutParts } from '../layouts';

/** POST /deliveries/preview: renders a message the way sending will, without saving anything. */
export interface PreviewRequest {
  contentMode: ContentMode;
  /** The block document (contentMode 'blocks'). */
  content?: BlockDocument | null;
  /** The raw HTML (contentMode 'html'). */
  html?: string | null;
  text?: string | null;
  /** documentId of a layout; none: the default layout. Ignored in 'html' mode. */
  layout?: string | null;
  /** A layout as being edited, not saved yet: wins over `layout` (the layout editor's preview). */
  layoutParts?: LayoutParts | null;
  /** The subject, personalised for the sample too. */
  subject?: string | null;
  /** The audience (list documentIds): the sample recipient is its first subscribed contact, as for a test send. */
  lists?: string[] | null;
  /** documentId of a contact to personalise with instead. */
  contact?: string | null;
}

/** One link of the rendered message, numbered as sending numbers it (its 0-based anchor index). */
export interface PreviewLink {
  position: number;
  url: string;
  /** The anchor's text or image alt; null when it has none. */
  label: string | null;
  /** The block the link came from (blocks mode), so the editor can point at it. */
  blockId: string | null;
}

/** A problem that would stop sending, tied to a block where it has one. */
export interface PreviewProblem {
  blockId: string | null;
  /** Dotted path inside the block (`text`, `href`), or the request field. */
  path: string;
  message: string;
}

export interface PreviewResponse {
  /** The message as a recipient receives it, before personalisation and tracking. */
  html: string;
  text: string;
  links: PreviewLink[];
  /** Empty when the message can be sent. */
  problems: PreviewProblem[];
  /** Things that send but deserve a look (an image without alt text, a message over Gmail's 102 KB clip). */
  warnings: PreviewProblem[];
  /** Bytes of the HTML as sent (tracking URLs included, estimated): Gmail clips messages over 102 KB. */
  size: number;
  /** Who the personalised version is for: the same recipient a test send is personalised with. */
  sample: { email: string; firstName: string | null; lastName: string | null };
  /** The message personalised for the sample, links to their real URLs (what a test shows, without tracking). */
  personalized: { subject: string; html: string; text: string };
}

export interface LayoutSummary {
  id: number;
  documentId: string;
  name: string;
  description: string | null;
  /** One of the starter layouts the plugin ships. */
  starter: boolean;
  updatedAt: string;
}

export interface Layout extends LayoutSummary, LayoutParts {
  /** The blocks a new delivery made from this layout starts with ("New delivery from layout"). */
  content: BlockDocument | null;
}

export interface LayoutInput extends Partial<LayoutParts> {
  name?: string;
  description?: string | null;
  content?: BlockDocument | null;
}

/** POST /deliveries/:id/save-as-layout: the delivery's look and blocks kept as a new layout. */
export interface SaveAsLayoutInput {
  name: string;
  description?: string | null;
}

/** A collection type an entry card or list can show, with the fields a shape can map. */
export interface EntryTypeSummary {
  uid: string;
  displayName: string;
  /** Whether the type has a draft & publish cycle (only published entries are sent). */
  draftAndPublish: boolean;
  localized: boolean;
  /** The app's locales, for a localized type ([] otherwise): each can have its own public page URL. */
  locales: Array<{ code: string; name: string }>;
  fields: Array<{ name: string; type: string }>;
  /** The admin's mapping, or a guess from the field names when none was saved. */
  shape: EntryShape;
  shapeSaved: boolean;
}

/** GET /entries/:uid?search=&page=&pageSize=&locale= */
export interface EntryPage {
  data: EntryView[];
  meta: { pagination: { page: number; pageSize: number; pageCount: number; total: number } };
}

/** POST /deliveries/from-entry: "Send as newsletter" (the whole entry, or a card with its excerpt). */
export interface FromEntryInput {
  contentType: string;
  documentId: string;
  locale?: string | null;
  layout?: string | null;
  mode?: 'full' | 'excerpt';
}

/** POST /deliveries/digest: one entry card per entry, in the order given. */
export interface DigestInput {
  contentType: string;
  documentIds: string[];
  locale?: string | null;
  layout?: string | null;
  name?: string;
}

/** GET /entries/:uid/:documentId/deliveries: what was sent from an entry, and how it did. */
export interface EntryDeliverySummary {
  documentId: string;
  name: string;
  status: DeliveryStatus;
  createdAt: string;
  finishedAt: string | null;
  delivered: number;
  /** Bots and machine opens left out, as on the dashboard. */
  openRate: number;
  clickThroughRate: number;
}
