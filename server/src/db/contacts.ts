// Queries on the contact table (and its join table with lists): linking imported contacts to a list inside the
// import's raw transaction (SQLite has one connection, so a query outside it would wait forever), and the sample
// contact a test send is personalised with, and the contacts holding an attribute's value (the admin's filter).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { contactListsJoin } from './join-tables';
import { jsonObjectColumn } from './json-column';
import { dbClient, knexOf, tableOf } from './tables';
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
    attributes: jsonObjectColumn(first.attributes),
  };
};

/**
 * The ids of the contacts whose attribute `name` reads `value` (compared as text, so 3 and "3" both match "3"), as a
 * subquery Strapi's query engine accepts in an `$in` filter. Each database reads a JSON value its own way.
 */
export const contactIdsWithAttribute = (strapi: Core.Strapi, name: string, value: string) => {
  const contact = tableOf(strapi, UID.contact);
  const column = `${contact.table}.${contact.column('attributes')}`;
  // The name (letters, digits, _: server/src/validation/contacts.ts) is a bound JSON path, never SQL.
  const path = `$."${name}"`;
  const query = knexOf(strapi)(contact.table).select(`${contact.table}.id`);
  switch (dbClient(strapi)) {
    case 'postgres':
      return query.whereRaw(`${column} ->> ? = ?`, [name, value]);
    case 'mysql':
      return query.whereRaw(`JSON_UNQUOTE(JSON_EXTRACT(${column}, ?)) = ?`, [path, value]);
    default:
      return query.whereRaw(`CAST(json_extract(${column}, ?) AS TEXT) = ?`, [path, value]);
  }
};
