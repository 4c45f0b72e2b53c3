// The report builder's event counts read from the rollups (db/event-counts.ts, db/message-counts.ts) instead of the
// tracking log, for the shapes the rollups hold exactly: all time (no period), no list, domain or event-type filter,
// split by delivery, tracked link, both or neither; or unique opens alone by device and mail client together (and the
// delivery). Totals come from the event-count rows of each type (and link); unique counts are the messages the
// message-count rollup counts under the include mode: "reacted" (unique opens: any reaction), "clicked", "pixel",
// "unsubscribed", "mirrored", by link "linkClicked" (unique clicks, the only unique count a link splits), by device and
// client "reactedIn" (a message seen on two devices is one unique open in each: the device alone or the client alone
// is not a sum of those rows). Every other shape but the one below reads the events (reporting/reports.ts).
//
// Which groups exist follows the events too: a delivery (link) has a row when it has a counted event of the types
// the counts read (of any type when unique opens are asked for), as the GROUP BY over the events gives; events
// without a link are the rollups' link 0, the events' NULL.
//
// Unique counts without totals, all time, by (or filtered on) list or recipient domain, which no rollup table splits:
// each delivery log's own keys (`countedAs`, db/message-counts.ts, whose plain keys its `countedKinds` holds as bits),
// the same keys the message-count rows sum, counted per group in the report's read of the delivery logs (logKeySql)
// instead of a fold of the events per message; unique opens by device or client and by list or domain, from the
// place-count rollup (reporting/report-place-counts.ts).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { knexOf, tableOf, toCount } from '../db/tables';
import { kindBit, modeOf, OVERLONG_PLACE, parseSeenIn, type MessageKind, type PlainKind } from '../db/message-keys';
import type { CountRow, EventCount, RawCounts } from './report-metrics';
import { messageDaysAnswer } from './report-message-days';
import { placeCountsAnswer } from './report-place-counts';

const TOTAL_OF: Partial<Record<EventCount, string>> = {
  opens: 'open',
  clicks: 'click',
  unsubscriptions: 'unsubscribe',
  mirrorViews: 'mirror',
};
const MESSAGES_OF: Partial<Record<EventCount, PlainKind>> = {
  uniqueOpens: 'reacted',
  uniqueClicks: 'clicked',
  uniquePixelOpens: 'pixel',
  uniqueUnsubscriptions: 'unsubscribed',
  uniqueMirrorViews: 'mirrored',
};

/** The event type a unique count is made of (unique opens, any type, aside). */
const TYPE_OF_KIND: Partial<Record<MessageKind, string>> = {
  clicked: 'click',
  pixel: 'open',
  unsubscribed: 'unsubscribe',
  mirrored: 'mirror',
};

export interface RollupShape {
  dimensions: readonly ReportDimension[];
  counts: readonly EventCount[];
  period: unknown;
  filters: { listIds?: unknown; domains?: unknown; eventTypes?: unknown };
  /** The report's time zone (UTC when not given). */
  timeZone?: string;
}

/** The rollups' column of each dimension they split (device and client: one column, a place of db/message-keys.ts). */
const ROLLUP_COLUMN: Partial<Record<ReportDimension, string>> = {
  delivery: 'deliveryId',
  link: 'trackedLinkId',
  device: 'seenIn',
  client: 'seenIn',
};

/** Unique opens alone by device and client together (and the delivery): the reactedIn rows. */
const bySeenIn = (dimensions: readonly ReportDimension[], counts: readonly EventCount[]): boolean =>
  dimensions.includes('device') &&
  dimensions.includes('client') &&
  dimensions.every((dimension) => dimension === 'delivery' || dimension === 'device' || dimension === 'client') &&
  counts.every((name) => name === 'uniqueOpens');

/** Whether the rollups answer these counts exactly (see the top of this file). */
export const rollupsAnswer = ({ dimensions, counts, period, filters }: RollupShape): boolean =>
  period === null &&
  filters.listIds === undefined &&
  filters.domains === undefined &&
  filters.eventTypes === undefined &&
  (bySeenIn(dimensions, counts) ||
    (dimensions.every((dimension) => dimension === 'delivery' || dimension === 'link') &&
      counts.every(
        (name) =>
          TOTAL_OF[name] !== undefined ||
          (MESSAGES_OF[name] !== undefined && (!dimensions.includes('link') || name === 'uniqueClicks')),
      )));

/** Whether the delivery logs' keys answer these counts exactly (see the top of this file). */
const logKeysAnswer = ({ dimensions, counts, period, filters }: RollupShape): boolean =>
  period === null &&
  filters.eventTypes === undefined &&
  dimensions.every((dimension) => dimension === 'delivery' || dimension === 'list' || dimension === 'domain') &&
  counts.every((name) => MESSAGES_OF[name] !== undefined);

/**
 * Where a report's event counts are read (the top of this file): the rollups first, then the logs' keys, then the
 * place counts (reporting/report-place-counts.ts), then, over a period, the message days
 * (reporting/report-message-days.ts), else the events.
 */
export const countSource = (shape: RollupShape): 'rollups' | 'logKeys' | 'placeCounts' | 'messageDays' | 'events' => {
  if (rollupsAnswer(shape)) return 'rollups';
  if (logKeysAnswer(shape)) return 'logKeys';
  if (placeCountsAnswer(shape)) return 'placeCounts';
  return messageDaysAnswer(shape) ? 'messageDays' : 'events';
};

