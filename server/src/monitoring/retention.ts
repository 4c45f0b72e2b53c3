// Retention: a daily purge of old logs and of deliveries left failed or cancelled, and the flag on contacts who no
// longer react. Deletes go by batches of ids (retention.batchSize per statement, each its own short transaction), so
// the tables are never locked for long and tracking hits and sends keep flowing while it runs.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { RetentionReport } from '../../../shared/contracts/monitoring';
import { getService } from '../platform/get-service';
import { knexOf, lockedRead, quoteIdentifier, tableOf, toCount, type TableInfo } from '../db/tables';
import {
  addCount,
  createEventCountStore,
  eventCountKey,
  type EventCountDeltas,
  type EventKeyFields,
} from '../db/event-counts';
import { createMessageCountStore } from '../db/message-counts';
import { createPlaceCountStore } from '../db/place-counts';
import { ACTIVE, PURGEABLE } from '../../../shared/lifecycle';

export const RETENTION_TASK = 'campaigns::retention';
/** Every day at 03:17 server time: off the hour, when most deliveries are not sending. */
export const RETENTION_RULE = '17 3 * * *';
const DAY_MS = 24 * 60 * 60 * 1000;
const DELIVERY_CHUNK = 50;

const emptyReport = (): RetentionReport => ({
  trackingLogs: 0,
  deliveryLogs: 0,
  deliveries: 0,
  trackedLinks: 0,
  alerts: 0,
  inactiveContacts: 0,
  reactivatedContacts: 0,
  batches: 0,
  durationMs: 0,
});

/** Lets other work (a tracking flush, a send batch) take the database between two statements. */
const breathe = () => new Promise((resolve) => setImmediate(resolve));

