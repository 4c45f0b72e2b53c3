// What each report dimension and metric is made of: which table answers it (delivery logs, tracking events or
// both), the counts a metric needs, and the metrics of a row computed from summed counts by reporting/indicator-formulas.ts.
//
// Delivery-log metrics (targeted, processed, delivered, bounces...) are counted on delivery logs; event metrics
// (opens, clicks, unique opens...) on tracking events. Rates that divide an event count by a log count (open rate,
// click-through rate, unsubscription rate) need both. Dimensions that only events have (link, event type, device,
// OS, client) cannot split a log count, and the failure reason is only on logs: asking for such a pair is a 400
// that says so, rather than a column of nulls that looks like zero.
import type { ReportDimension, ReportMetric } from '../../../shared/contracts/reports';
import { computeIndicators, emptyIndicatorCounts, type IndicatorCounts } from './indicator-formulas';
import { TIME_DIMENSIONS } from './report-time';
import { toCount } from '../db/tables';

export type Source = 'logs' | 'events';

export const EVENT_ONLY_DIMENSIONS: readonly ReportDimension[] = [
  'link',
  'entry',
  'eventType',
  'device',
  'os',
  'client',
];
export const LOG_ONLY_DIMENSIONS: readonly ReportDimension[] = ['failureReason'];

export const isTimeDimension = (dimension: ReportDimension): dimension is (typeof TIME_DIMENSIONS)[number] =>
  (TIME_DIMENSIONS as readonly string[]).includes(dimension);

/** Event counts a report can ask the tracking log for (totals are events, unique counts are messages). */
export const EVENT_COUNTS = [
  'opens',
  'clicks',
  'unsubscriptions',
  'mirrorViews',
  'uniqueOpens',
  'uniqueClicks',
  'uniqueUnsubscriptions',
  'uniqueMirrorViews',
  'uniquePixelOpens',
] as const;
export type EventCount = (typeof EVENT_COUNTS)[number];
export const UNIQUE_EVENT_COUNTS: readonly EventCount[] = [
  'uniqueOpens',
  'uniqueClicks',
  'uniqueUnsubscriptions',
  'uniqueMirrorViews',
  'uniquePixelOpens',
];

/** Log counts, always read together (one pass over the same rows, grouped by status and failure type). */
export const LOG_COUNTS = [
  'targeted',
  'excluded',
  'pending',
  'sent',
  'failedHard',
  'failedSoft',
  'bounced',
  'bouncedHard',
  'bouncedSoft',
  'unknown',
] as const;
export type LogCount = (typeof LOG_COUNTS)[number];

export type RawCounts = Partial<Record<LogCount | EventCount, number>>;

/** One grouped row of a source: its dimension values (in the query's order) and counts. */
export type CountRow = { values: unknown[]; counts: RawCounts };

const LOG_METRICS: readonly ReportMetric[] = [
  'targeted',
  'excluded',
  'processed',
  'delivered',
  'failed',
  'bounces',
  'hardBounces',
  'softBounces',
  'deliveredRate',
  'bounceRate',
  'hardBounceRate',
  'softBounceRate',
];

/** The event counts a metric is computed from (none for pure log metrics). */
const EVENT_NEEDS: Partial<Record<ReportMetric, EventCount[]>> = {
  // Total opens add an implied open per message with a reaction but no pixel load (indicator-formulas.ts, totalOpens).
  opens: ['opens', 'uniqueOpens', 'uniquePixelOpens'],
  clicks: ['clicks'],
  unsubscriptions: ['unsubscriptions'],
  mirrorViews: ['mirrorViews'],
  uniqueOpens: ['uniqueOpens'],
  uniqueClicks: ['uniqueClicks'],
  uniqueUnsubscriptions: ['uniqueUnsubscriptions'],
  uniqueMirrorViews: ['uniqueMirrorViews'],
  openRate: ['uniqueOpens'],
  clickThroughRate: ['uniqueClicks'],
  reactivity: ['uniqueClicks', 'uniqueOpens'],
  unsubscriptionRate: ['uniqueUnsubscriptions'],
};

/** Metrics whose denominator (or value) is a log count. */
const NEEDS_LOGS = new Set<ReportMetric>([...LOG_METRICS, 'openRate', 'clickThroughRate', 'unsubscriptionRate']);

export const metricKind = (metric: ReportMetric): 'count' | 'rate' =>
  metric.endsWith('Rate') || metric === 'reactivity' ? 'rate' : 'count';

export interface ReportPlan {
  /** Log counts are read when true. */
  logs: boolean;
  /** Event counts to read (empty: no event query). */
  events: EventCount[];
}

