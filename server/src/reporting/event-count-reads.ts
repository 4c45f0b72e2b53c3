// Reads of the event-count rollup (db/event-counts.ts) for the timeline and hot clicks: sums of rollup rows, never a
// visit of the delivery's events, except for the part of a quarter hour a timeline's from / to cuts (a few minutes
// of events, on the tracking-log index (delivery_id, type, at, flags)).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { knexOf, quoteIdentifier, tableOf, toCount } from '../db/tables';
import { QUARTER_MS } from '../db/event-counts';
import type { TimelinePoint } from './timeline';

export const createEventCountReads = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const counts = () => tableOf(strapi, UID.eventCount);

  /** Keeps the rows counted under `include` (the rollup's flags are 0 / 1, never NULL). */
  const counted = (query: Knex.QueryBuilder, include: IndicatorsInclude) => {
    const { column: c } = counts();
    if (!include.bots) query.where(c('isBot'), 0);
    if (!include.machine) query.where(c('isMachineOpen'), 0);
    return query;
  };

  /** Opens and clicks counted in [from, to) on the events themselves, as one point at `from`. */
  const rawPoint = async (
    deliveryId: number,
    include: IndicatorsInclude,
    from: Date,
    to: Date,
  ): Promise<TimelinePoint | null> => {
    const { table, column: e } = tableOf(strapi, UID.trackingLog);
    const q = (attribute: string) => quoteIdentifier(strapi, e(attribute));
    const query = knex()(table)
      .where(e('deliveryId'), deliveryId)
      .whereIn(e('type'), ['open', 'click'])
      .where(e('at'), '>=', from)
      .where(e('at'), '<', to)
      .groupBy(e('type'))
      .select({ type: e('type') })
      .count({ n: '*' });
    // Flags may be NULL on rows older than them: NULL reads as false, as everywhere else.
    if (!include.bots) query.whereRaw(`${q('isBot')} IS NOT TRUE`);
    if (!include.machine) query.whereRaw(`${q('isMachineOpen')} IS NOT TRUE`);
    const rows: Record<string, unknown>[] = await query;
    if (rows.length === 0) return null;
    const point: TimelinePoint = { at: from, opens: 0, clicks: 0 };
    for (const row of rows) {
      if (row.type === 'open') point.opens += toCount(row.n);
      else point.clicks += toCount(row.n);
    }
    return point;
  };

  return {
    /**
     * Opens and clicks per quarter hour (a point at each quarter's start, for fillTimeline to add up into local
     * hours or days) in [from, to): whole quarters from the rollup, the cut ends of the first and last from events.
     */
    async timelinePoints(
      deliveryId: number,
      include: IndicatorsInclude,
      from?: Date,
      to?: Date,
    ): Promise<TimelinePoint[]> {
      const { table, column: c } = counts();
      const first = from ? Math.ceil(from.getTime() / QUARTER_MS) : null;
      const end = to ? Math.floor(to.getTime() / QUARTER_MS) : null;
      const points: TimelinePoint[] = [];
      if (from && to && first !== null && end !== null && first > end) {
        // from and to inside one quarter hour.
        const point = from < to ? await rawPoint(deliveryId, include, from, to) : null;
        return point ? [point] : [];
      }
      const edges: Array<Promise<TimelinePoint | null>> = [];
      if (from && first !== null && first * QUARTER_MS > from.getTime())
        edges.push(rawPoint(deliveryId, include, from, new Date(first * QUARTER_MS)));
      if (to && end !== null && end * QUARTER_MS < to.getTime())
        edges.push(rawPoint(deliveryId, include, new Date(end * QUARTER_MS), to));
      const query = counted(knex()(table), include)
        .where(c('deliveryId'), deliveryId)
        .whereIn(c('type'), ['open', 'click'])
        .groupBy(c('quarter'), c('type'))
        .select({ quarter: c('quarter'), type: c('type') })
        .sum({ n: c('n') });
      if (first !== null) query.where(c('quarter'), '>=', first);
      if (end !== null) query.where(c('quarter'), '<', end);
      const [rows, ...cut] = await Promise.all([query as Promise<Record<string, unknown>[]>, ...edges]);
      for (const row of rows) {
        const n = toCount(row.n);
        if (n === 0) continue;
        points.push({
          at: new Date(Number(row.quarter) * QUARTER_MS),
          opens: row.type === 'open' ? n : 0,
          clicks: row.type === 'click' ? n : 0,
        });
      }
      for (const point of cut) if (point) points.push(point);
      return points;
    },

    /** Clicks per tracked link of one delivery, counted under `include`. */
    async clicksByLink(deliveryId: number, include: IndicatorsInclude): Promise<Map<number, number>> {
      const { table, column: c } = counts();
      const rows: Record<string, unknown>[] = await counted(knex()(table), include)
        .where(c('deliveryId'), deliveryId)
        .where(c('trackedLinkId'), '<>', 0)
        .groupBy(c('trackedLinkId'))
        .select({ linkId: c('trackedLinkId') })
        .sum({ n: c('n') });
      return new Map(rows.map((row) => [Number(row.linkId), toCount(row.n)]));
    },
  };
};
