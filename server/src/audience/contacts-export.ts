// The contacts a filter chooses (audience/contacts.ts), as a CSV streamed page by page in id order, so an export of
// a large list never holds it in memory. Its columns are the import's (audience/csv-contacts.ts), so the file can be
// imported again; attributes go in one column as JSON.
import { Readable } from 'stream';
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { csvLine } from '../../../shared/csv';
import type { ContactExportQuery } from '../../../shared/contracts/contacts';
import { pluginDocuments } from '../platform/plugin-documents';
import { contactFilters } from './contacts';

const PAGE = 1000;
const HEADER = [
  'email',
  'firstName',
  'lastName',
  'locale',
  'status',
  'statusReason',
  'lists',
  'attributes',
  'createdAt',
];

export const contactsCsv = async (strapi: Core.Strapi, query: ContactExportQuery) => {
  const documents = pluginDocuments(strapi, UID.contact);
  const listName = query.list
    ? ((await strapi.documents(UID.list).findOne({ documentId: query.list, fields: ['name'] }))?.name as string)
    : null;
  const where = contactFilters(strapi, query);
  async function* lines(this: void) {
    yield csvLine(HEADER);
    let cursor = 0;
    for (;;) {
      const page = await documents.findMany({
        filters: { $and: [where, { id: { $gt: cursor } }] },
        sort: 'id:asc',
        limit: PAGE,
        fields: ['email', 'firstName', 'lastName', 'locale', 'status', 'statusReason', 'attributes', 'createdAt'],
        populate: { lists: { fields: ['name'] } },
      });
      if (!page.length) return;
      cursor = Number(page[page.length - 1].id);
      yield page
        .map((contact) =>
          csvLine([
            contact.email,
            contact.firstName,
            contact.lastName,
            contact.locale,
            contact.status,
            contact.statusReason,
            ((contact.lists ?? []) as Array<{ name: string }>).map((list) => list.name).join('; '),
            contact.attributes && Object.keys(contact.attributes).length ? JSON.stringify(contact.attributes) : '',
            contact.createdAt,
          ]),
        )
        .join('');
    }
  }
  const stem = (listName ?? 'contacts').replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 60) || 'contacts';
  return { filename: `${stem}-${new Date().toISOString().slice(0, 10)}.csv`, stream: Readable.from(lines()) };
};
