// The message-day rollup (content type message-day): per message (delivery log) and UTC day, the quarter hours in
// which it has a counted event of each type, in each include mode (db/message-keys.ts, countedIn), as bit masks: bit q
// of `<type><mode>a` for quarter q of the day's first 48, of `<type><mode>b` for quarter 48 + q. A report with a
// period counts distinct messages per time bucket from them (reporting/report-message-days.ts) instead of grouping a
// period's events per message: a message with fifty events over three days is three rows. Each row also says, in
// `latest`, of which types (and of any type) in which modes it is the message's latest day: a period that ends after
// every event counts a message once, on that row, without a distinct count over all its days.
//
// How it stays equal to the events: every writer of tracking-log rows goes through the message-count store's
// recomputation (db/message-counts.ts), which calls this store in the same transaction, under the same lock of the
// message's log row. New events OR their bits into the message's rows, read first (an insertion only ever sets bits,
// and may move `latest` to a later day); any other change (a burst re-flagging clicks, a purge, the query-engine
// hooks) replaces the message's rows with those of all its events.
// A message's events count here whether or not its log row still exists, as they do in the message-count rollup.
//
// The rows are summed per delivery, day, include mode and type in the day-count rollup (content type day-count,
// DAY_COUNTS below), moved with every write of them in the same transaction: a report by UTC day, or of totals over a
// period, reads a day's sums instead of its rows (reporting/report-message-days.ts).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { dbClient, knexOf, lockedRead, tableOf } from './tables';
import type { SqliteConnection } from './sqlite-driver';
import { addCounts, prepareAddCount, removeDeliveryRows, type Rollup, type RollupCount } from './rollup-rows';
import { QUARTER_MS } from './event-counts';
import { countedIn, type MessageEvent } from './message-keys';
import { storedTime } from '../reporting/timeline';
import { createSequentialDocumentId } from '../platform/document-id';

export const DAY_QUARTERS = 96;
/** Quarters per mask column: 2^48 is well inside a JavaScript number's exact integers and a signed 64-bit column. */
export const HALF_QUARTERS = 48;
export const MASK_TYPES = ['open', 'click', 'unsubscribe', 'mirror'] as const;
export type MaskType = (typeof MASK_TYPES)[number];

/** The attribute of a type's mask in an include mode, for the day's first (half 0) or last 48 quarters. */
export const maskAttribute = (type: MaskType, mode: number, half: number): string =>
  `${type}${mode}${half === 0 ? 'a' : 'b'}`;

/** Every mask attribute, in the order a row's `masks` lists them: type, then mode, then half. */
export const MASK_ATTRIBUTES: readonly string[] = MASK_TYPES.flatMap((type) =>
  [0, 1, 2, 3].flatMap((mode) => [0, 1].map((half) => maskAttribute(type, mode, half))),
);

const maskIndex = (typeIndex: number, mode: number, half: number) => (typeIndex * 4 + mode) * 2 + half;

/** The bit of `latest` for a type (null: any type) in an include mode. */
export const latestBit = (type: MaskType | null, mode: number): number =>
  2 ** ((type === null ? MASK_TYPES.length : MASK_TYPES.indexOf(type)) * 4 + mode);

/** One row: a message's counted quarters of one UTC day (days since 1970-01-01). */
export interface MessageDay {
  deliveryId: number;
  deliveryLogId: number;
  day: number;
  masks: number[];
  /** The latestBit()s of the types and modes whose last counted event of the message falls on this day. */
  latest: number;
}

/**
 * The day-count rollup: per delivery, day, include mode and type (ANY_TYPE: any of them), the message-day rows with a
 * counted event of it (latest 0), and those of them that are their message's latest day of it (latest 1).
 */
export const DAY_COUNTS: Rollup = { uid: UID.dayCount, key: ['deliveryId', 'day', 'mode', 'type', 'latest'] };
export const ANY_TYPE = 'any';

/** Day-count changes by key, summed over the rows a transaction writes and applied once, in key order. */
export type DayCountDeltas = Map<string, RollupCount>;

