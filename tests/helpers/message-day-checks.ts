// Checks of the message-day rollup (server/src/db/message-days.ts) against the events, for the property test of the
// rollups (tests/integration/event-counts.test.ts): the rows themselves, recomputed here from the events with BigInt
// masks, their sums in the day-count and hour-count rollups, and reports over periods read from them (reporting/report-message-days.ts)
// against the same reports read from the events (an event-type filter naming every type sends a report to the events,
// with the same meaning).
import type { Core } from '@strapi/strapi';
import { TRACKING_EVENT_TYPES } from '../../shared/constants';
import type { IndicatorsInclude } from '../../shared/contracts/monitoring';
import { createMessageDayStore } from '../../server/src/db/message-days';
import { DAY_COUNTS, HOUR_COUNTS } from '../../server/src/db/day-counts';
import { knexOf, tableOf } from '../../server/src/db/tables';
import type { Rollup } from '../../server/src/db/rollup-rows';
import { reportQuerySchema } from '../../server/src/validation/reports';
import { EVENT_COUNTS, UNIQUE_EVENT_COUNTS } from '../../server/src/reporting/report-metrics';

export interface CheckedEvent {
  deliveryLogId: number | null;
  type: string;
  at: Date;
  isBot: boolean;
  isMachineOpen: boolean;
}

const QUARTER_MS = 15 * 60 * 1000;
const DAY_MS = 86_400_000;
const TYPES = ['open', 'click', 'unsubscribe', 'mirror'];

/** Each message's rows as `log|day|type|mode` -> the day's 96-bit mask, from the events. */
const expectedMasks = (events: CheckedEvent[]): Map<string, bigint> => {
  const masks = new Map<string, bigint>();
  for (const event of events) {
    if (event.deliveryLogId === null || !TYPES.includes(event.type)) continue;
    const day = Math.floor(event.at.getTime() / DAY_MS);
    const quarter = Math.floor((event.at.getTime() - day * DAY_MS) / QUARTER_MS);
    for (let mode = 0; mode < 4; mode += 1) {
      if (event.isBot && mode < 2) continue;
      if (event.isMachineOpen && mode % 2 === 0) continue;
      const key = `${event.deliveryLogId}|${day}|${event.type}|${mode}`;
      masks.set(key, (masks.get(key) ?? 0n) | (1n << BigInt(quarter)));
    }
  }
  return masks;
};

/** The stored rows of a delivery in the same shape. */
const storedMasks = async (strapi: Core.Strapi, deliveryId: number): Promise<Map<string, bigint>> => {
  const masks = new Map<string, bigint>();
  for (const row of await createMessageDayStore(strapi).rowsOf(deliveryId)) {
    TYPES.forEach((type, typeIndex) => {
      for (let mode = 0; mode < 4; mode += 1) {
        const low = BigInt(row.masks[(typeIndex * 4 + mode) * 2]);
        const high = BigInt(row.masks[(typeIndex * 4 + mode) * 2 + 1]);
        const mask = low | (high << 48n);
        if (mask !== 0n) masks.set(`${row.deliveryLogId}|${row.day}|${type}|${mode}`, mask);
      }
    });
  }
  return masks;
};

const sortedEntries = (masks: Map<string, bigint>) =>
  [...masks].map(([key, mask]) => `${key}:${mask.toString(16)}`).sort();

/**
 * Each message's latest days as `log|day|latest` -> the row's `latest` bits, from the masks: bit 4 * type + mode for
 * the last day with an event of that type counted in that mode, 4 * 4 + mode for the last day with any of them.
 */
const latestOf = (masks: Map<string, bigint>): Map<string, bigint> => {
  const lastDay = new Map<string, number>();
  for (const key of masks.keys()) {
    const [log, day, type, mode] = key.split('|');
    for (const group of [TYPES.indexOf(type), TYPES.length]) {
      const at = `${log}|${group * 4 + Number(mode)}`;
      lastDay.set(at, Math.max(Number(day), lastDay.get(at) ?? Number(day)));
    }
  }
  const latest = new Map<string, bigint>();
  for (const [at, day] of lastDay) {
    const [log, bit] = at.split('|');
    const key = `${log}|${day}|latest`;
    latest.set(key, (latest.get(key) ?? 0n) | (1n << BigInt(bit)));
  }
  return latest;
};

