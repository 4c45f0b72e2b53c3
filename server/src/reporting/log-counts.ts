// A delivery's delivery-log counts, by outcome and engagement column: what the indicators start from.
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { emptyIndicatorCounts, type IndicatorCounts } from './indicator-formulas';

/** Counts of a delivery's logs by outcome and the engagement columns. */
export interface LogCounts {
  targeted: number;
  excluded: number;
  pending: number;
  /** Pending recipients that failed softly and wait for their next attempt. */
  retrying: number;
  sent: number;
  failedHard: number;
  failedSoft: number;
  bounced: number;
  bouncedHard: number;
  bouncedSoft: number;
  unknown: number;
  /** Every event counted (firstOpenedAt, firstClickedAt, unsubscribedAt set). */
  opened: number;
  clicked: number;
  unsubscribed: number;
  /** Bots and machine opens left out (humanOpenedAt, humanClickedAt set). */
  humanOpened: number;
  humanClicked: number;
  /** Recipients with an open event (a pixel load): opens > 0, and humanOpens > 0 for those neither bot nor machine. */
  pixelOpened: number;
  humanPixelOpened: number;
}

export const NONE_INCLUDED: IndicatorsInclude = { bots: false, machine: false };

export const emptyLogCounts = (): LogCounts => ({
  targeted: 0,
  excluded: 0,
  pending: 0,
  retrying: 0,
  sent: 0,
  failedHard: 0,
  failedSoft: 0,
  bounced: 0,
  bouncedHard: 0,
  bouncedSoft: 0,
  unknown: 0,
  opened: 0,
  clicked: 0,
  unsubscribed: 0,
  humanOpened: 0,
  humanClicked: 0,
  pixelOpened: 0,
  humanPixelOpened: 0,
});

/** The indicator formulas' inputs (reporting/indicator-formulas.ts) from a delivery's log counts. */
export const toIndicatorCounts = (counts: LogCounts): IndicatorCounts => ({
  ...emptyIndicatorCounts(),
  targeted: counts.targeted,
  excluded: counts.excluded,
  pending: counts.pending,
  sent: counts.sent,
  failedHard: counts.failedHard,
  failedSoft: counts.failedSoft,
  bounced: counts.bounced,
  bouncedHard: counts.bouncedHard,
  bouncedSoft: counts.bouncedSoft,
  unknown: counts.unknown,
  uniqueOpens: counts.opened,
  uniqueClicks: counts.clicked,
  uniqueUnsubscriptions: counts.unsubscribed,
});
