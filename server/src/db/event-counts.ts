// The event-count rollup (content type event-count): how many tracking events each delivery has per quarter hour,
// type, tracked link and flags, so that the indicators, hot clicks and the timeline sum a few rows instead of
// visiting every event. Every write of tracking-log rows changes it in the same transaction (the tracker's group
// commit and burst flags, the retention purge, the query engine through tracking/event-count-hooks.ts), so it always
// equals a GROUP BY of the events still stored.
//
// Quarter hours, not hours: the timeline buckets by the server's local hour or day, and every time zone's offset is
// a multiple of 15 minutes, so each local hour and day is a sum of whole quarters (epoch milliseconds / 900,000).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { knexOf, tableOf, toCount } from './tables';
import { addCounts, changesInKeyOrder, prepareAddCount, removeDeliveryRows, type Rollup } from './rollup-rows';
import type { SqliteConnection } from './sqlite-driver';
import { storedTime } from '../reporting/timeline';

export const QUARTER_MS = 15 * 60 * 1000;

export interface EventCountKey {
  deliveryId: number;
  quarter: number;
  type: string;
  /** 0 for events without a tracked link (a unique index treats NULLs as distinct). */
  trackedLinkId: number;
  isBot: 0 | 1;
  isMachineOpen: 0 | 1;
}

/** Count changes per key (the key's text form, so that two events of one key add up). */
export type EventCountDeltas = Map<string, { key: EventCountKey; n: number }>;

/** The fields of an event its rollup key is made of, as a row or the query engine hands them. */
export interface EventKeyFields {
  deliveryId: unknown;
  at: unknown;
  type: unknown;
  trackedLinkId: unknown;
  isBot: unknown;
  isMachineOpen: unknown;
}

/** An event's tracked link in a rollup key: 0 when it has none (a unique index treats NULLs as distinct). */
export const linkOf = (event: { trackedLinkId: unknown }): number => Number(event.trackedLinkId ?? 0) || 0;

/** A flag as the drivers return it (true / 1 / '1'); NULL, on rows older than the flags, reads as false. */
const flag = (value: unknown): 0 | 1 => (value === true || Number(value) === 1 ? 1 : 0);

/** The rollup key of one event; null for an event without a readable time (never written by the plugin). */
export const eventCountKey = (event: EventKeyFields): EventCountKey | null => {
  const at = storedTime(event.at);
  if (!at) return null;
  return {
    deliveryId: Number(event.deliveryId),
    quarter: Math.floor(at.getTime() / QUARTER_MS),
    type: String(event.type),
    trackedLinkId: linkOf(event),
    isBot: flag(event.isBot),
    isMachineOpen: flag(event.isMachineOpen),
  };
};

export const addCount = (deltas: EventCountDeltas, key: EventCountKey | null, n: number): void => {
  if (!key) return;
  const id = `${key.deliveryId}|${key.quarter}|${key.type}|${key.trackedLinkId}|${key.isBot}|${key.isMachineOpen}`;
  const current = deltas.get(id);
  if (current) current.n += n;
  else deltas.set(id, { key, n });
};

const KEY_ATTRIBUTES = ['deliveryId', 'quarter', 'type', 'trackedLinkId', 'isBot', 'isMachineOpen'] as const;
export const EVENT_COUNTS: Rollup = { uid: UID.eventCount, key: KEY_ATTRIBUTES };

export const createEventCountStore = (strapi: Core.Strapi) => {
  const table = () => tableOf(strapi, UID.eventCount);

  /** Adds the changes to the rollup in `db` (a transaction). */
  const apply = async (db: Knex | Knex.Transaction, deltas: EventCountDeltas): Promise<void> =>
    addCounts(
      strapi,
      db,
      EVENT_COUNTS,
      changesInKeyOrder(deltas, EVENT_COUNTS).map(({ key, n }) => ({ ...key, n })),
    );

  /** The same as a statement prepared on one SQLite connection (the tracker's synchronous transaction). */
  const prepareSqlite = (connection: SqliteConnection) => {
    const add = prepareAddCount(strapi, connection, EVENT_COUNTS);
    return (deltas: EventCountDeltas) => {
      for (const { key, n } of changesInKeyOrder(deltas, EVENT_COUNTS)) {
        add([key.deliveryId, key.quarter, key.type, key.trackedLinkId, key.isBot, key.isMachineOpen, n]);
      }
    };
  };

  /** Removes a delivery's rollup rows (its events are being deleted with it). */
  const removeDelivery = (db: Knex | Knex.Transaction, deliveryId: number): Promise<void> =>
    removeDeliveryRows(strapi, db, EVENT_COUNTS, deliveryId);

  /** Rollup rows as stored, for the reads and the checks that compare them with the events. */
  const rowsOf = async (deliveryId: number): Promise<Array<{ key: EventCountKey; n: number }>> => {
    const { table: name, column } = table();
    const rows: Record<string, unknown>[] = await knexOf(strapi)(name)
      .where(column('deliveryId'), deliveryId)
      .select(Object.fromEntries([...KEY_ATTRIBUTES, 'n'].map((attribute) => [attribute, column(attribute)])));
    return rows.map((row) => ({
      key: {
        deliveryId: Number(row.deliveryId),
        quarter: Number(row.quarter),
        type: String(row.type),
        trackedLinkId: Number(row.trackedLinkId),
        isBot: flag(row.isBot),
        isMachineOpen: flag(row.isMachineOpen),
      },
      n: toCount(row.n),
    }));
  };

  return { table, apply, prepareSqlite, removeDelivery, rowsOf };
};

export type EventCountStore = ReturnType<typeof createEventCountStore>;

/** Moves events just flagged as a bot's (they were not) from their unflagged key to the flagged one. */
export const moveToBot = (deltas: EventCountDeltas, events: Array<Omit<EventKeyFields, 'isBot'>>): void => {
  for (const event of events) {
    addCount(deltas, eventCountKey({ ...event, isBot: false }), -1);
    addCount(deltas, eventCountKey({ ...event, isBot: true }), 1);
  }
};
