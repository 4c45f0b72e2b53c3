// Bounces and complaints reported by mail providers after a message was accepted: matched to the delivery-log by
// Message-ID, then the log, its contact and the address's suppression updated together (hard bounce: quarantine;
// complaint: unsubscribe; both suppress the address the message went to, see audience/suppressions.ts).
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import type { BounceNotice } from './bounce-notifications';
import { CAMPAIGNS_EVENTS, type CampaignsEventName, type MessageEvent } from '../../../shared/contracts/events';
import { getService } from '../platform/get-service';

export interface BounceResult {
  received: number;
  matched: number;
  /** Notices naming a message no delivery-log has (another system's mail, or a log deleted since): acknowledged. */
  unmatched: number;
}

/** A delivery log as findLog() selects it. */
interface NoticeLog {
  id: number;
  deliveryId: number;
  contactId: number | null;
  email: string;
  messageId: string | null;
  status: string;
  failureType: string | null;
  bouncedAt: Date | string | null;
  complainedAt: Date | string | null;
}

/** A notice that matched but changes nothing worth an event (a repeated complaint). */
const NOTHING_NEW = { name: CAMPAIGNS_EVENTS.contactComplained, payload: null };

const eventOf = (log: NoticeLog, at: Date) => ({
  version: 1 as const,
  deliveryId: Number(log.deliveryId),
  deliveryLogId: Number(log.id),
  contactId: log.contactId == null ? null : Number(log.contactId),
  email: log.email ?? null,
  at: at.toISOString(),
});

/** The event of a notice, before its delivery's documentId is looked up. */
type NoticePayload = ReturnType<typeof eventOf> &
  Partial<Pick<MessageEvent, 'messageId' | 'failureType' | 'failureReason' | 'failureMessage'>>;
type NoticeEvent = { name: CampaignsEventName; payload: NoticePayload };

