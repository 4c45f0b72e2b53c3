// Delivery alert criteria (Adobe Campaign's delivery alerting): pure decisions over a delivery's facts, its
// indicators and the alert settings. The alerts service gathers the facts, records and sends what these return.
import type { AlertCriterion, DeliveryStatus } from '../../../shared/constants';
import type { PluginConfig } from '../../../shared/config-schema';
import type { Indicators } from '../../../shared/contracts/indicators';
import { isFinished, isPrepared } from '../../../shared/lifecycle';

export type AlertsConfig = PluginConfig['alerts'];

/** Who gets alerts when alerts.roles is not set: the super admins. */
export const DEFAULT_ALERT_ROLES = ['strapi-super-admin'];
export const alertRoles = (config: AlertsConfig): string[] => config.roles ?? DEFAULT_ALERT_ROLES;

/** Transitions (started, finished, failed) older than this are history: a check that finds them raises nothing. */
export const TRANSITION_LOOKBACK_MS = 2 * 60 * 60 * 1000;
/** Throughput is measured over this window, and judged only for deliveries sending for at least as long. */
export const THROUGHPUT_WINDOW_MS = 5 * 60 * 1000;
/** Ended deliveries stay under watch this long for their bounce ratios (bounces keep arriving after sending). */
export const ENDED_WATCH_MS = 24 * 60 * 60 * 1000;

export interface DeliveryFacts {
  id: number;
  name: string;
  status: DeliveryStatus;
  scheduledAt: Date | null;
  sendAfter: Date | null;
  startedAt: Date | null;
  preparedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date | null;
  /** Messages per second, as the delivery's sendRate; null: as fast as the transport goes. */
  sendRate: number | null;
  lastError: string | null;
}

export interface ActivityFacts {
  indicators: Indicators;
  /** Messages sent (accepted by the server) during the last THROUGHPUT_WINDOW_MS. */
  sentInWindow: number;
  /** Pending recipients whose (next) attempt is due now: work the sender could be doing. */
  duePending: number;
}

export interface AlertCandidate {
  criterion: AlertCriterion;
  deliveryId: number;
  /** UTC day (yyyy-mm-dd) the alert belongs to: one alert per criterion per delivery per day. */
  day: string;
  message: string;
  details: Record<string, unknown>;
}

export const utcDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The unique key of the alert table: inserting an alert whose key exists is how duplicates are refused. */
export const dedupeKey = (criterion: AlertCriterion, deliveryId: number, day: string): string =>
  `${criterion}:${deliveryId}:${day}`;

/** 0.075 -> "7.5 %": at most two decimals, no trailing zeros. */
export const formatPercent = (ratio: number): string => `${Number((ratio * 100).toFixed(2))} %`;

const isOn = (config: AlertsConfig, criterion: AlertCriterion): boolean =>
  config.enabled && config.criteria[criterion].enabled;

const recent = (at: Date | null, now: Date): at is Date =>
  at !== null &&
  now.getTime() - at.getTime() <= TRANSITION_LOOKBACK_MS &&
  at.getTime() - now.getTime() <= TRANSITION_LOOKBACK_MS;

/** A few lines of indicators for the "finished" alert (and any reader of an ended delivery). */
export const formatSummary = (i: Indicators): string =>
  [
    `Targeted: ${i.targeted} (excluded: ${i.excluded})`,
    `Processed: ${i.processed}`,
    `Delivered: ${i.delivered} (${formatPercent(i.deliveredRate)})`,
    `Bounces: ${i.bounces} (${formatPercent(i.bounceRate)}): hard ${i.hardBounces}, soft ${i.softBounces}`,
    `Unique opens: ${i.uniqueOpens} (open rate ${formatPercent(i.openRate)})`,
    `Unique clicks: ${i.uniqueClicks} (click-through rate ${formatPercent(i.clickThroughRate)}, reactivity ${formatPercent(i.reactivity)})`,
    `Unsubscriptions: ${i.uniqueUnsubscriptions} (${formatPercent(i.unsubscriptionRate)})`,
  ].join('\n');

/**
 * Alerts for the moves a delivery made recently: started, finished, failed (in preparation or while sending).
 * They are judged on the delivery's state, not on an event, so the lifecycle hook and the periodic sweep (which also
 * sees the transitions the sending engine writes straight through knex) reach the same answer; the day of the
 * transition keeps the dedupe key stable however often it is looked at.
 */
export const transitionAlerts = (
  delivery: DeliveryFacts,
  config: AlertsConfig,
  now: Date,
  indicators?: Indicators | null,
): AlertCandidate[] => {
  const out: AlertCandidate[] = [];
  const name = `"${delivery.name}"`;

  if (delivery.status === 'failed') {
    const at = delivery.finishedAt ?? delivery.updatedAt;
    const criterion: AlertCriterion = delivery.preparedAt ? 'deliveryFailed' : 'preparationFailed';
    if (isOn(config, criterion) && recent(at, now)) {
      const reason =
        delivery.lastError?.trim() || (criterion === 'deliveryFailed' ? 'no message could be sent' : 'unknown error');
      out.push({
        criterion,
        deliveryId: delivery.id,
        day: utcDay(at),
        message:
          criterion === 'deliveryFailed'
            ? `Delivery ${name} failed: ${reason}`
            : `Delivery ${name} could not be prepared: ${reason}`,
        details: { status: delivery.status, lastError: delivery.lastError, at: at.toISOString() },
      });
    }
  }

  const started = isPrepared(delivery.status) || (isFinished(delivery.status) && delivery.preparedAt !== null);
  if (started && isOn(config, 'deliveryStarted') && recent(delivery.startedAt, now)) {
    out.push({
      criterion: 'deliveryStarted',
      deliveryId: delivery.id,
      day: utcDay(delivery.startedAt),
      message: `Delivery ${name} started sending at ${delivery.startedAt.toISOString()}.`,
      details: { status: delivery.status, startedAt: delivery.startedAt.toISOString() },
    });
  }

  if (delivery.status === 'sent' && isOn(config, 'deliveryFinished') && recent(delivery.finishedAt, now)) {
    out.push({
      criterion: 'deliveryFinished',
      deliveryId: delivery.id,
      day: utcDay(delivery.finishedAt),
      message:
        `Delivery ${name} finished at ${delivery.finishedAt.toISOString()}.` +
        (indicators ? `\n\n${formatSummary(indicators)}` : ''),
      details: { finishedAt: delivery.finishedAt.toISOString(), indicators: indicators ?? null },
    });
  }
  return out;
};