const countRow = (deltas: DayCountDeltas, row: MessageDay, sign: number) => {
  const add = (mode: number, type: string, latest: number) => {
    const key = `${row.deliveryId}|${row.day}|${mode}|${type}|${latest}`;
    const found = deltas.get(key);
    if (found) found.n = Number(found.n) + sign;
    else deltas.set(key, { deliveryId: row.deliveryId, day: row.day, mode, type, latest, n: sign });
  };
  for (let mode = 0; mode < 4; mode += 1) {
    let any = false;
    MASK_TYPES.forEach((type, typeIndex) => {
      if (row.masks[maskIndex(typeIndex, mode, 0)] === 0 && row.masks[maskIndex(typeIndex, mode, 1)] === 0) return;
      any = true;
      add(mode, type, 0);
      if ((row.latest & latestBit(type, mode)) !== 0) add(mode, type, 1);
    });
    if (!any) continue;
    add(mode, ANY_TYPE, 0);
    if ((row.latest & latestBit(null, mode)) !== 0) add(mode, ANY_TYPE, 1);
  }
};

/** Moves the day counts from rows as they were (`before`, of the same messages and days or none) to `after`. */
export const moveDayCounts = (deltas: DayCountDeltas, before: MessageDay[], after: MessageDay[]): void => {
  for (const row of before) countRow(deltas, row, -1);
  for (const row of after) countRow(deltas, row, 1);
};

/** The changes to write, in the key's order (two transactions lock day-count rows in one order). */
export const sortedDayCounts = (deltas: DayCountDeltas): RollupCount[] =>
  [...deltas.values()]
    .filter((count) => count.n !== 0)
    .sort(
      (a, b) =>
        Number(a.deliveryId) - Number(b.deliveryId) ||
        Number(a.day) - Number(b.day) ||
        Number(a.mode) - Number(b.mode) ||
        String(a.type).localeCompare(String(b.type)) ||
        Number(a.latest) - Number(b.latest),
    );

/** `mask` with bit `q` set, in arithmetic: JavaScript's bitwise operators stop at 32 bits. */
export const withBit = (mask: number, q: number): number => {
  const bit = 2 ** q;
  return Math.floor(mask / bit) % 2 === 1 ? mask : mask + bit;
};

const SPLIT = 2 ** 24;
/** Whether `mask` has every bit of `bits`, a half of 24 bits at a time (within the bitwise operators' 32). */
const holds = (mask: number, bits: number): boolean =>
  ((bits % SPLIT) & ~(mask % SPLIT)) === 0 && (Math.floor(bits / SPLIT) & ~Math.floor(mask / SPLIT)) === 0;
/** Two masks' bits together, 24 bits at a time. */
const orMasks = (a: number, b: number): number =>
  ((a % SPLIT) | (b % SPLIT)) + ((Math.floor(a / SPLIT) | Math.floor(b / SPLIT)) >>> 0) * SPLIT;

/** One message's rows, all its days, with `latest` set from their masks. */
export const withLatest = (rows: MessageDay[]): MessageDay[] => {
  const latestDay = new Map<number, number>();
  const note = (bit: number, day: number) => latestDay.set(bit, Math.max(day, latestDay.get(bit) ?? day));
  for (const row of rows) {
    MASK_TYPES.forEach((type, typeIndex) => {
      for (let mode = 0; mode < 4; mode += 1) {
        if (row.masks[maskIndex(typeIndex, mode, 0)] === 0 && row.masks[maskIndex(typeIndex, mode, 1)] === 0) continue;
        note(latestBit(type, mode), row.day);
        note(latestBit(null, mode), row.day);
      }
    });
  }
  return rows.map((row) => {
    let latest = 0;
    for (const [bit, day] of latestDay) if (day === row.day) latest += bit;
    return { ...row, latest };
  });
};

/**
 * What a message's stored rows become with `added` (rows of new events only) ORed in: the rows to write, new or
 * changed (bits, or `latest`); none when the stored rows already hold every added bit.
 */
