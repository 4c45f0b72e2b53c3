// The audience: a delivery's lists and segments of the app's audience sources (and an optional filter) resolved page
// by page into delivery logs, pending or excluded with their reason. Resumable: a page is written in one statement
// batch inside one transaction, and a run starts after the last contact already logged; a unique index (delivery,
// contact, list) makes a repeated page of a list a no-op (segments keep their own cursor: see resolveSegments).
import type { Core } from '@strapi/strapi';
import type { ExclusionReason } from '../../../shared/constants';
import { emailProblem, normalizeEmail } from '../platform/email-address';
import type { AudienceFilter } from '../../../shared/contracts/deliveries';
import type { AudienceSegmentRef, SourceRecipient } from '../audience/source-types';
import { getService } from '../platform/get-service';
import {
  createAudienceStore,
  type AudienceContact,
  type NewContact,
  type NewLog,
  type SegmentCursor,
} from './audience-store';

const PAGE_SIZE = 1000;
/** A page read from an app's source: smaller, since each one also upserts its contacts. */
const SOURCE_PAGE_SIZE = 500;

type ContactRow = Pick<AudienceContact, 'id' | 'email' | 'status' | 'locale' | 'attributes'>;

export interface ResolveOptions {
  pageSize?: number;
  /** Called after each page; returning false stops the run (a pause, a cancel, a shutdown, a lost lease). */
  afterPage?: (progress: { contacts: number; logs: number }) => Promise<boolean>;
}

export interface ResolveResult {
  complete: boolean;
  /** Logs written by this run (a resumed run does not count what an earlier one wrote). */
  logs: number;
}

// Every status but 'subscribed' keeps a contact out; a status missing here would be mailed.
const STATUS_EXCLUSIONS: Record<string, ExclusionReason> = {
  unconfirmed: 'unconfirmed',
  unsubscribed: 'unsubscribed',
  quarantined: 'quarantined',
  bounced: 'bounced',
};

const sameValue = (actual: unknown, expected: string | number | boolean) =>
  actual === expected ||
  (actual !== null && typeof actual !== 'object' && actual !== undefined && String(actual) === String(expected));

/** Whether a contact is part of the audience the filter describes (every condition must hold). */
export const matchesFilter = (contact: ContactRow, filter: AudienceFilter | null | undefined): boolean => {
  if (!filter) return true;
  if (filter.status && contact.status !== filter.status) return false;
  if (filter.locale && (contact.locale ?? '').toLowerCase() !== filter.locale.toLowerCase()) return false;
  if (filter.attributes) {
    for (const [key, expected] of Object.entries(filter.attributes)) {
      const attributes = contact.attributes ?? {};
      if (!Object.prototype.hasOwnProperty.call(attributes, key) || !sameValue(attributes[key], expected)) return false;
    }
  }
  return true;
};

/**
 * Why a contact gets no message, or null when it gets one. A suppressed address (audience/suppressions.ts) is
 * excluded even when its contact says subscribed (a status changed behind the plugin's back).
 */
export const exclusionFor = (contact: ContactRow, suppressed = false): ExclusionReason | null =>
  STATUS_EXCLUSIONS[contact.status] ??
  (suppressed ? 'suppressed' : emailProblem(contact.email) ? 'invalid_address' : null);

