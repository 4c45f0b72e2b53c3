// The SQL of audience resolution (sending/audience.ts), on Strapi's database (knex): pages of list members by
// contact id, the contacts they name, delivery-log inserts, the segments' cursor, and the contacts an app's source
// brings. Raw knex because a page is written as multi-row inserts in one transaction (100,000 recipients are
// resolved in seconds, bench/README.md); every name that is not a column of the plugin's tables comes from
// Strapi's metadata (db/join-tables.ts, db/tables.ts).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID, type ExclusionReason } from '../../../shared/constants';
import { chunked } from '../db/chunks';
import { jsonObjectColumn } from '../db/json-column';
import { recipientDomainOf } from '../db/recipient-domains';
import { contactListsJoin } from '../db/join-tables';
import { knexOf, tableOf } from '../db/tables';
import { createDocumentId } from '../platform/document-id';

const INSERT_CHUNK = 250;

export interface AudienceContact {
  id: number;
  email: string;
  status: string;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  attributes: Record<string, unknown> | null;
}

export interface NewLog {
  contactId: number | null;
  listId: number | null;
  email: string;
  exclusion: ExclusionReason | null;
}

export interface NewContact {
  email: string;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  attributes: Record<string, unknown> | null;
  status: string;
  statusReason: string | null;
}

/** Where the resolution of a delivery's source segments stands: stored on the delivery with each page's logs. */
export interface SegmentCursor {
  index: number;
  after: string | null;
}

type Row = Record<string, unknown>;

const toContact = (row: Row): AudienceContact => ({
  id: Number(row.id),
  email: String(row.email),
  status: String(row.status),
  firstName: (row.first_name as string | null) ?? null,
  lastName: (row.last_name as string | null) ?? null,
  locale: (row.locale as string | null) ?? null,
  attributes: jsonObjectColumn(row.attributes),
});

