// Delivery indicators as Adobe Campaign defines them: pure formulas over counts of delivery and tracking logs.
import type { Indicators } from '../../../shared/contracts/indicators';

/**
 * Counts of one delivery (or of any set of delivery logs), as the indicators service reads them from the database.
 *
 * Log statuses are exclusive: a log whose message was accepted and later bounced has status 'bounced', so it is
 * counted in `bounced` and not in `sent`. Unique counts are messages (delivery logs), totals are events.
 */
export interface IndicatorCounts {
  /** Every recipient the audience resolved to, excluded ones included. */
  targeted: number;
  excluded: number;
  /** Not yet processed (waiting, or waiting for a retry). */
  pending: number;
  /** Accepted by the receiving server and not bounced since. */
  sent: number;
  /** Refused while sending, permanently (hard) or still after the last retry (soft). */
  failedHard: number;
  failedSoft: number;
  /** Accepted, then reported back as a bounce (DSN or provider webhook). */
  bounced: number;
  /** In flight when a process died: maybe accepted, maybe not (see processed). Absent: 0. */
  unknown?: number;
  /**
   * The hard / soft split of `bounced` when known. A bounce whose type is not known counts as hard: a bounce that
   * comes back after the message was accepted is nearly always a permanent non-delivery report (delayed-delivery
   * notices are warnings, not bounces).
   */
  bouncedHard?: number;
  bouncedSoft?: number;
  /**
   * Messages with an open, a click, an unsubscription or a mirror view: a reaction proves the message was opened
   * even when the open pixel was blocked. Upstream guarantees uniqueOpens >= uniqueClicks, so reactivity <= 1.
   */
  uniqueOpens: number;
  uniqueClicks: number;
  uniqueUnsubscriptions: number;
  uniqueMirrorViews: number;
  /**
   * Messages with at least one open-pixel load (an open event), counted under the same flags as uniqueOpens. Needed
   * for total opens (see totalOpens); absent when the caller has no events (total opens then stay the pixel loads).
   */
  uniquePixelOpens?: number;
  /** Every event, repeats included; for opens, the open-pixel loads (computeIndicators adds the implied ones). */
  opens: number;
  clicks: number;
  unsubscriptions: number;
  mirrorViews: number;
}

const RATE_DECIMALS = 4;
const RATE_SCALE = 10 ** RATE_DECIMALS;

/**
 * A ratio rounded to 4 decimals, and 0 when nothing was counted yet (a dashboard shows 0 %, not NaN).
 * Rates are not clamped to 1: with counts that keep the invariants above they cannot exceed it, and clamping would
 * hide a counting bug instead of showing it.
 */
export const rate = (numerator: number, denominator: number): number =>
  denominator > 0 ? Math.round((numerator / denominator) * RATE_SCALE) / RATE_SCALE : 0;

const REQUIRED_COUNTS = [
  'targeted',
  'excluded',
  'pending',
  'sent',
  'failedHard',
  'failedSoft',
  'bounced',
  'uniqueOpens',
  'uniqueClicks',
  'uniqueUnsubscriptions',
  'uniqueMirrorViews',
  'opens',
  'clicks',
  'unsubscriptions',
  'mirrorViews',
] as const satisfies ReadonlyArray<keyof IndicatorCounts>;

/**
 * Total opens as Adobe Campaign counts them: every open-pixel load, plus one implied open for each message with a
 * reaction (a click, an unsubscription, a mirror view) but no pixel load, since the reader opened it with images
 * blocked. Adobe's formula: count(open) + unique(any reaction) - unique(open), so total opens are never fewer than
 * unique opens. The indicators, the timeline (reporting/indicators.ts) and the report builder
 * (reporting/report-metrics.ts) all count opens this way.
 */
export const totalOpens = (counts: { opens: number; uniqueOpens: number; uniquePixelOpens: number }): number =>
  // Never below the pixel loads: unique opens read from the delivery-log columns may miss readers whose first event
  // predates those columns (reporting/indicators.ts), while their pixel loads are still counted.
  counts.opens + Math.max(0, counts.uniqueOpens - counts.uniquePixelOpens);