const createRetentionService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = (): Knex => knexOf(strapi);
  let running: Promise<RetentionReport> | null = null;
  /** Set by stop(): loops end at their next statement boundary (what is deleted stays deleted, nothing half-done). */
  let stopping = false;

  const events = () => tableOf(strapi, UID.trackingLog);
  const eventCounts = createEventCountStore(strapi);
  const messageCounts = createMessageCountStore(strapi);
  const placeCounts = createPlaceCountStore(strapi);

  /**
   * Tracking logs by id, and their counts out of the event-count rollup, in one transaction. The rows are locked as
   * they are read, so a burst flagging one of them meanwhile either commits first (and is read flagged) or waits.
   */
  const deleteEvents = async (ids: number[]): Promise<number> => {
    const { table, column } = events();
    return knex().transaction(async (trx) => {
      // Their messages' log rows first, as every writer of events locks them (db/message-counts.ts).
      const messages = (
        await trx(table).whereIn('id', ids).distinct(column('deliveryLogId')).pluck(column('deliveryLogId'))
      )
        .filter((id: unknown) => id != null)
        .map(Number);
      await messageCounts.lock(trx, messages);
      const query = trx(table)
        .whereIn('id', ids)
        .select({
          id: 'id',
          deliveryId: column('deliveryId'),
          deliveryLogId: column('deliveryLogId'),
          at: column('at'),
          type: column('type'),
          trackedLinkId: column('trackedLinkId'),
          device: column('device'),
          client: column('client'),
          isBot: column('isBot'),
          isMachineOpen: column('isMachineOpen'),
        });
      const rows: EventKeyFields[] = await lockedRead(strapi, query);
      const deltas: EventCountDeltas = new Map();
      for (const row of rows) addCount(deltas, eventCountKey(row), -1);
      const deleted = toCount(await trx(table).whereIn('id', ids).del());
      await eventCounts.apply(trx, deltas);
      await messageCounts.recompute(trx, messages, { deleted: rows as never });
      return deleted;
    });
  };

  /** Delivery logs by id, and their places out of the place-count rollup (db/place-counts.ts), in one transaction. */
  const deleteLogs = async (ids: number[]): Promise<number> => {
    const { table } = tableOf(strapi, UID.deliveryLog);
    return knex().transaction(async (trx) => {
      await placeCounts.removeLogs(trx, ids);
      return toCount(await trx(table).whereIn('id', ids).del());
    });
  };

  /**
   * Deletes the rows `filter` selects, batchSize ids per statement, in id order (keyset: each SELECT starts where the
   * last one ended, so the whole purge reads the table once). Returns the rows deleted.
   */
  const purge = async (
    t: TableInfo,
    filter: (query: Knex.QueryBuilder) => void,
    batchSize: number,
    report: RetentionReport,
  ): Promise<number> => {
    let lastId = 0;
    let total = 0;
    for (;;) {
      const ids: number[] = (
        await knex()(t.table).where('id', '>', lastId).where(filter).orderBy('id', 'asc').limit(batchSize).pluck('id')
      ).map(Number);
      if (!ids.length) break;
      total +=
        t.table === events().table
          ? await deleteEvents(ids)
          : t.table === tableOf(strapi, UID.deliveryLog).table
            ? await deleteLogs(ids)
            : toCount(await knex()(t.table).whereIn('id', ids).del());
      report.batches += 1;
      lastId = ids[ids.length - 1];
      if (ids.length < batchSize || stopping) break;
      await breathe();
    }
    return total;
  };

  /** Deliveries left failed or cancelled since before the cutoff, with their logs and tracked links. */
  const purgeDeliveries = async (cutoff: Date, batchSize: number, report: RetentionReport) => {
    const d = tableOf(strapi, UID.delivery);
    const rows: Array<{ id: number | string }> = await knex()(d.table)
      .whereIn(d.column('status'), PURGEABLE)
      .where((q) =>
        q
          .where(d.column('finishedAt'), '<', cutoff)
          .orWhere((never) => never.whereNull(d.column('finishedAt')).where(d.column('updatedAt'), '<', cutoff)),
      )
      .select('id');
    const ids = rows.map((row) => Number(row.id));
    const events = tableOf(strapi, UID.trackingLog);
    const logs = tableOf(strapi, UID.deliveryLog);
    const links = tableOf(strapi, UID.trackedLink);
    for (let start = 0; start < ids.length; start += DELIVERY_CHUNK) {
      const chunk = ids.slice(start, start + DELIVERY_CHUNK);
      report.trackingLogs += await purge(
        events,
        (q) => q.whereIn(events.column('deliveryId'), chunk),
        batchSize,
        report,
      );
      report.deliveryLogs += await purge(logs, (q) => q.whereIn(logs.column('deliveryId'), chunk), batchSize, report);
      report.trackedLinks += await purge(links, (q) => q.whereIn(links.column('deliveryId'), chunk), batchSize, report);
      for (const id of chunk) {
        // Through the query engine: it also removes the delivery's rows in the lists join table.
        const deleted = await strapi.db.query(UID.delivery).delete({ where: { id, status: { $in: PURGEABLE } } });
        if (deleted) {
          report.deliveries += 1;
          // Its counts are all zero now, its events gone: the rows go too.
          await eventCounts.removeDelivery(knex(), id);
          await messageCounts.removeDelivery(knex(), id);
        }
      }
    }
  };

  /** Tracking logs, delivery logs of deliveries no longer active, and alerts, older than the cutoff. */
  const purgeLogs = async (cutoff: Date, batchSize: number, report: RetentionReport) => {
    const d = tableOf(strapi, UID.delivery);
    const active = (await knex()(d.table).whereIn(d.column('status'), ACTIVE).pluck('id')).map(Number);
    const events = tableOf(strapi, UID.trackingLog);
    const logs = tableOf(strapi, UID.deliveryLog);
    const alerts = tableOf(strapi, UID.alert);
    report.trackingLogs += await purge(events, (q) => q.where(events.column('at'), '<', cutoff), batchSize, report);
    report.deliveryLogs += await purge(
      logs,
      (q) => q.where(logs.column('createdAt'), '<', cutoff).whereNotIn(logs.column('deliveryId'), active),
      batchSize,
      report,
    );
    report.alerts += await purge(alerts, (q) => q.where(alerts.column('at'), '<', cutoff), batchSize, report);
  };

  /**
   * Flags subscribed contacts whose last `deliveries` delivered messages (status sent) all went without a human
   * reaction (an event that is neither a bot's nor a machine open: open, click, unsubscription, mirror view), and
   * clears the flag of flagged contacts who reacted since. Contacts are taken batchSize ids at a time.
   */
  const flagInactive = async (deliveries: number, batchSize: number, report: RetentionReport) => {
    const contacts = tableOf(strapi, UID.contact);
    const logs = tableOf(strapi, UID.deliveryLog);
    const events = tableOf(strapi, UID.trackingLog);
    const q = (name: string) => quoteIdentifier(strapi, name);
    const l = (attr: string) => `dl.${q(logs.column(attr))}`;
    const e = (attr: string) => `t.${q(events.column(attr))}`;
    const sql = `
      WITH ranked AS (
        SELECT dl.id AS log_id, ${l('contactId')} AS contact_id,
               ROW_NUMBER() OVER (PARTITION BY ${l('contactId')} ORDER BY ${l('sentAt')} DESC, dl.id DESC) AS rn
        FROM ${q(logs.table)} dl
        WHERE ${l('status')} = 'sent' AND ${l('contactId')} BETWEEN ? AND ?
      )
      SELECT r.contact_id AS contact_id, COUNT(*) AS n,
             SUM(CASE WHEN EXISTS (
               SELECT 1 FROM ${q(events.table)} t
               WHERE ${e('deliveryLogId')} = r.log_id AND ${e('isBot')} IS NOT TRUE AND ${e('isMachineOpen')} IS NOT TRUE
             ) THEN 1 ELSE 0 END) AS engaged
      FROM ranked r
      WHERE r.rn <= ?
      GROUP BY r.contact_id`;
    const inactiveColumn = contacts.column('inactive');
    const sinceColumn = contacts.column('inactiveSince');
    let lastId = 0;
    for (;;) {
      const ids: number[] = (
        await knex()(contacts.table).where('id', '>', lastId).orderBy('id', 'asc').limit(batchSize).pluck('id')
      ).map(Number);
      if (!ids.length) break;
      const [low, high] = [ids[0], ids[ids.length - 1]];
      const result: unknown = await knex().raw(sql, [low, high, deliveries]);
      // Drivers answer raw queries differently: rows (PostgreSQL), [rows, fields] (MariaDB), rows (SQLite).
      const rows: Record<string, unknown>[] = Array.isArray(result)
        ? Array.isArray(result[0])
          ? result[0]
          : result
        : ((result as { rows?: Record<string, unknown>[] }).rows ?? []);
      const inactive = rows
        .filter((row) => toCount(row.n) >= deliveries && toCount(row.engaged) === 0)
        .map((row) => Number(row.contact_id));
      const now = new Date();
      if (inactive.length) {
        report.inactiveContacts += toCount(
          await knex()(contacts.table)
            .whereIn('id', inactive)
            .where(contacts.column('status'), 'subscribed')
            .where((w) => w.whereNull(inactiveColumn).orWhere(inactiveColumn, false))
            .update({ [inactiveColumn]: true, [sinceColumn]: now }),
        );
      }
      report.reactivatedContacts += toCount(
        await knex()(contacts.table)
          .whereBetween('id', [low, high])
          .where(inactiveColumn, true)
          .whereNotIn('id', inactive)
          .update({ [inactiveColumn]: false, [sinceColumn]: null }),
      );
      lastId = high;
      if (ids.length < batchSize || stopping) break;
      await breathe();
    }
  };

  const run = async (): Promise<RetentionReport> => {
    const started = Date.now();
    const report = emptyReport();
    const { retention, tracking } = await getService(strapi, 'settings').get();
    const now = Date.now();
    if (retention.deliveriesDays > 0)
      await purgeDeliveries(new Date(now - retention.deliveriesDays * DAY_MS), retention.batchSize, report);
    if (retention.logsDays > 0)
      await purgeLogs(new Date(now - retention.logsDays * DAY_MS), retention.batchSize, report);
    // Without individual tracking no event names its message: everyone would look inactive.
    if (retention.inactiveAfterDeliveries > 0 && tracking.individualTracking) {
      await flagInactive(retention.inactiveAfterDeliveries, retention.batchSize, report);
    }
    report.durationMs = Date.now() - started;
    strapi.log.info(
      `[campaigns] retention: removed ${report.trackingLogs} tracking logs, ${report.deliveryLogs} delivery logs, ` +
        `${report.deliveries} deliveries, ${report.trackedLinks} tracked links, ${report.alerts} alerts; ` +
        `${report.inactiveContacts} contacts flagged inactive, ${report.reactivatedContacts} no longer; ${report.durationMs} ms`,
    );
    return report;
  };

  return {
    /** bootstrap(): the daily cron task. */
    start() {
      stopping = false;
      strapi.cron.add({
        [RETENTION_TASK]: {
          task: async () => {
            await getService(strapi, 'retention')
              .runNow()
              .catch((error) => strapi.log.error(`[campaigns] retention failed: ${(error as Error)?.stack ?? error}`));
          },
          options: { rule: RETENTION_RULE },
        },
      });
    },

    /** destroy(): no new run; the one in progress stops at its next statement boundary. */
    async stop() {
      stopping = true;
      strapi.cron.remove(RETENTION_TASK);
      await running?.catch(() => undefined);
    },

    /** Purges now and says what it removed. A run already in progress in this process is shared, not doubled. */
    runNow(): Promise<RetentionReport> {
      if (!running) {
        running = run().finally(() => {
          running = null;
        });
      }
      return running;
    },
  };
};

export type RetentionService = ReturnType<typeof createRetentionService>;
export default createRetentionService;
