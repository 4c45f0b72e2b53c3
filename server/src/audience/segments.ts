// Engagement segments: saved audiences described by rules (shared/segments.ts). Their members are counted and sent
// to by sending/segment-audience.ts; here they are kept, named and checked.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import type { ListListQuery } from '../../../shared/contracts/lists';
import { segmentRulesSchema, type Segment, type SegmentInput } from '../../../shared/segments';
import { segmentQueries } from '../db/segments';
import { pluginDocuments } from '../platform/plugin-documents';
import { toPagination } from '../platform/pagination';

const SEGMENT_FIELDS = ['name', 'rules', 'createdAt', 'updatedAt'] as const;
/** A delivery in one of these still reads its segment's rules, so the segment cannot go. */
const READING_STATUSES = ['draft', 'scheduled', 'preparing'];

type Row = Record<string, unknown>;

const toSegment = (row: Row): Segment => ({
  documentId: String(row.documentId),
  name: String(row.name),
  // Stored rules went through the schema when saved; parsing again fills defaults added since.
  rules: segmentRulesSchema.parse(row.rules),
  createdAt: String(row.createdAt),
  updatedAt: String(row.updatedAt),
});

const createSegmentsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => pluginDocuments(strapi, UID.segment);

  const assertNameFree = async (name: string, exceptDocumentId?: string) => {
    const existing = await documents().findFirst({ filters: { name }, fields: ['documentId'] });
    if (existing && existing.documentId !== exceptDocumentId) {
      throw new errors.ValidationError(`A segment named "${name}" already exists.`, { field: 'name' });
    }
  };

  /** Every list, delivery and link the rules name must exist (a clear error names the condition that does not). */
  const assertReferencesExist = (input: SegmentInput) => segmentQueries(strapi).resolve(input.rules, new Date());

  return {
    async find(query: ListListQuery) {
      const where = query.search ? { name: { $containsi: query.search } } : {};
      const [results, total] = await Promise.all([
        documents().findMany({
          filters: where,
          sort: query.sort,
          start: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
          fields: [...SEGMENT_FIELDS],
        }),
        documents().count({ filters: where }),
      ]);
      return {
        data: (results as Row[]).map(toSegment),
        meta: { pagination: toPagination(query.page, query.pageSize, total) },
      };
    },

    async findOne(documentId: string): Promise<Segment> {
      const found = await documents().findOne({ documentId, fields: [...SEGMENT_FIELDS] });
      if (!found) throw new errors.NotFoundError(`No segment with id "${documentId}".`);
      return toSegment(found as Row);
    },

    async create(input: SegmentInput): Promise<Segment> {
      await assertNameFree(input.name);
      await assertReferencesExist(input);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the plugin's types are not in Strapi's generated registry, so its document data have no type
      const created = await documents().create({ data: input as any });
      return this.findOne(created.documentId);
    },

    async update(documentId: string, input: SegmentInput): Promise<Segment> {
      await this.findOne(documentId);
      await assertNameFree(input.name, documentId);
      await assertReferencesExist(input);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as in create
      await documents().update({ documentId, data: input as any });
      return this.findOne(documentId);
    },

    /** A segment a delivery still has to read (draft, scheduled, preparing) stays; sent deliveries keep their logs. */
    async delete(documentId: string) {
      const segment = await this.findOne(documentId);
      const using = await strapi.db.query(UID.delivery).findOne({
        where: { segment: { documentId }, status: { $in: READING_STATUSES } },
        select: ['name'],
      });
      if (using) {
        throw new errors.ValidationError(
          `"${segment.name}" is the audience of the delivery "${using.name}": give that delivery another audience first.`,
        );
      }
      await documents().delete({ documentId });
      return { documentId };
    },
  };
};

export type SegmentsService = ReturnType<typeof createSegmentsService>;
export default createSegmentsService;
