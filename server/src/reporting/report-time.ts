// Report time buckets in any IANA time zone, computed the same way on SQLite, PostgreSQL and MariaDB.
//
// The database turns a stored timestamp into whole seconds ("stored seconds": epoch seconds on SQLite; on PostgreSQL
// and MariaDB the naive wall-clock time of the Strapi process's zone, read as if it were UTC). The wall-clock time in
// the report's zone is then `stored + delta`, where delta is constant between two time zone transitions: this file
// finds those transitions with Intl and hands the query a short CASE over them, so buckets (hour, day, week, hour of
// day, day of week, month) are plain integer arithmetic in SQL and unique counts stay exact per bucket.

export const TIME_DIMENSIONS = ['hour', 'day', 'week', 'month', 'hourOfDay', 'dayOfWeek'] as const;
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];

const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

/** True for a time zone this runtime knows ("Europe/Paris", "UTC"). */
export const isTimeZone = (timeZone: string): boolean => {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
};

/** The zone's offset from UTC at an instant, in milliseconds (Europe/Paris in summer: 7,200,000). */
export const zoneOffsetMs = (timeZone: string, atMs: number): number => {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(atMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  // Whole seconds: the instant's milliseconds are not in the formatted parts.
  return wall - (atMs - (((atMs % 1000) + 1000) % 1000));
};

/** Instants in [fromMs, toMs) where the zone's offset changes, each with the offset that starts there. */
export const zoneTransitions = (
  timeZone: string,
  fromMs: number,
  toMs: number,
): Array<{ atMs: number; offsetMs: number }> => {
  const out: Array<{ atMs: number; offsetMs: number }> = [];
  // Transitions are months apart in every zone in use: a weekly probe finds each one, a binary search pins it to the
  // minute (offsets change on minute boundaries).
  const first = Math.floor(fromMs / MINUTE_MS) * MINUTE_MS;
  const last = Math.ceil(toMs / MINUTE_MS) * MINUTE_MS;
  let previous = zoneOffsetMs(timeZone, first);
  for (let start = first; start < last; start += WEEK_MS) {
    const end = Math.min(start + WEEK_MS, last);
    const offset = zoneOffsetMs(timeZone, end);
    if (offset === previous) continue;
    let low = start;
    let high = end;
    while (high - low > MINUTE_MS) {
      const middle = low + Math.max(MINUTE_MS, Math.floor((high - low) / 2 / MINUTE_MS) * MINUTE_MS);
      if (zoneOffsetMs(timeZone, middle) === previous) low = middle;
      else high = middle;
    }
    out.push({ atMs: high, offsetMs: offset });
    previous = offset;
  }
  return out;
};

/**
 * Pieces of `stored seconds` over which `wall = stored + deltaSeconds` holds. `storageZone` is the zone whose naive
 * wall-clock the database stores (UTC for SQLite's epoch milliseconds). The first piece has no lower bound; each
 * next one starts at `fromStored`. In a repeated hour of the storage zone (clocks going back) naive timestamps are
 * ambiguous: they take the later offset.
 */
export const wallClockPieces = (
  timeZone: string,
  storageZone: string,
  fromMs: number,
  toMs: number,
): Array<{ fromStored: number | null; deltaSeconds: number }> => {
  if (timeZone === storageZone) return [{ fromStored: null, deltaSeconds: 0 }];
  const instants = [
    ...zoneTransitions(timeZone, fromMs, toMs).map((t) => t.atMs),
    ...(storageZone === 'UTC' ? [] : zoneTransitions(storageZone, fromMs, toMs).map((t) => t.atMs)),
  ].sort((a, b) => a - b);
  const deltaAt = (atMs: number) => Math.round((zoneOffsetMs(timeZone, atMs) - zoneOffsetMs(storageZone, atMs)) / 1000);
  const pieces: Array<{ fromStored: number | null; deltaSeconds: number }> = [
    { fromStored: null, deltaSeconds: deltaAt(fromMs) },
  ];
  for (const atMs of instants) {
    const deltaSeconds = deltaAt(atMs);
    if (deltaSeconds === pieces[pieces.length - 1].deltaSeconds) continue;
    pieces.push({ fromStored: Math.floor((atMs + zoneOffsetMs(storageZone, atMs)) / 1000), deltaSeconds });
  }
  return pieces;
};

/** The SQL expression of wall-clock seconds from stored seconds: numbers only, from wallClockPieces. */
export const wallClockSql = (
  storedSeconds: string,
  pieces: Array<{ fromStored: number | null; deltaSeconds: number }>,
): string => {
  if (pieces.length === 1)
    return pieces[0].deltaSeconds === 0 ? storedSeconds : `(${storedSeconds} + ${pieces[0].deltaSeconds})`;
  // Latest piece first: most events are recent, so most rows stop at the first test.
  const arms = pieces
    .slice(1)
    .reverse()
    .map((piece) => `WHEN ${storedSeconds} >= ${piece.fromStored} THEN ${piece.deltaSeconds}`);
  return `(${storedSeconds} + CASE ${arms.join(' ')} ELSE ${pieces[0].deltaSeconds} END)`;
};

export type SqlDialect = 'sqlite' | 'postgres' | 'mysql';

/** Whole stored seconds of a timestamp column (see the top of this file); `column` is a quoted identifier. */
export const storedSecondsSql = (column: string, dialect: SqlDialect): string => {
  switch (dialect) {
    case 'postgres':
      return `CAST(FLOOR(EXTRACT(EPOCH FROM ${column})) AS BIGINT)`;
    case 'mysql':
      return `TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', ${column})`;
    default:
      // knex writes Dates as epoch milliseconds; text, if a row holds some, is read as ISO 8601.
      return `(CASE WHEN typeof(${column}) IN ('integer', 'real') THEN CAST(${column} AS INTEGER) / 1000 ELSE CAST(strftime('%s', ${column}) AS INTEGER) END)`;
  }
};

/** The SQL of a time bucket from wall-clock seconds; its value is what timeBucket reads. */
export const timeBucketSql = (dimension: TimeDimension, wall: string, dialect: SqlDialect): string => {
  const div = (x: string, n: number) => (dialect === 'mysql' ? `((${x}) DIV ${n})` : `((${x}) / ${n})`);
  const days = div(wall, 86_400);
  switch (dimension) {
    case 'hour':
      return div(wall, 3600);
    case 'day':
      return days;
    case 'week':
      // 1970-01-01 was a Thursday: shifting by 3 days makes weeks start on Mondays.
      return div(`${days} + 3`, 7);
    case 'hourOfDay':
      return `(${div(wall, 3600)} % 24)`;
    case 'dayOfWeek':
      return `((${days} + 3) % 7)`;
    case 'month':
      if (dialect === 'postgres') return `to_char(to_timestamp(${wall}) AT TIME ZONE 'UTC', 'YYYY-MM')`;
      if (dialect === 'mysql') return `DATE_FORMAT(DATE_ADD('1970-01-01', INTERVAL ${wall} SECOND), '%Y-%m')`;
      return `strftime('%Y-%m', ${wall}, 'unixepoch')`;
  }
};

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isoDay = (dayIndex: number) => new Date(dayIndex * DAY_MS).toISOString().slice(0, 10);
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * Key and label of a time bucket from the number the SQL bucket expression gave: hour and day indexes since the
 * epoch (wall clock), a Monday-based week index, 'YYYY-MM' for months, 0-23 for hour of day, 0 (Monday) to 6 for
 * day of week. Keys sort in time order as strings.
 */
export const timeBucket = (dimension: TimeDimension, raw: unknown): { key: string; label: string } => {
  if (dimension === 'month') {
    const key = String(raw);
    return { key, label: key };
  }
  const n = Number(raw);
  switch (dimension) {
    case 'hour': {
      const day = isoDay(Math.floor(n / 24));
      const hour = pad(((n % 24) + 24) % 24);
      return { key: `${day}T${hour}:00`, label: `${day} ${hour}:00` };
    }
    case 'day': {
      const day = isoDay(n);
      return { key: day, label: day };
    }
    case 'week': {
      const monday = isoDay(n * 7 - 3);
      return { key: monday, label: `Week of ${monday}` };
    }
    case 'hourOfDay':
      return { key: pad(n), label: `${pad(n)}:00` };
    case 'dayOfWeek':
      return { key: String(n + 1), label: WEEKDAYS[n] ?? String(n) };
  }
};
