// Queries on the list table that Strapi's query engine cannot express: contacts per list, counted in the join table.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { contactListsJoin } from './join-tables';
import { knexOf, tableOf, toCount } from './tables';

export interface ListCounts {
  contacts: number;
  subscribed: number;
}

/** Contacts per list, and subscribed ones, in one query (a list with no contact is absent). */
export const contactCountsByList = async (strapi: Core.Strapi, listIds: number[]): Promise<Map<number, ListCounts>> => {
  const counts = new Map<number, ListCounts>();
  if (!listIds.length) return counts;
  const knex = knexOf(strapi);
  const join = contactListsJoin(strapi);
  const contact = tableOf(strapi, UID.contact);
  const listColumn = `${join.table}.${join.listColumn}`;
  const rows: Array<{ listId: number | string; contacts: number | string; subscribed: number | string | null }> =
    await knex(join.table)
      .join(contact.table, `${contact.table}.id`, `${join.table}.${join.contactColumn}`)
      .whereIn(listColumn, listIds)
      .groupBy(listColumn)
      .select({ listId: listColumn })
      .count({ contacts: '*' })
      .sum({
        subscribed: knex.raw(`CASE WHEN ${contact.table}.${contact.column('status')} = 'subscribed' THEN 1 ELSE 0 END`),
      });
  for (const row of rows)
    counts.set(Number(row.listId), { contacts: toCount(row.contacts), subscribed: toCount(row.subscribed) });
  return counts;
};
