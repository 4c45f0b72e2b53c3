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
