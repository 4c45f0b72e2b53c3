// A report period cut into segments for the message-day rollup (db/message-days.ts, read by
// reporting/report-message-days.ts): per UTC day and time bucket of the report's zone, the mask of the day's quarter
// hours that fall in both. Bucket values are computed here as reporting/report-time.ts computes them in SQL.
import { QUARTER_MS } from '../db/event-counts';
import { DAY_QUARTERS, HALF_QUARTERS, withBit } from '../db/message-day-masks';
import { wallClockPieces, DAY_MS, type TimeDimension } from './report-time';
import type { Period } from './report-period';

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

export interface Segment {
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

/**
 * The UTC hour (hours since 1970-01-01) a segment lies in, and whether it holds all four of its quarters; null when its
 * quarters lie in several hours (a zone whose offset is not whole hours, or buckets longer than an hour).
 */
export const hourOf = ({ day, lo, hi }: Segment): { hour: number; whole: boolean } | null => {
  if ((lo === 0) === (hi === 0)) return null;
  let [rest, hour] = lo !== 0 ? [lo, 0] : [hi, HALF_QUARTERS / 4];
  for (; rest % 16 === 0; rest = Math.floor(rest / 16)) hour += 1;
  return rest < 16 ? { hour: day * 24 + hour, whole: rest === 15 } : null;
};

/** Past this many segments (an hour at a time over months) the query would be long: the events answer instead. */
export const MAX_SEGMENTS = 2_000;

/** A half's mask with all its 48 quarters. */
export const FULL_HALF = 2 ** HALF_QUARTERS - 1;

/** A bucket value as SQL: a number, or a month ('2026-11') built above from digits. */
const literal = (value: number | string): string => (typeof value === 'number' ? String(value) : `'${value}'`);

/**
 * The segments as a derived table `s` (day, lo, hi, b0, b1...): a VALUES list on SQLite (whose UNION ALL stops at 500
 * terms) and PostgreSQL, a UNION ALL on MariaDB / MySQL (whose VALUES lists differ between the two).
 */
export const segmentsSql = (dialect: string, segments: Segment[], q: (identifier: string) => string): string => {
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
