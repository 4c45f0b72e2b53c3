// Reads of the contacts table that the sending side needs (the audience itself is resolved in sending/audience.ts).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { RenderContact } from '../sending/template';
import { contactListsJoin } from './join-tables';

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