const createBouncesService = ({ strapi }: { strapi: Core.Strapi }) => {
  /** Events of the committed notices, with their deliveries' documentIds. */
  const publish = (committed: Array<NoticeEvent & { deliveryId: number }>) => {
    if (!committed.length) return;
    const events = getService(strapi, 'events');
    events.track(
      events.deliveryDocumentIds(committed.map((event) => event.deliveryId)).then((ids) => {
        events.publishMany(
          committed.map(({ name, payload, deliveryId }) => ({
            name,
            payload: { ...payload, deliveryDocumentId: ids.get(deliveryId) ?? null },
          })),
        );
      }),
    );
  };

  const logs = () => strapi.db.query(UID.deliveryLog);
  const contacts = () => strapi.db.query(UID.contact);
  const totals = { received: 0, matched: 0, unmatched: 0 };

  const LOG_FIELDS: Array<keyof NoticeLog> = [
    'id',
    'deliveryId',
    'contactId',
    'email',
    'messageId',
    'status',
    'failureType',
    'bouncedAt',
    'complainedAt',
  ];

  /** The log of a delivery's message to this address, for a report that kept X-Campaigns-Delivery but no Message-ID. */
  const findByDelivery = async (documentId: string, email: string): Promise<NoticeLog | null> => {
    const delivery: { id: number } | null = await strapi.db
      .query(UID.delivery)
      .findOne({ where: { documentId }, select: ['id'] });
    if (!delivery) return null;
    return logs().findOne({ where: { deliveryId: delivery.id, email: { $eqi: email } }, select: LOG_FIELDS });
  };

  /** The log of the message: Message-IDs are stored with or without angle brackets, both are tried. */
  const findLog = async (notice: BounceNotice) => {
    const candidates = notice.messageIds.flatMap((id) => [id, `<${id}>`]);
    const found: NoticeLog[] = candidates.length
      ? await logs().findMany({ where: { messageId: { $in: candidates } }, select: LOG_FIELDS, limit: 10 })
      : [];
    if (!found.length && notice.deliveryDocumentId && notice.email)
      return findByDelivery(notice.deliveryDocumentId, notice.email);
    if (found.length <= 1 || !notice.email) return found[0] ?? null;
    const email = notice.email.toLowerCase();
    return found.find((log) => String(log.email).toLowerCase() === email) ?? found[0];
  };

  /** Applies one notice; returns the event it is worth once committed (null: no known message). */
  const applyOne = async (notice: BounceNotice) =>
    strapi.db.transaction(async (): Promise<NoticeEvent | typeof NOTHING_NEW | null> => {
      const log = await findLog(notice);
      if (!log) return null;
      const at = notice.at ?? new Date();
      const suppressions = getService(strapi, 'suppressions');
      const contact = await suppressions.contactOf(log, ['id', 'status']);

      if (notice.kind === 'complaint') {
        const firstComplaint = !log.complainedAt;
        if (firstComplaint) await logs().update({ where: { id: log.id }, data: { complainedAt: at } });
        await suppressions.add([log.email], 'complaint', Number(log.deliveryId));
        // The recipient said "spam": they must get nothing more, whatever their status was.
        if (contact && contact.status !== 'unsubscribed') {
          await contacts().update({
            where: { id: contact.id },
            data: { status: 'unsubscribed', statusReason: 'complaint (reported as spam)', statusChangedAt: new Date() },
          });
        }
        return firstComplaint ? { name: CAMPAIGNS_EVENTS.contactComplained, payload: eventOf(log, at) } : NOTHING_NEW;
      }

      const hard = notice.bounceType === 'hard';
      // A soft bounce never overwrites a hard one: the address is known to be bad.
      if (hard || !(log.status === 'bounced' && log.failureType === 'hard')) {
        await logs().update({
          where: { id: log.id },
          data: {
            status: 'bounced',
            failureType: hard ? 'hard' : 'soft',
            failureReason: notice.failureReason ?? 'other',
            failureMessage: notice.message,
            bouncedAt: log.bouncedAt ?? at,
          },
        });
      }
      if (hard) await suppressions.add([log.email], 'hard_bounce', Number(log.deliveryId));
      // Quarantine only a subscribed contact: an unsubscribed one gets nothing already, and keeps its own choice.
      if (hard && contact?.status === 'subscribed') {
        await contacts().update({
          where: { id: contact.id },
          data: {
            status: 'quarantined',
            statusReason: `hard bounce: ${notice.failureReason ?? 'other'}`,
            statusChangedAt: new Date(),
          },
        });
      }
      return {
        name: CAMPAIGNS_EVENTS.messageBounced,
        payload: {
          ...eventOf(log, at),
          messageId: log.messageId ?? null,
          failureType: hard ? 'hard' : 'soft',
          failureReason: notice.failureReason ?? 'other',
          failureMessage: notice.message ?? null,
        },
      };
    });

  return {
    async apply(notices: BounceNotice[]): Promise<BounceResult> {
      const result: BounceResult = { received: notices.length, matched: 0, unmatched: 0 };
      const committed: Array<NoticeEvent & { deliveryId: number }> = [];
      for (const notice of notices) {
        const event = await applyOne(notice);
        if (!event) {
          result.unmatched += 1;
          continue;
        }
        result.matched += 1;
        if (event !== NOTHING_NEW && event.payload) committed.push({ ...event, deliveryId: event.payload.deliveryId });
      }
      publish(committed);
      totals.received += result.received;
      totals.matched += result.matched;
      totals.unmatched += result.unmatched;
      if (result.unmatched > 0) {
        strapi.log.info(`[campaigns] bounces: ${result.unmatched} of ${result.received} notices name no known message`);
      }
      return result;
    },

    /** Counts since start (monitoring). */
    totals: () => ({ ...totals }),
  };
};

export type BouncesService = ReturnType<typeof createBouncesService>;
export default createBouncesService;
