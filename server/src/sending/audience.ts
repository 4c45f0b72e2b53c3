// The audience: a delivery's lists and segments of the app's audience sources (and an optional filter) resolved page
// by page into delivery logs, pending or excluded with their reason. Resumable: a page is written in one statement
// batch inside one transaction, and a run starts after the last contact already logged; a unique index (delivery,
// contact, list) makes a repeated page of a list a no-op (segments keep their own cursor: see resolveSegments).
import type { Core } from '@strapi/strapi';
import { UID, type ExclusionReason } from '../../../shared/constants';
import { emailProblem, normalizeEmail } from '../platform/email-address';
import type { AudienceFilter } from '../../../shared/contracts/deliveries';
import type { AudienceSegmentRef, SourceRecipient } from '../audience/source-types';
import { getService } from '../platform/get-service';
import { createDocumentId } from '../platform/document-id';
import { contactListsJoin } from '../db/join-tables';

const PAGE_SIZE = 1000;
/** A page read from an app's source: smaller, since each one also upserts its contacts. */
const SOURCE_PAGE_SIZE = 500;
const INSERT_CHUNK = 250;

/** Where the resolution of a delivery's source segments stands: stored on the delivery with each page's logs. */
interface SegmentCursor {
  index: number;
  after: string | null;
}

interface ContactRow {
  id: number;
  email: string;
  status: string;
  locale: string | null;
  attributes: Record<string, unknown> | null;
}

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

const STATUS_EXCLUSIONS: Record<string, ExclusionReason> = {
  unsubscribed: 'unsubscribed',
  quarantined: 'quarantined',
  bounced: 'bounced',
};

