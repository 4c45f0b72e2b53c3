// Unique opens by device or mail client and by list or recipient domain, all time, from the delivery logs: each log
// keeps the places its counted events were seen in, with their include modes (countedPlaces, db/message-keys.ts), and
// its list and domain, so each log counts once in each (device, client) group its places project onto (a message seen
// in Gmail on a phone and on a desktop is one unique open of Gmail), instead of a fold of the events per message
// joined to the logs (reporting/reports.ts). The database counts the logs per log-side dimensions and countedPlaces
// (for a domain, on an index of both); each group's places are projected here, named from the message-count rollup
// (docs/ARCHITECTURE.md, "Unique opens by place and domain from one index").
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { kindBit, modeOf, OVERLONG_PLACE, parseSeenIn, placeHash, placesIn } from '../db/message-keys';
import { knexOf, tableOf, toCount } from '../db/tables';
import type { CountRow, EventCount } from './report-metrics';
import { LOG_DIMENSION_ATTRIBUTES } from './report-log-period';

/** The dimensions this read splits: the log's own, and the places of its keys. */
const LOG_SIDE: readonly ReportDimension[] = ['delivery', 'list', 'domain'];
const PLACE_SIDE: readonly ReportDimension[] = ['device', 'client'];

/**
 * Whether the logs' places answer a report exactly: unique opens alone, all time, no event-type filter, split by a
 * device or client and only by the log's own dimensions besides, with a list or domain in the dimensions or filters
 * (without one, the events' groups include those of events of no message, which no log holds).
 */
export const logPlacesAnswer = (shape: {
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
  shape.dimensions.every((dimension) => PLACE_SIDE.includes(dimension) || LOG_SIDE.includes(dimension)) &&
  (shape.dimensions.some((dimension) => dimension === 'list' || dimension === 'domain') ||
    shape.filters.listIds !== undefined ||
    shape.filters.domains !== undefined);

export const createLogPlaceReads = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);

  /**
   * The count rows of logPlacesAnswer's shapes, from the delivery logs and the names of their places. Null when a
   * place too long for the rollup's column was counted (db/message-keys.ts, OVERLONG_PLACE), or two places' hashes are
   * equal: the events answer.
   */
  return async (
    dimensions: readonly ReportDimension[],
    counts: readonly EventCount[],
    filters: { deliveryIds?: number[]; listIds?: number[]; domains?: string[] },
    include: IndicatorsInclude,
  ): Promise<CountRow[] | null> => {
    const mode = modeOf(include);
    const { table, column: l } = tableOf(strapi, UID.deliveryLog);
    const { table: messageTable, column: m } = tableOf(strapi, UID.messageCount);
    const counted = (query: Knex.QueryBuilder) => {
      query.whereRaw(`(?? & ${kindBit(mode, 'reacted')}) <> 0`, [l('countedKinds')]);
      if (filters.deliveryIds) query.whereIn(l('deliveryId'), filters.deliveryIds);
      if (filters.listIds) query.whereIn(l('listId'), filters.listIds);
      if (filters.domains) query.whereIn(l('recipientDomain'), filters.domains);
      return query;
    };
    const logSide = dimensions.flatMap((dimension, index) => {
      const attribute = LOG_DIMENSION_ATTRIBUTES[dimension];
      return attribute ? [{ alias: `d${index}`, column: l(attribute) }] : [];
    });
    const selects = Object.fromEntries(logSide.map(({ alias, column }) => [alias, column]));
    const [groups, names] = await Promise.all([
      counted(knex()(table))
        .select({ ...selects, countedPlaces: l('countedPlaces') })
        .count({ n: '*' })
        .groupBy([...logSide.map(({ column }) => column), l('countedPlaces')]) as Promise<Record<string, unknown>[]>,
      // Every place a counted log was seen in has a reactedIn row of its delivery (db/message-counts.ts).
      knex()(messageTable)
        .distinct({ seenIn: m('seenIn') })
        .where(m('kind'), 'reactedIn')
        .where(m('mode'), mode)
        .where(m('n'), '>', 0)
        .modify((query) => {
          if (filters.deliveryIds) query.whereIn(m('deliveryId'), filters.deliveryIds);
        }) as Promise<Array<{ seenIn: unknown }>>,
    ]);
    // What each place gives the report's device and client dimensions, by its hash: its name and the number of its
    // projection (places that give the same values share one: a message seen in Gmail on a phone and on a desktop is
    // one unique open of Gmail).
    const placeSide = dimensions.filter((dimension) => PLACE_SIDE.includes(dimension)) as Array<'device' | 'client'>;
    const projectionIds = new Map<string, number>();
    const byHash = new Map<string, { seenIn: string; place: ReturnType<typeof parseSeenIn>; id: number }>();
    for (const { seenIn } of names) {
      const name = String(seenIn);
      const hash = placeHash(name);
      if (byHash.has(hash)) return null;
      const place = parseSeenIn(name);
      const key = JSON.stringify(placeSide.map((dimension) => place[dimension]));
      if (!projectionIds.has(key)) projectionIds.set(key, projectionIds.size);
      byHash.set(hash, { seenIn: name, place, id: projectionIds.get(key)! });
    }
    // Logs seen in more places than their countedPlaces holds: their places from their keys.
    const overlong = groups.some((group) => group.countedPlaces === OVERLONG_PLACE)
      ? ((await counted(knex()(table))
          .where(l('countedPlaces'), OVERLONG_PLACE)
          .select({ ...selects, countedAs: l('countedAs') })) as Record<string, unknown>[])
      : [];

    // The rows under their log-side values, one level each, then by projection.
    const root = new Map<unknown, unknown>();
    const found: CountRow[] = [];
    /** The projections already counted for the group at hand (its number in `stamp`). */
    const stamp: number[] = [];
    let groupNumber = 0;
    /** Counts `n` logs of one group (its log-side values as `d<i>`) seen in a place; false for an unnamed place. */
    const add = (group: Record<string, unknown>, n: number, hash: string, seenIn?: string): boolean => {
      const named = byHash.get(hash);
      if (!named || named.seenIn === OVERLONG_PLACE || (seenIn !== undefined && named.seenIn !== seenIn)) return false;
      if (stamp[named.id] === groupNumber) return true;
      stamp[named.id] = groupNumber;
      let level = root;
      for (const { alias } of logSide) {
        const value = group[alias] ?? null;
        let next = level.get(value) as Map<unknown, unknown> | undefined;
        if (!next) level.set(value, (next = new Map()));
        level = next;
      }
      let row = level.get(named.id) as CountRow | undefined;
      if (!row) {
        const values = dimensions.map((dimension, index) =>
          dimension === 'device' || dimension === 'client' ? named.place[dimension] : (group[`d${index}`] ?? null),
        );
        row = { values, counts: Object.fromEntries(counts.map((name) => [name, 0])) };
        level.set(named.id, row);
        found.push(row);
      }
      for (const name of counts) row.counts[name]! += n;
      return true;
    };
    for (const group of groups) {
      const places = String(group.countedPlaces ?? '');
      if (places === OVERLONG_PLACE) continue;
      groupNumber += 1;
      const n = toCount(group.n);
      for (const hash of placesIn(places, mode)) if (!add(group, n, hash)) return null;
    }
    const prefix = `${mode}d:`;
    for (const log of overlong) {
      groupNumber += 1;
      for (const key of String(log.countedAs ?? '').split(',')) {
        if (!key.startsWith(prefix)) continue;
        const seenIn = key.slice(prefix.length);
        if (!add(log, 1, placeHash(seenIn), seenIn)) return null;
      }
    }
    return found;
  };
};
