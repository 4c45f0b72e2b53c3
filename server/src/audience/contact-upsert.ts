// Contacts written by email, many at once: the one write path of the CSV import (audience/contact-import.ts) and the
// bulk sync route (audience/contact-sync.ts). One read of the existing addresses, one bulk insert, an update only
// where something changed, and the list links, in the caller's transaction.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { createDocumentId } from '../platform/document-id';
import { linkContactsToList } from '../db/contacts';
import { getService } from '../platform/get-service';

/** One contact to write; `undefined` leaves a field as it is, attributes are merged into the stored ones. */
export interface ContactUpsert {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
  locale?: string | null;
  attributes: Record<string, unknown>;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Writes contacts with distinct, normalised emails and links them to the lists given per email. A new address is
 * subscribed, or takes its suppression's status (audience/suppressions.ts); a contact's status never changes here:
 * someone who unsubscribed stays unsubscribed. Answers each email's outcome.
 */
export const upsertContacts = async (
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  rows: ContactUpsert[],
  options: { updateExisting: boolean; listsOf: (email: string) => number[] },
): Promise<Map<string, UpsertOutcome>> => {
  const contacts = strapi.db.query(UID.contact);
  const byEmail = new Map(rows.map((row) => [row.email, row]));
  const emails = [...byEmail.keys()];
  const outcomes = new Map<string, UpsertOutcome>();

  const existing = await contacts.findMany({
    where: { email: { $in: emails } },
    select: ['id', 'email', 'firstName', 'lastName', 'locale', 'attributes'],
  });
  const existingByEmail = new Map(existing.map((c) => [c.email as string, c]));

  const now = new Date();
  const newEmails = emails.filter((email) => !existingByEmail.has(email));
  const suppressed = await getService(strapi, 'suppressions').statusesOf(newEmails);
  const toCreate = newEmails.map((email) => {
    const row = byEmail.get(email)!;
    outcomes.set(email, 'created');
    return {
      documentId: createDocumentId(),
      email,
      firstName: row.firstName ?? null,
      lastName: row.lastName ?? null,
      locale: row.locale ?? null,
      attributes: Object.keys(row.attributes).length ? row.attributes : null,
      status: 'subscribed',
      statusChangedAt: now,
      publishedAt: now,
      ...suppressed.get(email),
    };
  });
  if (toCreate.length) await contacts.createMany({ data: toCreate });

  for (const [email, current] of existingByEmail) {
    const row = byEmail.get(email)!;
    const changes: Record<string, unknown> = {};
    if (options.updateExisting) {
      if (row.firstName !== undefined && row.firstName !== current.firstName) changes.firstName = row.firstName;
      if (row.lastName !== undefined && row.lastName !== current.lastName) changes.lastName = row.lastName;
      if (row.locale !== undefined && row.locale !== current.locale) changes.locale = row.locale;
      const merged = { ...(current.attributes ?? {}), ...row.attributes };
      if (JSON.stringify(merged) !== JSON.stringify(current.attributes ?? {})) changes.attributes = merged;
    }
    if (Object.keys(changes).length) {
      await contacts.update({ where: { id: current.id }, data: changes });
      outcomes.set(email, 'updated');
    } else {
      outcomes.set(email, 'unchanged');
    }
  }

  const emailsByList = new Map<number, string[]>();
  for (const email of emails) {
    for (const listId of options.listsOf(email)) {
      const listEmails = emailsByList.get(listId);
      if (listEmails) listEmails.push(email);
      else emailsByList.set(listId, [email]);
    }
  }
  for (const [listId, listEmails] of emailsByList) await linkContactsToList(strapi, trx, listEmails, listId);
  return outcomes;
};
