// Numbers, rates and dates as the pages show them.

export const formatPercent = (ratio: number | null | undefined, digits = 1) =>
  ratio == null || Number.isNaN(ratio) ? '–' : `${(ratio * 100).toFixed(digits)} %`;

export const formatNumber = (value: number | null | undefined) => (value == null ? '–' : value.toLocaleString());

/** A rate such as messages per minute: one decimal below 10, whole numbers above. */
export const formatRate = (value: number | null | undefined) =>
  value == null
    ? '–'
    : value < 10
      ? (Math.round(value * 10) / 10).toLocaleString()
      : Math.round(value).toLocaleString();

export const formatDateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '–');

/** A local date-time input value (yyyy-mm-ddThh:mm) for an ISO string, and back. */
export const toLocalInput = (iso: string | null | undefined) => {
  if (!iso) return '';
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};
export const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : null);

type Counters = {
  targeted: number;
  excluded: number;
  sent: number;
  failedHard: number;
  failedSoft: number;
  bounced: number;
  unknown?: number;
};

/** Recipients the sender is done with: sent, failed, bounced or unknown (in flight at a crash). */
export const doneOf = (counters: Counters) =>
  counters.sent + counters.failedHard + counters.failedSoft + counters.bounced + (counters.unknown ?? 0);

/** Share of the audience the sender is done with, 0..1. */
export const progressOf = (counters: Counters) => {
  const toSend = counters.targeted - counters.excluded;
  if (toSend <= 0) return 0;
  return Math.min(1, doneOf(counters) / toSend);
};
