// What the send engine and the delivery actions report once a write is committed: a delivery's status changed, or a
// batch of messages was recorded. The engine writes through knex, so no lifecycle hook sees these writes: this is
// where the alerts hear of them at once (not at the next minute's check), and where their events are emitted.
// Nothing here can fail or slow the write that called it: the work runs on a later turn, errors are logged.
import type { Core } from '@strapi/strapi';
import { UID, type DeliveryStatus } from '../../../shared/constants';
import {
  CAMPAIGNS_EVENTS,
  type CampaignsEventName,
  type DeliveryEvent,
  type MessageEvent,
} from '../../../shared/contracts/events';
import type { SendOutcome, SendStore } from './types';
import { getService } from '../platform/get-service';
import { toIso } from '../platform/dates';
import { COUNTED } from '../../../shared/lifecycle';

export interface StatusChangeDetails {
  error?: string | null;
  scheduledAt?: Date | null;
  stage?: 'preparation' | 'sending';
}

/** The recipient of a recorded outcome, as it was claimed. */
export interface RecordedRecipient {
  email: string;
  contactId: number | null;
  messageId: string;
}

/** The events of a delivery's status changes, whose payload is a DeliveryEvent. */
type DeliveryEventName = Extract<CampaignsEventName, `campaigns.delivery.${string}`>;

/** The event of a status change, or null when the change is not one developers are told of (back to draft). */
export const deliveryEventOf = (from: DeliveryStatus, to: DeliveryStatus): DeliveryEventName | null => {
  switch (to) {
    case 'scheduled':
      return CAMPAIGNS_EVENTS.deliveryScheduled;
    case 'preparing':
      return CAMPAIGNS_EVENTS.deliveryStarted;
    case 'sending':
      return from === 'preparing' ? CAMPAIGNS_EVENTS.deliveryPrepared : CAMPAIGNS_EVENTS.deliveryResumed;
    case 'paused':
      return CAMPAIGNS_EVENTS.deliveryPaused;
    case 'sent':
      return CAMPAIGNS_EVENTS.deliveryFinished;
    case 'failed':
      return CAMPAIGNS_EVENTS.deliveryFailed;
    case 'cancelled':
      return CAMPAIGNS_EVENTS.deliveryCancelled;
    default:
      return null;
  }
};

const WITH_COUNTERS = new Set<DeliveryStatus>(COUNTED);

const createDeliveryEventsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const logError = (what: string, error: unknown) =>
    strapi.log.error(
      `[campaigns] delivery events: ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );

  const buildDeliveryEvent = async (
    deliveryId: number,
    from: DeliveryStatus,
    to: DeliveryStatus,
    details: StatusChangeDetails,
    at: Date,
  ): Promise<DeliveryEvent | null> => {
    const row = await strapi.db.query(UID.delivery).findOne({
      where: { id: deliveryId },
      select: ['id', 'documentId', 'name', 'lastError', 'scheduledAt'],
    });
    if (!row) return null;
    const event: DeliveryEvent = {
      version: 1,
      delivery: { id: Number(row.id), documentId: row.documentId, name: row.name ?? '' },
      status: to,
      previousStatus: from,
      at: at.toISOString(),
    };
    if (WITH_COUNTERS.has(to)) {
      const counters = (await getService(strapi, 'deliveries').countersFor([deliveryId])).get(deliveryId);
      if (counters) event.counters = counters;
    }
    if (to === 'failed') {
      event.error = details.error ?? row.lastError ?? undefined;
      event.stage = details.stage ?? 'sending';
    }
    if (to === 'scheduled') event.scheduledAt = toIso(details.scheduledAt ?? row.scheduledAt) ?? undefined;
    return event;
  };

  const messagesRecorded = (
    deliveryId: number,
    outcomes: SendOutcome[],
    recipients: Map<number, RecordedRecipient>,
  ): void => {
    const final = outcomes.filter((outcome) => outcome.kind !== 'retry');
    if (!final.length) return;
    const events = getService(strapi, 'events');
    events.track(
      events
        .deliveryDocumentIds([deliveryId])
        .then((documentIds) => {
          const deliveryDocumentId = documentIds.get(deliveryId) ?? '';
          const now = new Date().toISOString();
          events.publishMany(
            final.flatMap((outcome): Array<{ name: CampaignsEventName; payload: MessageEvent }> => {
              const recipient = recipients.get(outcome.logId);
              if (!recipient) return [];
              const base = {
                version: 1 as const,
                deliveryId,
                deliveryDocumentId,
                deliveryLogId: outcome.logId,
                contactId: recipient.contactId,
                email: recipient.email,
              };
              if (outcome.kind === 'sent') {
                const payload: MessageEvent = {
                  ...base,
                  messageId: outcome.messageId ?? recipient.messageId,
                  at: outcome.at.toISOString(),
                };
                return [{ name: CAMPAIGNS_EVENTS.messageSent, payload }];
              }
              if (outcome.kind !== 'failed') return [];
              const payload: MessageEvent = {
                ...base,
                messageId: recipient.messageId,
                at: now,
                failureType: outcome.failure.failureType,
                failureReason: outcome.failure.failureReason,
                failureMessage: outcome.failure.message.slice(0, 500),
              };
              return [{ name: CAMPAIGNS_EVENTS.messageFailed, payload }];
            }),
          );
        })
        .catch((error) => logError(`could not emit the messages of delivery ${deliveryId}`, error)),
    );
  };

  return {
    /**
     * The send engine's store, seen from outside: who was claimed is remembered until their outcome is committed,
     * then their message events are emitted. The engine and the store stay unaware of events.
     */
    observe(store: SendStore, deliveryId: number): SendStore {
      const claimed = new Map<number, RecordedRecipient>();
      return {
        async claim(id, limit, messageIdFor) {
          const batch = await store.claim(id, limit, messageIdFor);
          for (const r of batch)
            claimed.set(r.logId, { email: r.contact.email, contactId: r.contactId, messageId: r.messageId });
          return batch;
        },
        async record(id, outcomes, sending) {
          await store.record(id, outcomes, sending);
          try {
            const recipients = new Map<number, RecordedRecipient>();
            for (const outcome of outcomes) {
              const recipient = claimed.get(outcome.logId);
              if (recipient) recipients.set(outcome.logId, recipient);
              // A retry is claimed again later (and remembered again then).
              claimed.delete(outcome.logId);
            }
            messagesRecorded(deliveryId, outcomes, recipients);
          } catch (error) {
            logError(`could not report the messages of delivery ${deliveryId}`, error);
          }
        },
        async release(logIds) {
          await store.release(logIds);
          for (const id of logIds) claimed.delete(id);
        },
        renew: (logIds) => store.renew(logIds),
      };
    },

    /**
     * A delivery went from `from` to `to` (the caller's conditional update won). The alerts check the delivery at
     * once, and the delivery's event is emitted with its counters.
     */
    statusChanged(
      deliveryId: number,
      from: DeliveryStatus,
      to: DeliveryStatus,
      details: StatusChangeDetails = {},
    ): void {
      const at = new Date();
      try {
        getService(strapi, 'alerts').deliveryWritten(deliveryId);
      } catch (error) {
        logError(`the alerts could not be told of delivery ${deliveryId}`, error);
      }
      const name = deliveryEventOf(from, to);
      if (!name) return;
      const events = getService(strapi, 'events');
      events.track(
        new Promise((resolve) => setImmediate(resolve))
          .then(() => buildDeliveryEvent(deliveryId, from, to, details, at))
          .then((payload) => {
            if (payload) events.publish(name, payload);
          })
          .catch((error) => logError(`could not describe the ${to} delivery ${deliveryId}`, error)),
      );
    },

    messagesRecorded,
  };
};

export type DeliveryEventsService = ReturnType<typeof createDeliveryEventsService>;
export default createDeliveryEventsService;
