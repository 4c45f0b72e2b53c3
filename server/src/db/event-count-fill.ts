// Filling the event-count rollup from the events already stored: once, at the first boot of a version that has it
// (installs with events from before), and on demand after events were written around the plugin (bulk loads).
//
// Once, with several processes booting together: a marker row is inserted in the same transaction as the counts
// (db/rollup-rows.ts, claimFill); the first process fills, the others skip. Processes of an older version still
// tracking meanwhile write events the rollup does not see: upgrade every process together.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { dbClient, knexOf, quoteIdentifier, tableOf, toCount } from './tables';
import { addCount, createEventCountStore, EVENT_COUNTS, QUARTER_MS, type EventCountDeltas } from './event-counts';
import { claimFill } from './rollup-rows';
import { parseBucketStart } from '../reporting/timeline';

/**
 * The start of an event's quarter hour in SQL. PostgreSQL and MariaDB hold naive local times: truncating one to its
 * quarter truncates the instant too (every offset is a multiple of 15 minutes), and the driver reads the result back
 * as local time, as it reads `at`. SQLite holds epoch milliseconds.
 */
const quarterStartSql = (strapi: Core.Strapi, at: string): string => {
  switch (dbClient(strapi)) {
    case 'postgres':
      return `date_trunc('hour', ${at}) + make_interval(mins => CAST(FLOOR(EXTRACT(MINUTE FROM ${at}) / 15) * 15 AS integer))`;
    case 'mysql':
      return `CONCAT(DATE_FORMAT(${at}, '%Y-%m-%d %H:'), LPAD(FLOOR(MINUTE(${at}) / 15) * 15, 2, '0'), ':00')`;
    default:
      return (
        `CASE WHEN typeof(${at}) IN ('integer', 'real') THEN (CAST(${at} AS INTEGER) / ${QUARTER_MS}) * ${QUARTER_MS} ` +
        `ELSE (CAST(strftime('%s', ${at}) AS INTEGER) * 1000 / ${QUARTER_MS}) * ${QUARTER_MS} END`
      );
  }
};

const quarterOf = (value: unknown): number | null => {
  if (value instanceof Date) return Math.floor(value.getTime() / QUARTER_MS);
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)))
    return Math.floor(Number(value) / QUARTER_MS);
  const start = parseBucketStart(value);
  return start ? Math.floor(start.getTime() / QUARTER_MS) : null;
};

/** The events (of one delivery, or all) counted per rollup key: a GROUP BY over the tracking log. */
export const countEvents = async (
  strapi: Core.Strapi,
  db: Knex | Knex.Transaction,
  deliveryId?: number,
): Promise<EventCountDeltas> => {
  const events = tableOf(strapi, UID.trackingLog);
  const e = (attribute: string) => quoteIdentifier(strapi, events.column(attribute));
  const isTrue = (attribute: string) => `CASE WHEN ${e(attribute)} IS TRUE THEN 1 ELSE 0 END`;
  // Identifiers come from Strapi's metadata: nothing here is user input.
  const query = db(events.table)
    .select(
      knexOf(strapi).raw(
        `${e('deliveryId')} AS delivery_id, ${quarterStartSql(strapi, e('at'))} AS quarter_start, ${e('type')} AS type, ` +
          `COALESCE(${e('trackedLinkId')}, 0) AS link_id, ${isTrue('isBot')} AS bot, ${isTrue('isMachineOpen')} AS machine, COUNT(*) AS n`,
      ),
    )
    .groupByRaw('1, 2, 3, 4, 5, 6');
  if (deliveryId !== undefined) query.where(events.column('deliveryId'), deliveryId);
  const rows: Record<string, unknown>[] = await query;
  const deltas: EventCountDeltas = new Map();
  for (const row of rows) {
    const quarter = quarterOf(row.quarter_start);
    if (quarter === null) continue;
    addCount(
      deltas,
      {
        deliveryId: Number(row.delivery_id),
        quarter,
        type: String(row.type),
        trackedLinkId: Number(row.link_id),
        isBot: Number(row.bot) === 1 ? 1 : 0,
        isMachineOpen: Number(row.machine) === 1 ? 1 : 0,
      },
      toCount(row.n),
    );
  }
  return deltas;
};

/**
 * Fills the rollup from the stored events unless a process already did (the marker row). With `rebuild`, every
 * rollup row is removed first and counted again (after events were loaded without the plugin). Returns the number
 * of events counted, or null when the rollup was already filled.
 */
export const fillEventCounts = async (
  strapi: Core.Strapi,
  options: { rebuild?: boolean } = {},
): Promise<number | null> => {
  const store = createEventCountStore(strapi);
  const { table } = store.table();
  return knexOf(strapi).transaction(async (trx) => {
    if (options.rebuild) await trx(table).delete();
    // Delivery 0, which no delivery has.
    const marker = { deliveryId: 0, quarter: 0, type: 'open', trackedLinkId: 0, isBot: 0, isMachineOpen: 0 };
    if (!(await claimFill(strapi, trx, EVENT_COUNTS.uid, { ...marker, n: 0 }))) return null;
    const deltas = await countEvents(strapi, trx);
    await store.apply(trx, deltas);
    let events = 0;
    for (const { n } of deltas.values()) events += n;
    return events;
  });
};
