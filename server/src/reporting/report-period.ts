// The period a report covers, as instants.
import type { ParsedReportQuery } from '../validation/reports';
import { DAY_MS } from './report-time';
import { QUARTER_MS } from '../db/event-counts';

export interface Period {
  from: Date;
  to: Date;
}

/**
 * The period a query covers, as instants. `lastDays` ends with the quarter hour now is in: on the grid of quarter
 * hours the rollups count in (reporting/report-message-days.ts), so its events are read from them.
 */
export const resolvePeriod = (period: ParsedReportQuery['period'], now = new Date()): Period | null => {
  if (!period) return null;
  if ('lastDays' in period) {
    const to = Math.floor(now.getTime() / QUARTER_MS) * QUARTER_MS + QUARTER_MS;
    return { from: new Date(to - period.lastDays * DAY_MS), to: new Date(to) };
  }
  return { from: new Date(period.from), to: new Date(period.to) };
};
