// Public types of the audience-source registry: recipients from elsewhere than the plugin's own lists (the app's
// users, any collection type with an email field, an external system), picked by segment in the delivery editor.

/** One recipient of a segment. */
export interface SourceRecipient {
  /** Stable and unique within the source (e.g. the user's documentId): pages are read in key order. */
  key: string;
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  /** Merged into the contact's attributes: `{{attributes.<name>}}` in the message. */
  data?: Record<string, unknown> | null;
}

export interface SourcePage {
  recipients: SourceRecipient[];
  /** Cursor of the next page (stored, so a restarted preparation goes on from it); null after the last page. */
  next: string | null;
}

export interface SourceSegment {
  /** Stored on the delivery: keep it stable (a role's type, not its name). */
  id: string;
  label: string;
}

export interface AudienceSource {
  /** Stored on the delivery with the segment id: letters, digits, "-", "_" and ".". */
  id: string;
  /** Shown in the delivery editor. */
  label: string;
  segments(): Promise<SourceSegment[]> | SourceSegment[];
  /** Recipients of a segment (for the audience size shown to the editor). */
  count(segmentId: string): Promise<number> | number;
  /** One page of a segment, from `after` (null: the start), at most `limit` recipients. */
  page(segmentId: string, options: { after: string | null; limit: number }): Promise<SourcePage>;
}

/** A segment of a collection-type source: a label and the filters (Strapi query-engine `where`) that select it. */
export interface CollectionSegment {
  id: string;
  label: string;
  filters?: Record<string, unknown>;
}

/** A source over any collection type with an email attribute. */
export interface CollectionSourceOptions {
  id: string;
  label: string;
  /** e.g. 'plugin::users-permissions.user' or 'api::customer.customer'. */
  uid: string;
  /** The attribute that holds the address. */
  email: string;
  firstName?: string;
  lastName?: string;
  locale?: string;
  /** Attributes copied into the contact's attributes (for `{{attributes.<name>}}`). */
  data?: string[];
  /** Applied to every segment (e.g. leave out blocked users). */
  filters?: Record<string, unknown>;
  /** Default: one segment "all" with every entry. A function is called whenever the editor lists segments. */
  segments?: CollectionSegment[] | (() => Promise<CollectionSegment[]> | CollectionSegment[]);
}

export type { AudienceSegmentRef, AudienceSourceInfo } from '../../../shared/contracts/extensions';
