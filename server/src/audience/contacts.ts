// Contacts: the people who can receive deliveries. A suppressed address (audience/suppressions.ts) keeps its contact
// out of reach: created or re-addressed, the contact gets the suppression's status, and cannot be set subscribed
// again until an admin lifts the suppression; an admin marking a contact unsubscribed suppresses its address.
import type { Core, Modules } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import { pluginDocuments } from '../platform/plugin-documents';
import { emailProblem, normalizeEmail } from '../platform/email-address';
import { suppressedStatus } from './suppressions';
import type { ContactBulkDeleteResult, ContactInput, ContactListQuery } from '../../../shared/contracts/contacts';
import { getService } from '../platform/get-service';
import { toPagination } from '../platform/pagination';
import { contactIdsWithAttribute } from '../db/contacts';

const CONTACT_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'locale',
  'attributes',
  'status',
  'statusReason',
  'statusChangedAt',
  'inactive',
  'inactiveSince',
  'createdAt',
  'updatedAt',
] as const;

type ContactFilter = Modules.Documents.Params.Filters.ObjectNotation<typeof UID.contact>;

/** The contacts a search, a status and a list choose: the admin's table and its CSV export read the same ones. */
export const contactFilters = (strapi: Core.Strapi, query: Omit<ContactListQuery, 'page' | 'pageSize' | 'sort'>) => {
  const filters: ContactFilter[] = [];
  if (query.search) {
    const q = query.search;
    filters.push({
      $or: [{ email: { $containsi: q } }, { firstName: { $containsi: q } }, { lastName: { $containsi: q } }],
    });
  }
  if (query.status) filters.push({ status: query.status });
  if (query.list) filters.push({ lists: { documentId: query.list } });
  if (query.attribute) {
    // Strapi's query engine takes a knex subquery in $in (a JSON value has no filter operator of its own).
    const ids = contactIdsWithAttribute(strapi, query.attribute, query.attributeValue ?? '');
    filters.push({ id: { $in: ids as unknown as number[] } });
  }
  return filters.length ? { $and: filters } : {};
};

const createContactsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => pluginDocuments(strapi, UID.contact);

  const listIdsFor = async (listDocumentIds: string[] | undefined) => {
    if (!listDocumentIds) return undefined;
    const found = await strapi
      .documents(UID.list)
      .findMany({ filters: { documentId: { $in: listDocumentIds } }, fields: ['documentId'] });
    const missing = listDocumentIds.filter((id) => !found.some((list) => list.documentId === id));
    if (missing.length) throw new errors.NotFoundError(`No list with id ${missing.map((id) => `"${id}"`).join(', ')}.`);
    return listDocumentIds;
  };

  const assertEmailFree = async (email: string, exceptDocumentId?: string) => {
    const existing = await documents().findFirst({ filters: { email }, fields: ['documentId'] });
    if (existing && existing.documentId !== exceptDocumentId) {
      throw new errors.ValidationError(`A contact with the email "${email}" already exists.`, { field: 'email' });
    }
  };

  const suppressions = () => getService(strapi, 'suppressions');

  /** The status fields to write: the suppression's when the address is suppressed (a wish to subscribe is refused). */
  const statusFields = async (email: string, wanted: ContactInput['status'], creating: boolean) => {
    const suppression = (await suppressions().find([email])).get(email);
    if (!suppression) return wanted === 'unsubscribed' ? { reason: 'manual' as const } : {};
    if (wanted === 'subscribed' && !creating) {
      throw new errors.ValidationError(
        `The address "${email}" is suppressed (${suppression.reason}): an admin with the settings permission must lift its suppression (DELETE /campaigns/suppressions/:id) before it can be subscribed again.`,
        { field: 'status' },
      );
    }
    return { fields: { ...suppressedStatus(suppression), statusChangedAt: new Date() } };
  };

  const checkedEmail = (value: string) => {
    const email = normalizeEmail(value);
    const problem = emailProblem(email);
    if (problem) throw new errors.ValidationError(`Invalid email: ${problem}.`, { field: 'email' });
    return email;
  };

  return {
    async find(query: ContactListQuery) {
      const where = contactFilters(strapi, query);
      const [results, total] = await Promise.all([
        documents().findMany({
          filters: where,
          sort: query.sort,
          start: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
          fields: [...CONTACT_FIELDS],
          populate: { lists: { fields: ['name'] } },
        }),
        documents().count({ filters: where }),
      ]);
      return { data: results, meta: { pagination: toPagination(query.page, query.pageSize, total) } };
    },

    async findOne(documentId: string) {
      const contact = await documents().findOne({
        documentId,
        fields: [...CONTACT_FIELDS],
        populate: { lists: { fields: ['name'] } },
      });
      if (!contact) throw new errors.NotFoundError(`No contact with id "${documentId}".`);
      return contact;
    },

    async create(input: ContactInput & { email: string }) {
      const email = checkedEmail(input.email);
      await assertEmailFree(email);
      const lists = await listIdsFor(input.lists);
      const { fields, reason } = await statusFields(email, input.status, true);
      const created = await documents().create({
        data: { ...input, email, lists, statusChangedAt: input.status ? new Date() : undefined, ...fields },
      });
      if (reason) await suppressions().add([email], reason);
      return this.findOne(created.documentId);
    },

    async update(documentId: string, input: ContactInput) {
      const current = await this.findOne(documentId);
      const data: Record<string, unknown> = { ...input };
      if (input.email !== undefined) {
        data.email = checkedEmail(input.email);
        await assertEmailFree(data.email as string, documentId);
      }
      if (input.lists) data.lists = await listIdsFor(input.lists);
      if (input.status && input.status !== current.status) data.statusChangedAt = new Date();
      const email = (data.email as string | undefined) ?? current.email;
      const { fields, reason } = input.status || data.email ? await statusFields(email, input.status, false) : {};
      // An unchanged status keeps its reason and date; only a change to the suppression's status writes them.
      if (fields && fields.status !== current.status) Object.assign(data, fields);
      await documents().update({ documentId, data });
      if (reason) await suppressions().add([email], reason);
      return this.findOne(documentId);
    },

    async delete(documentId: string) {
      await this.findOne(documentId);
      await documents().delete({ documentId });
      return { documentId };
    },

    /** One document at a time, as `delete` does, so Strapi removes each contact's list memberships with it. */
    async deleteMany(documentIds: string[]): Promise<ContactBulkDeleteResult> {
      const found = await documents().findMany({
        filters: { documentId: { $in: documentIds } },
        fields: ['documentId'],
      });
      for (const { documentId } of found) await documents().delete({ documentId });
      return { deleted: found.length };
    },
  };
};

export type ContactsService = ReturnType<typeof createContactsService>;
export default createContactsService;
