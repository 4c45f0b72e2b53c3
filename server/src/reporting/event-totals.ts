// Event totals and left-out counts of a delivery, from its events grouped by type and flags (pure: the indicators
// service reads the groups with one index-only GROUP BY and the unique counts from the delivery-log columns).
import type { IndicatorsInclude, LeftOut } from '../../../shared/contracts/monitoring';

export type EventType = 'open' | 'click' | 'unsubscribe' | 'mirror';

/** How many events of one type carry these flags (NULL flags, on rows older than the flags, read as false). */
export interface EventGroup {
  type: EventType;
  isBot: boolean;
  isMachineOpen: boolean;
  n: number;
}

export interface EventTotals {
  opens: number;
  clicks: number;
  unsubscriptions: number;
  mirrorViews: number;
  /** Left-out events; `bots` holds those left out as a bot's (a bot's machine open included), the rest are machine opens. */
  leftOut: { events: number; bots: number; machineOpens: number };
}

/** Counts of the delivery-log engagement columns: every event counted, and human events only (the default). */
export interface EngagementColumns {
  /** firstOpenedAt set: any event, of any kind. */
  opened: number;
  /** firstClickedAt set. */
  clicked: number;
  /** humanOpenedAt set: an event that is neither a bot's nor a machine open, of any kind. */
  humanOpened: number;
  /** humanClickedAt set. */
  humanClicked: number;
}

/** Whether the delivery-log columns answer the unique counts of this mode (the others need the events). */
export const answeredByColumns = (include: IndicatorsInclude): boolean => include.bots === include.machine;

/** An event of this group counts under `include`. */
export const isCounted = (group: Pick<EventGroup, 'isBot' | 'isMachineOpen'>, include: IndicatorsInclude): boolean =>
  (include.bots || !group.isBot) && (include.machine || !group.isMachineOpen);

export const eventTotals = (groups: EventGroup[], include: IndicatorsInclude): EventTotals => {
  const totals: EventTotals = {
    opens: 0,
    clicks: 0,
    unsubscriptions: 0,
    mirrorViews: 0,
    leftOut: { events: 0, bots: 0, machineOpens: 0 },
  };
  const key = { open: 'opens', click: 'clicks', unsubscribe: 'unsubscriptions', mirror: 'mirrorViews' } as const;
  for (const group of groups) {
    if (isCounted(group, include)) {
      totals[key[group.type]] += group.n;
      continue;
    }
    totals.leftOut.events += group.n;
    // Left out as a bot when bots are left out and it is one, even if it is also a machine open.
    if (!include.bots && group.isBot) totals.leftOut.bots += group.n;
    else totals.leftOut.machineOpens += group.n;
  }
  return totals;
};

/**
 * Unique opens and clicks, and the recipients left out, from the column counts: with everything included the
 * first-event columns; with bots and machine opens left out the human columns, and the recipients left out are those
 * with an event but no human one. Only the two modes answeredByColumns() accepts.
 */
export const uniqueFromColumns = (
  columns: EngagementColumns,
  include: IndicatorsInclude,
): { uniqueOpens: number; uniqueClicks: number; leftOut: LeftOut['recipients'] } => {
  if (!answeredByColumns(include)) {
    throw new RangeError('the delivery-log columns answer only include=bots,machine and the default (neither)');
  }
  if (include.bots) {
    return { uniqueOpens: columns.opened, uniqueClicks: columns.clicked, leftOut: { opens: 0, clicks: 0 } };
  }
  return {
    uniqueOpens: columns.humanOpened,
    uniqueClicks: columns.humanClicked,
    // Never negative: a human column is only ever set together with its first-event column.
    leftOut: {
      opens: Math.max(0, columns.opened - columns.humanOpened),
      clicks: Math.max(0, columns.clicked - columns.humanClicked),
    },
  };
};
