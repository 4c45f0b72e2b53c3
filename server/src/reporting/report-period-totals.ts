// Totals of a report over a period on the quarter-hour grid (reporting/report-message-days.ts), from the event-count
// rollup's quarter hours (db/event-counts.ts) bucketed in SQL by the same wall-clock arithmetic as the events
// (reporting/report-time.ts); they also say which groups exist, as the events' GROUP BY does.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { dbClient, knexOf, quoteIdentifier, tableOf, toCount } from '../db/tables';
import { QUARTER_MS } from '../db/event-counts';
import { MASK_TYPES, type MaskType } from '../db/message-day-masks';
import { isTimeDimension, type EventCount } from './report-metrics';
import { timeBucketSql, wallClockPieces, wallClockSql, DAY_MS } from './report-time';
import type { Period } from './report-period';

/** The event type each total counts, and the message-day mask types each unique count reads. */
export const TOTAL_TYPE: Partial<Record<EventCount, string>> = {
  opens: 'open',
  clicks: 'click',
  unsubscriptions: 'unsubscribe',
  mirrorViews: 'mirror',
};
export const UNIQUE_TYPES: Partial<Record<EventCount, readonly MaskType[]>> = {
  uniqueOpens: MASK_TYPES,
  uniquePixelOpens: ['open'],
  uniqueClicks: ['click'],
  uniqueUnsubscriptions: ['unsubscribe'],
  uniqueMirrorViews: ['mirror'],
};

export const createPeriodTotals = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const q = (identifier: string) => quoteIdentifier(strapi, identifier);

  /** Totals per group and the groups that exist, from the event counts' quarter hours of the period. */
  return async (
    dimensions: readonly ReportDimension[],
    counts: EventCount[],
    deliveryIds: number[] | undefined,
    period: Period,
    timeZone: string,
    include: IndicatorsInclude,
  ): Promise<Record<string, unknown>[]> => {
    const dialect = dbClient(strapi);
    const { table, column } = tableOf(strapi, UID.eventCount);
    const c = (attribute: string) => `c.${q(column(attribute))}`;
    const seconds = dialect === 'postgres' ? `(CAST(${c('quarter')} AS BIGINT) * 900)` : `(${c('quarter')} * 900)`;
    const pieces = wallClockPieces(timeZone, 'UTC', period.from.getTime() - DAY_MS, period.to.getTime() + DAY_MS);
    const wall = wallClockSql(seconds, pieces);
    const selects = dimensions.map(
      (dimension, index) =>
        `${isTimeDimension(dimension) ? timeBucketSql(dimension, wall, dialect) : c('deliveryId')} AS ${q(`d${index}`)}`,
    );
    const totals = counts.filter((name) => TOTAL_TYPE[name]);
    const sums = [
      `SUM(${c('n')}) AS ${q('events')}`,
      ...totals.map(
        (name, index) =>
          `SUM(CASE WHEN ${c('type')} = '${TOTAL_TYPE[name]}' THEN ${c('n')} ELSE 0 END) AS ${q(`t${index}`)}`,
      ),
    ];
    // Every type when unique opens are asked for (any reaction is one), else the types the counts read.
    const types = counts.includes('uniqueOpens')
      ? null
      : [...new Set(counts.map((name) => TOTAL_TYPE[name] ?? UNIQUE_TYPES[name]![0]))];
    const query: Knex.QueryBuilder = knex()
      .from(knex().raw(`${q(table)} c`))
      .whereRaw(`${c('deliveryId')} > 0`)
      .whereRaw(`${c('quarter')} >= ? AND ${c('quarter')} < ?`, [
        period.from.getTime() / QUARTER_MS,
        period.to.getTime() / QUARTER_MS,
      ])
      .select(knex().raw([...selects, ...sums].join(', ')));
    if (types) query.whereIn(column('type'), types);
    if (!include.bots) query.where(column('isBot'), 0);
    if (!include.machine) query.where(column('isMachineOpen'), 0);
    if (deliveryIds) query.whereIn(column('deliveryId'), deliveryIds.length ? deliveryIds : [0]);
    if (dimensions.length) query.groupByRaw(dimensions.map((_, index) => String(index + 1)).join(', '));
    const rows: Record<string, unknown>[] = await query;
    return rows
      .filter((row) => toCount(row.events) > 0)
      .map((row) => {
        const out: Record<string, unknown> = { ...row };
        totals.forEach((name, index) => {
          out[name] = toCount(row[`t${index}`]);
        });
        return out;
      });
  };
};
