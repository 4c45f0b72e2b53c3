// Suppressions: addresses that must get no more messages, kept by normalised email in their own table so that they
// outlive the contact. Written when a person unsubscribes, hard bounces or complains (and when an admin marks a contact
// unsubscribed); read when the audience is prepared and whenever a contact is created, so that deleting and re-adding
// a person never makes them reachable again. Only an admin with the settings action lifts one (routes/admin.ts).
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID, type ContactStatus, type SuppressionReason } from '../../../shared/constants';
import { normalizeEmail } from '../platform/email-address';
import { chunked, CHUNK_SIZE } from '../db/chunks';
import { insertSuppressions } from '../db/suppressions';
import { toPagination } from '../platform/pagination';
import { csvLine } from '../../../shared/csv';
import type { SuppressionAddResult } from '../../../shared/suppression-input';
import { readSuppressionFile } from './suppression-file';
import { erasedAddressKey } from './erased-address';

const REASON_LABELS: Record<SuppressionReason, string> = {
  unsubscribed: 'unsubscribed',
  hard_bounce: 'hard bounce',
  complaint: 'complaint (reported as spam)',
  manual: 'marked unsubscribed by an admin',
  erased: 'erased on request',
};

export interface Suppression {
  reason: SuppressionReason;
  createdAt: Date | string;
}

export interface SuppressionQuery {
  page: number;
  pageSize: number;
  sort: string;
  search?: string;
  reason?: SuppressionReason;
}

/** A search by text; a whole address also finds its erased hash, so an admin can check whether a person was erased. */
const searchFilter = (search: string) =>
  search.includes('@')
    ? { $or: [{ email: { $containsi: search } }, { email: erasedAddressKey(search) }] }
    : { email: { $containsi: search } };

/** The status a contact with a suppressed address is given (and kept at), with the reason shown to admins. */
export const suppressedStatus = (suppression: Suppression): { status: ContactStatus; statusReason: string } => ({
  status: suppression.reason === 'hard_bounce' ? 'quarantined' : 'unsubscribed',
  statusReason: `suppressed address: ${REASON_LABELS[suppression.reason]} (${new Date(suppression.createdAt).toISOString().slice(0, 10)})`,
});

const createSuppressionsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const rows = () => strapi.db.query(UID.suppression);

  return {
    /**
     * Suppresses the addresses. An address already suppressed keeps its first record (insert-or-ignore on the unique
     * email, so concurrent writers never fail); runs in the caller's transaction when there is one.
     */
    async add(
      emails: Array<string | null | undefined>,
      reason: SuppressionReason,
      deliveryId: number | null = null,
      note: string | null = null,
    ) {
      const unique = [...new Set(emails.filter((email): email is string => Boolean(email)).map(normalizeEmail))];
      if (!unique.length) return;
      await strapi.db.transaction(({ trx }) =>
        insertSuppressions(strapi, trx, { emails: unique, reason, deliveryId, note }),
      );
    },

    /**
     * At start, while the list is empty (the first start of a version that has it): suppresses the addresses of the
     * contacts already unsubscribed (or quarantined, by hard bounces), so that opt-outs recorded before the upgrade
     * survive a deletion too. Idempotent, and cheap once the list holds a row.
     */
    async fillFromContacts() {
      if ((await rows().count({})) > 0) return;
      const contacts = strapi.db.query(UID.contact);
      let after = 0;
      let filled = 0;
      for (;;) {
        const page = await contacts.findMany({
          where: { id: { $gt: after }, status: { $in: ['unsubscribed', 'quarantined'] } },
          select: ['id', 'email', 'status', 'statusReason'],
          orderBy: { id: 'asc' },
          limit: CHUNK_SIZE,
        });
        if (!page.length) break;
        const byReason = new Map<SuppressionReason, string[]>();
        for (const contact of page) {
          const reason: SuppressionReason =
            contact.status === 'quarantined'
              ? 'hard_bounce'
              : /complaint/.test(contact.statusReason ?? '')
                ? 'complaint'
                : 'unsubscribed';
          byReason.set(reason, [...(byReason.get(reason) ?? []), String(contact.email)]);
        }
        for (const [reason, emails] of byReason)
          await this.add(emails, reason, null, 'from the contact status before suppressions existed');
        filled += page.length;
        after = Number(page[page.length - 1].id);
      }
      if (filled)
        strapi.log.info(`[campaigns] suppression list filled from ${filled} unsubscribed or quarantined contacts`);
    },

    /** Removes the addresses' suppressions written for this reason (the others stay). */
    async remove(emails: string[], reason: SuppressionReason) {
      if (emails.length) await rows().deleteMany({ where: { email: { $in: emails.map(normalizeEmail) }, reason } });
    },

    /**
     * The suppressed addresses among these (by normalised email), each with its record. An address erased on request
     * is kept only as its hash (audience/erased-address.ts), so each address is looked up in both forms, the hashed
     * one only while an erasure is on the list: a key looked up costs as much as a row read, and an audience's pages
     * ask for thousands (bench/segments.js).
     */
    async find(emails: string[]): Promise<Map<string, Suppression>> {
      const unique = [...new Set(emails.map(normalizeEmail))];
      const anyErased =
        unique.length > 0 && Boolean(await rows().findOne({ where: { reason: 'erased' }, select: ['id'] }));
      const addressOf = new Map<string, string>();
      for (const email of unique) {
        addressOf.set(email, email);
        if (anyErased) addressOf.set(erasedAddressKey(email), email);
      }
      const found = new Map<string, Suppression>();
      for (const part of chunked([...addressOf.keys()])) {
        const page = await rows().findMany({
          where: { email: { $in: part } },
          select: ['email', 'reason', 'createdAt'],
        });
        for (const row of page) {
          const email = addressOf.get(String(row.email)) ?? String(row.email);
          if (!found.has(email) || row.reason !== 'erased')
            found.set(email, { reason: row.reason, createdAt: row.createdAt });
        }
      }
      return found;
    },

    /** For new contacts: the status each suppressed address among these must be given (absent: the address is free). */
    async statusesOf(emails: string[]): Promise<Map<string, ReturnType<typeof suppressedStatus>>> {
      const found = await this.find(emails);
      return new Map([...found].map(([email, suppression]) => [email, suppressedStatus(suppression)]));
    },

    /**
     * The contact a message was sent to: the one the delivery log names, or, when it was deleted since, the contact
     * re-created with the address the message went to (an old message's link then reaches the person, not nobody).
     */
    async contactOf(log: { contactId?: number | null; email?: string | null }, select: string[]) {
      const contacts = strapi.db.query(UID.contact);
      const byId = log.contactId ? await contacts.findOne({ where: { id: log.contactId }, select }) : null;
      if (byId || !log.email) return byId;
      return contacts.findOne({ where: { email: normalizeEmail(log.email) }, select });
    },

    /** A page of suppressions (admin list). */
    async list(query: SuppressionQuery) {
      const filters: Record<string, unknown>[] = [];
      if (query.search) filters.push(searchFilter(query.search));
      if (query.reason) filters.push({ reason: query.reason });
      const where = filters.length ? { $and: filters } : {};
      const [field, order] = query.sort.split(':');
      const [data, total] = await Promise.all([
        rows().findMany({
          where,
          orderBy: [{ [field]: order }, { id: order }],
          offset: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
          select: ['documentId', 'email', 'reason', 'deliveryId', 'note', 'createdAt'],
        }),
        rows().count({ where }),
      ]);
      return { data, meta: { pagination: toPagination(query.page, query.pageSize, total) } };
    },

    /**
     * An admin suppresses addresses by hand (reason `manual`, with their note): contacts with these addresses that
     * could still be reached become unsubscribed, with the reason shown on them.
     */
    async suppress(emails: string[], note: string | null = null): Promise<SuppressionAddResult> {
      const unique = [...new Set(emails.map(normalizeEmail))];
      const before = await this.find(unique);
      await this.add(unique, 'manual', null, note);
      const status = suppressedStatus({ reason: 'manual', createdAt: new Date() });
      let contactsUnsubscribed = 0;
      for (const part of chunked(unique)) {
        const { count } = await strapi.db.query(UID.contact).updateMany({
          where: { email: { $in: part }, status: 'subscribed' },
          data: { ...status, statusChangedAt: new Date() },
        });
        contactsUnsubscribed += Number(count);
      }
      return { added: unique.length - before.size, alreadySuppressed: before.size, contactsUnsubscribed, rejected: [] };
    },

    /** A suppression list file (audience/suppression-file.ts): its addresses suppressed, its bad lines answered. */
    async importFile(filePath: string, note: string | null): Promise<SuppressionAddResult> {
      const file = await readSuppressionFile(filePath);
      if (!file.emails.length)
        throw new errors.ValidationError(
          file.rejected.length
            ? `No line of the file is an email address (line ${file.rejected[0].line}: ${file.rejected[0].problem}). Nothing was saved.`
            : 'The file is empty. Nothing was saved.',
        );
      return { ...(await this.suppress(file.emails, note)), rejected: file.rejected };
    },

    /** Every suppression as CSV lines (header first), read page by page in id order: memory stays flat. */
    async *csvLines(query: Pick<SuppressionQuery, 'search' | 'reason'>): AsyncGenerator<string> {
      yield csvLine(['email', 'reason', 'note', 'created_at']);
      let after = 0;
      for (;;) {
        const filters: Record<string, unknown>[] = [{ id: { $gt: after } }];
        if (query.search) filters.push(searchFilter(query.search));
        if (query.reason) filters.push({ reason: query.reason });
        const page = await rows().findMany({
          where: { $and: filters },
          orderBy: { id: 'asc' },
          limit: CHUNK_SIZE,
          select: ['id', 'email', 'reason', 'note', 'createdAt'],
        });
        if (!page.length) return;
        for (const row of page)
          yield csvLine([row.email, row.reason, row.note ?? '', new Date(row.createdAt).toISOString()]);
        after = Number(page[page.length - 1].id);
      }
    },

    /** Lifts a suppression: the address may be resubscribed again (its contact keeps its status until then). */
    async lift(documentId: string) {
      const found = await rows().findOne({ where: { documentId }, select: ['id', 'documentId', 'email', 'reason'] });
      if (!found) throw new errors.NotFoundError(`No suppression with id "${documentId}".`);
      await rows().delete({ where: { id: found.id } });
      strapi.log.info(`[campaigns] suppression of ${found.email} (${found.reason}) lifted by an admin`);
      return { documentId: found.documentId, email: found.email, reason: found.reason };
    },
  };
};

export type SuppressionsService = ReturnType<typeof createSuppressionsService>;
export default createSuppressionsService;
