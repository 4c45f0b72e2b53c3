// Unique opens by device or mail client and by list or recipient domain, all time, from the place-count rollup
// (db/place-counts.ts): per delivery, list, domain, include mode and projection (device, client or both), the logs
// with a counted event seen there, each log once per name whatever number of its places give it. A report sums the
// rows of its mode and projection grouped by its dimensions, instead of a fold of the events per message joined to
// the logs (reporting/reports.ts) or a read of every log with a reaction (docs/ARCHITECTURE.md, "Place counts").
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { modeOf, OVERLONG_PLACE, parseSeenIn } from '../db/message-keys';
import { domainKeyOf, domainOfKey, PROJECTION } from '../db/place-counts';
import { knexOf, tableOf, toCount } from '../db/tables';
import type { CountRow, EventCount } from './report-metrics';

/** The dimensions the rollup splits: the log's own, and the places it was seen in. */
const LOG_SIDE: Partial<Record<ReportDimension, string>> = { delivery: 'deliveryId', list: 'listId', domain: 'domain' };
const PLACE_SIDE: readonly ReportDimension[] = ['device', 'client'];

/**
 * Whether the place counts answer a report exactly: unique opens alone, all time, no event-type filter, split by a
 * device or client and only by the log's own dimensions besides, with a list or domain in the dimensions or filters
 * (without one, the events' groups include those of events of no message, which no log holds).
 */
export const placeCountsAnswer = (shape: {
  dimensions: readonly ReportDimension[];
  counts: readonly EventCount[];
  period: unknown;
  filters: { listIds?: unknown; domains?: unknown; eventTypes?: unknown };
}): boolean =>
  shape.period === null &&
  shape.filters.eventTypes === undefined &&
  shape.counts.length > 0 &&
  shape.counts.every((name) => name === 'uniqueOpens') &&
  shape.dimensions.some((dimension) => PLACE_SIDE.includes(dimension)) &&
  shape.dimensions.every((dimension) => PLACE_SIDE.includes(dimension) || LOG_SIDE[dimension] !== undefined) &&
  (shape.dimensions.some((dimension) => dimension === 'list' || dimension === 'domain') ||
    shape.filters.listIds !== undefined ||
    shape.filters.domains !== undefined);

export const createPlaceCountReads = (strapi: Core.Strapi) => {
  /**
   * The count rows of placeCountsAnswer's shapes. Null when a place or a domain too long for the rollup's columns was
   * counted (db/message-keys.ts, OVERLONG_PLACE): the events answer.
   */
  return async (
    dimensions: readonly ReportDimension[],
    counts: readonly EventCount[],
    filters: { deliveryIds?: number[]; listIds?: number[]; domains?: string[] },
    include: IndicatorsInclude,
  ): Promise<CountRow[] | null> => {
    const { table, column } = tableOf(strapi, UID.placeCount);
    const device = dimensions.includes('device');
    const client = dimensions.includes('client');
    const projection = device && client ? PROJECTION.place : device ? PROJECTION.device : PROJECTION.client;
    const groups = dimensions.map((dimension) => column(LOG_SIDE[dimension] ?? 'name'));
    const query = knexOf(strapi)(table)
      .where(column('mode'), modeOf(include))
      .where(column('projection'), projection)
      .where(column('deliveryId'), '>', 0);
    if (filters.deliveryIds) query.whereIn(column('deliveryId'), filters.deliveryIds);
    if (filters.listIds) query.whereIn(column('listId'), filters.listIds);
    if (filters.domains) query.whereIn(column('domain'), filters.domains.map(domainKeyOf));
    const rows: Record<string, unknown>[] = await query
      .select(Object.fromEntries([...new Set(groups)].map((name) => [name, name])))
      .sum({ n: column('n') })
      .groupBy([...new Set(groups)])
      .havingRaw('SUM(??) <> 0', [column('n')]);
    const found: CountRow[] = [];
    for (const row of rows) {
      const name = String(row[column('name')] ?? '');
      if (name === OVERLONG_PLACE || row[column('domain')] === OVERLONG_PLACE) return null;
      const place = parseSeenIn(
        projection === PROJECTION.place ? name : projection === PROJECTION.device ? `${name}|` : `|${name}`,
      );
      const values = dimensions.map((dimension) => {
        if (dimension === 'device' || dimension === 'client') return place[dimension];
        const value = row[column(LOG_SIDE[dimension]!)];
        if (dimension === 'domain') return domainOfKey(String(value));
        return Number(value) === 0 && dimension === 'list' ? null : Number(value);
      });
      const n = toCount(row.n);
      found.push({ values, counts: Object.fromEntries(counts.map((count) => [count, n])) });
    }
    return found;
  };
};