const parseJson = (value: unknown): Record<string, unknown> | null => {
  if (value == null) return null;
  if (typeof value === 'string') {
    try {
      const parsed = JSON.parse(value);
      return parsed && typeof parsed === 'object' ? parsed : null;
    } catch {
      return null;
    }
  }
  return typeof value === 'object' ? (value as Record<string, unknown>) : null;
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

/** A new delivery-log row (raw column names, for multi-row knex inserts): pending, or excluded with its reason. */
const newLogRow = (row: {
  deliveryId: number;
  contactId: number | null;
  listId: number | null;
  email: string;
  exclusion: ExclusionReason | null;
  now: Date;
}): Record<string, unknown> => ({
  document_id: createDocumentId(),
  delivery_id: row.deliveryId,
  contact_id: row.contactId,
  list_id: row.listId,
  email: row.email,
  status: row.exclusion ? 'excluded' : 'pending',
  exclusion_reason: row.exclusion,
  attempts: 0,
  opens: 0,
  clicks: 0,
  created_at: row.now,
  updated_at: row.now,
  published_at: row.now,
});

const createAudienceService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const logTable = () => strapi.db.metadata.get(UID.deliveryLog).tableName;
  const contactTable = () => strapi.db.metadata.get(UID.contact).tableName;

  return {
    /** Distinct contacts of the lists, before filter and exclusions: one indexed count, to size a delivery. */
    async estimate(listIds: number[]): Promise<number> {
      if (!listIds.length) return 0;
      const join = contactListsJoin(strapi);
      const [row] = await knex()(join.table)
        .whereIn(join.listColumn, listIds)
        .countDistinct({ count: join.contactColumn });
      return Number((row as any)?.count ?? 0);
    },

    /** Writes the delivery's logs from the lists, page by page (keyset on contact id), starting where a previous run stopped. */
    async resolve(
      delivery: { id: number; listIds: number[]; filter?: AudienceFilter | null },
      options: ResolveOptions = {},
    ): Promise<ResolveResult> {
      const pageSize = options.pageSize ?? PAGE_SIZE;
      const listIds = [...delivery.listIds].sort((a, b) => a - b);
      if (!listIds.length) return { complete: true, logs: 0 };
      const join = contactListsJoin(strapi);
      // Logs of list members only: logs from source segments (list_id null) come after the lists and do not move this cursor.
      const [last] = await knex()(logTable())
        .where('delivery_id', delivery.id)
        .whereNotNull('list_id')
        .max({ max: 'contact_id' });
      let cursor = Number((last as any)?.max ?? 0);
      let logs = 0;
      let contacts = 0;

      for (;;) {
        const ids: number[] = (
          await knex()(join.table)
            .distinct(join.contactColumn)
            .whereIn(join.listColumn, listIds)
            .where(join.contactColumn, '>', cursor)
            .orderBy(join.contactColumn, 'asc')
            .limit(pageSize)
        ).map((row: any) => Number(row[join.contactColumn]));
        if (!ids.length) return { complete: true, logs };

        const [memberships, rows] = await Promise.all([
          knex()(join.table)
            .whereIn(join.listColumn, listIds)
            .whereIn(join.contactColumn, ids)
            .select(join.contactColumn, join.listColumn),
          knex()(contactTable()).whereIn('id', ids).select('id', 'email', 'status', 'locale', 'attributes'),
        ]);
        const listsOf = new Map<number, number[]>();
        for (const membership of memberships as any[]) {
          const contactId = Number(membership[join.contactColumn]);
          const lists = listsOf.get(contactId) ?? [];
          lists.push(Number(membership[join.listColumn]));
          listsOf.set(contactId, lists);
        }
        const suppressed = await getService(strapi, 'suppressions').find(
          (rows as any[]).map((row) => String(row.email)),
        );
        const byId = new Map<number, ContactRow>(
          (rows as any[]).map((row) => [
            Number(row.id),
            {
              id: Number(row.id),
              email: String(row.email),
              status: row.status,
              locale: row.locale,
              attributes: parseJson(row.attributes),
            },
          ]),
        );

        const now = new Date();
        const inserts: Record<string, unknown>[] = [];
        for (const contactId of ids) {
          const contact = byId.get(contactId);
          if (!contact || !matchesFilter(contact, delivery.filter)) continue;
          const lists = (listsOf.get(contactId) ?? []).sort((a, b) => a - b);
          const reason = exclusionFor(contact, suppressed.has(normalizeEmail(contact.email)));
          // The first list brings the recipient; every other list that names them again is a logged duplicate.
          lists.forEach((listId, index) => {
            const exclusion = index === 0 ? reason : 'duplicate';
            inserts.push(
              newLogRow({ deliveryId: delivery.id, contactId, listId, email: contact.email, exclusion, now }),
            );
          });
        }
        if (inserts.length) {
          await knex().transaction(async (trx) => {
            for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
              await trx(logTable())
                .insert(inserts.slice(i, i + INSERT_CHUNK))
                .onConflict(['delivery_id', 'contact_id', 'list_id'])
                .ignore();
            }
          });
        }
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
      const deliveryTable = strapi.db.metadata.get(UID.delivery).tableName;
      const row = await knex()(deliveryTable).where('id', delivery.id).first('audience_cursor');
      let cursor: SegmentCursor = (parseJson(row?.audience_cursor) as SegmentCursor | null) ?? {
        index: 0,
        after: null,
      };
      let logs = 0;
      let contacts = 0;

      while (cursor.index < delivery.segments.length) {
        const ref = delivery.segments[cursor.index];
        const page = await sources.get(ref.source).page(ref.segment, { after: cursor.after, limit: pageSize });
        const next: SegmentCursor = page.next
          ? { index: cursor.index, after: page.next }
          : { index: cursor.index + 1, after: null };
        const written = await strapi.db.transaction(async ({ trx }) => {
          const inserts = await this.logsForRecipients(trx, delivery, page.recipients);
          for (let i = 0; i < inserts.length; i += INSERT_CHUNK)
            await trx(logTable()).insert(inserts.slice(i, i + INSERT_CHUNK));
          await trx(deliveryTable)
            .where('id', delivery.id)
            .update({ audience_cursor: JSON.stringify(next) });
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
      trx: any,
      delivery: { id: number; filter?: AudienceFilter | null },
      recipients: SourceRecipient[],
    ): Promise<Record<string, unknown>[]> {
      const now = new Date();
      const byEmail = new Map<string, SourceRecipient>();
      for (const recipient of recipients) {
        const email = normalizeEmail(String(recipient.email ?? ''));
        if (!byEmail.has(email)) byEmail.set(email, recipient);
      }
      const valid = [...byEmail.keys()].filter((email) => !emailProblem(email));
      const contactRows = async () =>
        valid.length
          ? ((await trx(contactTable())
              .whereIn('email', valid)
              .select('id', 'email', 'status', 'first_name', 'last_name', 'locale', 'attributes')) as any[])
          : [];

      let existing = await contactRows();
      const known = new Set(existing.map((contact) => String(contact.email)));
      const suppressed = await getService(strapi, 'suppressions').statusesOf(valid);
      const toCreate = valid
        .filter((email) => !known.has(email))
        .map((email) => {
          const recipient = byEmail.get(email)!;
          return {
            document_id: createDocumentId(),
            email,
            first_name: recipient.firstName ?? null,
            last_name: recipient.lastName ?? null,
            locale: recipient.locale ?? null,
            attributes: recipient.data && Object.keys(recipient.data).length ? JSON.stringify(recipient.data) : null,
            // A suppressed address comes back with its suppression's status, never subscribed.
            status: suppressed.get(email)?.status ?? 'subscribed',
            status_reason: suppressed.get(email)?.statusReason ?? null,
            status_changed_at: now,
            inactive: false,
            created_at: now,
            updated_at: now,
            published_at: now,
          };
        });
      if (toCreate.length) {
        for (let i = 0; i < toCreate.length; i += INSERT_CHUNK)
          await trx(contactTable()).insert(toCreate.slice(i, i + INSERT_CHUNK));
        existing = await contactRows();
      }

      const ids = existing.map((contact) => Number(contact.id));
      const logged = new Set<number>(
        ids.length
          ? (
              (await trx(logTable())
                .where('delivery_id', delivery.id)
                .whereIn('contact_id', ids)
                .select('contact_id')) as any[]
            ).map((r) => Number(r.contact_id))
          : [],
      );

      // The source is the reference for names and its data (the first time the delivery meets the person); the
      // status stays the contact's own.
      for (const contact of existing) {
        if (!known.has(String(contact.email)) || logged.has(Number(contact.id))) continue;
        const recipient = byEmail.get(String(contact.email))!;
        const changes: Record<string, unknown> = {};
        if (recipient.firstName != null && recipient.firstName !== contact.first_name)
          changes.first_name = recipient.firstName;
        if (recipient.lastName != null && recipient.lastName !== contact.last_name)
          changes.last_name = recipient.lastName;
        if (recipient.locale != null && recipient.locale !== contact.locale) changes.locale = recipient.locale;
        const attributes = parseJson(contact.attributes) ?? {};
        if (recipient.data && Object.keys(recipient.data).length) {
          const merged = { ...attributes, ...recipient.data };
          if (JSON.stringify(merged) !== JSON.stringify(attributes)) changes.attributes = JSON.stringify(merged);
        }
        if (Object.keys(changes).length)
          await trx(contactTable())
            .where('id', contact.id)
            .update({ ...changes, updated_at: now });
        Object.assign(contact, changes);
      }

      const byContactEmail = new Map<string, ContactRow>(
        existing.map((contact) => [
          String(contact.email),
          {
            id: Number(contact.id),
            email: String(contact.email),
            status: contact.status,
            locale: contact.locale,
            attributes: parseJson(contact.attributes),
          },
        ]),
      );

      const inserts: Record<string, unknown>[] = [];
      const log = (email: string, contactId: number | null, exclusion: ExclusionReason | null) =>
        inserts.push(newLogRow({ deliveryId: delivery.id, contactId, listId: null, email, exclusion, now }));
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