/** Alerts on how a delivery is going: bounce ratios, a late start, a slow send. One per day each. */
export const periodicAlerts = (
  delivery: DeliveryFacts,
  activity: ActivityFacts | null,
  config: AlertsConfig,
  now: Date,
): AlertCandidate[] => {
  const out: AlertCandidate[] = [];
  if (!config.enabled) return out;
  const day = utcDay(now);
  const name = `"${delivery.name}"`;

  if (activity) {
    const { indicators } = activity;
    const judged =
      indicators.processed > 0 && (indicators.processed >= config.minProcessed || isFinished(delivery.status));
    const ratios: Array<[AlertCriterion, number, number, string]> = [
      ['softBounceRatio', indicators.softBounceRate, indicators.softBounces, 'soft'],
      ['hardBounceRatio', indicators.hardBounceRate, indicators.hardBounces, 'hard'],
    ];
    for (const [criterion, rate, count, kind] of ratios) {
      if (!judged || !isOn(config, criterion)) continue;
      const threshold = (config.criteria[criterion] as { percent: number }).percent;
      if (rate * 100 <= threshold) continue;
      out.push({
        criterion,
        deliveryId: delivery.id,
        day,
        message:
          `Delivery ${name}: ${kind} bounces are ${formatPercent(rate)} of processed messages ` +
          `(${count} of ${indicators.processed}), above the ${threshold} % threshold.`,
        details: { rate, count, processed: indicators.processed, thresholdPercent: threshold },
      });
    }
  }

  if ((delivery.status === 'scheduled' || delivery.status === 'preparing') && isOn(config, 'scheduledNotStarted')) {
    const due = delivery.scheduledAt ?? delivery.startedAt;
    const staggered = delivery.sendAfter !== null && delivery.sendAfter.getTime() > now.getTime();
    const { delayMinutes } = config.criteria.scheduledNotStarted;
    const lateMinutes = due ? (now.getTime() - due.getTime()) / 60_000 : 0;
    if (due && !staggered && lateMinutes > delayMinutes) {
      out.push({
        criterion: 'scheduledNotStarted',
        deliveryId: delivery.id,
        day,
        message:
          `Delivery ${name} was due at ${due.toISOString()} and has not started sending after ${Math.floor(lateMinutes)} minutes ` +
          `(threshold ${delayMinutes} minutes); it is ${delivery.status}.`,
        details: {
          dueAt: due.toISOString(),
          lateMinutes: Math.floor(lateMinutes),
          delayMinutes,
          status: delivery.status,
        },
      });
    }
  }

  if (delivery.status === 'sending' && activity && isOn(config, 'throughputBelow')) {
    const { perMinute } = config.criteria.throughputBelow;
    const since = Math.max(delivery.startedAt?.getTime() ?? now.getTime(), delivery.sendAfter?.getTime() ?? 0);
    const longEnough = now.getTime() - since >= THROUGHPUT_WINDOW_MS;
    // A delivery configured slower than the floor is slow on purpose.
    const cappedBelowFloor = delivery.sendRate !== null && delivery.sendRate * 60 <= perMinute;
    const windowMinutes = THROUGHPUT_WINDOW_MS / 60_000;
    const throughput = activity.sentInWindow / windowMinutes;
    if (perMinute > 0 && longEnough && !cappedBelowFloor && activity.duePending > 0 && throughput < perMinute) {
      out.push({
        criterion: 'throughputBelow',
        deliveryId: delivery.id,
        day,
        message:
          `Delivery ${name} sent ${Number(throughput.toFixed(2))} messages per minute over the last ${windowMinutes} minutes, ` +
          `below the floor of ${perMinute}; ${activity.duePending} recipients are waiting.`,
        details: {
          perMinute: throughput,
          floor: perMinute,
          sentInWindow: activity.sentInWindow,
          duePending: activity.duePending,
        },
      });
    }
  }
  return out;
};

/** Subject line of an alert email. */
export const alertSubject = (criterion: AlertCriterion, deliveryName: string | null): string => {
  const titles: Record<AlertCriterion, string> = {
    deliveryFailed: 'Delivery failed',
    preparationFailed: 'Delivery preparation failed',
    softBounceRatio: 'Soft bounce ratio above threshold',
    hardBounceRatio: 'Hard bounce ratio above threshold',
    scheduledNotStarted: 'Scheduled delivery not started',
    throughputBelow: 'Delivery throughput below floor',
    deliveryStarted: 'Delivery started',
    deliveryFinished: 'Delivery finished',
  };
  return `[Campaigns] ${titles[criterion]}${deliveryName ? `: ${deliveryName}` : ''}`;
};
