// Queries on the contact table (and its join table with lists): linking imported contacts to a list inside the
// import's raw transaction (SQLite has one connection, so a query outside it would wait forever), and the sample
// contact a test send is personalised with.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { contactListsJoin } from './join-tables';
import { tableOf } from './tables';
import type { RenderContact } from '../sending/template';

/** Rows inserted per statement into the join table. */
const LINK_BATCH = 200;

/** Puts the contacts with these (normalised) emails in the list; those already in it are left as they are. */
export const linkContactsToList = async (
  strapi: Core.Strapi,
  trx: Knex.Transaction,
  emails: string[],
  listId: number,
) => {
  const join = contactListsJoin(strapi);
  const contact = tableOf(strapi, UID.contact);
  const ids = (await trx(contact.table).whereIn(contact.column('email'), emails).select('id')).map(
    (row: { id: number | string }) => Number(row.id),
  );
  const linked = new Set<number>(
    (
      await trx(join.table).where(join.listColumn, listId).whereIn(join.contactColumn, ids).select(join.contactColumn)
    ).map((row: Record<string, number | string>) => Number(row[join.contactColumn])),
  );
  const missing = ids.filter((id) => !linked.has(id));
  if (!missing.length) return;
  const rows = missing.map((contactId, index) => ({
    [join.contactColumn]: contactId,
    [join.listColumn]: listId,
    ...(join.listOrderColumn ? { [join.listOrderColumn]: index + 1 } : {}),
    ...(join.contactOrderColumn ? { [join.contactOrderColumn]: 1 } : {}),
  }));
  await trx.batchInsert(join.table, rows, LINK_BATCH).transacting(trx);
};

/** The first subscribed contact of the lists (by id), as the template renders a recipient; null when there is none. */
export const firstSubscribedContactOf = async (
  strapi: Core.Strapi,
  listIds: number[],
): Promise<RenderContact | null> => {
  if (!listIds.length) return null;
  const knex = strapi.db.connection as Knex;
  const contacts = strapi.db.metadata.get(UID.contact).tableName;
  const join = contactListsJoin(strapi);
  const first = await knex(join.table)
    .join(contacts, `${contacts}.id`, `${join.table}.${join.contactColumn}`)
    .whereIn(`${join.table}.${join.listColumn}`, listIds)
    .where(`${contacts}.status`, 'subscribed')
    .orderBy(`${contacts}.id`, 'asc')
    .first(
      `${contacts}.email`,
      `${contacts}.first_name`,
      `${contacts}.last_name`,
      `${contacts}.locale`,
      `${contacts}.attributes`,
    );
  if (!first) return null;
  return {
    email: first.email,
    firstName: first.first_name,
    lastName: first.last_name,
    locale: first.locale,
    attributes: typeof first.attributes === 'string' ? JSON.parse(first.attributes) : first.attributes,
  };
};