const createAudienceService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = createAudienceStore(strapi);

  return {
    /** Distinct contacts of the lists, before filter and exclusions: one indexed count, to size a delivery. */
    async estimate(listIds: number[]): Promise<number> {
      return listIds.length ? store.countListMembers(listIds) : 0;
    },

    /** Writes the delivery's logs from the lists, page by page (keyset on contact id), starting where a previous run stopped. */
    async resolve(
      delivery: { id: number; listIds: number[]; filter?: AudienceFilter | null },
      options: ResolveOptions = {},
    ): Promise<ResolveResult> {
      const pageSize = options.pageSize ?? PAGE_SIZE;
      const listIds = [...delivery.listIds].sort((a, b) => a - b);
      if (!listIds.length) return { complete: true, logs: 0 };
      let cursor = await store.lastListContactId(delivery.id);
      let logs = 0;
      let contacts = 0;

      for (;;) {
        const ids = await store.listMembersAfter(listIds, cursor, pageSize);
        if (!ids.length) return { complete: true, logs };

        const [listsOf, rows] = await Promise.all([store.listsOfContacts(listIds, ids), store.contactsByIds(ids)]);
        const suppressed = await getService(strapi, 'suppressions').find(rows.map((row) => row.email));
        const byId = new Map<number, ContactRow>(rows.map((row) => [row.id, row]));

        const now = new Date();
        const inserts: NewLog[] = [];
        for (const contactId of ids) {
          const contact = byId.get(contactId);
          if (!contact || !matchesFilter(contact, delivery.filter)) continue;
          const lists = (listsOf.get(contactId) ?? []).sort((a, b) => a - b);
          const reason = exclusionFor(contact, suppressed.has(normalizeEmail(contact.email)));
          // The first list brings the recipient; every other list that names them again is a logged duplicate.
          lists.forEach((listId, index) => {
            inserts.push({ contactId, listId, email: contact.email, exclusion: index === 0 ? reason : 'duplicate' });
          });
        }
        if (inserts.length)
          await store.transaction((trx) => store.insertLogs(trx, delivery.id, inserts, now, { ignoreRepeats: true }));
        logs += inserts.length;
        contacts += ids.length;
        cursor = ids[ids.length - 1];
        if (options.afterPage && !(await options.afterPage({ contacts, logs }))) return { complete: false, logs };
        if (ids.length < pageSize) return { complete: true, logs };
      }
    },

    /**
     * Writes the delivery's logs from the segments of registered sources (after its lists), page by page from the
     * cursor stored on the delivery; each page's logs and the next cursor are written in one transaction, so a
     * restarted run goes on exactly where the last one stopped. Each recipient becomes (or is matched to) a plugin
     * contact by email (see audience/sources.ts); then the same rules as for lists apply: the filter, the
     * contact's status (unsubscribed, quarantined, bounced), the address, and duplicates within the delivery.
     */
    async resolveSegments(
      delivery: { id: number; segments: AudienceSegmentRef[]; filter?: AudienceFilter | null },
      options: ResolveOptions = {},
    ): Promise<ResolveResult> {
      const pageSize = options.pageSize ?? SOURCE_PAGE_SIZE;
      const sources = getService(strapi, 'audience-sources');
      let cursor: SegmentCursor = (await store.segmentCursor(delivery.id)) ?? { index: 0, after: null };
      let logs = 0;
      let contacts = 0;

      while (cursor.index < delivery.segments.length) {
        const ref = delivery.segments[cursor.index];
        const page = await sources.get(ref.source).page(ref.segment, { after: cursor.after, limit: pageSize });
        const next: SegmentCursor = page.next
          ? { index: cursor.index, after: page.next }
          : { index: cursor.index + 1, after: null };
        const written = await store.transaction(async (trx) => {
          const now = new Date();
          const inserts = await this.logsForRecipients(trx, delivery, page.recipients, now);
          await store.insertLogs(trx, delivery.id, inserts, now);
          await store.saveSegmentCursor(trx, delivery.id, next);
          return inserts.length;
        });
        logs += written;
        contacts += page.recipients.length;
        cursor = next;
        if (options.afterPage && !(await options.afterPage({ contacts, logs }))) return { complete: false, logs };
      }
      return { complete: true, logs };
    },

    /** The logs of one page of source recipients, their contacts upserted by email (inside the page's transaction). */
    async logsForRecipients(
      trx: Parameters<Parameters<typeof store.transaction>[0]>[0],
      delivery: { id: number; filter?: AudienceFilter | null },
      recipients: SourceRecipient[],
      now: Date,
    ): Promise<NewLog[]> {
      const byEmail = new Map<string, SourceRecipient>();
      for (const recipient of recipients) {
        const email = normalizeEmail(String(recipient.email ?? ''));
        if (!byEmail.has(email)) byEmail.set(email, recipient);
      }
      const valid = [...byEmail.keys()].filter((email) => !emailProblem(email));
      const contactRows = async () => (valid.length ? store.contactsByEmails(trx, valid) : []);

      let existing = await contactRows();
      const known = new Set(existing.map((contact) => contact.email));
      const suppressed = await getService(strapi, 'suppressions').statusesOf(valid);
      const toCreate: NewContact[] = valid
        .filter((email) => !known.has(email))
        .map((email) => {
          const recipient = byEmail.get(email)!;
          return {
            email,
            firstName: recipient.firstName ?? null,
            lastName: recipient.lastName ?? null,
            locale: recipient.locale ?? null,
            attributes: recipient.data && Object.keys(recipient.data).length ? recipient.data : null,
            // A suppressed address comes back with its suppression's status, never subscribed.
            status: suppressed.get(email)?.status ?? 'subscribed',
            statusReason: suppressed.get(email)?.statusReason ?? null,
          };
        });
      if (toCreate.length) {
        await store.createContacts(trx, toCreate, now);
        existing = await contactRows();
      }

      const logged = existing.length
        ? await store.loggedContactIds(
            trx,
            delivery.id,
            existing.map((contact) => contact.id),
          )
        : new Set<number>();

      // The source is the reference for names and its data (the first time the delivery meets the person); the
      // status stays the contact's own.
      for (const contact of existing) {
        if (!known.has(contact.email) || logged.has(contact.id)) continue;
        const recipient = byEmail.get(contact.email)!;
        const changes: Partial<Pick<AudienceContact, 'firstName' | 'lastName' | 'locale' | 'attributes'>> = {};
        if (recipient.firstName != null && recipient.firstName !== contact.firstName)
          changes.firstName = recipient.firstName;
        if (recipient.lastName != null && recipient.lastName !== contact.lastName)
          changes.lastName = recipient.lastName;
        if (recipient.locale != null && recipient.locale !== contact.locale) changes.locale = recipient.locale;
        const attributes = contact.attributes ?? {};
        if (recipient.data && Object.keys(recipient.data).length) {
          const merged = { ...attributes, ...recipient.data };
          if (JSON.stringify(merged) !== JSON.stringify(attributes)) changes.attributes = merged;
        }
        if (Object.keys(changes).length) await store.updateContact(trx, contact.id, changes, now);
        Object.assign(contact, changes);
      }

      const byContactEmail = new Map<string, ContactRow>(existing.map((contact) => [contact.email, contact]));
      const inserts: NewLog[] = [];
      const log = (email: string, contactId: number | null, exclusion: ExclusionReason | null) =>
        inserts.push({ contactId, listId: null, email, exclusion });
      for (const recipient of recipients) {
        const email = normalizeEmail(String(recipient.email ?? ''));
        if (byEmail.get(email) !== recipient) {
          // The same address twice in one page: one message, the other logged as a duplicate.
          const contact = byContactEmail.get(email);
          if (contact && matchesFilter(contact, delivery.filter)) log(email, contact.id, 'duplicate');
          continue;
        }
        const contact = byContactEmail.get(email);
        if (!contact) {
          // No contact for an address that cannot receive mail: the log alone says why it got nothing.
          if (!delivery.filter) log(email.slice(0, 255), null, 'invalid_address');
          continue;
        }
        if (!matchesFilter(contact, delivery.filter)) continue;
        log(email, contact.id, logged.has(contact.id) ? 'duplicate' : exclusionFor(contact, suppressed.has(email)));
        logged.add(contact.id);
      }
      return inserts;
    },
  };
};

export type AudienceService = ReturnType<typeof createAudienceService>;
export default createAudienceService;