/** The stored rows' `latest` bits in the same shape. */
const storedLatest = async (strapi: Core.Strapi, deliveryId: number): Promise<Map<string, bigint>> => {
  const latest = new Map<string, bigint>();
  for (const row of await createMessageDayStore(strapi).rowsOf(deliveryId)) {
    if (row.latest !== 0) latest.set(`${row.deliveryLogId}|${row.day}|latest`, BigInt(row.latest));
  }
  return latest;
};

/**
 * A delivery's day counts as `day|mode|type|latest` -> n, from the masks and latest bits: per day and mode, the
 * messages with each type (and with any), and those whose latest day of it this is.
 */
const dayCountsOf = (masks: Map<string, bigint>, latest: Map<string, bigint>): Map<string, number> => {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const anyOf = new Set<string>();
  for (const key of masks.keys()) {
    const [log, day, type, mode] = key.split('|');
    add(`${day}|${mode}|${type}|0`);
    anyOf.add(`${log}|${day}|${mode}`);
  }
  for (const key of anyOf) add(`${key.split('|')[1]}|${key.split('|')[2]}|any|0`);
  for (const [key, bits] of latest) {
    const day = key.split('|')[1];
    for (let bit = 0; bit < 20; bit += 1) {
      if ((bits & (1n << BigInt(bit))) === 0n) continue;
      add(`${day}|${bit % 4}|${[...TYPES, 'any'][Math.floor(bit / 4)]}|1`);
    }
  }
  return counts;
};

/**
 * A delivery's hour counts as `hour|mode|type` -> n, from the masks: per UTC hour (since 1970-01-01) and mode, the
 * messages with a quarter of it of each type (and of any).
 */
