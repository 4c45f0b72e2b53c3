// Delivery alerts: the criteria of monitoring/alert-rules.ts checked at once when a delivery is written (a lifecycle hook
// for writes through the query engine or the Document Service; sending/delivery-events.ts for the status changes
// the sending engine and the delivery actions write straight through knex, which fire no lifecycle) and from a cron
// task every minute (a safety net for a process that died between a write and its check, and the periodic criteria
// every alerts.checkEveryMinutes). Each alert is an `alert` row, an email to the configured addresses and admin
// roles, and a `campaigns.alert` event.
//
// Deduplication is the database's: the row's dedupeKey (criterion:deliveryId:yyyy-mm-dd) has a unique index and the
// row is inserted with ON CONFLICT DO NOTHING (INSERT IGNORE on MariaDB). Whoever inserted the row (its documentId is
// ours) sends the emails; any other process or check that raced it finds a row that is not its own and does nothing.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import {
  alertSubject,
  dedupeKey,
  ENDED_WATCH_MS,
  periodicAlerts,
  THROUGHPUT_WINDOW_MS,
  transitionAlerts,
  TRANSITION_LOOKBACK_MS,
  type AlertCandidate,
  type AlertsConfig,
} from './alert-rules';
import type { Alert, AlertEvent, AlertListQuery, AlertRecipientResult } from '../../../shared/contracts/monitoring';
import { createDocumentId } from '../platform/document-id';
import { getService } from '../platform/get-service';
import { knexOf, tableOf, toCount } from '../db/tables';
import { ACTIVE, FINISHED } from '../../../shared/lifecycle';
import { createAlertEmails } from './alert-emails';
import { deliveryFactsQuery, factsOf, type DeliveryFactsRow } from './delivery-facts';
import { alertReads } from '../db/alerts';
import type { WebhookStore } from '../platform/events';

export const ALERTS_TASK = 'campaigns::alerts';
export const ALERT_EVENT = 'campaigns.alert';
/** The key under which Strapi's webhooks offer the event (Settings > Webhooks). */
export const ALERT_WEBHOOK_EVENT = 'CAMPAIGNS_ALERT';

const createAlertsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexOf(strapi);
  const deliveries = () => tableOf(strapi, UID.delivery);
  const logs = () => tableOf(strapi, UID.deliveryLog);
  const alerts = () => tableOf(strapi, UID.alert);

  let unsubscribeLifecycles: (() => void) | null = null;
  let lastPeriodic = 0;
  let running: Promise<Alert[]> | null = null;
  let stopped = false;
  const handOffs = new Set<Promise<unknown>>();

  const config = async (): Promise<AlertsConfig> => (await getService(strapi, 'settings').get()).alerts;

  const logError = (what: string, error: unknown) =>
    strapi.log.error(
      `[campaigns] alerts: ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );

  const deliveryQuery = () => deliveryFactsQuery(strapi);

  const { recipientsFor, sendEmails } = createAlertEmails(strapi);

  /**
   * Records the alert unless its dedupe key is taken, then emails and emits it. Returns the alert, or null when
   * this criterion was already raised for this delivery that day (by this or any other process).
   */
  const raise = async (
    candidate: AlertCandidate,
    delivery: { documentId: string; name: string } | null,
    recipients: string[],
  ): Promise<Alert | null> => {
    const { table, column: c } = alerts();
    const key = dedupeKey(candidate.criterion, candidate.deliveryId, candidate.day);
    const documentId = createDocumentId();
    const now = new Date();
    const pendingResults: AlertRecipientResult[] = recipients.map((email) => ({
      email,
      sent: false,
    }));
    await knex()(table)
      .insert({
        [c('documentId')]: documentId,
        [c('criterion')]: candidate.criterion,
        [c('deliveryId')]: candidate.deliveryId,
        [c('message')]: candidate.message,
        [c('recipients')]: JSON.stringify(pendingResults),
        [c('at')]: now,
        [c('dedupeKey')]: key,
        [c('createdAt')]: now,
        [c('updatedAt')]: now,
        [c('publishedAt')]: now,
      })
      .onConflict(c('dedupeKey'))
      .ignore();
    const row = await knex()(table)
      .where(c('dedupeKey'), key)
      .first({ id: 'id', documentId: c('documentId') });
    if (!row || row.documentId !== documentId) return null;

    const alert: AlertEvent = {
      id: Number(row.id),
      documentId,
      criterion: candidate.criterion,
      deliveryId: candidate.deliveryId,
      delivery,
      message: candidate.message,
      recipients: pendingResults,
      at: now.toISOString(),
      details: candidate.details,
    };
    alert.recipients = await sendEmails(alert, alertSubject(candidate.criterion, delivery?.name ?? null), recipients);
    try {
      await knex()(table)
        .where('id', alert.id)
        .update({
          [c('recipients')]: JSON.stringify(alert.recipients),
          [c('updatedAt')]: new Date(),
        });
    } catch (error) {
      logError(`could not record who received alert ${alert.id}`, error);
    }
    try {
      await strapi.eventHub.emit(ALERT_EVENT, alert);
    } catch (error) {
      logError(`a ${ALERT_EVENT} listener failed`, error);
    }
    strapi.log.info(
      `[campaigns] alert ${candidate.criterion} for delivery ${candidate.deliveryId}: ${candidate.message.split('\n')[0]}`,
    );
    return alert;
  };

  /** Candidates whose dedupe key is not taken yet: one indexed lookup, so a check that finds nothing new is cheap. */
  const notYetRaised = async <T extends { candidate: AlertCandidate }>(candidates: T[]): Promise<T[]> => {
    if (!candidates.length) return candidates;
    const { table, column: c } = alerts();
    const keyOf = ({ candidate }: T) => dedupeKey(candidate.criterion, candidate.deliveryId, candidate.day);
    const taken = new Set<string>();
    const keys = candidates.map(keyOf);
    for (let start = 0; start < keys.length; start += 500) {
      const rows = await knex()(table)
        .whereIn(c('dedupeKey'), keys.slice(start, start + 500))
        .pluck(c('dedupeKey'));
      rows.forEach((key: string) => taken.add(key));
    }
    return candidates.filter((item) => !taken.has(keyOf(item)));
  };

  /** Raises each candidate in turn (recipients resolved once); a failure of one never stops the others. */
  const raiseAll = async (
    all: Array<{ candidate: AlertCandidate; row: DeliveryFactsRow }>,
    settings: AlertsConfig,
  ): Promise<Alert[]> => {
    const candidates = await notYetRaised(all);
    if (!candidates.length) return [];
    const recipients = await recipientsFor(settings);
    const raised: Alert[] = [];
    for (const { candidate, row } of candidates) {
      try {
        const alert = await raise(candidate, { documentId: row.documentId, name: row.name }, recipients);
        if (alert) raised.push(alert);
      } catch (error) {
        logError(`could not raise ${candidate.criterion} for delivery ${candidate.deliveryId}`, error);
      }
    }
    return raised;
  };

  /**
   * Transition alerts of these delivery rows. The indicators summary of a "finished" alert is computed only for an
   * alert not raised yet: the sweep looks at every delivery that ended within the lookback, every minute.
   */
  const transitionCandidates = async (rows: DeliveryFactsRow[], settings: AlertsConfig, now: Date) => {
    const found = rows.flatMap((row) =>
      transitionAlerts(factsOf(row), settings, now).map((candidate) => ({
        candidate,
        row,
      })),
    );
    const fresh = await notYetRaised(found);
    const indicators = getService(strapi, 'indicators');
    return Promise.all(
      fresh.map(async (item) => {
        if (item.candidate.criterion !== 'deliveryFinished') return item;
        const summary = (await indicators.compute(item.candidate.deliveryId)).indicators;
        const withSummary = transitionAlerts(factsOf(item.row), settings, now, summary).find(
          (c) => c.criterion === 'deliveryFinished',
        );
        return { ...item, candidate: withSummary ?? item.candidate };
      }),
    );
  };

  /** Deliveries that started, finished or failed within the lookback: what the lifecycle hook may not have seen. */
  const sweepTransitions = async (settings: AlertsConfig, now: Date): Promise<Alert[]> => {
    if (!settings.enabled) return [];
    const since = new Date(now.getTime() - TRANSITION_LOOKBACK_MS);
    const { column: c } = deliveries();
    const rows: DeliveryFactsRow[] = await deliveryQuery().where((q) =>
      q
        .where(c('startedAt'), '>=', since)
        .orWhere(c('finishedAt'), '>=', since)
        .orWhere((failed) =>
          failed.where(c('status'), 'failed').whereNull(c('finishedAt')).where(c('updatedAt'), '>=', since),
        ),
    );
    return raiseAll(await transitionCandidates(rows, settings, now), settings);
  };

  /** Bounce ratios, late starts and slow sends of the deliveries under watch. */
  const checkPeriodic = async (settings: AlertsConfig, now: Date): Promise<Alert[]> => {
    if (!settings.enabled) return [];
    const { column: c } = deliveries();
    const rows: DeliveryFactsRow[] = await deliveryQuery().where((q) =>
      q
        .whereIn(c('status'), ACTIVE)
        .orWhere((ended) =>
          ended.whereIn(c('status'), FINISHED).where(c('finishedAt'), '>=', new Date(now.getTime() - ENDED_WATCH_MS)),
        ),
    );
    if (!rows.length) return [];
    const ids = rows.map((row) => Number(row.id));
    const sendingIds = rows.filter((row) => row.status === 'sending').map((row) => Number(row.id));
    const indicators = getService(strapi, 'indicators');
    const l = logs();
    const [counts, sentRows, dueRows] = await Promise.all([
      indicators.logCounts(ids),
      sendingIds.length
        ? knex()(l.table)
            .whereIn(l.column('deliveryId'), sendingIds)
            .where(l.column('sentAt'), '>=', new Date(now.getTime() - THROUGHPUT_WINDOW_MS))
            .groupBy(l.column('deliveryId'))
            .select({ deliveryId: l.column('deliveryId') })
            .count({ n: '*' })
        : [],
      sendingIds.length
        ? knex()(l.table)
            .whereIn(l.column('deliveryId'), sendingIds)
            .where(l.column('status'), 'pending')
            .where((q) => q.whereNull(l.column('nextAttemptAt')).orWhere(l.column('nextAttemptAt'), '<=', now))
            .groupBy(l.column('deliveryId'))
            .select({ deliveryId: l.column('deliveryId') })
            .count({ n: '*' })
        : [],
    ]);
    const byDelivery = (list: Record<string, unknown>[]) =>
      new Map(list.map((row) => [Number(row.deliveryId), toCount(row.n)]));
    const sent = byDelivery(sentRows);
    const due = byDelivery(dueRows);

    const candidates: Array<{ candidate: AlertCandidate; row: DeliveryFactsRow }> = [];
    for (const row of rows) {
      const facts = factsOf(row);
      const logCounts = counts.get(facts.id);
      const activity = logCounts
        ? {
            indicators: indicators.fromLogCounts(logCounts),
            sentInWindow: sent.get(facts.id) ?? 0,
            duePending: due.get(facts.id) ?? 0,
          }
        : null;
      for (const candidate of periodicAlerts(facts, activity, settings, now)) candidates.push({ candidate, row });
    }
    return raiseAll(candidates, settings);
  };

  const runChecksNow = async (periodic: 'always' | 'when-due'): Promise<Alert[]> => {
    const settings = await config();
    const now = new Date();
    const raised = await sweepTransitions(settings, now);
    if (periodic === 'always' || now.getTime() - lastPeriodic >= settings.checkEveryMinutes * 60_000 - 1_000) {
      lastPeriodic = now.getTime();
      raised.push(...(await checkPeriodic(settings, now)));
    }
    return raised;
  };

  /**
   * One check at a time in this process: the cron task skips its minute while one runs, checkNow() waits for it and
   * then runs its own. Across processes the dedupe key keeps every alert single.
   */
  const runChecks = async (periodic: 'always' | 'when-due'): Promise<Alert[]> => {
    if (running) {
      if (periodic === 'when-due') return [];
      await running.catch(() => undefined);
    }
    const run = runChecksNow(periodic).finally(() => {
      if (running === run) running = null;
    });
    running = run;
    return run;
  };

  /** Transition alerts of one delivery (what the lifecycle hook runs). */
  const checkDelivery = async (deliveryId: number): Promise<Alert[]> => {
    const settings = await config();
    if (!settings.enabled) return [];
    const rows: DeliveryFactsRow[] = await deliveryQuery().where('id', deliveryId);
    return raiseAll(await transitionCandidates(rows, settings, new Date()), settings);
  };

  /**
   * The lifecycle hook's hand-off: the check runs after the write returned, and whatever happens in it is logged,
   * never thrown, so a write of a delivery can never fail because of an alert.
   */
  const deliveryWritten = (id: unknown): void => {
    try {
      const deliveryId = Number(id);
      if (stopped || !Number.isSafeInteger(deliveryId) || deliveryId <= 0) return;
      const job: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
        .then(() => checkDelivery(deliveryId))
        .catch((error) => logError(`checking delivery ${deliveryId} after a write failed`, error))
        .finally(() => handOffs.delete(job));
      handOffs.add(job);
    } catch (error) {
      logError('the delivery lifecycle hook failed', error);
    }
  };

  return {
    /** bootstrap(): the lifecycle hook, the cron task and the webhook event. */
    start() {
      stopped = false;
      unsubscribeLifecycles?.();
      unsubscribeLifecycles = strapi.db.lifecycles.subscribe({
        models: [UID.delivery],
        afterCreate: (event) => deliveryWritten(event.result?.id),
        afterUpdate: (event) => deliveryWritten(event.result?.id),
      });
      strapi.cron.add({
        [ALERTS_TASK]: {
          task: async () => {
            if (!stopped) await runChecks('when-due').catch((error) => logError('the periodic check failed', error));
          },
          options: { rule: '* * * * *' },
        },
      });
      try {
        (strapi.get('webhookStore') as WebhookStore | undefined)?.addAllowedEvent?.(ALERT_WEBHOOK_EVENT, ALERT_EVENT);
      } catch (error) {
        logError('could not offer the alert event to webhooks', error);
      }
    },

    /** destroy(): no more checks; hand-offs in progress finish (their emails go through the still-open messenger). */
    async stop() {
      stopped = true;
      strapi.cron.remove(ALERTS_TASK);
      unsubscribeLifecycles?.();
      unsubscribeLifecycles = null;
      await Promise.allSettled([...handOffs, running].filter(Boolean) as Promise<unknown>[]);
    },

    deliveryWritten,

    checkDelivery,

    /** Runs every check at once (the cron task runs them every minute, the periodic ones when due). */
    checkNow: () => runChecks('always'),

    /** Waits for the lifecycle hand-offs in progress (tests, shutdown). */
    async settled() {
      while (handOffs.size) await Promise.allSettled([...handOffs]);
    },

    async find(query: AlertListQuery) {
      const deliveryId = query.delivery
        ? (await getService(strapi, 'indicators').resolve(query.delivery)).id
        : undefined;
      return alertReads(strapi).find(query, deliveryId);
    },

    /** Alerts raised since `since`, newest first. */
    recent: (since: Date, limit = 50): Promise<Alert[]> => alertReads(strapi).recent(since, limit),
  };
};

export type AlertsService = ReturnType<typeof createAlertsService>;
export default createAlertsService;
