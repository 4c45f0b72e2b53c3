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
// The rows' masks and what is computed from them are in db/message-day-masks.ts; their sums per day and per hour
// (db/day-counts.ts) are moved with every write of them, in the same transaction.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { dbClient, knexOf, lockedRead, tableOf } from './tables';
import type { SqliteConnection } from './sqlite-driver';
import { addCounts, inKeyOrder, prepareAddCount, removeDeliveryRows } from './rollup-rows';
import { holds, mergedDays, MASK_ATTRIBUTES, type MessageDay } from './message-day-masks';
import { DAY_COUNTS, HOUR_COUNTS, moveDayCounts, type DayCountDeltas } from './day-counts';
import { createSequentialDocumentId } from '../platform/document-id';

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

  /** Writes the day and hour counts' changes gathered by the writes above, in `db` (their transaction). */
  const addDayCounts = async (db: Knex | Knex.Transaction, deltas: DayCountDeltas): Promise<void> => {
    await addCounts(strapi, db, DAY_COUNTS, inKeyOrder(deltas.days, DAY_COUNTS));
    await addCounts(strapi, db, HOUR_COUNTS, inKeyOrder(deltas.hours, HOUR_COUNTS));
  };

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
    // Raw rows (the masks in column order): an object with a property per mask cost more than the read itself.
    const readDay = connection
      .prepare(
        `SELECT ${c.masks.map(q).join(', ')} FROM ${q(name)} WHERE ${q(c.deliveryLogId)} = ? AND ${q(c.day)} = ?`,
      )
      .raw(true);
    /** Whether the stored row of the added row's day already has its bits (one row read, not the message's). */
    const held = (row: MessageDay) => {
      const [stored] = readDay.all(row.deliveryLogId, row.day) as unknown[][];
      return stored !== undefined && row.masks.every((mask, index) => holds(Number(stored[index]), mask));
    };
    const remove = connection.prepare(`DELETE FROM ${q(name)} WHERE ${q(c.deliveryLogId)} = ?`);
    const adders = ([DAY_COUNTS, HOUR_COUNTS] as const).map(
      (rollup) => [rollup, prepareAddCount(strapi, connection, rollup)] as const,
    );
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
        for (const [rollup, add] of adders) {
          const counts = rollup === DAY_COUNTS ? deltas.days : deltas.hours;
          for (const count of inKeyOrder(counts, rollup)) add([...rollup.key.map((key) => count[key]), count.n]);
        }
      },
    };
  };

  /** Removes a delivery's rows (its events are being deleted with it). */
  const removeDelivery = async (db: Knex | Knex.Transaction, deliveryId: number): Promise<void> => {
    await db(table().table).where(columns().deliveryId, deliveryId).delete();
    await removeDeliveryRows(strapi, db, DAY_COUNTS, deliveryId);
    await removeDeliveryRows(strapi, db, HOUR_COUNTS, deliveryId);
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
