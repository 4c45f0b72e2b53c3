// Unsubscribing and resubscribing from a message's link: the contact's status, the delivery-log's unsubscribedAt,
// the address's suppression and the 'unsubscribe' tracking event are written together, in one transaction. The
// suppression is kept by the address the message went to, so it holds even when the contact was deleted since.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { classifyHit } from './classify';
import { normalizeEmail } from '../platform/email-address';
import { anonymizeIp, normalizeIp } from '../platform/ip';
import type { TokenPayload } from '../platform/tokens';
import { createDocumentId } from '../platform/document-id';
import { getService } from '../platform/get-service';
import { consentIp } from '../audience/consents';
import { CAMPAIGNS_EVENTS, type ContactEvent } from '../../../shared/contracts/events';

export interface Recipient {
  email: string;
  locale: string | null;
  unsubscribed: boolean;
  /** A test send or preview (deliveryLogId 0): shown, never changed. */
  preview: boolean;
}

export type UnsubscribeSource = 'one_click' | 'page';

export interface RequestFacts {
  userAgent: string;
  ip: string;
  /** The page the person acted on, for the status reason and the consent record: the unsubscribe page by default. */
  via?: 'preferences';
  /** The words of the button they pressed, kept in the consent record. */
  wording?: string;
}

/** A delivery log as findLog() selects it. */
interface MessageLog {
  id: number;
  deliveryId: number;
  contactId: number | null;
  email: string;
  unsubscribedAt: Date | string | null;
  firstOpenedAt: Date | string | null;
}

/** A contact as findContact() selects it. */
interface MessageContact {
  id: number;
  email: string;
  locale: string | null;
  status: string;
}

const PREVIEW_RECIPIENT: Recipient = { email: 'you@example.com', locale: null, unsubscribed: false, preview: true };

const STATUS_REASONS: Record<UnsubscribeSource, string> = {
  one_click: 'one-click unsubscribe (List-Unsubscribe-Post)',
  page: 'unsubscribe page',
};
const PREFERENCES_REASON = 'preference centre';

/** Where the consent record says the person acted. */
const consentSource = (source: UnsubscribeSource, request: Partial<RequestFacts>) =>
  request.via === 'preferences' ? PREFERENCES_REASON : STATUS_REASONS[source];

const createUnsubscriptionsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const logs = () => strapi.db.query(UID.deliveryLog);
  const contacts = () => strapi.db.query(UID.contact);

  /** The log a token names, if it still exists and belongs to the token's delivery. */
  const findLog = (payload: TokenPayload): Promise<MessageLog | null> =>
    logs().findOne({
      where: { id: payload.deliveryLogId, deliveryId: payload.deliveryId },
      select: ['id', 'deliveryId', 'contactId', 'email', 'unsubscribedAt', 'firstOpenedAt'],
    });

  const suppressions = () => getService(strapi, 'suppressions');
  const findContact = (log: MessageLog): Promise<MessageContact | null> =>
    suppressions().contactOf(log, ['id', 'email', 'locale', 'status']);

  const toRecipient = (log: MessageLog, contact: MessageContact | null): Recipient => ({
    email: contact?.email ?? log.email,
    locale: contact?.locale ?? null,
    unsubscribed: contact ? contact.status === 'unsubscribed' : log.unsubscribedAt != null,
    preview: false,
  });

  return {
    /** Who the page is for; null when the token names no existing message (answered 404). */
    async recipient(payload: TokenPayload): Promise<Recipient | null> {
      if (payload.deliveryLogId === 0) return PREVIEW_RECIPIENT;
      const log = await findLog(payload);
      if (!log) return null;
      return toRecipient(log, await findContact(log));
    },

    /**
     * Unsubscribes the message's contact at once. Idempotent: a second request (mail providers may repeat the
     * one-click POST) changes nothing and adds no second event, unless the contact had resubscribed in between.
     */
    async unsubscribe(
      payload: TokenPayload,
      source: UnsubscribeSource,
      request: RequestFacts,
    ): Promise<Recipient | null> {
      if (payload.deliveryLogId === 0) return { ...PREVIEW_RECIPIENT, unsubscribed: true };
      const privacy = await getService(strapi, 'tracker').trackingSettings();
      let reaction: ContactEvent | null = null;

      const keepIp = (await getService(strapi, 'settings').get()).subscribe.storeConsentIp;
      const result = await strapi.db.transaction(async () => {
        const log = await findLog(payload);
        if (!log) return null;
        const contact = await findContact(log);
        const now = new Date();
        await suppressions().add([log.email, contact?.email], 'unsubscribed', payload.deliveryId);

        // Conditional updates (WHERE ... IS NULL) rather than read-then-write: two concurrent requests cannot both win.
        const { count: firstForMessage } = await logs().updateMany({
          where: { id: log.id, unsubscribedAt: null },
          data: { unsubscribedAt: now },
        });
        // An unsubscription proves the message was opened (docs/ARCHITECTURE.md, unique counts from delivery-log
        // columns); counts only, not a contact link.
        // It is a person's act (never a bot's, see below), so it counts as a human open too.
        if (privacy.individualTracking) {
          await logs().updateMany({ where: { id: log.id, firstOpenedAt: null }, data: { firstOpenedAt: now } });
          await logs().updateMany({ where: { id: log.id, humanOpenedAt: null }, data: { humanOpenedAt: now } });
        }
        const wasSubscribed = contact !== null && contact.status !== 'unsubscribed';
        if (wasSubscribed) {
          await contacts().update({
            where: { id: contact.id },
            data: {
              status: 'unsubscribed',
              statusReason: request.via === 'preferences' ? PREFERENCES_REASON : STATUS_REASONS[source],
              statusChangedAt: now,
            },
          });
        }
        if (contact && (firstForMessage > 0 || wasSubscribed)) {
          await getService(strapi, 'consents').record({
            contactId: contact.id,
            action: 'unsubscribe',
            source: consentSource(source, request),
            wording: request.wording ?? null,
            ip: consentIp(request.ip, keepIp),
            userAgent: request.userAgent,
            locale: contact.locale,
            at: now,
          });
        }

        if (firstForMessage > 0 || wasSubscribed) {
          const flags = classifyHit({ type: 'unsubscribe', userAgent: request.userAgent, ip: request.ip });
          const ip = !privacy.storeIp
            ? null
            : (privacy.anonymizeIp ? anonymizeIp(request.ip) : normalizeIp(request.ip)) || null;
          await strapi.db.query(UID.trackingLog).create({
            data: {
              documentId: createDocumentId(),
              deliveryId: payload.deliveryId,
              deliveryLogId: privacy.individualTracking ? log.id : null,
              contactId: privacy.individualTracking ? (log.contactId ?? null) : null,
              type: 'unsubscribe',
              at: now,
              userAgent: request.userAgent ? request.userAgent.slice(0, 512) : null,
              device: flags.device,
              os: flags.os,
              client: flags.client,
              // A POST is a person's decision (a scanner follows links, it does not submit forms; the one-click POST
              // is the mail provider acting on its user's button): never a bot, whatever the user agent says.
              isBot: false,
              isMachineOpen: false,
              ip,
              publishedAt: now,
            },
          });
          reaction = {
            version: 1,
            deliveryId: payload.deliveryId,
            deliveryDocumentId: null,
            deliveryLogId: privacy.individualTracking ? log.id : null,
            contactId: log.contactId ?? null,
            email: contact?.email ?? log.email ?? null,
            at: now.toISOString(),
            source,
          };
        }
        return { ...toRecipient(log, contact), unsubscribed: true };
      });
      // Once committed: the event names the delivery by documentId too.
      if (reaction) {
        const event: ContactEvent = reaction;
        const events = getService(strapi, 'events');
        events.track(
          events.deliveryDocumentIds([payload.deliveryId]).then((ids) => {
            events.publish(CAMPAIGNS_EVENTS.contactUnsubscribed, {
              ...event,
              deliveryDocumentId: ids.get(payload.deliveryId) ?? null,
            });
          }),
        );
      }
      return result;
    },

    /**
     * Undoes an unsubscription from the page: the person's own act lifts the suppression their unsubscription wrote.
     * Only an unsubscribed contact is changed, never a quarantined one, nor one whose address is suppressed for
     * another reason (a complaint, a hard bounce, an admin's decision).
     */
    async resubscribe(payload: TokenPayload, request: Partial<RequestFacts> = {}): Promise<Recipient | null> {
      if (payload.deliveryLogId === 0) return PREVIEW_RECIPIENT;
      const keepIp = (await getService(strapi, 'settings').get()).subscribe.storeConsentIp;
      return strapi.db.transaction(async () => {
        const log = await findLog(payload);
        if (!log) return null;
        const contact = await findContact(log);
        const addresses = [log.email, contact?.email]
          .filter((email): email is string => Boolean(email))
          .map(normalizeEmail);
        await suppressions().remove(addresses, 'unsubscribed');
        if ((await suppressions().find(addresses)).size > 0)
          return { ...toRecipient(log, contact), unsubscribed: true };
        if (contact?.status === 'unsubscribed') {
          const now = new Date();
          const via = request.via === 'preferences' ? PREFERENCES_REASON : STATUS_REASONS.page;
          await contacts().update({
            where: { id: contact.id },
            data: { status: 'subscribed', statusReason: `resubscribed from the ${via}`, statusChangedAt: now },
          });
          await getService(strapi, 'consents').record({
            contactId: contact.id,
            action: 'resubscribe',
            source: via,
            wording: request.wording ?? null,
            ip: consentIp(request.ip, keepIp),
            userAgent: request.userAgent,
            locale: contact.locale,
            at: now,
          });
        }
        // The message's unsubscribedAt stays: it happened, and the unsubscription indicators count it.
        return { ...toRecipient(log, contact), unsubscribed: false };
      });
    },
  };
};

export type UnsubscriptionsService = ReturnType<typeof createUnsubscriptionsService>;
export default createUnsubscriptionsService;
