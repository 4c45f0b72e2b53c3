// The message-day rows' masks (db/message-days.ts stores them): the quarter hours of one UTC day in which a message
// has a counted event of each type, in each include mode, as bit masks, and the pure computations over them: a
// message's rows from its events, new rows ORed into stored ones, and which row is a message's latest day.
import { QUARTER_MS } from './event-counts';
import { countedIn, type MessageEvent } from './message-keys';
import { storedTime } from '../reporting/timeline';

export const DAY_QUARTERS = 96;
/** Quarters per mask column: 2^48 is well inside a JavaScript number's exact integers and a signed 64-bit column. */
export const HALF_QUARTERS = 48;
export const MASK_TYPES = ['open', 'click', 'unsubscribe', 'mirror'] as const;
export type MaskType = (typeof MASK_TYPES)[number];

/** The attribute of a type's mask in an include mode, for the day's first (half 0) or last 48 quarters. */
export const maskAttribute = (type: MaskType, mode: number, half: number): string =>
  `${type}${mode}${half === 0 ? 'a' : 'b'}`;

/** Every mask attribute, in the order a row's `masks` lists them: type, then mode, then half. */
export const MASK_ATTRIBUTES: readonly string[] = MASK_TYPES.flatMap((type) =>
  [0, 1, 2, 3].flatMap((mode) => [0, 1].map((half) => maskAttribute(type, mode, half))),
);

export const maskIndex = (typeIndex: number, mode: number, half: number) => (typeIndex * 4 + mode) * 2 + half;

/** The bit of `latest` for a type (null: any type) in an include mode. */
export const latestBit = (type: MaskType | null, mode: number): number =>
  2 ** ((type === null ? MASK_TYPES.length : MASK_TYPES.indexOf(type)) * 4 + mode);

/** One row: a message's counted quarters of one UTC day (days since 1970-01-01). */
export interface MessageDay {
  deliveryId: number;
  deliveryLogId: number;
  day: number;
  masks: number[];
  /** The latestBit()s of the types and modes whose last counted event of the message falls on this day. */
  latest: number;
}

/** `mask` with bit `q` set, in arithmetic: JavaScript's bitwise operators stop at 32 bits. */
export const withBit = (mask: number, q: number): number => {
  const bit = 2 ** q;
  return Math.floor(mask / bit) % 2 === 1 ? mask : mask + bit;
};

const SPLIT = 2 ** 24;
/** Whether `mask` has every bit of `bits`, a half of 24 bits at a time (within the bitwise operators' 32). */
export const holds = (mask: number, bits: number): boolean =>
  ((bits % SPLIT) & ~(mask % SPLIT)) === 0 && (Math.floor(bits / SPLIT) & ~Math.floor(mask / SPLIT)) === 0;
/** Two masks' bits together, 24 bits at a time. */
const orMasks = (a: number, b: number): number =>
  ((a % SPLIT) | (b % SPLIT)) + ((Math.floor(a / SPLIT) | Math.floor(b / SPLIT)) >>> 0) * SPLIT;

/** One message's rows, all its days, with `latest` set from their masks. */
export const withLatest = (rows: MessageDay[]): MessageDay[] => {
  const latestDay = new Map<number, number>();
  const note = (bit: number, day: number) => latestDay.set(bit, Math.max(day, latestDay.get(bit) ?? day));
  for (const row of rows) {
    MASK_TYPES.forEach((type, typeIndex) => {
      for (let mode = 0; mode < 4; mode += 1) {
        if (row.masks[maskIndex(typeIndex, mode, 0)] === 0 && row.masks[maskIndex(typeIndex, mode, 1)] === 0) continue;
        note(latestBit(type, mode), row.day);
        note(latestBit(null, mode), row.day);
      }
    });
  }
  return rows.map((row) => {
    let latest = 0;
    for (const [bit, day] of latestDay) if (day === row.day) latest += bit;
    return { ...row, latest };
  });
};

/**
 * What a message's stored rows become with `added` (rows of new events only) ORed in: the rows to write, new or
 * changed (bits, or `latest`); none when the stored rows already hold every added bit.
 */
export const mergedDays = (stored: MessageDay[], added: MessageDay[]): MessageDay[] => {
  const byDay = new Map(stored.map((row) => [row.day, row]));
  let grew = false;
  for (const row of added) {
    const before = byDay.get(row.day);
    const masks = before ? before.masks.map((mask, index) => orMasks(mask, row.masks[index])) : row.masks;
    if (before && masks.every((mask, index) => mask === before.masks[index])) continue;
    byDay.set(row.day, { ...(before ?? row), masks });
    grew = true;
  }
  if (!grew) return [];
  const was = new Map(stored.map((row) => [row.day, row]));
  return withLatest([...byDay.values()]).filter((row) => {
    const before = was.get(row.day);
    return !before || before.latest !== row.latest || row.masks.some((mask, index) => mask !== before.masks[index]);
  });
};

/** A message's rows from its events (all of them, or only new ones to OR into the stored rows), by day. */
export const messageDaysOf = (deliveryId: number, deliveryLogId: number, events: MessageEvent[]): MessageDay[] => {
  const byDay = new Map<number, number[]>();
  for (const event of events) {
    const typeIndex = MASK_TYPES.indexOf(event.type as MaskType);
    const at = storedTime(event.at);
    if (typeIndex < 0 || !at) continue;
    const quarter = Math.floor(at.getTime() / QUARTER_MS);
    const day = Math.floor(quarter / DAY_QUARTERS);
    const ofDay = quarter - day * DAY_QUARTERS;
    const half = ofDay < HALF_QUARTERS ? 0 : 1;
    let masks = byDay.get(day);
    if (!masks) byDay.set(day, (masks = new Array<number>(MASK_ATTRIBUTES.length).fill(0)));
    for (let mode = 0; mode < 4; mode += 1) {
      if (!countedIn(event, mode)) continue;
      const index = maskIndex(typeIndex, mode, half);
      masks[index] = withBit(masks[index], ofDay - half * HALF_QUARTERS);
    }
  }
  return withLatest(
    [...byDay]
      .filter(([, masks]) => masks.some((mask) => mask !== 0))
      .sort(([a], [b]) => a - b)
      .map(([day, masks]) => ({ deliveryId, deliveryLogId, day, masks, latest: 0 })),
  );
};
