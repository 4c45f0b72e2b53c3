// The report builder's event counts over a period, read from the message-day rollup (db/message-days.ts) and the
// event-count rollup (db/event-counts.ts) instead of the period's events: for a period on the quarter-hour grid (every
// `lastDays` period, and the admin's day bounds), split by time buckets, delivery, list or recipient domain, without
// an event-type filter, when the counts read opens or clicks (FREQUENT below); totals only when no list or domain is
// involved (the event counts have no message).
//
// Unique counts: the period's UTC days are cut, in JavaScript, into segments (reporting/report-segments.ts): per UTC
// day and bucket (hour, day... in the report's time zone; every zone's offset is a multiple of 15 minutes), the mask of
// the day's quarter hours that fall in that bucket and in the period. A message counts in a bucket when one of its day
// rows shares a bit with the bucket's segment of that day. A bucket inside one UTC day (hours, or days in UTC) meets
// each message at most once and is a sum; a bucket over several days (a week, a month, a day in another zone, the
// whole period) counts distinct messages. Days in UTC, and a count over a period up to now (below), read the days the
// period covers whole from their sums in the day-count rollup, hours in a zone whose offset is whole hours the hours
// it covers whole from the hour-count rollup (db/day-counts.ts, reporting/report-count-sums.ts), and the rows only for
// the days or hours it cuts. Totals sum the event counts' quarter hours of the period by bucket, and say which groups
// exist: those with a counted event of the types read, as the GROUP BY over the events gives
// (reporting/report-period-totals.ts).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { dbClient, knexOf, quoteIdentifier, rawRows, tableOf, toCount } from '../db/tables';
import { QUARTER_MS } from '../db/event-counts';
import { modeOf } from '../db/message-keys';
import { latestBit, maskAttribute, type MaskType } from '../db/message-day-masks';
import { ANY_TYPE } from '../db/day-counts';
import { createCountSums } from './report-count-sums';
import { createPeriodTotals, TOTAL_TYPE, UNIQUE_TYPES } from './report-period-totals';
import { FULL_HALF, hourOf, MAX_SEGMENTS, segmentsOf, segmentsSql, type Segment } from './report-segments';
import { isTimeDimension, type CountRow, type EventCount, type RawCounts } from './report-metrics';
import type { Period } from './report-period';
import type { RollupShape } from './report-rollups';

const byLogs = ({ dimensions, filters }: Pick<RollupShape, 'dimensions' | 'filters'>) =>
  dimensions.some((d) => d === 'list' || d === 'domain') ||
  filters.listIds !== undefined ||
  filters.domains !== undefined;

/**
 * Counts of the frequent types (opens, clicks, any reaction). Unsubscriptions and mirror views alone are a few events
 * in a hundred: the tracking log's (type, at) index holds fewer of them than there are message days (Unsubscriptions
 * by day over 30 days at 10,000,000 events on SQLite: 0.38 s from the events, 0.83 s from the message days), unless
 * the day counts answer for the whole days (summedByDay).
 */
const FREQUENT: readonly EventCount[] = ['opens', 'clicks', 'uniqueOpens', 'uniquePixelOpens', 'uniqueClicks'];

/** Shapes whose whole days the day counts answer: by UTC day or not by time, by delivery or not split. */
const summedByDay = (shape: RollupShape): boolean =>
  (shape.timeZone ?? 'UTC') === 'UTC' &&
  !byLogs(shape) &&
  shape.dimensions.every((d) => d === 'day' || d === 'delivery');

/** Whether these rollups answer the counts exactly (see the top of this file), and faster than the events. */
export const messageDaysAnswer = (shape: RollupShape): boolean => {
  const period = shape.period as Period | null;
  return (
    period !== null &&
    (shape.counts.some((name) => FREQUENT.includes(name)) || summedByDay(shape)) &&
    period.from.getTime() % QUARTER_MS === 0 &&
    period.to.getTime() % QUARTER_MS === 0 &&
    period.to.getTime() > period.from.getTime() &&
    shape.filters.eventTypes === undefined &&
    shape.dimensions.every((d) => isTimeDimension(d) || d === 'delivery' || d === 'list' || d === 'domain') &&
    shape.counts.every((name) => UNIQUE_TYPES[name] || (TOTAL_TYPE[name] && !byLogs(shape)))
  );
};

