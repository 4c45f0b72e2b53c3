// The report builder's event counts over a period, read from the message-day rollup (db/message-days.ts) and the
// event-count rollup (db/event-counts.ts) instead of the period's events: for a period on the quarter-hour grid (every
// `lastDays` period, and the admin's day bounds), split by time buckets, delivery, list or recipient domain, without
// an event-type filter; totals only when no list or domain is involved (the event counts have no message).
//
// Unique counts: the period's UTC days are cut, in JavaScript, into segments: per UTC day and bucket (hour, day...
// in the report's time zone; every zone's offset is a multiple of 15 minutes), the mask of the day's quarter hours
// that fall in that bucket and in the period. A message counts in a bucket when one of its day rows shares a bit with
// the bucket's segment of that day. A bucket inside one UTC day (hours, or days in UTC) meets each message at most
// once and is a sum; a bucket over several days (a week, a month, a day in another zone, the whole period) counts
// distinct messages. Totals sum the event counts' quarter hours of the period by bucket, and say which groups exist:
// those with a counted event of the types read, as the GROUP BY over the events gives.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { ReportDimension } from '../../../shared/contracts/reports';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { dbClient, emailDomainSql, knexOf, quoteIdentifier, tableOf, toCount } from '../db/tables';
import { QUARTER_MS } from '../db/event-counts';
import { modeOf } from '../db/message-keys';
import { DAY_QUARTERS, HALF_QUARTERS, MASK_TYPES, maskAttribute, withBit, type MaskType } from '../db/message-days';
import { isTimeDimension, type CountRow, type EventCount, type RawCounts } from './report-metrics';
import { timeBucketSql, wallClockPieces, wallClockSql, DAY_MS, type TimeDimension } from './report-time';
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

/** Whether these rollups answer the counts exactly (see the top of this file). */
export const messageDaysAnswer = (shape: RollupShape): boolean => {
  const period = shape.period as Period | null;
  return (
    period !== null &&
    period.from.getTime() % QUARTER_MS === 0 &&
    period.to.getTime() % QUARTER_MS === 0 &&
    period.to.getTime() > period.from.getTime() &&
    shape.filters.eventTypes === undefined &&
    shape.dimensions.every((d) => isTimeDimension(d) || d === 'delivery' || d === 'list' || d === 'domain') &&
    shape.counts.every((name) => UNIQUE_TYPES[name] || (TOTAL_TYPE[name] && !byLogs(shape)))
  );
};

/** A bucket's value from wall-clock seconds, as reporting/report-time.ts's timeBucketSql computes it in SQL. */
const bucketValue = (dimension: TimeDimension, wall: number): number | string => {
  const days = Math.floor(wall / 86_400);
  switch (dimension) {
    case 'hour':
      return Math.floor(wall / 3600);
    case 'day':
      return days;
    case 'week':
      return Math.floor((days + 3) / 7);
    case 'hourOfDay':
      return Math.floor(wall / 3600) % 24;
    case 'dayOfWeek':
      return (days + 3) % 7;
    case 'month':
      return new Date(wall * 1000).toISOString().slice(0, 7);
  }
};

interface Segment {
  day: number;
  lo: number;
  hi: number;
  values: Array<number | string>;
}

/** The period's segments (the top of this file), and whether a bucket spans several UTC days. */
export const segmentsOf = (
  period: Period,
  dimensions: readonly TimeDimension[],
  timeZone: string,
): { segments: Segment[]; spansDays: boolean } => {
  const pieces = wallClockPieces(timeZone, 'UTC', period.from.getTime() - DAY_MS, period.to.getTime() + DAY_MS);
  const segments = new Map<string, Segment>();
  const daysOf = new Map<string, Set<number>>();
  let piece = 0;
  for (let quarter = period.from.getTime() / QUARTER_MS; quarter < period.to.getTime() / QUARTER_MS; quarter += 1) {
    const seconds = quarter * (QUARTER_MS / 1000);
    while (piece + 1 < pieces.length && seconds >= pieces[piece + 1].fromStored!) piece += 1;
    const values = dimensions.map((dimension) => bucketValue(dimension, seconds + pieces[piece].deltaSeconds));
    const day = Math.floor(quarter / DAY_QUARTERS);
    const ofDay = quarter - day * DAY_QUARTERS;
    const bucket = JSON.stringify(values);
    const key = `${day}:${bucket}`;
    let segment = segments.get(key);
    if (!segment) segments.set(key, (segment = { day, lo: 0, hi: 0, values }));
    if (ofDay < HALF_QUARTERS) segment.lo = withBit(segment.lo, ofDay);
    else segment.hi = withBit(segment.hi, ofDay - HALF_QUARTERS);
    const days = daysOf.get(bucket) ?? new Set<number>();
    daysOf.set(bucket, days.add(day));
  }
  return { segments: [...segments.values()], spansDays: [...daysOf.values()].some((days) => days.size > 1) };
};

