// Queries on the contact table (and its join table with lists) that Strapi's query engine cannot run inside a
// raw transaction: SQLite has one connection, so a query outside the caller's transaction would wait forever.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { contactListsJoin } from './join-tables';
import { tableOf } from './tables';

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