const assertCount = (name: string, value: unknown): void => {
  // A negative or fractional count can only come from a broken query; fail loudly rather than report nonsense.
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`indicator count "${name}" must be a non-negative integer, got ${String(value)}`);
  }
};

/** Splits `bounced` into hard and soft; whatever part is not known counts as hard (see IndicatorCounts). */
const splitBounces = (counts: IndicatorCounts): { bouncedHard: number; bouncedSoft: number } => {
  const { bounced } = counts;
  if (counts.bouncedHard !== undefined) assertCount('bouncedHard', counts.bouncedHard);
  if (counts.bouncedSoft !== undefined) assertCount('bouncedSoft', counts.bouncedSoft);
  const bouncedSoft = counts.bouncedSoft ?? (counts.bouncedHard !== undefined ? bounced - counts.bouncedHard : 0);
  const bouncedHard = bounced - bouncedSoft;
  if (bouncedSoft < 0 || bouncedHard < 0 || (counts.bouncedHard !== undefined && counts.bouncedHard > bouncedHard)) {
    throw new RangeError(
      `bouncedHard (${String(counts.bouncedHard)}) + bouncedSoft (${String(counts.bouncedSoft)}) exceed bounced (${bounced})`,
    );
  }
  return { bouncedHard, bouncedSoft };
};

export const computeIndicators = (counts: IndicatorCounts): Indicators => {
  for (const name of REQUIRED_COUNTS) assertCount(name, counts[name]);
  const { bouncedHard, bouncedSoft } = splitBounces(counts);
  if (counts.uniquePixelOpens !== undefined) assertCount('uniquePixelOpens', counts.uniquePixelOpens);

  const failed = counts.failedHard + counts.failedSoft;
  const unknown = counts.unknown ?? 0;
  const processed = counts.sent + failed + counts.bounced + unknown;
  const delivered = counts.sent;
  const hardBounces = counts.failedHard + bouncedHard;
  const softBounces = counts.failedSoft + bouncedSoft;
  const bounces = hardBounces + softBounces;

  return {
    targeted: counts.targeted,
    excluded: counts.excluded,
    pending: counts.pending,
    processed,
    unknown,
    sent: counts.sent,
    delivered,
    failed,
    failedHard: counts.failedHard,
    failedSoft: counts.failedSoft,
    bounced: counts.bounced,
    bouncedHard,
    bouncedSoft,
    bounces,
    hardBounces,
    softBounces,
    uniqueOpens: counts.uniqueOpens,
    uniqueClicks: counts.uniqueClicks,
    uniqueUnsubscriptions: counts.uniqueUnsubscriptions,
    uniqueMirrorViews: counts.uniqueMirrorViews,
    opens:
      counts.uniquePixelOpens === undefined
        ? counts.opens
        : totalOpens({
            opens: counts.opens,
            uniqueOpens: counts.uniqueOpens,
            uniquePixelOpens: counts.uniquePixelOpens,
          }),
    clicks: counts.clicks,
    unsubscriptions: counts.unsubscriptions,
    mirrorViews: counts.mirrorViews,
    deliveredRate: rate(delivered, processed),
    bounceRate: rate(bounces, processed),
    hardBounceRate: rate(hardBounces, processed),
    softBounceRate: rate(softBounces, processed),
    openRate: rate(counts.uniqueOpens, delivered),
    clickThroughRate: rate(counts.uniqueClicks, delivered),
    reactivity: rate(counts.uniqueClicks, counts.uniqueOpens),
    unsubscriptionRate: rate(counts.uniqueUnsubscriptions, delivered),
  };
};

/** All-zero counts: the starting point of a new delivery, and a convenient base for tests and callers. */
export const emptyIndicatorCounts = (): IndicatorCounts => ({
  targeted: 0,
  excluded: 0,
  pending: 0,
  sent: 0,
  failedHard: 0,
  failedSoft: 0,
  bounced: 0,
  uniqueOpens: 0,
  uniqueClicks: 0,
  uniqueUnsubscriptions: 0,
  uniqueMirrorViews: 0,
  opens: 0,
  clicks: 0,
  unsubscriptions: 0,
  mirrorViews: 0,
});