/** A bucket value as SQL: a number, or a month ('2026-11') built above from digits. */
/** Past this many segments (an hour at a time over months) the query would be long: the events answer instead. */
const MAX_SEGMENTS = 2_000;

const literal = (value: number | string): string => (typeof value === 'number' ? String(value) : `'${value}'`);

/**
 * The segments as a derived table `s` (day, lo, hi, b0, b1...): a VALUES list on SQLite (whose UNION ALL stops at 500
 * terms) and PostgreSQL, a UNION ALL on MariaDB / MySQL (whose VALUES lists differ between the two).
 */
const segmentsSql = (dialect: string, segments: Segment[], q: (identifier: string) => string): string => {
  const names = ['day', 'lo', 'hi', ...(segments[0]?.values ?? []).map((_, index) => `b${index}`)];
  const tuples = segments.map((s) => [s.day, s.lo, s.hi, ...s.values].map(literal));
  if (dialect === 'postgres')
    return `(VALUES ${tuples.map((t) => `(${t.join(', ')})`).join(', ')}) AS s(${names.map(q).join(', ')})`;
  if (dialect === 'sqlite')
    return (
      `(SELECT ${names.map((name, index) => `column${index + 1} AS ${q(name)}`).join(', ')} ` +
      `FROM (VALUES ${tuples.map((t) => `(${t.join(', ')})`).join(', ')})) s`
    );
  return `(${tuples.map((t) => `SELECT ${t.map((value, index) => `${value} AS ${q(names[index])}`).join(', ')}`).join(' UNION ALL ')}) s`;
};

export const createMessageDayReads = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const q = (identifier: string) => quoteIdentifier(strapi, identifier);

  /** Unique counts per group, from the message-day rows joined with the segments. */
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
    const segmentSql = segmentsSql(dialect, segments, q);
    const mode = modeOf(include);
    const maskOf = (types: readonly MaskType[], half: number) =>
      `(${types.map((type) => md(maskAttribute(type, mode, half))).join(' | ')})`;
    const test = (types: readonly MaskType[]) =>
      `((${maskOf(types, 0)} & s.${q('lo')}) <> 0 OR (${maskOf(types, 1)} & s.${q('hi')}) <> 0)`;
    const uniques = counts.filter((name) => UNIQUE_TYPES[name]);
    const aggregates = uniques.map((name) => {
      const condition = test(UNIQUE_TYPES[name]!);
      return spansDays
        ? `COUNT(DISTINCT CASE WHEN ${condition} THEN ${md('deliveryLogId')} END)`
        : `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
    });
    const selects = dimensions.map((dimension, index) => {
      if (isTimeDimension(dimension)) return `s.${q(`b${timeDimensions.indexOf(dimension)}`)} AS ${q(`d${index}`)}`;
      if (dimension === 'delivery') return `${md('deliveryId')} AS ${q(`d${index}`)}`;
      if (dimension === 'list') return `${lg('listId')} AS ${q(`d${index}`)}`;
      return `${emailDomainSql(dialect, lg('email'))} AS ${q(`d${index}`)}`;
    });
    const query = knex()
      .from(knex().raw(`${q(days.table)} md`))
      .joinRaw(`JOIN ${segmentSql} ON s.${q('day')} = ${md('day')}`)
      .whereRaw(`${md('day')} >= ? AND ${md('day')} <= ?`, [segments[0].day, segments[segments.length - 1].day])
      .whereRaw(`${md('deliveryId')} > 0`)
      .whereRaw(test(MASK_TYPES.filter((type) => uniques.some((name) => UNIQUE_TYPES[name]!.includes(type)))))
      .select(knex().raw([...selects, ...aggregates.map((sql, index) => `${sql} AS ${q(`m${index}`)}`)].join(', ')));
    if (dimensions.length) query.groupByRaw(dimensions.map((_, index) => String(index + 1)).join(', '));
    const whereIn = (sql: string, values: ReadonlyArray<string | number>) =>
      values.length
        ? query.whereRaw(`${sql} IN (${values.map(() => '?').join(', ')})`, [...values])
        : query.whereRaw('1 = 0');
    if (filters.deliveryIds) whereIn(md('deliveryId'), filters.deliveryIds);
    if (byLogs({ dimensions, filters: filters as RollupShape['filters'] })) {
      query.joinRaw(`JOIN ${q(logs.table)} l ON ${lg('id')} = ${md('deliveryLogId')}`);
      if (filters.listIds) whereIn(lg('listId'), filters.listIds);
      if (filters.domains) whereIn(emailDomainSql(dialect, lg('email')), filters.domains);
    }
    const rows: Record<string, unknown>[] = await query;
    return rows.map((row) => {
      const out: Record<string, unknown> = { ...row };
      uniques.forEach((name, index) => {
        out[name] = toCount(row[`m${index}`]);
      });
      return out;
    });
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
