// What the rollup tables (db/event-counts.ts, db/message-counts.ts) write the same way: counts added to a row per
// key, and the marker row that makes their one-time fill run once across processes.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { dbClient, knexOf, quoteIdentifier, tableOf } from './tables';
import type { SqliteConnection } from './sqlite-driver';
import { createSequentialDocumentId } from '../platform/document-id';
import { changedRows } from '../tracking/human-opens-fill';

/** A rollup content type and the attributes of its unique key; every rollup counts in the attribute `n`. */
export interface Rollup {
  uid: string;
  key: readonly string[];
}

/** One row to add: the key's attributes and `n`. */
export type RollupCount = Record<string, string | number>;

const CHUNK = 500;

/** Numbers by value, anything else as strings by code unit (the same order in every process). */
const compare = (x: unknown, y: unknown): number => {
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const [a, b] = [String(x), String(y)];
  return a < b ? -1 : a > b ? 1 : 0;
};

/** Two keys of the rollup in one order for every writer, attribute by attribute. */
const byKey =
  (rollup: Rollup) =>
  (a: object, b: object): number => {
    for (const attribute of rollup.key) {
      const order = compare((a as Record<string, unknown>)[attribute], (b as Record<string, unknown>)[attribute]);
      if (order !== 0) return order;
    }
    return 0;
  };

/** The changes to write, in the rollup key's order (two transactions lock its rows in one order). */
export const inKeyOrder = (counts: Map<string, RollupCount>, rollup: Rollup): RollupCount[] =>
  [...counts.values()].filter((count) => count.n !== 0).sort(byKey(rollup));

/** The same for changes kept apart from their key, `{ key, n }` (db/event-counts.ts, db/message-counts.ts). */
export const changesInKeyOrder = <K extends object>(
  changes: Map<string, { key: K; n: number }>,
  rollup: Rollup,
): Array<{ key: K; n: number }> => {
  const order = byKey(rollup);
  return [...changes.values()].filter((change) => change.n !== 0).sort((a, b) => order(a.key, b.key));
};

/**
 * The rollup's rows as stored, by column name (the table looked up once); a row is a Strapi document like any other
 * (ordered ids land at the index end).
 */
const rowsAsStored = (strapi: Core.Strapi, rollup: Rollup) => {
  const { column } = tableOf(strapi, rollup.uid);
  const documentId = column('documentId');
  const columns = [...rollup.key, 'n'].map((attribute) => [attribute, column(attribute)] as const);
  return (count: RollupCount): Record<string, unknown> => {
    const row: Record<string, unknown> = { [documentId]: createSequentialDocumentId() };
    for (const [attribute, name] of columns) row[name] = count[attribute];
    return row;
  };
};

/**
 * Adds the counts in `db` (a transaction): one multi-row upsert per 500 keys, the count added in SQL (ON CONFLICT /
 * ON DUPLICATE KEY), never read and written back. Callers pass the keys in one order, so that two transactions lock
 * rollup rows in the same order.
 */
export const addCounts = async (
  strapi: Core.Strapi,
  db: Knex | Knex.Transaction,
  rollup: Rollup,
  counts: RollupCount[],
): Promise<void> => {
  const { table, column } = tableOf(strapi, rollup.uid);
  const n = column('n');
  const added =
    dbClient(strapi) === 'mysql'
      ? knexOf(strapi).raw('?? + VALUES(??)', [n, n])
      : knexOf(strapi).raw('??.?? + excluded.??', [table, n, n]);
  const asStored = rowsAsStored(strapi, rollup);
  for (let start = 0; start < counts.length; start += CHUNK) {
    await db(table)
      .insert(counts.slice(start, start + CHUNK).map(asStored))
      .onConflict(rollup.key.map((attribute) => column(attribute)))
      .merge({ [n]: added });
  }
};

/** Removes a delivery's rows (its events are being deleted with it); both rollups key on `deliveryId`. */
export const removeDeliveryRows = async (
  strapi: Core.Strapi,
  db: Knex | Knex.Transaction,
  rollup: Rollup,
  deliveryId: number,
): Promise<void> => {
  const { table, column } = tableOf(strapi, rollup.uid);
  await db(table).where(column('deliveryId'), deliveryId).delete();
};

/**
 * The same upsert prepared once on a SQLite connection (the tracker's synchronous transaction): the returned function
 * takes the key's values in `rollup.key` order, then n.
 */
export const prepareAddCount = (strapi: Core.Strapi, connection: SqliteConnection, rollup: Rollup) => {
  const { table, column } = tableOf(strapi, rollup.uid);
  const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
  const key = rollup.key.map((attribute) => q(column(attribute)));
  const columns = [q(column('documentId')), ...key, q(column('n'))];
  const n = q(column('n'));
  const statement = connection.prepare(
    `INSERT INTO ${q(table)} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')}) ` +
      `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${n} = ${n} + excluded.${n}`,
  );
  return (values: Array<string | number>): void => {
    statement.run([createSequentialDocumentId(), ...values]);
  };
};

/**
 * Inserts a rollup's fill marker (`marker`: a row, by attribute, whose unique key no real row has) in `trx`, the
 * transaction of the fill. True when this transaction inserted it and so fills; false when a process already did.
 * With several processes booting together, the others' inserts of the same unique key wait for the first
 * transaction and then find the marker there.
 */
export const claimFill = async (
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  uid: string,
  marker: RollupCount,
): Promise<boolean> => {
  const { table, column } = tableOf(strapi, uid);
  const row: Record<string, unknown> = { [column('documentId')]: createSequentialDocumentId() };
  for (const [attribute, value] of Object.entries(marker)) row[column(attribute)] = value;
  const q = (identifier: string) => quoteIdentifier(strapi, identifier);
  const columns = Object.keys(row);
  const mysql = dbClient(strapi) === 'mysql';
  const sql =
    `${mysql ? 'INSERT IGNORE' : 'INSERT'} INTO ${q(table)} (${columns.map(q).join(', ')}) ` +
    `VALUES (${columns.map(() => '?').join(', ')})${mysql ? '' : ' ON CONFLICT DO NOTHING'}`;
  return changedRows(await trx.raw(sql, Object.values(row) as Knex.RawBinding[])) > 0;
};
