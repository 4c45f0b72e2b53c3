import type {
  ContactStatus,
  DeliveryLogStatus,
  DeliveryStatus,
  ExclusionReason,
  FailureReason,
  FailureType,
} from '../constants';
import type { BlockDocument, ContentMode } from '../blocks';
import type { ListQuery } from './common';
import type { AudienceSegmentRef } from './extensions';
import type { FollowUpKind } from '../follow-ups';
import type { AbTest } from '../ab-test';

/** Narrows the audience of a delivery's lists: every given condition must hold (equality only). */
export interface AudienceFilter {
  status?: ContactStatus;
  locale?: string;
  /** attributes.<key> equals the value. */
  attributes?: Record<string, string | number | boolean>;
}

/** Counts of the delivery's logs by outcome: always computed from the logs, so they always equal them. */
export interface DeliveryCounters {
  /** Every recipient the audience resolved to, excluded ones included. */
  targeted: number;
  excluded: number;
  /** Waiting to be sent (including soft failures waiting for their next attempt). */
  pending: number;
  sent: number;
  failedHard: number;
  failedSoft: number;
  bounced: number;
  /**
   * In flight when a process died: the server may or may not have accepted the message. Done (never sent again on
   * its own, see retry-failed's includeUnknown) but neither sent nor failed.
   */
  unknown: number;
}

export interface Delivery {
  id: number;
  documentId: string;
  name: string;
  subject: string;
  fromName: string | null;
  fromEmail: string | null;
  replyTo: string | null;
  /** How the message is written: blocks (rendered with its layout) or raw HTML. */
  contentMode: ContentMode;
  /** The block document (contentMode 'blocks'). */
  content: BlockDocument | null;
  /** The layout of a blocks message; once sent, the message keeps the layout as it was then. */
  layout: { documentId: string; name: string } | null;
  /** The Strapi entry the delivery was made from ("Send as newsletter"), if any. */
  sourceEntry: { contentType: string; documentId: string; locale: string | null } | null;
  /** The raw HTML (contentMode 'html'); for a sent blocks message, the HTML it was sent with. */
  html: string | null;
  text: string | null;
  lists: Array<{ id: number; documentId: string; name: string }>;
  /** An engagement segment the delivery goes to instead of lists (shared/segments.ts). */
  segment: { id: number; documentId: string; name: string } | null;
  audienceFilter: AudienceFilter | null;
  /** Segments of the app's registered audience sources, besides the lists. */
  audienceSegments: AudienceSegmentRef[] | null;
  status: DeliveryStatus;
  scheduledAt: string | null;
  sendAfter: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  preparedAt: string | null;
  trackOpens: boolean;
  trackLinks: boolean;
  /** UTM tags on the tracked links (shared/utm.ts); an empty value takes the default from Settings. */
  utmTags: boolean;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  /** Per-link tracking chosen before sending, by link position (order among the message's links). */
  linkTracking: Record<string, boolean> | null;
  sendRate: number | null;
  estimatedRecipients: number | null;
  lastError: string | null;
  /**
   * Set while the delivery is paused by the system because the relay failed (sending/outage.ts): 'outage' (down or
   * refusing the session), 'login' (our credentials refused), 'sender' (our sender refused; a person resumes).
   */
  pauseReason: PauseReason | null;
  /** When the relay first failed, and when it is tried next (null once it answers). */
  outageSince: string | null;
  nextProbeAt: string | null;
  /** A follow-up (shared/follow-ups.ts): the id of the delivery it follows up, and whom it goes to. */
  parentDeliveryId: number | null;
  followUpKind: FollowUpKind | null;
  /** An A/B test of the subject (shared/ab-test.ts), and its winner once chosen (0 is variant A). */
  abTest: AbTest | null;
  abWinner: number | null;
  abWinnerAt: string | null;
  counters: DeliveryCounters;
  /** Messages by the transport that sent them, when fallback transports are configured (one delivery only). */
  sentBy?: Array<{ transport: string; sent: number }>;
  createdAt: string;
  updatedAt: string;
}

export type PauseReason = 'outage' | 'login' | 'sender';

export interface DeliveryInput {
  name?: string;
  subject?: string;
  fromName?: string | null;
  fromEmail?: string | null;
  replyTo?: string | null;
  contentMode?: ContentMode;
  content?: BlockDocument | null;
  /** documentId of a layout (blocks mode). */
  layout?: string | null;
  html?: string | null;
  text?: string | null;
  /** documentIds of the lists (replaces the current set). */
  lists?: string[];
  /** documentId of an engagement segment, or null for none. */
  segment?: string | null;
  audienceFilter?: AudienceFilter | null;
  /** Segments of registered audience sources (replaces the current set); the lists stay the default audience. */
  audienceSegments?: AudienceSegmentRef[] | null;
  scheduledAt?: string | null;
  trackOpens?: boolean;
  trackLinks?: boolean;
  utmTags?: boolean;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
  linkTracking?: Record<string, boolean> | null;
  sendRate?: number | null;
  abTest?: AbTest | null;
}

export interface DeliveryListQuery extends ListQuery {
  status?: DeliveryStatus;
}

/** The answer to POST /deliveries/:id/send. */
export interface SendResponse {
  data: Delivery;
  meta: {
    /** Set when the delivery waits for scheduledAt. */
    scheduledAt?: string;
    /** Set when another large delivery is sending: this one starts sending at that time. */
    staggeredUntil?: string;
  };
}

export interface TestSendInput {
  /** Addresses that receive the proof (1 to 10); default: the signed-in admin's own address. */
  emails?: string[];
  /** documentId of a contact to personalise with; default: the first contact of the audience, else a sample. */
  contact?: string;
}

export interface TestSendResult {
  sent: Array<{ email: string; messageId: string }>;
  failed: Array<{ email: string; error: string }>;
}

export interface DeliveryLog {
  id: number;
  contactId: number | null;
  listId: number | null;
  email: string;
  status: DeliveryLogStatus;
  failureType: FailureType | null;
  failureReason: FailureReason | null;
  failureMessage: string | null;
  exclusionReason: ExclusionReason | null;
  attempts: number;
  nextAttemptAt: string | null;
  messageId: string | null;
  sentAt: string | null;
  /** Which transport sent it, when fallback transports are configured. */
  transport: string | null;
  firstOpenedAt: string | null;
  firstClickedAt: string | null;
  opens: number;
  clicks: number;
  unsubscribedAt: string | null;
}

export interface DeliveryLogQuery extends ListQuery {
  status?: DeliveryLogStatus;
  failureType?: FailureType;
  failureReason?: FailureReason;
  exclusionReason?: ExclusionReason;
  format?: 'json' | 'csv';
}

export interface RetryFailedResult {
  /** Failed logs set back to pending. */
  retried: number;
}
