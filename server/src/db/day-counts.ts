// The day-count and hour-count rollups (content types day-count and hour-count): sums of the message-day rows
// (db/message-days.ts), moved with every write of those rows in the same transaction, so that a report by UTC day or
// hour, or of totals over a period, reads the sums of the days and hours it covers whole instead of their rows
// (reporting/report-message-days.ts).
import { UID } from '../../../shared/constants';
import type { Rollup, RollupCount } from './rollup-rows';
import { HALF_QUARTERS, latestBit, MASK_TYPES, maskIndex, type MessageDay } from './message-day-masks';

/**
 * The day-count rollup: per delivery, day, include mode and type (ANY_TYPE: any of them), the message-day rows with a
 * counted event of it (latest 0), and those of them that are their message's latest day of it (latest 1).
 */
export const DAY_COUNTS: Rollup = { uid: UID.dayCount, key: ['deliveryId', 'day', 'mode', 'type', 'latest'] };
/**
 * The hour-count rollup: per delivery, UTC hour (hours since 1970-01-01), include mode and type, the message-day rows
 * with a counted event of it in that hour; a row is one message's day, so this is the hour's unique count.
 */
export const HOUR_COUNTS: Rollup = { uid: UID.hourCount, key: ['deliveryId', 'hour', 'mode', 'type'] };
export const ANY_TYPE = 'any';

/** Day- and hour-count changes by key, summed over the rows a transaction writes and applied once, in key order. */
export interface DayCountDeltas {
  days: Map<string, RollupCount>;
  hours: Map<string, RollupCount>;
  /** The rollups counted: both, but for a fill of only one of them (db/message-day-fill.ts, fillDayCounts). */
  counting: { days: boolean; hours: boolean };
}
export const newDayCountDeltas = (counting = { days: true, hours: true }): DayCountDeltas => ({
  days: new Map(),
  hours: new Map(),
  counting,
});

/** Adds `sign` to the count of `id` (its key's values joined), made by `key()` the first time. */
const bump = (counts: Map<string, RollupCount>, id: string, key: () => RollupCount, sign: number) => {
  const found = counts.get(id);
  if (found) found.n = Number(found.n) + sign;
  else counts.set(id, { ...key(), n: sign });
};

/** The day's hours (bit h for hour h) in which a pair of masks has a quarter: each hour is four bits of a mask. */
const hoursOf = (a: number, b: number): number => {
  let hours = 0;
  for (const [mask, first] of [
    [a, 0],
    [b, HALF_QUARTERS / 4],
  ]) {
    for (let rest = mask, hour = first; rest > 0; rest = Math.floor(rest / 16), hour += 1)
      if (rest % 16 !== 0) hours |= 1 << hour;
  }
  return hours;
};

const countRow = (deltas: DayCountDeltas, row: MessageDay, sign: number) => {
  const { deliveryId, day } = row;
  const { days, hours: byHour } = deltas.counting;
  const add = (mode: number, type: string, latest: number) =>
    days &&
    bump(
      deltas.days,
      `${deliveryId}|${day}|${mode}|${type}|${latest}`,
      () => ({ deliveryId, day, mode, type, latest }),
      sign,
    );
  const addHours = (mode: number, type: string, hours: number) => {
    for (let bits = hours, hour = day * 24; bits !== 0; bits >>>= 1, hour += 1)
      if ((bits & 1) !== 0)
        bump(deltas.hours, `${deliveryId}|${hour}|${mode}|${type}`, () => ({ deliveryId, hour, mode, type }), sign);
  };
  for (let mode = 0; mode < 4; mode += 1) {
    let anyHours = 0;
    let seen = false;
    MASK_TYPES.forEach((type, typeIndex) => {
      const [a, b] = [row.masks[maskIndex(typeIndex, mode, 0)], row.masks[maskIndex(typeIndex, mode, 1)]];
      if (a === 0 && b === 0) return;
      seen = true;
      add(mode, type, 0);
      if ((row.latest & latestBit(type, mode)) !== 0) add(mode, type, 1);
      const hours = byHour ? hoursOf(a, b) : 0;
      addHours(mode, type, hours);
      anyHours |= hours;
    });
    if (!seen) continue;
    add(mode, ANY_TYPE, 0);
    if ((row.latest & latestBit(null, mode)) !== 0) add(mode, ANY_TYPE, 1);
    addHours(mode, ANY_TYPE, anyHours);
  }
};

/** Moves the day and hour counts from rows as they were (`before`, of the same messages and days or none) to `after`. */
export const moveDayCounts = (deltas: DayCountDeltas, before: MessageDay[], after: MessageDay[]): void => {
  for (const row of before) countRow(deltas, row, -1);
  for (const row of after) countRow(deltas, row, 1);
};
