// What GET /deliveries/:id/follow-ups answers: a delivery's follow-ups with their figures (people only), or the
// parent a follow-up was sent after, and the reach of the parent and its follow-ups together.
import type { DeliveryStatus } from '../constants';
import type { FollowUpKind } from '../follow-ups';

export interface FollowUpFigures {
  /** Messages sent (status sent). */
  sent: number;
  /** Recipients with an open (or any reaction) by a person. */
  humanOpened: number;
  humanClicked: number;
}

export interface FollowUpSummary extends FollowUpFigures {
  documentId: string;
  name: string;
  subject: string;
  status: DeliveryStatus;
  kind: FollowUpKind;
  scheduledAt: string | null;
  finishedAt: string | null;
}

export interface FollowUpsOverview {
  /** The delivery this one follows up, when it is a follow-up. */
  parent: { documentId: string; name: string; kind: FollowUpKind } | null;
  /** The follow-ups of this delivery (none for a follow-up: a follow-up of a follow-up is refused). */
  followUps: FollowUpSummary[];
  /** Unique contacts reached by the parent and its follow-ups, and those among them a person opened from. */
  combinedReach: { recipients: number; humanOpened: number };
  /**
   * For a follow-up not sent yet: how many would get it now (the parent's recipients still without a human open or
   * click, subscribed and not suppressed). The sender resolves the audience with the same query when it prepares it.
   */
  audienceNow: number | null;
}