const hourCountsOf = (masks: Map<string, bigint>): Map<string, number> => {
  const counts = new Map<string, number>();
  const anyOf = new Map<string, bigint>();
  const addHours = (day: number, mode: string, type: string, mask: bigint) => {
    for (let hour = 0; hour < 24; hour += 1) {
      if (((mask >> BigInt(hour * 4)) & 15n) === 0n) continue;
      const key = `${day * 24 + hour}|${mode}|${type}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  };
  for (const [key, mask] of masks) {
    const [log, day, type, mode] = key.split('|');
    addHours(Number(day), mode, type, mask);
    anyOf.set(`${log}|${day}|${mode}`, (anyOf.get(`${log}|${day}|${mode}`) ?? 0n) | mask);
  }
  for (const [key, mask] of anyOf) addHours(Number(key.split('|')[1]), key.split('|')[2], 'any', mask);
  return counts;
};

/** A rollup's stored rows of a delivery as `<key without the delivery>` -> n (rows summing to 0 left out). */
const storedCounts = async (strapi: Core.Strapi, rollup: Rollup, deliveryId: number): Promise<Map<string, number>> => {
  const { table, column } = tableOf(strapi, rollup.uid);
  const rows: Record<string, unknown>[] = await knexOf(strapi)(table)
    .where(column('deliveryId'), deliveryId)
    .whereNot(column('n'), 0);
  const key = rollup.key.filter((attribute) => attribute !== 'deliveryId').map(column);
  return new Map(rows.map((row) => [key.map((name) => row[name]).join('|'), Number(row[column('n')])]));
};

/** The rows of one delivery, and their day and hour counts, equal those its events give. */
export const checkMessageDayRows = async (
  strapi: Core.Strapi,
  deliveryId: number,
  events: CheckedEvent[],
  context: string,
): Promise<void> => {
  const expected = expectedMasks(events);
  const latest = latestOf(expected);
  const counted = (counts: Map<string, number>) => [...counts].map(([key, n]) => `${key}:${n}`).sort();
  expect({
    context,
    rows: sortedEntries(await storedMasks(strapi, deliveryId)),
    latest: sortedEntries(await storedLatest(strapi, deliveryId)),
    dayCounts: counted(await storedCounts(strapi, DAY_COUNTS, deliveryId)),
    hourCounts: counted(await storedCounts(strapi, HOUR_COUNTS, deliveryId)),
  }).toEqual({
    context,
    rows: sortedEntries(expected),
    latest: sortedEntries(latest),
    dayCounts: counted(dayCountsOf(expected, latest)),
    hourCounts: counted(hourCountsOf(expected)),
  });
};

// Every event metric of a report (unique pixel opens are a count behind total opens, not a metric).
const EVENT_METRICS = EVENT_COUNTS.filter((name) => name !== 'uniquePixelOpens');
const UNIQUE_METRICS = UNIQUE_EVENT_COUNTS.filter((name) => name !== 'uniquePixelOpens');
const TIME_ZONES = ['UTC', 'Europe/Paris', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe'];

/**
 * Reports over a period on the quarter-hour grid, by time buckets, delivery, list and domain, read from the rollups and
 * from the events: the same rows and totals.
 */
export const checkPeriodReports = async (
  strapi: Core.Strapi,
  options: {
    deliveries: string[];
    domain: string;
    include: IndicatorsInclude;
    random: () => number;
    context: string;
  },
): Promise<void> => {
  const { random, include, context } = options;
  const reports = strapi.plugin('campaigns').service('reports') as any;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const now = Math.floor(Date.now() / QUARTER_MS) * QUARTER_MS;
  const from = new Date(now - Math.floor(random() * 45 * 96) * QUARTER_MS);
  const to = new Date(Math.min(now + QUARTER_MS, from.getTime() + (1 + Math.floor(random() * 30 * 96)) * QUARTER_MS));
  const randomPeriod =
    random() < 0.3 ? { lastDays: 1 + Math.floor(random() * 40) } : { from: from.toISOString(), to: to.toISOString() };
  // A period up to now: every event before its end, so totals read the latest days (reporting/report-message-days.ts).
  const lastDays = { lastDays: 1 + Math.floor(random() * 40) };
  const shapes: Array<{
    dimensions: string[];
    metrics: readonly string[];
    filters?: Record<string, unknown>;
    timeZone?: string;
    period?: typeof lastDays;
  }> = [
    { dimensions: [], metrics: EVENT_METRICS },
    // Days in UTC and totals up to now: the whole days' sums from the day counts.
    { dimensions: ['day', 'delivery'], metrics: EVENT_METRICS, timeZone: 'UTC' },
    { dimensions: ['delivery'], metrics: EVENT_METRICS, timeZone: 'UTC', period: lastDays },
    { dimensions: [], metrics: UNIQUE_METRICS, timeZone: 'UTC', period: lastDays },
    { dimensions: ['day'], metrics: EVENT_METRICS },
    { dimensions: ['hour', 'delivery'], metrics: EVENT_METRICS },
    // Hours in a zone whose offset is whole hours: the whole hours' sums from the hour counts.
    { dimensions: ['hour'], metrics: EVENT_METRICS, timeZone: pick(['UTC', 'Europe/Paris']), period: lastDays },
    { dimensions: ['hour', 'delivery'], metrics: UNIQUE_METRICS, timeZone: pick(['UTC', 'Europe/Paris']) },
    { dimensions: [pick(['week', 'month', 'hourOfDay', 'dayOfWeek'])], metrics: EVENT_METRICS },
    { dimensions: ['domain', 'day'], metrics: UNIQUE_METRICS },
    { dimensions: ['list'], metrics: UNIQUE_METRICS, filters: { domains: [options.domain] } },
  ];
  for (const { timeZone = pick(TIME_ZONES), period = randomPeriod, ...shape } of shapes) {
    const ask = async (eventTypes?: readonly string[]) => {
      const { data } = await reports.query(
        reportQuerySchema.parse({
          ...shape,
          filters: { deliveries: options.deliveries, ...shape.filters, ...(eventTypes ? { eventTypes } : {}) },
          period,
          timeZone,
          include,
          limit: 1000,
        }),
      );
      return {
        rows: [...data.rows].sort((a: any, b: any) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
        totals: data.totals,
      };
    };
    expect({ context, shape, period, timeZone, include, ...(await ask()) }).toEqual({
      context,
      shape,
      period,
      timeZone,
      include,
      ...(await ask(TRACKING_EVENT_TYPES)),
    });
  }
};
