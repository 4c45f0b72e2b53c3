// Table and column names of the plugin's content types as Strapi created them (never guessed), for knex queries.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';

export interface TableInfo {
  table: string;
  /** The column of an attribute; throws on an attribute the content type does not have (a typo, not a silent NULL). */
  column: (attribute: string) => string;
}

export const tableOf = (strapi: Core.Strapi, uid: string): TableInfo => {
  const meta = strapi.db.metadata.get(uid);
  const attributes = meta.attributes as Record<string, { columnName?: string } | undefined>;
  return {
    table: meta.tableName,
    column: (attribute) => {
      const found = attributes[attribute];
      if (!found) throw new Error(`campaigns: ${uid} has no attribute ${attribute}`);
      return found.columnName ?? attribute;
    },
  };
};

export type DbClient = 'sqlite' | 'postgres' | 'mysql';

export const dbClient = (strapi: Core.Strapi): DbClient => {
  const client = String(strapi.db.dialect.client);
  return client === 'postgres' || client === 'mysql' ? client : 'sqlite';
};

export const knexOf = (strapi: Core.Strapi): Knex => strapi.db.connection as unknown as Knex;

/**
 * `query` as a locking read (FOR UPDATE) on PostgreSQL and MariaDB, where a plain read in a transaction may see an
 * older snapshot than the writes that follow it; as it is on SQLite, which has one writer at a time and no row locks.
 */
export const lockedRead = (strapi: Core.Strapi, query: Knex.QueryBuilder): Knex.QueryBuilder =>
  dbClient(strapi) === 'sqlite' ? query : query.forUpdate();

/** A number from a COUNT / SUM as drivers return it (string for PostgreSQL's bigint and MariaDB's DECIMAL sums). */
export const toCount = (value: unknown): number => {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
};

/** An identifier quoted for raw SQL in the dialect at hand (names come from Strapi's metadata, never from input). */
export const quoteIdentifier = (strapi: Core.Strapi, identifier: string): string =>
  dbClient(strapi) === 'mysql' ? `\`${identifier.replace(/`/g, '``')}\`` : `"${identifier.replace(/"/g, '""')}"`;

/** The rows of a `knex.raw()` SELECT: an array on SQLite, `[rows, fields]` on MariaDB, `{ rows }` on PostgreSQL. */
export const rawRows = (result: unknown): Record<string, unknown>[] => {
  if (!Array.isArray(result)) return (result as { rows: Record<string, unknown>[] }).rows;
  return Array.isArray(result[0]) ? (result[0] as Record<string, unknown>[]) : (result as Record<string, unknown>[]);
};
