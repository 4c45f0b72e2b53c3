// Time buckets of the opens / clicks chart: the database groups events by the start of their hour or day (in the
// server's time zone, the one Strapi's datetimes are written in), this fills the empty buckets in between.
import type { DbClient } from '../db/tables';

export type TimelineBucket = 'hour' | 'day';

export interface TimelinePoint {
  /** Start of the bucket. */
  at: Date;
  opens: number;
  clicks: number;
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;

/** The SQL that gives an event's bucket start from its `at` column (quoted), on each database. */
export const timelineBucketSql = (client: DbClient, bucket: TimelineBucket, at: string) => {
  switch (client) {
    case 'postgres':
      // Naive timestamps hold the server's local time; date_trunc keeps them naive and pg parses them as local.
      return `date_trunc('${bucket}', ${at})`;
    case 'mysql':
      return `DATE_FORMAT(${at}, '${bucket === 'hour' ? '%Y-%m-%d %H:00:00' : '%Y-%m-%d 00:00:00'}')`;
    default:
      // SQLite holds epoch milliseconds (knex writes Dates so): quarter hours by integer division, cheap per row
      // (strftime is not), re-bucketed into local hours or days by fillTimeline (every time zone offset is a
      // multiple of 15 minutes). Text, if any row holds some, is read as ISO 8601.
      return (
        `CASE WHEN typeof(${at}) IN ('integer', 'real') THEN (CAST(${at} AS INTEGER) / ${QUARTER_HOUR_MS}) * ${QUARTER_HOUR_MS} ` +
        `ELSE strftime('%Y-%m-%d %H:%M:00', ${at}, 'localtime') END`
      );
  }
};

/** Most buckets one answer holds: 93 days of hours, 30 years of days. */
export const MAX_BUCKETS = 93 * 24;

const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2})(?::(\d{2})(?::(\d{2}))?)?)?$/;

/**
 * A bucket start as the database returns it: a Date (PostgreSQL parses naive timestamps as local time), or text
 * "yyyy-mm-dd hh:mm:ss" of local time (MariaDB's DATE_FORMAT, SQLite's strftime), read as local time.
 */
export const parseBucketStart = (value: unknown): Date | null => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'string') return null;
  const m = LOCAL_DATETIME.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
};

/** The start of the bucket that holds `date`, in local time. */
export const bucketStart = (date: Date, bucket: TimelineBucket): Date => {
  const start = new Date(date.getTime());
  start.setMinutes(0, 0, 0);
  if (bucket === 'day') start.setHours(0);
  return start;
};

/** The next bucket start: calendar arithmetic, so days stay days across daylight saving changes. */
export const nextBucket = (start: Date, bucket: TimelineBucket): Date => {
  const next = new Date(start.getTime());
  if (bucket === 'hour') next.setTime(next.getTime() + 3_600_000);
  else next.setDate(next.getDate() + 1);
  return next;
};

/**
 * Every bucket from the first to the last (or from..to when given), with zeros where nothing happened, so a chart
 * shows quiet hours as quiet. Points that share a bucket are added up. Throws a RangeError beyond MAX_BUCKETS.
 */
export const fillTimeline = (
  points: TimelinePoint[],
  bucket: TimelineBucket,
  range: { from?: Date; to?: Date } = {},
): TimelinePoint[] => {
  const byStart = new Map<number, TimelinePoint>();
  for (const point of points) {
    const start = bucketStart(point.at, bucket);
    const current = byStart.get(start.getTime()) ?? { at: start, opens: 0, clicks: 0 };
    current.opens += point.opens;
    current.clicks += point.clicks;
    byStart.set(start.getTime(), current);
  }
  const starts = [...byStart.keys()].sort((a, b) => a - b);
  const first = range.from ? bucketStart(range.from, bucket) : starts.length ? new Date(starts[0]) : null;
  const last = range.to ? bucketStart(range.to, bucket) : starts.length ? new Date(starts[starts.length - 1]) : null;
  if (!first || !last || first > last) return [];

  const out: TimelinePoint[] = [];
  for (let at = first; at <= last; at = nextBucket(at, bucket)) {
    if (out.length >= MAX_BUCKETS) {
      throw new RangeError(
        `the period holds more than ${MAX_BUCKETS} ${bucket} buckets: narrow it with from / to, or use bucket=day`,
      );
    }
    out.push(byStart.get(at.getTime()) ?? { at, opens: 0, clicks: 0 });
  }
  return out;
};

/** A datetime as the drivers return it: a Date (PostgreSQL, MariaDB) or epoch milliseconds (SQLite, as knex writes). */
export const storedTime = (value: unknown): Date | null => {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) return new Date(Number(value));
  if (typeof value !== 'string') return null;
  // Text: "yyyy-mm-dd hh:mm:ss" of local time, or ISO 8601 with its offset.
  return parseBucketStart(value) ?? (Number.isNaN(Date.parse(value)) ? null : new Date(value));
};