/**
 * For logKeysAnswer's shapes, read from the delivery logs: per count, the SQL summing the logs whose plain keys'
 * bits (`countedKinds`, db/message-keys.ts) hold that kind in the include mode, and the condition of a group with any
 * such log (the groups the events would give). The bits are constants of ours.
 */
export const logKeySql = (
  counts: readonly EventCount[],
  include: IndicatorsInclude,
  countedKinds: string,
): { aggregates: Array<[string, EventCount]>; any: string } => {
  const holds = (name: EventCount) => `(${countedKinds} & ${kindBit(modeOf(include), MESSAGES_OF[name]!)}) <> 0`;
  return {
    aggregates: counts.map((name) => [`SUM(CASE WHEN ${holds(name)} THEN 1 ELSE 0 END)`, name]),
    any: `SUM(CASE WHEN ${counts.map(holds).join(' OR ')} THEN 1 ELSE 0 END) > 0`,
  };
};

export const createReportRollups = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);

  /**
   * The counts' rows by the dimensions (or one row for all), from the rollups; only for what rollupsAnswer() accepts.
   * Null when a device and client too long for the rollup's column (db/message-keys.ts) was counted: the events answer.
   */
  const rollupRows = async (
    dimensions: readonly ReportDimension[],
    counts: readonly EventCount[],
    deliveryIds: number[] | undefined,
    include: IndicatorsInclude,
  ): Promise<CountRow[] | null> => {
    const { table: eventTable, column: c } = tableOf(strapi, UID.eventCount);
    const { table: messageTable, column: m } = tableOf(strapi, UID.messageCount);
    const byLink = dimensions.includes('link');
    const seenIn = bySeenIn(dimensions, counts);
    const scope = (query: Knex.QueryBuilder, column: (attribute: string) => string) => {
      // Delivery 0 holds the fill markers (db/rollup-rows.ts, claimFill).
      query.where(column('deliveryId'), '>', 0);
      if (deliveryIds) query.whereIn(column('deliveryId'), deliveryIds.length ? deliveryIds : [0]);
      for (const attribute of new Set(dimensions.map((dimension) => ROLLUP_COLUMN[dimension]!)))
        query.groupBy(column(attribute)).select({ [attribute]: column(attribute) });
      return query;
    };
    /** The message kind of a unique count: by link, the clicks per link; by device and client, the places seen in. */
    const kindOf = (name: EventCount): MessageKind | undefined => {
      if (byLink && name === 'uniqueClicks') return 'linkClicked';
      if (seenIn && name === 'uniqueOpens') return 'reactedIn';
      return MESSAGES_OF[name];
    };

    // Every type when unique opens are asked for (any reaction is a unique open): the groups that exist.
    const types = counts.includes('uniqueOpens')
      ? null
      : counts.map((name) => (TOTAL_OF[name] ?? TYPE_OF_KIND[MESSAGES_OF[name]!]) as string);
    // By device and client, no totals: the groups are those with a message seen in them.
    const totals = seenIn
      ? Promise.resolve([])
      : scope(knex()(eventTable), c)
          .groupBy(c('type'))
          .select({ type: c('type') })
          .sum({ n: c('n') })
          .modify((query) => {
            if (types) query.whereIn(c('type'), [...new Set(types)]);
            if (!include.bots) query.where(c('isBot'), 0);
            if (!include.machine) query.where(c('isMachineOpen'), 0);
          });

    const kinds = counts.map(kindOf).filter((kind): kind is MessageKind => Boolean(kind));
    const messages = kinds.length
      ? scope(knex()(messageTable), m)
          .where(m('mode'), modeOf(include))
          .whereIn(m('kind'), kinds)
          .groupBy(m('kind'))
          .select({ kind: m('kind') })
          .sum({ n: m('n') })
      : Promise.resolve([]);

    const [totalRows, messageRows] = (await Promise.all([totals, messages])) as Record<string, unknown>[][];
    const rows = new Map<string, { values: unknown[]; counts: RawCounts; events: number }>();
    const rowOf = (row: Record<string, unknown>) => {
      const place = parseSeenIn(String(row.seenIn ?? ''));
      const values = dimensions.map((dimension) => {
        if (dimension === 'device' || dimension === 'client') return place[dimension];
        // Link 0: events without a link, which the events' GROUP BY gives as NULL.
        if (dimension === 'link') return Number(row.trackedLinkId) || null;
        return Number(row.deliveryId);
      });
      const key = JSON.stringify(values);
      let found = rows.get(key);
      if (!found) {
        const empty = Object.fromEntries(counts.map((name) => [name, 0])) as RawCounts;
        found = { values, counts: empty, events: 0 };
        rows.set(key, found);
      }
      return found;
    };
    for (const row of totalRows) {
      const target = rowOf(row);
      const n = toCount(row.n);
      target.events += n;
      for (const name of counts) if (TOTAL_OF[name] === row.type) target.counts[name]! += n;
    }
    if (seenIn && messageRows.some((row) => row.seenIn === OVERLONG_PLACE && toCount(row.n) > 0)) return null;
    for (const row of messageRows) {
      const target = rowOf(row);
      if (seenIn) target.events += toCount(row.n);
      for (const name of counts) if (kindOf(name) === row.kind) target.counts[name]! += toCount(row.n);
    }
    const found = [...rows.values()].filter((row) => row.events > 0);
    // Not split: one row, as an aggregate over no events gives.
    if (dimensions.length === 0 && found.length === 0)
      return [{ values: [], counts: Object.fromEntries(counts.map((name) => [name, 0])) as RawCounts }];
    return found.map(({ values, counts: rowCounts }) => ({ values, counts: rowCounts }));
  };

  return rollupRows;
};
