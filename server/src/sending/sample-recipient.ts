// Who a preview and a test send are personalised with, chosen the same way for both so that the test shows what the
// preview showed: the contact the editor picked, else the first subscribed contact of the audience, else a sample.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import { firstSubscribedContactOf } from '../db/contacts';
import type { RenderContact } from './template';

export const SAMPLE_CONTACT: RenderContact = {
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  locale: 'en',
  attributes: {},
};

/** The contact to personalise with: `contact` is a contact's documentId; `listIds` are the audience's list ids. */
export const sampleRecipient = async (
  strapi: Core.Strapi,
  options: { contact?: string | null; listIds: number[] },
): Promise<RenderContact & { id?: number }> => {
  if (options.contact) {
    const found = await strapi.documents(UID.contact).findOne({
      documentId: options.contact,
      fields: ['email', 'firstName', 'lastName', 'locale', 'attributes'],
    });
    if (!found) throw new errors.NotFoundError(`No contact with id "${options.contact}".`);
    return found as unknown as RenderContact & { id: number };
  }
  return (await firstSubscribedContactOf(strapi, options.listIds)) ?? SAMPLE_CONTACT;
};

/** Ids of the lists with these documentIds (unknown ones are left out: a preview does not fail for them). */
export const listIdsOf = async (strapi: Core.Strapi, documentIds: string[] | null | undefined): Promise<number[]> => {
  if (!documentIds?.length) return [];
  const rows = await strapi.db
    .query(UID.list)
    .findMany({ where: { documentId: { $in: documentIds } }, select: ['id'] });
  return rows.map((row: { id: number }) => Number(row.id));
};
