// Unique counts of whole UTC days and hours read from their sums (db/day-counts.ts) instead of the message-day rows:
// a day's or an hour's unique count is the number of its rows with a bit of the count's types. Used by
// reporting/report-message-days.ts for the days and hours a report's period covers whole.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { knexOf, quoteIdentifier, rawRows, tableOf } from '../db/tables';
import { DAY_COUNTS, HOUR_COUNTS } from '../db/day-counts';

export interface CountSumsQuery {
  /** Days (DAY_COUNTS) or hours (HOUR_COUNTS) since 1970-01-01, from and to included. */
  from: number;
  to: number;
  mode: number;
  /** Day counts only: the rows that are their message's latest day of the type (1), or all of them (0). */
  latest?: 0 | 1;
  /** Each count's alias and its type (a mask type, or ANY_TYPE). */
  counts: Array<{ alias: string; type: string }>;
  /** The alias of the day or hour when the sums are by it; none for one sum over the range. */
  timeAlias?: string;
  /** The alias of the delivery when the sums are by delivery. */
  deliveryAlias?: string;
  deliveryIds?: number[];
}

export const createCountSums = (strapi: Core.Strapi) => {
  const q = (identifier: string) => quoteIdentifier(strapi, identifier);
  /** The sums per group of `query`, from the day counts (time: 'day') or the hour counts (time: 'hour'). */
  return async (time: 'day' | 'hour', query: CountSumsQuery): Promise<Record<string, unknown>[]> => {
    const rollup = time === 'day' ? DAY_COUNTS : HOUR_COUNTS;
    const { table, column } = tableOf(strapi, rollup.uid);
    const c = (attribute: string) => `c.${q(column(attribute))}`;
    const keys = [
      ...(query.timeAlias ? [`${c(time)} AS ${q(query.timeAlias)}`] : []),
      ...(query.deliveryAlias ? [`${c('deliveryId')} AS ${q(query.deliveryAlias)}`] : []),
    ];
    const sums = query.counts.map(
      ({ alias, type }) => `SUM(CASE WHEN ${c('type')} = '${type}' THEN ${c('n')} ELSE 0 END) AS ${q(alias)}`,
    );
    const bindings: Knex.RawBinding[] = [query.mode, query.from, query.to];
    const where = [`${c('mode')} = ?`, `${c(time)} >= ?`, `${c(time)} <= ?`, `${c('deliveryId')} > 0`];
    if (query.latest !== undefined) {
      where.push(`${c('latest')} = ?`);
      bindings.push(query.latest);
    }
    where.push(`${c('type')} IN (${[...new Set(query.counts.map(({ type }) => `'${type}'`))].join(', ')})`);
    if (query.deliveryIds) {
      bindings.push(...query.deliveryIds);
      where.push(
        query.deliveryIds.length ? `${c('deliveryId')} IN (${query.deliveryIds.map(() => '?').join(', ')})` : '1 = 0',
      );
    }
    const sql =
      `SELECT ${[...keys, ...sums].join(', ')} FROM ${q(table)} c WHERE ${where.join(' AND ')}` +
      (keys.length ? ` GROUP BY ${keys.map((_, index) => String(index + 1)).join(', ')}` : '');
    return rawRows(await knexOf(strapi).raw(sql, bindings));
  };
};
