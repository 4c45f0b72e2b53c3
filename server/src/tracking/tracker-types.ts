// What the tracking recorder (tracking/tracker.ts) takes and keeps: a hit, a tracked link, its options, and the
// facts it caches about a message and the tracking settings.
export type RecordedHitType = 'open' | 'click' | 'mirror';

export interface TrackingHit {
  type: RecordedHitType;
  deliveryId: number;
  /** > 0: test sends and previews (0) are never recorded, callers answer them without calling record(). */
  deliveryLogId: number;
  trackedLinkId?: number | null;
  at: Date;
  userAgent: string;
  ip: string;
}

/** Answers one submitted hit once its batch is committed (null) or could not be (the error); called exactly once. */
export type HitDone = (error: Error | null) => void;

/**
 * A tracking-log row as the recorder builds it, keyed by attribute name: the SQLite writer binds these fields in a
 * fixed order, the Knex path maps them to Strapi's column names, the rollup and the reactions read them as they are.
 */
export interface EventRow {
  documentId: string;
  deliveryId: number;
  deliveryLogId: number | null;
  trackedLinkId: number | null;
  contactId: number | null;
  type: RecordedHitType;
  at: Date;
  userAgent: string | null;
  device: string;
  os: string | null;
  client: string | null;
  isBot: boolean;
  isMachineOpen: boolean;
  flagReason: string | null;
  ip: string | null;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date;
}

/** What one batch adds to a delivery-log's engagement columns. */
export interface Engagement {
  opens: number;
  clicks: number;
  firstOpen: Date | null;
  firstClick: Date | null;
  /** The same, from the events that are neither a bot's nor a machine open. */
  humanOpens: number;
  humanFirstOpen: Date | null;
  humanFirstClick: Date | null;
}

export const emptyEngagement = (): Engagement => ({
  opens: 0,
  clicks: 0,
  humanOpens: 0,
  firstOpen: null,
  firstClick: null,
  humanFirstOpen: null,
  humanFirstClick: null,
});

export interface TrackedLinkTarget {
  id: number;
  deliveryId: number;
  /** The stored URL as an absolute http(s) href, ready for a Location header. */
  url: string;
  /** Clicks on it are recorded ('tracked' kind). */
  tracked: boolean;
}

export interface TrackerOptions {
  /**
   * How long the first hit of an idle period waits for others to join its batch. 0 (the default) flushes as soon
   * as the requests already received have been read (setImmediate): under load, batches form anyway while the
   * previous flush runs, and an idle server adds no delay.
   */
  flushDelayMs: number;
  /** Most hits in one transaction. */
  maxBatch: number;
  /** A hit still waiting after this long is answered anyway (its row may still be written); the delay is logged. */
  answerTimeoutMs: number;
}

export interface LogFacts {
  deliveryId: number;
  contactId: number | null;
  sentAtMs: number | null;
}

export interface TrackingSettings {
  storeIp: boolean;
  anonymizeIp: boolean;
  individualTracking: boolean;
  scannerWindowSeconds: number;
}