export const mergedDays = (stored: MessageDay[], added: MessageDay[]): MessageDay[] => {
  const byDay = new Map(stored.map((row) => [row.day, row]));
  let grew = false;
  for (const row of added) {
    const before = byDay.get(row.day);
    const masks = before ? before.masks.map((mask, index) => orMasks(mask, row.masks[index])) : row.masks;
    if (before && masks.every((mask, index) => mask === before.masks[index])) continue;
    byDay.set(row.day, { ...(before ?? row), masks });
    grew = true;
  }
  if (!grew) return [];
  const was = new Map(stored.map((row) => [row.day, row]));
  return withLatest([...byDay.values()]).filter((row) => {
    const before = was.get(row.day);
    return !before || before.latest !== row.latest || row.masks.some((mask, index) => mask !== before.masks[index]);
  });
};

/** A message's rows from its events (all of them, or only new ones to OR into the stored rows), by day. */
export const messageDaysOf = (deliveryId: number, deliveryLogId: number, events: MessageEvent[]): MessageDay[] => {
  const byDay = new Map<number, number[]>();
  for (const event of events) {
    const typeIndex = MASK_TYPES.indexOf(event.type as MaskType);
    const at = storedTime(event.at);
    if (typeIndex < 0 || !at) continue;
    const quarter = Math.floor(at.getTime() / QUARTER_MS);
    const day = Math.floor(quarter / DAY_QUARTERS);
    const ofDay = quarter - day * DAY_QUARTERS;
    const half = ofDay < HALF_QUARTERS ? 0 : 1;
    let masks = byDay.get(day);
    if (!masks) byDay.set(day, (masks = new Array<number>(MASK_ATTRIBUTES.length).fill(0)));
    for (let mode = 0; mode < 4; mode += 1) {
      if (!countedIn(event, mode)) continue;
      const index = maskIndex(typeIndex, mode, half);
      masks[index] = withBit(masks[index], ofDay - half * HALF_QUARTERS);
    }
  }
  return withLatest(
    [...byDay]
      .filter(([, masks]) => masks.some((mask) => mask !== 0))
      .sort(([a], [b]) => a - b)
      .map(([day, masks]) => ({ deliveryId, deliveryLogId, day, masks, latest: 0 })),
  );
};

const CHUNK = 400;

