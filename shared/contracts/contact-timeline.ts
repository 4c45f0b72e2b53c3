// GET /contacts/:id/timeline: what happened between a contact and the plugin, newest first, and how engaged the
// contact is (server/src/reporting/contact-timeline.ts).
import type { DeliveryLogStatus, FlagReason } from '../constants';
import type { Pagination } from './common';

export const TIMELINE_ENTRY_KINDS = [
  'delivery',
  'open',
  'click',
  'mirror',
  'bounce',
  'complaint',
  'unsubscribe',
] as const;
export type TimelineEntryKind = (typeof TIMELINE_ENTRY_KINDS)[number];

export interface ContactTimelineEntry {
  kind: TimelineEntryKind;
  at: string;
  delivery: { documentId: string; name: string } | null;
  /** 'delivery': the message's outcome; its failure or exclusion reason, or a bounce's failure reason. */
  status: DeliveryLogStatus | null;
  reason: string | null;
  /** 'click': the link's URL. */
  url: string | null;
  /** Opens and clicks: flagged as a bot's or a machine open (left out of the score and the indicators). */
  isBot: boolean;
  isMachineOpen: boolean;
  flagReason: FlagReason | null;
}

/** Messages a person opened, and clicked in, over the last `days` days: score = opened + 2 x clicked, at most 100. */
export interface EngagementScore {
  score: number;
  humanOpened: number;
  humanClicked: number;
  days: number;
}

export interface ContactTimelineResponse {
  data: ContactTimelineEntry[];
  meta: { pagination: Pagination; engagement: EngagementScore };
}
