// Bulk sync of contacts for apps that keep their users in step (POST /api/campaigns/contacts/sync, an API token's
// route): up to CONTACT_SYNC_MAX contacts upserted by email, each answered on its own. A bad item (an invalid address,
// an unknown list, an email already given earlier in the request) is reported with its index and the others are
// written; the writes go in batches of one transaction each, through the same path as the CSV import
// (audience/contact-upsert.ts), so statuses and suppressions behave alike.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { contactSyncItem } from '../../../shared/audience-input';
import type { ContactSyncItemResult, ContactSyncResponse } from '../../../shared/contracts/contacts';
import { emailProblem, normalizeEmail } from '../platform/email-address';
import { upsertContacts, type ContactUpsert } from './contact-upsert';
import { issuesSummary } from '../validation/common';

const BATCH_SIZE = 500;

interface ValidItem extends ContactUpsert {
  index: number;
  listIds: number[];
}

export const createContactSyncService = ({ strapi }: { strapi: Core.Strapi }) => {
  /** Ids of the lists named anywhere in the request, by documentId (one query). */
  const listIds = async (items: unknown[]): Promise<Map<string, number>> => {
    const named = new Set<string>();
    for (const item of items) {
      const lists = (item as { lists?: unknown } | null)?.lists;
      if (Array.isArray(lists)) for (const list of lists) if (typeof list === 'string') named.add(list);
    }
    if (!named.size) return new Map();
    const rows = await strapi.db
      .query(UID.list)
      .findMany({ where: { documentId: { $in: [...named] } }, select: ['id', 'documentId'] });
    return new Map(rows.map((row) => [row.documentId as string, Number(row.id)]));
  };

  const write = async (batch: ValidItem[], updateExisting: boolean) => {
    const lists = new Map(batch.map((item) => [item.email, item.listIds]));
    const outcomes = await strapi.db.transaction(({ trx }) =>
      upsertContacts(strapi, trx, batch, { updateExisting, listsOf: (email) => lists.get(email) ?? [] }),
    );
    const ids = await strapi.db
      .query(UID.contact)
      .findMany({ where: { email: { $in: batch.map((item) => item.email) } }, select: ['email', 'documentId'] });
    const documentIds = new Map(ids.map((row) => [row.email as string, row.documentId as string]));
    return batch.map((item) => ({
      index: item.index,
      email: item.email,
      outcome: outcomes.get(item.email)!,
      documentId: documentIds.get(item.email),
    }));
  };

  /** A batch the database refuses is written item by item, so that a refused item costs only itself. */
  const writeOrEach = async (batch: ValidItem[], updateExisting: boolean): Promise<ContactSyncItemResult[]> => {
    try {
      return await write(batch, updateExisting);
    } catch (error) {
      if (batch.length === 1) {
        strapi.log.warn(
          `[campaigns] contact sync: item ${batch[0].index} refused by the database: ${error instanceof Error ? error.message : error}`,
        );
        const error_ = 'the database refused to store this contact (details in the server log)';
        return [{ index: batch[0].index, email: batch[0].email, outcome: 'failed', error: error_ }];
      }
    }
    const results: ContactSyncItemResult[] = [];
    for (const item of batch) results.push(...(await writeOrEach([item], updateExisting)));
    return results;
  };

  return {
    async sync(items: unknown[], options: { updateExisting?: boolean } = {}): Promise<ContactSyncResponse> {
      const lists = await listIds(items);
      const results: ContactSyncItemResult[] = new Array(items.length);
      const firstIndexOf = new Map<string, number>();
      const valid: ValidItem[] = [];
      items.forEach((raw, index) => {
        const invalid = (email: string | null, error: string) => {
          results[index] = { index, email, outcome: 'invalid', error };
        };
        const parsed = contactSyncItem.safeParse(raw);
        if (!parsed.success) return invalid(null, issuesSummary(parsed.error.issues));
        const item = parsed.data;
        const email = normalizeEmail(item.email);
        const problem = emailProblem(email);
        if (problem) return invalid(email, problem);
        const earlier = firstIndexOf.get(email);
        if (earlier !== undefined) return invalid(email, `the same email as item ${earlier}`);
        const unknown = (item.lists ?? []).filter((documentId) => !lists.has(documentId));
        if (unknown.length) return invalid(email, `no list with id ${unknown.map((id) => `"${id}"`).join(', ')}`);
        firstIndexOf.set(email, index);
        valid.push({
          index,
          email,
          firstName: item.firstName,
          lastName: item.lastName,
          locale: item.locale,
          attributes: item.attributes ?? {},
          listIds: (item.lists ?? []).map((documentId) => lists.get(documentId)!),
        });
      });
      for (let start = 0; start < valid.length; start += BATCH_SIZE) {
        const written = await writeOrEach(valid.slice(start, start + BATCH_SIZE), options.updateExisting ?? true);
        for (const result of written) results[result.index] = result;
      }
      const meta = { created: 0, updated: 0, unchanged: 0, invalid: 0, failed: 0 };
      for (const result of results) meta[result.outcome] += 1;
      return { data: results, meta };
    },
  };
};

export type ContactSyncService = ReturnType<typeof createContactSyncService>;
export default createContactSyncService;
