// Reads of the event-count rollup (db/event-counts.ts) and the message-count rollup (db/message-counts.ts) for the
// timeline, hot clicks and the mixed include modes: sums of rollup rows, never a visit of the delivery's events,
// except for the part of a quarter hour a timeline's from / to cuts (a few minutes of events, on the tracking-log
// index (delivery_id, type, at, flags), and the other events of the messages those minutes hold).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { knexOf, quoteIdentifier, tableOf, toCount } from '../db/tables';
import { QUARTER_MS } from '../db/event-counts';
import { groupByMessage, messageEventColumns } from '../db/message-counts';
import { impliedOpenAt, modeOf, type MessageKind } from '../db/message-keys';
import type { TimelinePoint } from './timeline';

export const createEventCountReads = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const counts = () => tableOf(strapi, UID.eventCount);
  const messages = () => tableOf(strapi, UID.messageCount);

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

  /**
   * Implied opens in [from, to) from the events: the messages with a counted event in the period (the only ones whose
   * first counted event can lie in it), each judged on all its events.
   */
  const rawImplied = async (
    deliveryId: number,
    include: IndicatorsInclude,
    from: Date,
    to: Date,
  ): Promise<TimelinePoint[]> => {
    const { table, column: e } = tableOf(strapi, UID.trackingLog);
    const q = (attribute: string) => quoteIdentifier(strapi, e(attribute));
    const query = knex()(table)
      .where(e('deliveryId'), deliveryId)
      .where(e('at'), '>=', from)
      .where(e('at'), '<', to)
      .whereNotNull(e('deliveryLogId'))
      .distinct(e('deliveryLogId'));
    if (!include.bots) query.whereRaw(`${q('isBot')} IS NOT TRUE`);
    if (!include.machine) query.whereRaw(`${q('isMachineOpen')} IS NOT TRUE`);
    const ids = ((await query.pluck(e('deliveryLogId'))) as unknown[]).map(Number);
    if (ids.length === 0) return [];
    const byLog = groupByMessage(
      await knex()(table).whereIn(e('deliveryLogId'), ids).select(messageEventColumns(strapi)),
    );
    const points: TimelinePoint[] = [];
    for (const own of byLog.values()) {
      const at = impliedOpenAt(own, include);
      if (at && at >= from && at < to) points.push({ at, opens: 1, clicks: 0 });
    }
    return points;
  };

  /** Opens and clicks of [from, to) from the events, implied opens included. */
  const rawPoints = async (deliveryId: number, include: IndicatorsInclude, from: Date, to: Date) => {
    const [point, implied] = await Promise.all([
      rawPoint(deliveryId, include, from, to),
      rawImplied(deliveryId, include, from, to),
    ]);
    return point ? [point, ...implied] : implied;
  };

  return {
    /**
     * Opens (implied ones included, reporting/indicator-formulas.ts, totalOpens) and clicks per quarter hour (a point
     * at each quarter's start, for fillTimeline to add up into local hours or days) in [from, to): whole quarters
     * from the rollups, the cut ends of the first and last from events.
     */
    async timelinePoints(
      deliveryId: number,
      include: IndicatorsInclude,
      from?: Date,
      to?: Date,
    ): Promise<TimelinePoint[]> {
      const { table, column: c } = counts();
      const { table: messageTable, column: m } = messages();
      const first = from ? Math.ceil(from.getTime() / QUARTER_MS) : null;
      const end = to ? Math.floor(to.getTime() / QUARTER_MS) : null;
      if (from && to && first !== null && end !== null && first > end) {
        // from and to inside one quarter hour.
        return from < to ? rawPoints(deliveryId, include, from, to) : [];
      }
      const edges: Array<Promise<TimelinePoint[]>> = [];
      if (from && first !== null && first * QUARTER_MS > from.getTime())
        edges.push(rawPoints(deliveryId, include, from, new Date(first * QUARTER_MS)));
      if (to && end !== null && end * QUARTER_MS < to.getTime())
        edges.push(rawPoints(deliveryId, include, new Date(end * QUARTER_MS), to));
      const query = counted(knex()(table), include)
        .where(c('deliveryId'), deliveryId)
        .whereIn(c('type'), ['open', 'click'])
        .groupBy(c('quarter'), c('type'))
        .select({ quarter: c('quarter'), type: c('type') })
        .sum({ n: c('n') });
      const implied = knex()(messageTable)
        .where(m('deliveryId'), deliveryId)
        .where(m('mode'), modeOf(include))
        .where(m('kind'), 'implied')
        .select({ quarter: m('quarter') })
        .sum({ n: m('n') })
        .groupBy(m('quarter'));
      if (first !== null) {
        query.where(c('quarter'), '>=', first);
        implied.where(m('quarter'), '>=', first);
      }
      if (end !== null) {
        query.where(c('quarter'), '<', end);
        implied.where(m('quarter'), '<', end);
      }
      const [rows, impliedRows, ...cut] = await Promise.all([
        query as Promise<Record<string, unknown>[]>,
        implied as Promise<Record<string, unknown>[]>,
        ...edges,
      ]);
      const points: TimelinePoint[] = [];
      const all: Record<string, unknown>[] = [...rows, ...impliedRows.map((row) => ({ ...row, type: 'open' }))];
      for (const row of all) {
        const n = toCount(row.n);
        if (n === 0) continue;
        points.push({
          at: new Date(Number(row.quarter) * QUARTER_MS),
          opens: row.type === 'open' ? n : 0,
          clicks: row.type === 'click' ? n : 0,
        });
      }
      for (const part of cut) points.push(...part);
      return points;
    },

    /**
     * The mixed include modes' figures no delivery-log column holds: the recipients left out (with events, none of
     * them counted; with clicks, none counted) and those with a counted open event.
     */
    async messageTotals(
      deliveryId: number,
      include: IndicatorsInclude,
    ): Promise<{ leftOut: { opens: number; clicks: number }; pixelOpeners: number }> {
      const { table, column: m } = messages();
      const mode = modeOf(include);
      const rows: Record<string, unknown>[] = await knex()(table)
        .where(m('deliveryId'), deliveryId)
        .whereIn(m('mode'), [mode, 3])
        .whereIn(m('kind'), ['reacted', 'clicked', 'pixel'])
        .groupBy(m('mode'), m('kind'))
        .select({ mode: m('mode'), kind: m('kind') })
        .sum({ n: m('n') });
      const sum = (of: number, kind: string) =>
        toCount(rows.find((row) => Number(row.mode) === of && row.kind === kind)?.n ?? 0);
      return {
        leftOut: {
          opens: sum(3, 'reacted') - sum(mode, 'reacted'),
          clicks: sum(3, 'clicked') - sum(mode, 'clicked'),
        },
        pixelOpeners: sum(mode, 'pixel'),
      };
    },

    /** The messages of one delivery the message-count rollup counts as `kind` under `include` (not an implied kind). */
    async messagesCounted(deliveryId: number, include: IndicatorsInclude, kind: MessageKind): Promise<number> {
      const { table, column: m } = messages();
      const row: Record<string, unknown> | undefined = await knex()(table)
        .where(m('deliveryId'), deliveryId)
        .where(m('mode'), modeOf(include))
        .where(m('kind'), kind)
        .sum({ n: m('n') })
        .first();
      return toCount(row?.n ?? 0);
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
