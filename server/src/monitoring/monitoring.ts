// Live monitoring: the deliveries that are sending, waiting or just ended, with their progress, throughput and
// errors, the alerts of the day, and the health of the transport (checked at most every 30 seconds).
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { THROUGHPUT_WINDOW_MS } from './alert-rules';
import type { MonitoredDelivery, MonitoringResponse, TransportHealth } from '../../../shared/contracts/monitoring';
import { toDate, toIso } from '../platform/dates';
import { getService } from '../platform/get-service';
import { knexOf, tableOf, toCount } from '../db/tables';
import { ACTIVE, BY_URGENCY, FINISHED } from '../../../shared/lifecycle';
import type { DeliveryFactsRow } from './delivery-facts';

/** A row of overview()'s query: the columns it selects, as the drivers return them. */
type OverviewRow = Omit<DeliveryFactsRow, 'preparedAt' | 'updatedAt'> & {
  estimatedRecipients: number | string | null;
  pauseReason: MonitoredDelivery['pauseReason'];
  nextProbeAt: Date | string | null;
};

const RECENT_MS = 24 * 60 * 60 * 1000;
export const TRANSPORT_CHECK_TTL_MS = 30_000;

const createMonitoringService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => knexOf(strapi);
  let transport: { value: TransportHealth; at: number } | null = null;
  let checking: Promise<TransportHealth> | null = null;

  /** messenger.verify(), remembered for 30 s; callers during a check share it. */
  const transportHealth = async (): Promise<TransportHealth> => {
    if (transport && Date.now() - transport.at < TRANSPORT_CHECK_TTL_MS) return transport.value;
    if (!checking) {
      checking = getService(strapi, 'messenger')
        .verify()
        .then((result): TransportHealth => ({ ...result, checkedAt: new Date().toISOString() }))
        .catch((error): TransportHealth => ({
          ok: false,
          error: String(error?.message ?? error),
          messenger: 'unknown',
          checkedAt: new Date().toISOString(),
        }))
        .then((value) => {
          transport = { value, at: Date.now() };
          return value;
        })
        .finally(() => {
          checking = null;
        });
    }
    return checking;
  };

  return {
    transportHealth,

    /** Forgets the cached transport check (after the settings changed). */
    invalidateTransport() {
      transport = null;
    },

    async overview(): Promise<MonitoringResponse['data']> {
      const now = new Date();
      const d = tableOf(strapi, UID.delivery);
      const l = tableOf(strapi, UID.deliveryLog);
      const rows: OverviewRow[] = await knex()(d.table)
        .where((q) =>
          q
            .whereIn(d.column('status'), ACTIVE)
            .orWhere((ended) =>
              ended
                .whereIn(d.column('status'), FINISHED)
                .where(d.column('finishedAt'), '>=', new Date(now.getTime() - RECENT_MS)),
            ),
        )
        .select({
          id: 'id',
          documentId: d.column('documentId'),
          name: d.column('name'),
          status: d.column('status'),
          scheduledAt: d.column('scheduledAt'),
          startedAt: d.column('startedAt'),
          finishedAt: d.column('finishedAt'),
          sendAfter: d.column('sendAfter'),
          sendRate: d.column('sendRate'),
          estimatedRecipients: d.column('estimatedRecipients'),
          lastError: d.column('lastError'),
          pauseReason: d.column('pauseReason'),
          nextProbeAt: d.column('nextProbeAt'),
        });
      const ids = rows.map((row) => Number(row.id));
      const [counts, sentRows, alerts, health] = await Promise.all([
        getService(strapi, 'indicators').logCounts(ids),
        ids.length
          ? knex()(l.table)
              .whereIn(l.column('deliveryId'), ids)
              .where(l.column('sentAt'), '>=', new Date(now.getTime() - THROUGHPUT_WINDOW_MS))
              .groupBy(l.column('deliveryId'))
              .select({ deliveryId: l.column('deliveryId') })
              .count({ n: '*' })
          : [],
        getService(strapi, 'alerts').recent(new Date(now.getTime() - RECENT_MS), 50),
        transportHealth(),
      ]);
      const sentInWindow = new Map(
        sentRows.map((row: Record<string, unknown>) => [Number(row.deliveryId), toCount(row.n)]),
      );

      const deliveries: MonitoredDelivery[] = rows.map((row) => {
        const id = Number(row.id);
        const c = counts.get(id)!;
        const toDo = c.targeted - c.excluded;
        const done = c.sent + c.failedHard + c.failedSoft + c.bounced + c.unknown;
        return {
          id,
          documentId: row.documentId,
          name: row.name,
          status: row.status,
          scheduledAt: toIso(row.scheduledAt),
          startedAt: toIso(row.startedAt),
          finishedAt: toIso(row.finishedAt),
          sendAfter: toIso(row.sendAfter),
          sendRate: row.sendRate == null ? null : Number(row.sendRate),
          estimatedRecipients: row.estimatedRecipients == null ? null : Number(row.estimatedRecipients),
          lastError: row.lastError ?? null,
          pauseReason: row.pauseReason ?? null,
          nextProbeAt: toIso(row.nextProbeAt),
          counters: {
            targeted: c.targeted,
            excluded: c.excluded,
            pending: c.pending,
            sent: c.sent,
            failedHard: c.failedHard,
            failedSoft: c.failedSoft,
            bounced: c.bounced,
            unknown: c.unknown,
          },
          progress: toDo > 0 ? Math.round((done / toDo) * 10_000) / 10_000 : 0,
          throughputPerMinute: Math.round(((sentInWindow.get(id) ?? 0) / (THROUGHPUT_WINDOW_MS / 60_000)) * 100) / 100,
          errors: { failedHard: c.failedHard, failedSoft: c.failedSoft, bounced: c.bounced, retrying: c.retrying },
          alerts: alerts.filter((alert) => alert.deliveryId === id),
        };
      });
      const time = (value: string | null) => toDate(value)?.getTime() ?? 0;
      deliveries.sort(
        (a, b) =>
          BY_URGENCY.indexOf(a.status) - BY_URGENCY.indexOf(b.status) ||
          time(b.finishedAt) - time(a.finishedAt) ||
          time(a.scheduledAt) - time(b.scheduledAt) ||
          b.id - a.id,
      );

      const activity = getService(strapi, 'sender').activity();
      const tracking = getService(strapi, 'tracker').stats();
      return {
        deliveries,
        alerts,
        transport: health,
        process: {
          sending: activity.sending,
          preparing: activity.preparing,
          tracking: { recorded: tracking.recorded, failed: tracking.failed, queued: tracking.queued },
        },
      };
    },
  };
};

export type MonitoringService = ReturnType<typeof createMonitoringService>;
export default createMonitoringService;
