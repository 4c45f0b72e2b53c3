// Queries on the list table that Strapi's query engine cannot express: contacts per list, counted in the join table.
import type { Core } from '@strapi/strapi';
import { CONTACT_STATUSES, UID, type ContactStatus } from '../../../shared/constants';
import { contactListsJoin } from './join-tables';
import { knexOf, tableOf, toCount } from './tables';

export interface ListCounts {
  contacts: number;
  subscribed: number;
  byStatus: Record<ContactStatus, number>;
}

export const noListCounts = (): ListCounts => ({
  contacts: 0,
  subscribed: 0,
  byStatus: Object.fromEntries(CONTACT_STATUSES.map((status) => [status, 0])) as Record<ContactStatus, number>,
});

/** Contacts per list, and per status, in one query for all the lists (a list with no contact is absent). */
export const contactCountsByList = async (strapi: Core.Strapi, listIds: number[]): Promise<Map<number, ListCounts>> => {
  const counts = new Map<number, ListCounts>();
  if (!listIds.length) return counts;
  const knex = knexOf(strapi);
  const join = contactListsJoin(strapi);
  const contact = tableOf(strapi, UID.contact);
  const listColumn = `${join.table}.${join.listColumn}`;
  const status = `${contact.table}.${contact.column('status')}`;
  // One sum per status, named by its position: the statuses are the plugin's constants, bound as values.
  const sums = Object.fromEntries(
    CONTACT_STATUSES.map((name, index) => [`s${index}`, knex.raw(`CASE WHEN ${status} = ? THEN 1 ELSE 0 END`, [name])]),
  );
  const rows: Array<Record<string, number | string | null>> = await knex(join.table)
    .join(contact.table, `${contact.table}.id`, `${join.table}.${join.contactColumn}`)
    .whereIn(listColumn, listIds)
    .groupBy(listColumn)
    .select({ listId: listColumn })
    .count({ contacts: '*' })
    .sum(sums);
  for (const row of rows) {
    const byStatus = Object.fromEntries(
      CONTACT_STATUSES.map((name, index) => [name, toCount(row[`s${index}`])]),
    ) as Record<ContactStatus, number>;
    counts.set(Number(row.listId), { contacts: toCount(row.contacts), subscribed: byStatus.subscribed, byStatus });
  }
  return counts;
};
