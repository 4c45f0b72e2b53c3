// The delivery lifecycle, for the server and the admin alike: the statuses a delivery goes through, the moves between
// them the server makes, and the named groups every check on a status reads from (never a list written by hand).
//
//   draft ──send──> preparing ──prepared──> sending ──all processed──> sent / failed
//     │  <─unschedule─ scheduled ──its time came──> preparing         sending <─pause / resume─> paused
//     └──schedule──>  scheduled                                       sent / failed ──retry failed recipients──> sending
//   scheduled, preparing, sending, paused ──cancel──> cancelled       preparing ──preparation error──> failed
//                                                                     paused ──relay down past the limit──> failed
import { DELIVERY_STATUSES, type DeliveryStatus } from './constants';

/** Every move the server makes (server/src/sending/deliveries.ts and sender.ts); any other move is refused. */
export const TRANSITIONS: Readonly<Record<DeliveryStatus, readonly DeliveryStatus[]>> = {
  /** send now, or schedule */
  draft: ['preparing', 'scheduled'],
  /** its time came, unschedule (pause), cancel */
  scheduled: ['preparing', 'draft', 'cancelled'],
  /** prepared, preparation error, cancel */
  preparing: ['sending', 'failed', 'cancelled'],
  /** every recipient processed (sent, or failed when no message could be sent), pause, cancel */
  sending: ['sent', 'failed', 'paused', 'cancelled'],
  /** resume, a relay outage past its limit (sending/outage.ts), cancel */
  paused: ['sending', 'failed', 'cancelled'],
  /** retry the failed recipients */
  sent: ['sending'],
  failed: ['sending'],
  cancelled: [],
};

export const canMove = (from: DeliveryStatus, to: DeliveryStatus): boolean => TRANSITIONS[from].includes(to);

/** The statuses a delivery may be in to move to `to`: the `from` of a conditional status update. */
export const movesInto = (to: DeliveryStatus): DeliveryStatus[] =>
  DELIVERY_STATUSES.filter((from) => canMove(from, to));

// A plain boolean, not a type guard: a status outside the group is still a DeliveryStatus.
const isIn =
  (group: readonly DeliveryStatus[]) =>
  (status: string): boolean =>
    (group as readonly string[]).includes(status);

/** Its content, audience and schedule can be changed. */
export const EDITABLE: readonly DeliveryStatus[] = ['draft'];
/** On its way: it can be cancelled, not deleted, and alerts watch it. */
export const ACTIVE: readonly DeliveryStatus[] = movesInto('cancelled');
/** Done for good unless failed recipients are retried: nothing moves it by itself any more. */
export const FINISHED: readonly DeliveryStatus[] = ['sent', 'failed', 'cancelled'];
/** Purged with its logs by retention once it ended long enough ago. */
export const PURGEABLE: readonly DeliveryStatus[] = ['failed', 'cancelled'];
/** Preparation began: it has delivery logs and indicators. */
export const STARTED: readonly DeliveryStatus[] = ['preparing', 'sending', 'paused', 'sent', 'failed', 'cancelled'];
/** Its preparation succeeded: messages went out or are going out. */
export const PREPARED: readonly DeliveryStatus[] = ['sending', 'paused', 'sent'];
/** Messages are being prepared or sent: its delivery logs change every second. */
export const SENDING: readonly DeliveryStatus[] = ['preparing', 'sending'];
/** Its counters and links may still change (a paused delivery finishes the messages in flight). */
export const MOVING: readonly DeliveryStatus[] = ['preparing', 'sending', 'paused'];
/** Recipients may still open and click: tracking events keep coming in. */
export const LIVE: readonly DeliveryStatus[] = ['preparing', 'sending', 'paused', 'sent'];
/** Its status will change without anyone acting (its time comes, preparation ends, sending ends). */
export const ADVANCING: readonly DeliveryStatus[] = ['scheduled', 'preparing', 'sending'];
/** Its delivery logs hold outcomes that a status event reports with its counters (preparation is over). */
export const COUNTED: readonly DeliveryStatus[] = STARTED.filter((status) => status !== 'preparing');
/** The order live monitoring lists deliveries in (drafts are not listed): moving first, then waiting, then done. */
export const BY_URGENCY: readonly DeliveryStatus[] = [
  'sending',
  'preparing',
  'paused',
  'scheduled',
  'sent',
  'failed',
  'cancelled',
];
/** Its failed recipients can be sent again. */
export const RETRYABLE: readonly DeliveryStatus[] = [
  'sending',
  'paused',
  ...movesInto('sending').filter(isIn(FINISHED)),
];

export const isEditable = isIn(EDITABLE);
export const isActive = isIn(ACTIVE);
export const isFinished = isIn(FINISHED);
export const isStarted = isIn(STARTED);
export const isPrepared = isIn(PREPARED);
export const isSending = isIn(SENDING);
export const isMoving = isIn(MOVING);
export const isLive = isIn(LIVE);
export const isAdvancing = isIn(ADVANCING);
export const isRetryable = isIn(RETRYABLE);