export const createMessageDayReads = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const q = (identifier: string) => quoteIdentifier(strapi, identifier);
  const countSums = createCountSums(strapi);
  const totalRows = createPeriodTotals(strapi);

  /**
   * Unique counts per group from the message-day rows: each row once, per day, when no bucket spans days (the slots
   * below), else joined with its day's segments and counted distinct per bucket.
   */
  const uniqueRows = async (
    dimensions: readonly ReportDimension[],
    counts: EventCount[],
    filters: { deliveryIds?: number[]; listIds?: number[]; domains?: string[] },
    include: IndicatorsInclude,
    { segments, spansDays }: ReturnType<typeof segmentsOf>,
  ): Promise<Record<string, unknown>[]> => {
    const dialect = dbClient(strapi);
    const days = tableOf(strapi, UID.messageDay);
    const logs = tableOf(strapi, UID.deliveryLog);
    const md = (attribute: string) => `md.${q(days.column(attribute))}`;
    const lg = (attribute: string) => `l.${q(logs.column(attribute))}`;
    const timeDimensions = dimensions.filter(isTimeDimension);
    const mode = modeOf(include);
    const uniques = counts.filter((name) => UNIQUE_TYPES[name]);
    /** The one type a unique count counts, or null for a reaction of any type (its day counts' and latest bit's). */
    const typeOfCount = (name: EventCount): MaskType | null => {
      const types = UNIQUE_TYPES[name]!;
      return types.length === 1 ? types[0] : null;
    };
    const maskOf = (name: EventCount, half: number) =>
      `(${UNIQUE_TYPES[name]!.map((type) => md(maskAttribute(type, mode, half))).join(' | ')})`;
    /** A count's test against a mask pair (SQL or numbers); a half of 0 is left out. */
    const test = (a: string, b: string, lo: string | number, hi: string | number) =>
      [lo === 0 ? null : `(${a} & ${lo}) <> 0`, hi === 0 ? null : `(${b} & ${hi}) <> 0`].filter(Boolean).join(' OR ') ||
      '1 = 0';
    const otherSql = (dimension: ReportDimension) => {
      if (dimension === 'delivery') return md('deliveryId');
      if (dimension === 'list') return lg('listId');
      return lg('recipientDomain');
    };
    const others = dimensions.filter((dimension) => !isTimeDimension(dimension));
    const bindings: Knex.RawBinding[] = [segments[0].day, segments[segments.length - 1].day];
    /** `sql IN (?, ...)`, its values added to `into` (the rows' query's bindings unless said). */
    const inList = (sql: string, values: ReadonlyArray<string | number>, into: Knex.RawBinding[] = bindings) => {
      into.push(...values);
      return values.length ? `${sql} IN (${values.map(() => '?').join(', ')})` : '1 = 0';
    };
    const where = [`${md('day')} >= ? AND ${md('day')} <= ?`, `${md('deliveryId')} > 0`];
    if (filters.deliveryIds) where.push(inList(md('deliveryId'), filters.deliveryIds));
    let from = `${q(days.table)} md`;
    const withLogs = byLogs({ dimensions, filters: filters as RollupShape['filters'] });
    if (withLogs) {
      from += ` JOIN ${q(logs.table)} l ON ${lg('id')} = ${md('deliveryLogId')}`;
      if (filters.listIds) where.push(inList(lg('listId'), filters.listIds));
      if (filters.domains) where.push(inList(lg('recipientDomain'), filters.domains));
    }

    /** With one segment a day: a row's test for a count, by its day (only the days not whole have their own). */
    const byDay = (name: EventCount) => {
      const [a, b] = [maskOf(name, 0), maskOf(name, 1)];
      const ends = segments.filter((segment) => segment.lo !== FULL_HALF || segment.hi !== FULL_HALF);
      const arms = ends.map(
        (segment) => `WHEN ${md('day')} = ${segment.day} THEN ${test(a, b, segment.lo, segment.hi)}`,
      );
      const whole = `${a} <> 0 OR ${b} <> 0`;
      return arms.length ? `CASE ${arms.join(' ')} ELSE ${whole} END` : whole;
    };
    const segmentsOfDay = new Map<number, Segment[]>();
    for (const segment of segments)
      segmentsOfDay.set(segment.day, [...(segmentsOfDay.get(segment.day) ?? []), segment]);

    // With one segment a day and no group the day counts lack (list, domain): the whole days' sums from the day
    // counts, only the days the period cuts (its ends) from the rows.
    const whole = segments.filter((segment) => segment.lo === FULL_HALF && segment.hi === FULL_HALF);
    const summed = !withLogs && others.every((dimension) => dimension === 'delivery') && whole.length > 0;
    const cut = summed ? segments.filter((segment) => !whole.includes(segment)).map((segment) => segment.day) : null;
    /** The whole days' sums of the day counts; aliases: `day` (by day), the delivery's, each count's. */
    const daySums = (latest: 0 | 1, byDay: boolean, deliveryAlias: string, countAlias: (i: number) => string) =>
      countSums('day', {
        from: whole[0].day,
        to: whole[whole.length - 1].day,
        mode,
        latest,
        counts: uniques.map((name, i) => ({ alias: countAlias(i), type: typeOfCount(name) ?? ANY_TYPE })),
        timeAlias: byDay ? 'day' : undefined,
        deliveryAlias: others.length ? deliveryAlias : undefined,
        deliveryIds: filters.deliveryIds,
      });
    /** The rows' query, over only `days` when given (the days whose sums are not read); none when they are none. */
    const rowsOf = async (sql: () => string, days: number[] | null): Promise<Record<string, unknown>[]> => {
      if (days?.length === 0) return [];
      if (days) where.push(inList(md('day'), days));
      return rawRows(await knex().raw(sql(), bindings));
    };

    if (!spansDays) {
      // Every bucket inside one UTC day: one pass over the rows, grouped by day; each day's sums then go to its
      // segments' buckets here. With one segment a day (days in UTC), a sum per count, its test by day; else a sum per
      // count and per distinct segment mask (the masks of each count computed once per row in a subquery SQLite does
      // not flatten: LIMIT -1). The first reads a month's rows about three times faster on SQLite.
      const oneADay = segmentsOfDay.size === segments.length;
      // Every segment inside one UTC hour (by hour in a zone whose offset is whole hours), by delivery or not split:
      // the whole hours' sums from the hour counts, and from the rows only the segments of the hours the period cuts.
      const hours = segments.map(hourOf);
      const hourly =
        !(oneADay && summed) &&
        !withLogs &&
        others.every((dimension) => dimension === 'delivery') &&
        hours.every((hour) => hour !== null);
      const wholeHours = new Map<number, Segment>();
      if (hourly) segments.forEach((segment, i) => hours[i]!.whole && wholeHours.set(hours[i]!.hour, segment));
      const fromRows = segments.filter((_, i) => !(hourly && hours[i]!.whole));
      const fromRowsOfDay = new Map<number, Segment[]>();
      for (const segment of fromRows)
        fromRowsOfDay.set(segment.day, [...(fromRowsOfDay.get(segment.day) ?? []), segment]);
      const masks = [...new Set(fromRows.map((segment) => `${segment.lo}:${segment.hi}`))];
      const keys =
        `SELECT ${md('day')} AS ${q('day')}` +
        others.map((dimension, index) => `, ${otherSql(dimension)} AS ${q(`e${index}`)}`).join('');
      const groups = [q('day'), ...others.map((_, index) => q(`e${index}`))];
      const direct = () =>
        keys +
        uniques.map((name, i) => `, SUM(CASE WHEN ${byDay(name)} THEN 1 ELSE 0 END) AS ${q(`s${i}_0`)}`).join('') +
        ` FROM ${from} WHERE ${where.join(' AND ')} GROUP BY ${groups.map((_, index) => String(index + 1)).join(', ')}`;
      const perMask = () => {
        const inner =
          keys +
          uniques
            .map((name, i) => `, ${maskOf(name, 0)} AS ${q(`u${i}a`)}, ${maskOf(name, 1)} AS ${q(`u${i}b`)}`)
            .join('') +
          ` FROM ${from} WHERE ${where.join(' AND ')}${dialect === 'sqlite' ? ' LIMIT -1' : ''}`;
        const sums = uniques.flatMap((_, i) =>
          masks.map((mask, k) => {
            const [lo, hi] = mask.split(':').map(Number);
            const condition = test(`x.${q(`u${i}a`)}`, `x.${q(`u${i}b`)}`, lo, hi);
            return `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS ${q(`s${i}_${k}`)}`;
          }),
        );
        return (
          `SELECT ${[...groups.map((group) => `x.${group} AS ${group}`), ...sums].join(', ')} FROM (${inner}) x ` +
          `GROUP BY ${groups.map((group) => `x.${group}`).join(', ')}`
        );
      };
      const hourSums = () =>
        countSums('hour', {
          from: Math.min(...wholeHours.keys()),
          to: Math.max(...wholeHours.keys()),
          mode,
          counts: uniques.map((name, i) => ({ alias: `h${i}`, type: typeOfCount(name) ?? ANY_TYPE })),
          timeAlias: 'hour',
          deliveryAlias: others.length ? 'e0' : undefined,
          deliveryIds: filters.deliveryIds,
        });
      const [rows, hourRows] = await Promise.all([
        oneADay && summed
          ? Promise.all([rowsOf(direct, cut), daySums(0, true, 'e0', (i) => `s${i}_0`)]).then((parts) => parts.flat())
          : rowsOf(oneADay ? direct : perMask, hourly ? [...fromRowsOfDay.keys()] : null),
        wholeHours.size ? hourSums() : [],
      ]);
      const out = new Map<string, Record<string, unknown>>();
      /** Adds a row's counts (`count(i)`) to the group of its values in the segment's bucket. */
      const addTo = (segment: Segment, row: Record<string, unknown>, count: (i: number) => number) => {
        const group: Record<string, unknown> = {};
        dimensions.forEach((dimension, index) => {
          group[`d${index}`] = isTimeDimension(dimension)
            ? segment.values[timeDimensions.indexOf(dimension)]
            : row[`e${others.indexOf(dimension)}`];
        });
        const key = JSON.stringify(dimensions.map((_, index) => String(group[`d${index}`] ?? null)));
        const target = out.get(key) ?? { ...group, ...Object.fromEntries(uniques.map((name) => [name, 0])) };
        out.set(key, target);
        uniques.forEach((name, i) => {
          target[name] = (target[name] as number) + count(i);
        });
      };
      for (const row of rows) {
        for (const segment of fromRowsOfDay.get(Number(row.day)) ?? []) {
          const k = oneADay ? 0 : masks.indexOf(`${segment.lo}:${segment.hi}`);
          addTo(segment, row, (i) => toCount(row[`s${i}_${k}`]));
        }
      }
      for (const row of hourRows) {
        const segment = wholeHours.get(Number(row.hour));
        if (segment) addTo(segment, row, (i) => toCount(row[`h${i}`]));
      }
      return [...out.values()].filter((row) => uniques.some((name) => (row[name] as number) > 0));
    }

    const s = (name: string) => `s.${q(name)}`;
    /** A distinct-count row with each count under its name (aggregate `m<index>`). */
    const named = (row: Record<string, unknown>): Record<string, unknown> => ({
      ...row,
      ...Object.fromEntries(uniques.map((name, index) => [name, toCount(row[`m${index}`])])),
    });
    if (timeDimensions.length === 0) {
      // One bucket, one segment per day: no join; the test of a row depends on its day only at the period's ends.
      // When no counted quarter lies after the period (every `lastDays` period), a message counts on its latest day
      // of the count's types, or not at all: a sum instead of a distinct count over all its days.
      const last = segments[segments.length - 1];
      const after = uniques.map((name) =>
        test(maskOf(name, 0), maskOf(name, 1), FULL_HALF - last.lo, FULL_HALF - last.hi),
      );
      const later = await knex().raw(
        `SELECT 1 AS ${q('found')} FROM ${q(days.table)} md WHERE ${md('day')} >= ? AND ${md('deliveryId')} > 0 ` +
          `AND (${md('day')} > ? OR ${after.join(' OR ')}) LIMIT 1`,
        [last.day, last.day],
      );
      const onLatest = rawRows(later).length === 0;
      const latestOf = (name: EventCount) => latestBit(typeOfCount(name), mode);
      const selects = [
        ...others.map((dimension) => `${otherSql(dimension)} AS ${q(`d${dimensions.indexOf(dimension)}`)}`),
        ...uniques.map((name, index) =>
          onLatest
            ? `SUM(CASE WHEN (${md('latest')} & ${latestOf(name)}) <> 0 AND (${byDay(name)}) THEN 1 ELSE 0 END) ` +
              `AS ${q(`m${index}`)}`
            : `COUNT(DISTINCT CASE WHEN ${byDay(name)} THEN ${md('deliveryLogId')} END) AS ${q(`m${index}`)}`,
        ),
      ];
      if (onLatest) where.push(`(${md('latest')} & ${uniques.map(latestOf).reduce((a, b) => a | b, 0)}) <> 0`);
      const sql = () =>
        `SELECT ${selects.join(', ')} FROM ${from} WHERE ${where.join(' AND ')}` +
        (others.length ? ` GROUP BY ${others.map((_, index) => String(index + 1)).join(', ')}` : '');
      if (!(onLatest && summed)) {
        const rows = rawRows(await knex().raw(sql(), bindings));
        return rows.map(named).filter((row) => uniques.some((name) => (row[name] as number) > 0));
      }
      // The latest rows of the cut days, and the whole days' latest counts, added up per group.
      const groupAlias = `d${dimensions.indexOf('delivery')}`;
      const sums = new Map<string, Record<string, unknown>>();
      const parts = await Promise.all([rowsOf(sql, cut), daySums(1, false, groupAlias, (i) => `m${i}`)]);
      for (const row of parts.flat()) {
        const key = String(row[groupAlias] ?? '');
        const target = sums.get(key);
        if (!target)
          sums.set(key, { ...row, ...Object.fromEntries(uniques.map((_, i) => [`m${i}`, toCount(row[`m${i}`])])) });
        else uniques.forEach((_, i) => (target[`m${i}`] = toCount(target[`m${i}`]) + toCount(row[`m${i}`])));
      }
      return [...sums.values()].map(named).filter((row) => uniques.some((name) => (row[name] as number) > 0));
    }
    const condition = (name: EventCount) => test(maskOf(name, 0), maskOf(name, 1), s('lo'), s('hi'));
    const selects = [
      ...dimensions.map((dimension, index) =>
        isTimeDimension(dimension)
          ? `${s(`b${timeDimensions.indexOf(dimension)}`)} AS ${q(`d${index}`)}`
          : `${otherSql(dimension)} AS ${q(`d${index}`)}`,
      ),
      ...uniques.map(
        (name, index) =>
          `COUNT(DISTINCT CASE WHEN ${condition(name)} THEN ${md('deliveryLogId')} END) AS ${q(`m${index}`)}`,
      ),
    ];
    const raw = await knex().raw(
      `SELECT ${selects.join(', ')} FROM ${from} JOIN ${segmentsSql(dialect, segments, q)} ON ${s('day')} = ${md('day')} ` +
        `WHERE ${where.join(' AND ')} AND (${uniques.map(condition).join(' OR ')})` +
        (dimensions.length ? ` GROUP BY ${dimensions.map((_, index) => String(index + 1)).join(', ')}` : ''),
      bindings,
    );
    return rawRows(raw).map(named);
  };

  /**
   * The counts' rows by the dimensions (one row when there are none), for what messageDaysAnswer() accepts; null when
   * the period has too many segments (the events answer).
   */
  return async (
    dimensions: readonly ReportDimension[],
    counts: EventCount[],
    filters: { deliveryIds?: number[]; listIds?: number[]; domains?: string[] },
    options: { period: Period | null; timeZone: string; include: IndicatorsInclude },
  ): Promise<CountRow[] | null> => {
    const period = options.period!;
    const segments = segmentsOf(period, dimensions.filter(isTimeDimension), options.timeZone);
    if (segments.segments.length > MAX_SEGMENTS) return null;
    const keyOf = (row: Record<string, unknown>) =>
      JSON.stringify(dimensions.map((_, index) => (row[`d${index}`] == null ? null : String(row[`d${index}`]))));
    const withLogs = byLogs({ dimensions, filters: filters as RollupShape['filters'] });
    const [uniques, totals] = await Promise.all([
      counts.some((name) => UNIQUE_TYPES[name])
        ? uniqueRows(dimensions, counts, filters, options.include, segments)
        : [],
      withLogs ? null : totalRows(dimensions, counts, filters.deliveryIds, period, options.timeZone, options.include),
    ]);
    const rows = new Map<string, CountRow>();
    const zero = () => Object.fromEntries(counts.map((name) => [name, 0])) as RawCounts;
    for (const row of totals ?? uniques) {
      const values = dimensions.map((_, index) => row[`d${index}`] ?? null);
      rows.set(keyOf(row), { values, counts: zero() });
    }
    for (const row of [...(totals ?? []), ...uniques]) {
      const target = rows.get(keyOf(row));
      if (!target) continue;
      for (const name of counts) if (typeof row[name] === 'number') target.counts[name] = row[name] as number;
    }
    if (dimensions.length === 0 && rows.size === 0) return [{ values: [], counts: zero() }];
    return [...rows.values()];
  };
};
