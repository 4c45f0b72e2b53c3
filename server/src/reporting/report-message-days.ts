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
// period covers whole from their sums in the day-count rollup (db/message-days.ts, DAY_COUNTS), and the rows only
// for the days it cuts. Totals sum the event counts' quarter hours of the period by bucket, and say
// which groups exist: those with a counted event of the types read, as the GROUP BY over the events gives.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { dbClient, knexOf, quoteIdentifier, rawRows, tableOf, toCount } from '../db/tables';
import { QUARTER_MS } from '../db/event-counts';
import { modeOf } from '../db/message-keys';
import { ANY_TYPE, DAY_COUNTS, latestBit, MASK_TYPES, maskAttribute, type MaskType } from '../db/message-days';
import { FULL_HALF, MAX_SEGMENTS, segmentsOf, segmentsSql, type Segment } from './report-segments';
import { isTimeDimension, type CountRow, type EventCount, type RawCounts } from './report-metrics';
import { timeBucketSql, wallClockPieces, wallClockSql, DAY_MS } from './report-time';
import type { Period } from './report-period';
import type { RollupShape } from './report-rollups';

const TOTAL_TYPE: Partial<Record<EventCount, string>> = {
  opens: 'open',
  clicks: 'click',
  unsubscriptions: 'unsubscribe',
  mirrorViews: 'mirror',
};
const UNIQUE_TYPES: Partial<Record<EventCount, readonly MaskType[]>> = {
  uniqueOpens: MASK_TYPES,
  uniquePixelOpens: ['open'],
  uniqueClicks: ['click'],
  uniqueUnsubscriptions: ['unsubscribe'],
  uniqueMirrorViews: ['mirror'],
};

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
    const daySums = async (latest: 0 | 1, byDay: boolean, deliveryAlias: string, countAlias: (i: number) => string) => {
      const counts = tableOf(strapi, DAY_COUNTS.uid);
      const c = (attribute: string) => `c.${q(counts.column(attribute))}`;
      const typeOf = (name: EventCount) => typeOfCount(name) ?? ANY_TYPE;
      const keys = [
        ...(byDay ? [`${c('day')} AS ${q('day')}`] : []),
        ...(others.length ? [`${c('deliveryId')} AS ${q(deliveryAlias)}`] : []),
      ];
      const sums = uniques.map(
        (name, i) => `SUM(CASE WHEN ${c('type')} = '${typeOf(name)}' THEN ${c('n')} ELSE 0 END) AS ${q(countAlias(i))}`,
      );
      const sumBindings: Knex.RawBinding[] = [whole[0].day, whole[whole.length - 1].day, mode, latest];
      let sql =
        `SELECT ${[...keys, ...sums].join(', ')} FROM ${q(counts.table)} c WHERE ${c('day')} >= ? AND ` +
        `${c('day')} <= ? AND ${c('mode')} = ? AND ${c('latest')} = ? AND ${c('deliveryId')} > 0 AND ` +
        `${c('type')} IN (${[...new Set(uniques.map(typeOf))].map((type) => `'${type}'`).join(', ')})`;
      if (filters.deliveryIds) sql += ` AND ${inList(c('deliveryId'), filters.deliveryIds, sumBindings)}`;
      if (keys.length) sql += ` GROUP BY ${keys.map((_, index) => String(index + 1)).join(', ')}`;
      return rawRows(await knex().raw(sql, sumBindings));
    };
    /** The rows' query, over the days the period cuts only when the whole days are summed; none when it cuts none. */
    const rowsOnly = async (sql: () => string): Promise<Record<string, unknown>[]> => {
      if (cut?.length === 0) return [];
      if (cut) where.push(inList(md('day'), cut));
      return rawRows(await knex().raw(sql(), bindings));
    };

    if (!spansDays) {
      // Every bucket inside one UTC day: one pass over the rows, grouped by day; each day's sums then go to its
      // segments' buckets here. With one segment a day (days in UTC), a sum per count, its test by day; else a sum per
      // count and per distinct segment mask (the masks of each count computed once per row in a subquery SQLite does
      // not flatten: LIMIT -1). The first reads a month's rows about three times faster on SQLite.
      const oneADay = segmentsOfDay.size === segments.length;
      const masks = [...new Set(segments.map((segment) => `${segment.lo}:${segment.hi}`))];
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
      const rows =
        oneADay && summed
          ? (await Promise.all([rowsOnly(direct), daySums(0, true, 'e0', (i) => `s${i}_0`)])).flat()
          : rawRows(await knex().raw(oneADay ? direct() : perMask(), bindings));
      const out = new Map<string, Record<string, unknown>>();
      for (const row of rows) {
        for (const segment of segmentsOfDay.get(Number(row.day)) ?? []) {
          const k = oneADay ? 0 : masks.indexOf(`${segment.lo}:${segment.hi}`);
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
            target[name] = (target[name] as number) + toCount(row[`s${i}_${k}`]);
          });
        }
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
      const parts = await Promise.all([rowsOnly(sql), daySums(1, false, groupAlias, (i) => `m${i}`)]);
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

  /** Totals per group and the groups that exist, from the event counts' quarter hours of the period. */
  const totalRows = async (
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
