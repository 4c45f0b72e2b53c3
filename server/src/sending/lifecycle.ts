// The one writer of a delivery's status. Every move is a conditional UPDATE (`WHERE status IN (from)`), so when two
// callers or two processes race for the same delivery one wins and the others change nothing; the winner announces
// the change (alerts and events, sending/delivery-events.ts). The moves themselves are shared/lifecycle.ts's.
import type { Core } from '@strapi/strapi';
import { UID, type DeliveryStatus } from '../../../shared/constants';
import { canMove } from '../../../shared/lifecycle';
import { tableOf } from '../db/tables';
import { getService } from '../platform/get-service';
import type { StatusChangeDetails } from './delivery-events';

/** Delivery attributes (not columns) written with the new status; `status` itself is never among them. */
export type DeliveryChanges = Partial<
  Record<
    | 'startedAt'
    | 'finishedAt'
    | 'scheduledAt'
    | 'sendAfter'
    | 'estimatedRecipients'
    | 'lastError'
    | 'lockedBy'
    | 'lockedUntil'
    | 'counters'
    | 'pauseReason'
    | 'outageSince'
    | 'nextProbeAt'
    | 'outageProbes',
    unknown
  >
>;

export interface TransitionOptions {
  changes?: DeliveryChanges;
  /** Further conditions on the row, by attribute (the preparation lease's holder, for instance). */
  onlyIf?: Partial<Record<'lockedBy', unknown>>;
  /** What the status event says about the move (an error, the schedule, the stage that ended). */
  details?: StatusChangeDetails;
  /** Work that must be done once the move is made and before it is announced (e.g. letting messages in flight end). */
  beforeEvent?: () => Promise<void>;
}

/**
 * Moves delivery `id` from one of `from` to `to`, with `changes`; true when this call made the move. A move that
 * shared/lifecycle.ts does not allow is a programming error and throws before anything is written.
 */
export const transition = async (
  strapi: Core.Strapi,
  id: number,
  from: DeliveryStatus | readonly DeliveryStatus[],
  to: DeliveryStatus,
  options: TransitionOptions = {},
): Promise<boolean> => {
  const sources = typeof from === 'string' ? [from] : [...from];
  const refused = sources.filter((status) => !canMove(status, to));
  if (!sources.length || refused.length) {
    throw new Error(
      `campaigns: a delivery cannot move from ${refused.join(', ') || 'nowhere'} to ${to} (shared/lifecycle.ts)`,
    );
  }
  const table = tableOf(strapi, UID.delivery);
  const values: Record<string, unknown> = { [table.column('status')]: to, [table.column('updatedAt')]: new Date() };
  for (const [attribute, value] of Object.entries(options.changes ?? {})) values[table.column(attribute)] = value;
  const query = strapi.db
    .connection(table.table)
    .where(table.column('id'), id)
    .whereIn(table.column('status'), sources);
  for (const [attribute, value] of Object.entries(options.onlyIf ?? {}))
    query.where(table.column(attribute), value as never);
  // Which status it left, when several were allowed: read before the update, confirmed by the update's own condition.
  const before =
    sources.length > 1
      ? await strapi.db.connection(table.table).where(table.column('id'), id).first(table.column('status'))
      : null;
  const moved = (await query.update(values)) > 0;
  if (moved) {
    await options.beforeEvent?.();
    const left = (before?.[table.column('status')] as DeliveryStatus | undefined) ?? sources[0];
    getService(strapi, 'delivery-events').statusChanged(
      id,
      sources.includes(left) ? left : sources[0],
      to,
      options.details,
    );
  }
  return moved;
};
