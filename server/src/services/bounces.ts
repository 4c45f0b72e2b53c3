// Bounces and complaints reported by mail providers after a message was accepted: matched to the delivery-log by
// Message-ID, then the log and its contact updated together (hard bounce: quarantine; complaint: unsubscribe).
import type { Core } from '@strapi/strapi';
import { UID } from '../constants';
import type { BounceNotice } from '../lib/bounce-notifications';

export interface BounceResult {
  received: number;
  matched: number;
  /** Notices naming a message no delivery-log has (another system's mail, or a log deleted since): acknowledged. */
  unmatched: number;
}

const createBouncesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const logs = () => strapi.db.query(UID.deliveryLog);
  const contacts = () => strapi.db.query(UID.contact);
  const totals = { received: 0, matched: 0, unmatched: 0 };

  /** The log of the message: Message-IDs are stored with or without angle brackets, both are tried. */
  const findLog = async (notice: BounceNotice) => {
    const candidates = notice.messageIds.flatMap((id) => [id, `<${id}>`]);
    const found = await logs().findMany({
      where: { messageId: { $in: candidates } },
      select: ['id', 'contactId', 'email', 'status', 'failureType', 'bouncedAt', 'complainedAt'],
      limit: 10,
    });
    if (found.length <= 1 || !notice.email) return found[0] ?? null;
    const email = notice.email.toLowerCase();
    return found.find((log: any) => String(log.email).toLowerCase() === email) ?? found[0];
  };

  const applyOne = async (notice: BounceNotice): Promise<boolean> =>
    strapi.db.transaction(async () => {
      const log = await findLog(notice);
      if (!log) return false;
      const at = notice.at ?? new Date();
      const contact = log.contactId
        ? await contacts().findOne({ where: { id: log.contactId }, select: ['id', 'status'] })
        : null;

      if (notice.kind === 'complaint') {
        if (!log.complainedAt) await logs().update({ where: { id: log.id }, data: { complainedAt: at } });
        // The recipient said "spam": they must get nothing more, whatever their status was.
        if (contact && contact.status !== 'unsubscribed') {
          await contacts().update({
            where: { id: contact.id },
            data: { status: 'unsubscribed', statusReason: 'complaint (reported as spam)', statusChangedAt: new Date() },
          });
        }
        return true;
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
      return true;
    });

  return {
    async apply(notices: BounceNotice[]): Promise<BounceResult> {
      const result: BounceResult = { received: notices.length, matched: 0, unmatched: 0 };
      for (const notice of notices) {
        if (await applyOne(notice)) result.matched += 1;
        else result.unmatched += 1;
      }
      totals.received += result.received;
      totals.matched += result.matched;
      totals.unmatched += result.unmatched;
      if (result.unmatched > 0) {
        strapi.log.info(`[campaigns] bounce webhook: ${result.unmatched} of ${result.received} notices name no known message`);
      }
      return result;
    },

    /** Counts since start (monitoring). */
    totals: () => ({ ...totals }),
  };
};

export type BouncesService = ReturnType<typeof createBouncesService>;
export default createBouncesService;