export const createAudienceStore = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const logTable = () => tableOf(strapi, UID.deliveryLog).table;
  const contactTable = () => tableOf(strapi, UID.contact).table;
  const deliveryTable = () => tableOf(strapi, UID.delivery).table;
  const contactColumns = ['id', 'email', 'status', 'first_name', 'last_name', 'locale', 'attributes'];

  return {
    /** Distinct contacts of the lists: one indexed count. */
    async countListMembers(listIds: number[]): Promise<number> {
      const join = contactListsJoin(strapi);
      const [row] = await knex()(join.table)
        .whereIn(join.listColumn, listIds)
        .countDistinct({ count: join.contactColumn });
      return Number((row as Row | undefined)?.count ?? 0);
    },

    /** The highest contact already logged from a list: logs from source segments (no list) do not move it. */
    async lastListContactId(deliveryId: number): Promise<number> {
      const [last] = await knex()(logTable())
        .where('delivery_id', deliveryId)
        .whereNotNull('list_id')
        .max({ max: 'contact_id' });
      return Number((last as Row | undefined)?.max ?? 0);
    },

    /** The next page of members of the lists, by contact id. */
    async listMembersAfter(listIds: number[], after: number, limit: number): Promise<number[]> {
      const join = contactListsJoin(strapi);
      const rows = await knex()(join.table)
        .distinct(join.contactColumn)
        .whereIn(join.listColumn, listIds)
        .where(join.contactColumn, '>', after)
        .orderBy(join.contactColumn, 'asc')
        .limit(limit);
      return rows.map((row: Row) => Number(row[join.contactColumn]));
    },

    /** Which of the lists each contact belongs to. */
    async listsOfContacts(listIds: number[], contactIds: number[]): Promise<Map<number, number[]>> {
      const join = contactListsJoin(strapi);
      const rows = await knex()(join.table)
        .whereIn(join.listColumn, listIds)
        .whereIn(join.contactColumn, contactIds)
        .select(join.contactColumn, join.listColumn);
      const listsOf = new Map<number, number[]>();
      for (const row of rows as Row[]) {
        const contactId = Number(row[join.contactColumn]);
        listsOf.set(contactId, [...(listsOf.get(contactId) ?? []), Number(row[join.listColumn])]);
      }
      return listsOf;
    },

    async contactsByIds(ids: number[]): Promise<AudienceContact[]> {
      const rows = await knex()(contactTable()).whereIn('id', ids).select(contactColumns);
      return rows.map(toContact);
    },

    async contactsByEmails(trx: Knex.Transaction, emails: string[]): Promise<AudienceContact[]> {
      const rows: Row[] = [];
      for (const part of chunked(emails))
        rows.push(...(await trx(contactTable()).whereIn('email', part).select(contactColumns)));
      return rows.map(toContact);
    },

    async createContacts(trx: Knex.Transaction, contacts: NewContact[], now: Date): Promise<void> {
      const rows = contacts.map((contact) => ({
        document_id: createDocumentId(),
        email: contact.email,
        first_name: contact.firstName,
        last_name: contact.lastName,
        locale: contact.locale,
        attributes: contact.attributes ? JSON.stringify(contact.attributes) : null,
        status: contact.status,
        status_reason: contact.statusReason,
        status_changed_at: now,
        inactive: false,
        created_at: now,
        updated_at: now,
        published_at: now,
      }));
      for (const part of chunked(rows, INSERT_CHUNK)) await trx(contactTable()).insert(part);
    },

    /** Names, locale and attributes an app's source brought for a contact. */
    async updateContact(
      trx: Knex.Transaction,
      id: number,
      changes: Partial<Pick<AudienceContact, 'firstName' | 'lastName' | 'locale' | 'attributes'>>,
      now: Date,
    ): Promise<void> {
      const row: Row = { updated_at: now };
      if (changes.firstName !== undefined) row.first_name = changes.firstName;
      if (changes.lastName !== undefined) row.last_name = changes.lastName;
      if (changes.locale !== undefined) row.locale = changes.locale;
      if (changes.attributes !== undefined) row.attributes = JSON.stringify(changes.attributes);
      await trx(contactTable()).where('id', id).update(row);
    },

    /** The contacts among these that the delivery already has a log for. */
    async loggedContactIds(trx: Knex.Transaction, deliveryId: number, contactIds: number[]): Promise<Set<number>> {
      const found = new Set<number>();
      for (const part of chunked(contactIds)) {
        const rows = await trx(logTable())
          .where('delivery_id', deliveryId)
          .whereIn('contact_id', part)
          .select('contact_id');
        for (const row of rows as Row[]) found.add(Number(row.contact_id));
      }
      return found;
    },

    /**
     * New logs, pending or excluded with their reason, in multi-row inserts. `ignoreRepeats`: a log the delivery
     * already has for the same (contact, list) is left as it is (the unique index), so a page written twice is a no-op.
     */
    async insertLogs(
      trx: Knex.Transaction,
      deliveryId: number,
      logs: NewLog[],
      now: Date,
      options: { ignoreRepeats?: boolean } = {},
    ): Promise<void> {
      const rows = logs.map((log) => ({
        document_id: createDocumentId(),
        delivery_id: deliveryId,
        contact_id: log.contactId,
        list_id: log.listId,
        email: log.email,
        recipient_domain: recipientDomainOf(log.email),
        status: log.exclusion ? 'excluded' : 'pending',
        exclusion_reason: log.exclusion,
        attempts: 0,
        opens: 0,
        clicks: 0,
        human_opens: 0,
        created_at: now,
        updated_at: now,
        published_at: now,
      }));
      for (const part of chunked(rows, INSERT_CHUNK)) {
        const insert = trx(logTable()).insert(part);
        if (options.ignoreRepeats) await insert.onConflict(['delivery_id', 'contact_id', 'list_id']).ignore();
        else await insert;
      }
    },

    async segmentCursor(deliveryId: number): Promise<SegmentCursor | null> {
      const row = await knex()(deliveryTable()).where('id', deliveryId).first('audience_cursor');
      return jsonObjectColumn(row?.audience_cursor) as SegmentCursor | null;
    },

    async saveSegmentCursor(trx: Knex.Transaction, deliveryId: number, cursor: SegmentCursor): Promise<void> {
      await trx(deliveryTable())
        .where('id', deliveryId)
        .update({ audience_cursor: JSON.stringify(cursor) });
    },

    /** Strapi's transaction: the plugin's own queries run inside it too (SQLite has one connection). */
    transaction: async <T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
      (await strapi.db.transaction(({ trx }) => work(trx as unknown as Knex.Transaction))) as T,
  };
};
