// The audience: a delivery's lists (and optional filter) resolved page by page into delivery logs, pending or excluded
// with their reason. Resumable: a page is written in one statement batch inside one transaction, and a run starts
// after the last contact already logged; a unique index (delivery, contact, list) makes a repeated page a no-op.
import type { Core } from '@strapi/strapi';
import { UID, type ExclusionReason } from '../constants';
import { emailProblem } from '../lib/email-address';
import type { AudienceFilter } from '../../../shared/contracts/deliveries';
import { createDocumentId } from '../utils/document-id';
import { contactListsJoin } from '../utils/join-tables';

const PAGE_SIZE = 1000;
const INSERT_CHUNK = 250;

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
  actual === expected || (actual !== null && typeof actual !== 'object' && actual !== undefined && String(actual) === String(expected));

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

/** Why a contact gets no message, or null when it gets one. */
export const exclusionFor = (contact: ContactRow): ExclusionReason | null =>
  STATUS_EXCLUSIONS[contact.status] ?? (emailProblem(contact.email) ? 'invalid_address' : null);

const createAudienceService = ({ strapi }: { strapi: Core.Strapi }) => {
  const knex = () => strapi.db.connection;
  const logTable = () => strapi.db.metadata.get(UID.deliveryLog).tableName;
  const contactTable = () => strapi.db.metadata.get(UID.contact).tableName;

  return {
    /** Distinct contacts of the lists, before filter and exclusions: one indexed count, to size a delivery. */
    async estimate(listIds: number[]): Promise<number> {
      if (!listIds.length) return 0;
      const join = contactListsJoin(strapi);
      const [row] = await knex()(join.table).whereIn(join.listColumn, listIds).countDistinct({ count: join.contactColumn });
      return Number((row as any)?.count ?? 0);
    },

    /** Writes the delivery's logs from the lists, page by page (keyset on contact id), starting where a previous run stopped. */
    async resolve(
      delivery: { id: number; listIds: number[]; filter?: AudienceFilter | null },
      options: ResolveOptions = {}
    ): Promise<ResolveResult> {
      const pageSize = options.pageSize ?? PAGE_SIZE;
      const listIds = [...delivery.listIds].sort((a, b) => a - b);
      if (!listIds.length) return { complete: true, logs: 0 };
      const join = contactListsJoin(strapi);
      const [last] = await knex()(logTable()).where('delivery_id', delivery.id).max({ max: 'contact_id' });
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
          knex()(join.table).whereIn(join.listColumn, listIds).whereIn(join.contactColumn, ids).select(join.contactColumn, join.listColumn),
          knex()(contactTable()).whereIn('id', ids).select('id', 'email', 'status', 'locale', 'attributes'),
        ]);
        const listsOf = new Map<number, number[]>();
        for (const membership of memberships as any[]) {
          const contactId = Number(membership[join.contactColumn]);
          const lists = listsOf.get(contactId) ?? [];
          lists.push(Number(membership[join.listColumn]));
          listsOf.set(contactId, lists);
        }
        const byId = new Map<number, ContactRow>(
          (rows as any[]).map((row) => [Number(row.id), { id: Number(row.id), email: String(row.email), status: row.status, locale: row.locale, attributes: parseJson(row.attributes) }])
        );

        const now = new Date();
        const inserts: Record<string, unknown>[] = [];
        for (const contactId of ids) {
          const contact = byId.get(contactId);
          if (!contact || !matchesFilter(contact, delivery.filter)) continue;
          const lists = (listsOf.get(contactId) ?? []).sort((a, b) => a - b);
          const reason = exclusionFor(contact);
          // The first list brings the recipient; every other list that names them again is a logged duplicate.
          lists.forEach((listId, index) => {
            const exclusion = index === 0 ? reason : 'duplicate';
            inserts.push({
              document_id: createDocumentId(),
              delivery_id: delivery.id,
              contact_id: contactId,
              list_id: listId,
              email: contact.email,
              status: exclusion ? 'excluded' : 'pending',
              exclusion_reason: exclusion,
              attempts: 0,
              opens: 0,
              clicks: 0,
              created_at: now,
              updated_at: now,
              published_at: now,
            });
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
  };
};

export type AudienceService = ReturnType<typeof createAudienceService>;
export default createAudienceService;
