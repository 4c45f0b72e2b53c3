// Filling the message-day rollup (db/message-days.ts) from the events already stored: once, at the first boot of a
// version that has it, and on demand after events were written around the plugin (bulk loads). Once across processes
// booting together, with a marker row inserted in the same transaction (db/rollup-rows.ts, claimFill).
//
// The day-count and hour-count rollups (db/day-counts.ts) are filled with the rows, or on their own from the stored
// rows (fillDayCounts: an install whose message days were filled before they existed).
//
// The masks are computed here rather than in SQL: a day and a quarter of an instant need the stored time read as the
// drivers read it (PostgreSQL and MariaDB hold the process's local time), which storedTime() does for every writer.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { knexOf, tableOf } from './tables';
import { claimFill, type Rollup } from './rollup-rows';
import { retryLockConflicts } from './lock-conflicts';
import { groupByMessage, messageEventColumns } from './message-counts';
import { createMessageDayStore } from './message-days';
import { messageDaysOf, type MessageDay } from './message-day-masks';
import { ANY_TYPE, DAY_COUNTS, HOUR_COUNTS, moveDayCounts, newDayCountDeltas } from './day-counts';

/** Message ids read per page: their events are held in memory together. */
const PAGE = 1_000;

/**
 * The marker row (delivery 0, message 0) of the rows' current version, in its day: 1 since rows say which day is a
 * message's latest (`latest`). Rows of an earlier version are computed again.
 */
const MARKER = { deliveryId: 0, deliveryLogId: 0, day: 1 };

/**
 * Fills the rollup from the stored events unless a process already did (MARKER). With `rebuild`, or when the rows are
 * of an earlier version, it is cleared and computed again. Returns the number of messages counted, or null when
 * already filled.
 */
export const fillMessageDays = async (
  strapi: Core.Strapi,
  options: { rebuild?: boolean } = {},
): Promise<number | null> => {
  const store = createMessageDayStore(strapi);
  const { table } = store.table();
  const events = tableOf(strapi, UID.trackingLog);
  const messageId = events.column('deliveryLogId');
  return retryLockConflicts(() =>
    knexOf(strapi).transaction(async (trx) => {
      if (options.rebuild) await trx(table).delete();
      if (!(await claimFill(strapi, trx, UID.messageDay, MARKER))) return null;
      await trx(table)
        .whereNot(store.columns().day, MARKER.day)
        .orWhereNot(store.columns().deliveryLogId, MARKER.deliveryLogId)
        .delete();
      for (const rollup of [DAY_COUNTS, HOUR_COUNTS]) await clearCounts(strapi, trx, rollup);
      const dayCounts = newDayCountDeltas();
      let messages = 0;
      let from = 0;
      for (;;) {
        // The next message with events, then the messages of the next PAGE ids: two reads of the tracking log's
        // delivery_log_id index (a DISTINCT ... ORDER BY ... LIMIT took seconds per page on PostgreSQL).
        const next = await trx(events.table).where(messageId, '>=', from).min({ id: messageId }).first();
        if (next?.id === null || next?.id === undefined) break;
        const start = Number(next.id);
        const byLog = groupByMessage(
          await trx(events.table)
            .where(messageId, '>=', start)
            .where(messageId, '<', start + PAGE)
            .select(messageEventColumns(strapi)),
        );
        const rows: MessageDay[] = [];
        for (const [id, own] of byLog) {
          const deliveryId = Number((own[0] as { deliveryId?: unknown }).deliveryId);
          rows.push(...messageDaysOf(deliveryId, id, own));
        }
        await store.insert(trx, rows, dayCounts);
        messages += byLog.size;
        from = start + PAGE;
      }
      await store.addDayCounts(trx, dayCounts);
      return messages;
    }),
  );
};

/** Every row of a rollup but the fill's marker (delivery 0). */
const clearCounts = async (strapi: Core.Strapi, trx: Knex.Transaction, rollup: Rollup) => {
  const { table, column } = tableOf(strapi, rollup.uid);
  await trx(table).where(column('deliveryId'), '>', 0).delete();
};

/** Message-day rows read per page when the day counts are summed from them. */
const ROWS_PAGE = 5_000;

/**
 * Fills the day counts and the hour counts from the stored message-day rows, each unless a process already did (a
 * marker row of delivery 0). Returns the number of rows summed, or null when both were already filled.
 */
export const fillDayCounts = async (strapi: Core.Strapi): Promise<number | null> => {
  const store = createMessageDayStore(strapi);
  const { table } = store.table();
  const c = store.columns();
  return retryLockConflicts(() =>
    knexOf(strapi).transaction(async (trx) => {
      const days = await claimFill(strapi, trx, DAY_COUNTS.uid, {
        deliveryId: 0,
        day: 0,
        mode: 0,
        type: ANY_TYPE,
        latest: 0,
        n: 0,
      });
      const hours = await claimFill(strapi, trx, HOUR_COUNTS.uid, {
        deliveryId: 0,
        hour: 0,
        mode: 0,
        type: ANY_TYPE,
        n: 0,
      });
      if (!days && !hours) return null;
      const filled = [...(days ? [DAY_COUNTS] : []), ...(hours ? [HOUR_COUNTS] : [])];
      for (const rollup of filled) await clearCounts(strapi, trx, rollup);
      // Only the rollups this fill claimed (an install with day counts sums the hours alone, most of the work).
      const counts = newDayCountDeltas({ days, hours });
      let summed = 0;
      for (let after = 0; ;) {
        const page: Record<string, unknown>[] = await trx(table)
          .where('id', '>', after)
          .where(c.deliveryId, '>', 0)
          .orderBy('id')
          .limit(ROWS_PAGE)
          .select(['id', c.deliveryId, c.deliveryLogId, c.day, ...c.masks, c.latest]);
        if (page.length === 0) break;
        moveDayCounts(counts, [], page.map(store.fromStored));
        summed += page.length;
        after = Number(page[page.length - 1].id);
      }
      await store.addDayCounts(trx, counts);
      return summed;
    }),
  );
};