export const createMessageDayStore = (strapi: Core.Strapi) => {
  const table = () => tableOf(strapi, UID.messageDay);
  const columns = () => {
    const { column } = table();
    return {
      documentId: column('documentId'),
      deliveryId: column('deliveryId'),
      deliveryLogId: column('deliveryLogId'),
      day: column('day'),
      masks: MASK_ATTRIBUTES.map((attribute) => column(attribute)),
      latest: column('latest'),
    };
  };
  const toRecord = (row: MessageDay): Record<string, unknown> => {
    const c = columns();
    const out: Record<string, unknown> = {
      [c.documentId]: createSequentialDocumentId(),
      [c.deliveryId]: row.deliveryId,
      [c.deliveryLogId]: row.deliveryLogId,
      [c.day]: row.day,
    };
    c.masks.forEach((name, index) => {
      out[name] = row.masks[index];
    });
    out[c.latest] = row.latest;
    return out;
  };
  /** A row as read, by column name. */
  const fromStored = (row: Record<string, unknown>): MessageDay => {
    const c = columns();
    return {
      deliveryId: Number(row[c.deliveryId]),
      deliveryLogId: Number(row[c.deliveryLogId]),
      day: Number(row[c.day]),
      masks: c.masks.map((mask) => Number(row[mask])),
      latest: Number(row[c.latest]),
    };
  };
  /** The stored rows (by message) of the messages and days of `writes`: what those writes replace. */
  const storedOfDays = (stored: Map<number, MessageDay[]>, writes: MessageDay[]): MessageDay[] =>
    writes.flatMap((row) => (stored.get(row.deliveryLogId) ?? []).filter((before) => before.day === row.day));
  /** (message, day) order: two writers lock rows in one order. */
  const ordered = (rows: MessageDay[]) => [...rows].sort((a, b) => a.deliveryLogId - b.deliveryLogId || a.day - b.day);

  /**
   * Sets the rows' bits in their messages' stored rows (or inserts them), in `db`: the stored rows are read, merged
   * here, and what changed is written in one upsert per chunk. A plain read sees every other writer's rows of these
   * messages: the tracker's transaction, the only caller, locks their log rows first (db/message-counts.ts, lock), so
   * its first consistent read, which fixes MariaDB's snapshot, comes after those writers committed. The masks are
   * still ORed in SQL. The day counts' changes go into `deltas` (addDayCounts writes them).
   */
  const orInto = async (db: Knex | Knex.Transaction, rows: MessageDay[], deltas: DayCountDeltas): Promise<void> => {
    const { table: name } = table();
    const c = columns();
    const ids = [...new Set(rows.map((row) => row.deliveryLogId))].sort((a, b) => a - b);
    const stored = new Map<number, MessageDay[]>();
    for (let start = 0; start < ids.length; start += CHUNK) {
      const read = db(name)
        .select([c.deliveryId, c.deliveryLogId, c.day, ...c.masks, c.latest])
        .whereIn(c.deliveryLogId, ids.slice(start, start + CHUNK));
      for (const row of (await read) as Record<string, unknown>[]) {
        const day = fromStored(row);
        stored.set(day.deliveryLogId, [...(stored.get(day.deliveryLogId) ?? []), day]);
      }
    }
    const added = new Map<number, MessageDay[]>();
    for (const row of rows) added.set(row.deliveryLogId, [...(added.get(row.deliveryLogId) ?? []), row]);
    const writes = ordered(ids.flatMap((id) => mergedDays(stored.get(id) ?? [], added.get(id) ?? [])));
    moveDayCounts(deltas, storedOfDays(stored, writes), writes);
    const knex = knexOf(strapi);
    const mysql = dbClient(strapi) === 'mysql';
    const merged = Object.fromEntries([
      ...c.masks.map((mask) => [
        mask,
        mysql ? knex.raw('?? | VALUES(??)', [mask, mask]) : knex.raw('??.?? | excluded.??', [name, mask, mask]),
      ]),
      [c.latest, mysql ? knex.raw('VALUES(??)', [c.latest]) : knex.raw('excluded.??', [c.latest])],
    ]);
    for (let start = 0; start < writes.length; start += CHUNK) {
      await db(name)
        .insert(writes.slice(start, start + CHUNK).map(toRecord))
        .onConflict([c.deliveryLogId, c.day])
        .merge(merged);
    }
  };

  /** Inserts rows of messages that have none. */
  const insert = async (db: Knex | Knex.Transaction, rows: MessageDay[], deltas: DayCountDeltas): Promise<void> => {
    const all = ordered(rows);
    for (let start = 0; start < all.length; start += CHUNK)
      await db(table().table).insert(all.slice(start, start + CHUNK).map(toRecord));
    moveDayCounts(deltas, [], rows);
  };

  /**
   * Replaces these messages' rows with `rows` (those of all their events), in `db` (a transaction). The old rows leave
   * the day counts as read FOR UPDATE: on MariaDB a plain read may see an older snapshot than the delete.
   */
  const replace = async (
    db: Knex | Knex.Transaction,
    deliveryLogIds: number[],
    rows: MessageDay[],
    deltas: DayCountDeltas,
  ): Promise<void> => {
    const c = columns();
    for (let start = 0; start < deliveryLogIds.length; start += CHUNK) {
      const chunk = deliveryLogIds.slice(start, start + CHUNK);
      const before: Record<string, unknown>[] = await lockedRead(
        strapi,
        db(table().table)
          .whereIn(c.deliveryLogId, chunk)
          .select([c.deliveryId, c.deliveryLogId, c.day, ...c.masks, c.latest]),
      );
      moveDayCounts(deltas, before.map(fromStored), []);
      await db(table().table).whereIn(c.deliveryLogId, chunk).delete();
    }
    await insert(db, rows, deltas);
  };

  /** Writes the day counts' changes gathered by the writes above, in `db` (their transaction). */
  const addDayCounts = (db: Knex | Knex.Transaction, deltas: DayCountDeltas): Promise<void> =>
    addCounts(strapi, db, DAY_COUNTS, sortedDayCounts(deltas));

  /** The same two writes prepared once on a SQLite connection (the tracker's synchronous transaction). */
  const prepareSqlite = (connection: SqliteConnection) => {
    const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
    const { table: name } = table();
    const c = columns();
    const all = [c.documentId, c.deliveryId, c.deliveryLogId, c.day, ...c.masks, c.latest].map(q);
    const insertSql = `INSERT INTO ${q(name)} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`;
    const upsert = connection.prepare(
      `${insertSql} ON CONFLICT (${q(c.deliveryLogId)}, ${q(c.day)}) DO UPDATE SET ` +
        [...c.masks, c.latest].map((column) => `${q(column)} = excluded.${q(column)}`).join(', '),
    );
    const insert = connection.prepare(insertSql);
    const selected = [c.deliveryId, c.deliveryLogId, c.day, ...c.masks, c.latest].map(q).join(', ');
    const read = connection.prepare(`SELECT ${selected} FROM ${q(name)} WHERE ${q(c.deliveryLogId)} = ?`);
    const readDay = connection.prepare(
      `SELECT ${c.masks.map(q).join(', ')} FROM ${q(name)} WHERE ${q(c.deliveryLogId)} = ? AND ${q(c.day)} = ?`,
    );
    /** Whether the stored row of the added row's day already has its bits (one row read, not the message's). */
    const held = (row: MessageDay) => {
      const [stored] = readDay.all(row.deliveryLogId, row.day) as Array<Record<string, unknown>>;
      return stored !== undefined && c.masks.every((mask, index) => holds(Number(stored[mask]), row.masks[index]));
    };
    const remove = connection.prepare(`DELETE FROM ${q(name)} WHERE ${q(c.deliveryLogId)} = ?`);
    const addCount = prepareAddCount(strapi, connection, DAY_COUNTS);
    const values = (row: MessageDay) => [
      createSequentialDocumentId(),
      row.deliveryId,
      row.deliveryLogId,
      row.day,
      ...row.masks,
      row.latest,
    ];
    return {
      /**
       * Adds one message's new rows to its stored ones: a message clicking again in a quarter it already has changes
       * nothing, and only the row of its day is read (bench/README.md, what the message days cost a click).
       */
      orInto: (deliveryLogId: number, rows: MessageDay[], deltas: DayCountDeltas) => {
        if (rows.every(held)) return;
        const stored = (read.all(deliveryLogId) as Array<Record<string, unknown>>).map(fromStored);
        const writes = ordered(mergedDays(stored, rows));
        moveDayCounts(deltas, storedOfDays(new Map([[deliveryLogId, stored]]), writes), writes);
        for (const row of writes) upsert.run(values(row));
      },
      replace: (deliveryLogId: number, rows: MessageDay[], deltas: DayCountDeltas) => {
        moveDayCounts(deltas, (read.all(deliveryLogId) as Array<Record<string, unknown>>).map(fromStored), rows);
        remove.run(deliveryLogId);
        for (const row of ordered(rows)) insert.run(values(row));
      },
      addDayCounts: (deltas: DayCountDeltas) => {
        for (const count of sortedDayCounts(deltas))
          addCount([count.deliveryId, count.day, count.mode, count.type, count.latest, count.n]);
      },
    };
  };

  /** Removes a delivery's rows (its events are being deleted with it). */
  const removeDelivery = async (db: Knex | Knex.Transaction, deliveryId: number): Promise<void> => {
    await db(table().table).where(columns().deliveryId, deliveryId).delete();
    await removeDeliveryRows(strapi, db, DAY_COUNTS, deliveryId);
  };

  /** A delivery's rows as stored, for the checks that compare them with the events. */
  const rowsOf = async (deliveryId: number): Promise<MessageDay[]> => {
    const c = columns();
    const rows: Record<string, unknown>[] = await knexOf(strapi)(table().table)
      .where(c.deliveryId, deliveryId)
      .orderBy([c.deliveryLogId, c.day]);
    return rows.map(fromStored);
  };

  return { table, columns, fromStored, orInto, insert, replace, addDayCounts, prepareSqlite, removeDelivery, rowsOf };
};

export type MessageDayStore = ReturnType<typeof createMessageDayStore>;
