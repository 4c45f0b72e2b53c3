// The period a report covers, as instants.
import type { ParsedReportQuery } from '../validation/reports';
import { DAY_MS } from './report-time';

export interface Period {
  from: Date;
  to: Date;
}

/** The period a query covers, as instants (`lastDays` ends now). */
export const resolvePeriod = (period: ParsedReportQuery['period'], now = new Date()): Period | null => {
  if (!period) return null;
  if ('lastDays' in period) return { from: new Date(now.getTime() - period.lastDays * DAY_MS), to: now };
  return { from: new Date(period.from), to: new Date(period.to) };
};
