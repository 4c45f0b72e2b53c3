// Lists: named groups of contacts, with their sizes.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import { pluginDocuments } from '../platform/plugin-documents';
import type { ListInput, ListListQuery } from '../../../shared/contracts/lists';
import { toPagination } from '../platform/pagination';
import { contactCountsByList, noListCounts } from '../db/lists';

const LIST_FIELDS = ['name', 'description', 'public', 'doubleOptIn', 'createdAt', 'updatedAt'] as const;

const createListsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => pluginDocuments(strapi, UID.list);

  const withCounts = async <T extends { id: number | string }>(lists: T[]) => {
    const counts = await contactCountsByList(
      strapi,
      lists.map((list) => Number(list.id)),
    );
    return lists.map((list) => ({ ...list, ...(counts.get(Number(list.id)) ?? noListCounts()) }));
  };

  const assertNameFree = async (name: string, exceptDocumentId?: string) => {
    const existing = await documents().findFirst({ filters: { name }, fields: ['documentId'] });
    if (existing && existing.documentId !== exceptDocumentId) {
      throw new errors.ValidationError(`A list named "${name}" already exists.`, { field: 'name' });
    }
  };

  return {
    async find(query: ListListQuery) {
      const where = query.search ? { name: { $containsi: query.search } } : {};
      const [results, total] = await Promise.all([
        documents().findMany({
          filters: where,
          sort: query.sort,
          start: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
          fields: [...LIST_FIELDS],
        }),
        documents().count({ filters: where }),
      ]);
      return { data: await withCounts(results), meta: { pagination: toPagination(query.page, query.pageSize, total) } };
    },

    async findOne(documentId: string) {
      const list = await documents().findOne({ documentId, fields: [...LIST_FIELDS] });
      if (!list) throw new errors.NotFoundError(`No list with id "${documentId}".`);
      const [counted] = await withCounts([list]);
      return counted;
    },

    async create(input: ListInput & { name: string }) {
      await assertNameFree(input.name);
      const created = await documents().create({ data: input });
      return this.findOne(created.documentId);
    },

    async update(documentId: string, input: ListInput) {
      await this.findOne(documentId);
      if (input.name !== undefined) await assertNameFree(input.name, documentId);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plugin's types are not in Strapi's generated registry, so its document data have no type
      await documents().update({ documentId, data: input as any });
      return this.findOne(documentId);
    },

    /** Deleting a list keeps its contacts: they may belong to other lists and hold history. */
    async delete(documentId: string) {
      await this.findOne(documentId);
      await documents().delete({ documentId });
      return { documentId };
    },
  };
};

export type ListsService = ReturnType<typeof createListsService>;
export default createListsService;
