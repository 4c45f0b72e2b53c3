// The message-day rollup (content type message-day): per message (delivery log) and UTC day, the quarter hours in
// which it has a counted event of each type, in each include mode (db/message-keys.ts, countedIn), as bit masks: bit q
// of `<type><mode>a` for quarter q of the day's first 48, of `<type><mode>b` for quarter 48 + q. A report with a
// period counts distinct messages per time bucket from them (reporting/report-message-days.ts) instead of grouping a
// period's events per message: a message with fifty events over three days is three rows.
//
// How it stays equal to the events: every writer of tracking-log rows goes through the message-count store's
// recomputation (db/message-counts.ts), which calls this store in the same transaction, under the same lock of the
// message's log row. New events OR their bits into the rows (an insertion only ever sets bits); any other change (a
// burst re-flagging clicks, a purge, the query-engine hooks) replaces the message's rows with those of all its events.
// A message's events count here whether or not its log row still exists, as they do in the message-count rollup.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { dbClient, knexOf, tableOf } from './tables';
import type { SqliteConnection } from './sqlite-driver';
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

/** One row: a message's counted quarters of one UTC day (days since 1970-01-01). */
export interface MessageDay {
  deliveryId: number;
  deliveryLogId: number;
  day: number;
  masks: number[];
}

/** `mask` with bit `q` set, in arithmetic: JavaScript's bitwise operators stop at 32 bits. */
export const withBit = (mask: number, q: number): number => {
  const bit = 2 ** q;
  return Math.floor(mask / bit) % 2 === 1 ? mask : mask + bit;
};

const SPLIT = 2 ** 24;
/** Whether `mask` has every bit of `bits`, a half of 24 bits at a time (within the bitwise operators' 32). */
const holds = (mask: number, bits: number): boolean =>
  ((bits % SPLIT) & ~(mask % SPLIT)) === 0 && (Math.floor(bits / SPLIT) & ~Math.floor(mask / SPLIT)) === 0;

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
  return [...byDay]
    .filter(([, masks]) => masks.some((mask) => mask !== 0))
    .sort(([a], [b]) => a - b)
    .map(([day, masks]) => ({ deliveryId, deliveryLogId, day, masks }));
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
    };
  };
  const stored = (row: MessageDay): Record<string, unknown> => {
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
    return out;
  };
  /** (message, day) order: two writers lock rows in one order. */
  const ordered = (rows: MessageDay[]) => [...rows].sort((a, b) => a.deliveryLogId - b.deliveryLogId || a.day - b.day);

  /** Sets the rows' bits in the stored rows (or inserts them), in `db` (a transaction). */
  const orInto = async (db: Knex | Knex.Transaction, rows: MessageDay[]): Promise<void> => {
    const { table: name } = table();
    const c = columns();
    const knex = knexOf(strapi);
    const merged = Object.fromEntries(
      c.masks.map((mask) => [
        mask,
        dbClient(strapi) === 'mysql'
          ? knex.raw('?? | VALUES(??)', [mask, mask])
          : knex.raw('??.?? | excluded.??', [name, mask, mask]),
      ]),
    );
    const all = ordered(rows);
    for (let start = 0; start < all.length; start += CHUNK) {
      await db(name)
        .insert(all.slice(start, start + CHUNK).map(stored))
        .onConflict([c.deliveryLogId, c.day])
        .merge(merged);
    }
  };

  /** Inserts rows of messages that have none. */
  const insert = async (db: Knex | Knex.Transaction, rows: MessageDay[]): Promise<void> => {
    const all = ordered(rows);
    for (let start = 0; start < all.length; start += CHUNK)
      await db(table().table).insert(all.slice(start, start + CHUNK).map(stored));
  };

  /** Replaces these messages' rows with `rows` (those of all their events), in `db` (a transaction). */
  const replace = async (db: Knex | Knex.Transaction, deliveryLogIds: number[], rows: MessageDay[]): Promise<void> => {
    for (let start = 0; start < deliveryLogIds.length; start += CHUNK) {
      await db(table().table)
        .whereIn(columns().deliveryLogId, deliveryLogIds.slice(start, start + CHUNK))
        .delete();
    }
    await insert(db, rows);
  };

  /** The same two writes prepared once on a SQLite connection (the tracker's synchronous transaction). */
  const prepareSqlite = (connection: SqliteConnection) => {
    const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
    const { table: name } = table();
    const c = columns();
    const all = [c.documentId, c.deliveryId, c.deliveryLogId, c.day, ...c.masks].map(q);
    const insertSql = `INSERT INTO ${q(name)} (${all.join(', ')}) VALUES (${all.map(() => '?').join(', ')})`;
    const upsert = connection.prepare(
      `${insertSql} ON CONFLICT (${q(c.deliveryLogId)}, ${q(c.day)}) DO UPDATE SET ` +
        c.masks.map((mask) => `${q(mask)} = ${q(mask)} | excluded.${q(mask)}`).join(', '),
    );
    const insert = connection.prepare(insertSql);
    const read = connection.prepare(
      `SELECT ${c.masks.map(q).join(', ')} FROM ${q(name)} WHERE ${q(c.deliveryLogId)} = ? AND ${q(c.day)} = ?`,
    );
    const remove = connection.prepare(`DELETE FROM ${q(name)} WHERE ${q(c.deliveryLogId)} = ?`);
    const values = (row: MessageDay) => [
      createSequentialDocumentId(),
      row.deliveryId,
      row.deliveryLogId,
      row.day,
      ...row.masks,
    ];
    return {
      /** A message clicking again in a quarter it already has changes nothing: its row is read, not written. */
      orInto: (rows: MessageDay[]) => {
        for (const row of ordered(rows)) {
          const [stored] = read.all(row.deliveryLogId, row.day) as Array<Record<string, unknown>>;
          if (stored && c.masks.every((mask, index) => holds(Number(stored[mask]), row.masks[index]))) continue;
          upsert.run(values(row));
        }
      },
      replace: (deliveryLogId: number, rows: MessageDay[]) => {
        remove.run(deliveryLogId);
        for (const row of ordered(rows)) insert.run(values(row));
      },
    };
  };

  /** Removes a delivery's rows (its events are being deleted with it). */
  const removeDelivery = async (db: Knex | Knex.Transaction, deliveryId: number): Promise<void> => {
    await db(table().table).where(columns().deliveryId, deliveryId).delete();
  };

  /** A delivery's rows as stored, for the checks that compare them with the events. */
  const rowsOf = async (deliveryId: number): Promise<MessageDay[]> => {
    const c = columns();
    const rows: Record<string, unknown>[] = await knexOf(strapi)(table().table)
      .where(c.deliveryId, deliveryId)
      .orderBy([c.deliveryLogId, c.day]);
    return rows.map((row) => ({
      deliveryId: Number(row[c.deliveryId]),
      deliveryLogId: Number(row[c.deliveryLogId]),
      day: Number(row[c.day]),
      masks: c.masks.map((mask) => Number(row[mask])),
    }));
  };

  return { table, columns, orInto, insert, replace, prepareSqlite, removeDelivery, rowsOf };
};

export type MessageDayStore = ReturnType<typeof createMessageDayStore>;