/** The queries a set of metrics needs, or the reason the dimensions cannot answer them (a sentence for a 400). */
export const planReport = (
  dimensions: readonly ReportDimension[],
  metrics: readonly ReportMetric[],
): ReportPlan | { error: string } => {
  const logs = metrics.some((metric) => NEEDS_LOGS.has(metric));
  const events = [...new Set(metrics.flatMap((metric) => EVENT_NEEDS[metric] ?? []))];
  if (logs) {
    const eventOnly = dimensions.filter((d) => EVENT_ONLY_DIMENSIONS.includes(d));
    if (eventOnly.length) {
      const offending = metrics.filter((metric) => NEEDS_LOGS.has(metric));
      return {
        error:
          `metric(s) ${offending.join(', ')} count delivery logs, which have no ${eventOnly.join(', ')}: ` +
          `split them by ${['delivery', 'list', 'domain', 'failureReason', ...TIME_DIMENSIONS].join(', ')}, ` +
          `or use event metrics (${Object.keys(EVENT_NEEDS)
            .filter((m) => !NEEDS_LOGS.has(m as ReportMetric))
            .join(', ')})`,
      };
    }
  }
  if (events.length) {
    const logOnly = dimensions.filter((d) => LOG_ONLY_DIMENSIONS.includes(d));
    if (logOnly.length) {
      const offending = metrics.filter((metric) => EVENT_NEEDS[metric]);
      return {
        error: `metric(s) ${offending.join(', ')} count tracking events, which have no ${logOnly.join(', ')}: use delivery-log metrics (${LOG_METRICS.join(', ')})`,
      };
    }
  }
  return { logs, events };
};

/** Rows as a report's GROUP BY returns them (dimensions `d0`, `d1`..., aggregates `m0`, `m1`...) as count rows. */
export const countRowsOf = (
  raw: Record<string, unknown>[],
  dimensionCount: number,
  aggregates: Array<[string, string]>,
): CountRow[] =>
  raw.map((row) => {
    const counts: RawCounts = {};
    aggregates.forEach(([, name], index) => {
      (counts as Record<string, number>)[name] = toCount(row[`m${index}`]);
    });
    return { values: Array.from({ length: dimensionCount }, (_, index) => row[`d${index}`] ?? null), counts };
  });

/**
 * The log counts of `targeted` logs of one status and failure type, beside the other counts given. 'ignored'
 * failures count with the soft ones and a bounce of unknown type as hard, as the indicators service does.
 */
export const ownCounts = (status: unknown, failureType: unknown, counts: RawCounts): RawCounts => {
  const n = counts.targeted ?? 0;
  const own = Object.fromEntries(LOG_COUNTS.map((name) => [name, 0])) as Record<LogCount, number>;
  own.targeted = n;
  if (status === 'excluded' || status === 'pending' || status === 'sent' || status === 'unknown') own[status] = n;
  if (status === 'failed') own[failureType === 'hard' ? 'failedHard' : 'failedSoft'] = n;
  if (status === 'bounced') {
    own.bounced = n;
    own[failureType === 'soft' ? 'bouncedSoft' : 'bouncedHard'] = n;
  }
  return { ...counts, ...own };
};

/** Adds counts of the same row (from the log query and the event query, or rows folded together). */
export const addCounts = (into: RawCounts, from: RawCounts): RawCounts => {
  for (const [name, value] of Object.entries(from) as Array<[keyof RawCounts, number]>) {
    into[name] = (into[name] ?? 0) + value;
  }
  return into;
};

/** Rows with the same dimension values added into one (their counts copied, never the given objects changed). */
export const mergeRows = (rows: Iterable<CountRow>): CountRow[] => {
  const merged = new Map<string, CountRow>();
  for (const row of rows) {
    const key = JSON.stringify(row.values.map((value) => (value === null ? null : String(value))));
    const found = merged.get(key);
    if (found) addCounts(found.counts, row.counts);
    else merged.set(key, { values: row.values, counts: { ...row.counts } });
  }
  return [...merged.values()];
};

/** The requested metrics of one row, through computeIndicators so every rate has its one definition. */
export const metricsOf = (
  counts: RawCounts,
  metrics: readonly ReportMetric[],
): Partial<Record<ReportMetric, number>> => {
  const full: IndicatorCounts = { ...emptyIndicatorCounts() };
  for (const name of [...LOG_COUNTS, ...EVENT_COUNTS]) {
    if (counts[name] !== undefined) (full as unknown as Record<string, number>)[name] = counts[name]!;
  }
  const indicators = computeIndicators(full);
  const out: Partial<Record<ReportMetric, number>> = {};
  for (const metric of metrics) out[metric] = indicators[metric];
  return out;
};
