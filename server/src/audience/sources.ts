// Audience sources an app registers (its users, any collection type with an email field, an external system): an
// editor picks their segments in the delivery editor, beside the plugin's own lists.
//
// How a recipient from a source is recorded: as a plugin contact, found or created by (normalised) email when the
// audience is resolved. Delivery logs, unsubscriptions, quarantine after hard bounces, tracking and reports all
// work on contacts, so they work unchanged for every source; and the contact's status is the one place that says
// whether a person may get mail: someone who unsubscribed from a delivery to "all users" is excluded from the next
// one, whichever source or list names them. Names and locale from the source update the contact; `data` is merged
// into its attributes. The contact's status is never changed by a source.
import type { Core, UID as StrapiUID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type {
  AudienceSegmentRef,
  AudienceSource,
  AudienceSourceInfo,
  CollectionSegment,
  CollectionSourceOptions,
  SourcePage,
} from './source-types';

const SOURCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const and = (...parts: Array<Record<string, unknown> | undefined>) => {
  const present = parts.filter((part): part is Record<string, unknown> => Boolean(part && Object.keys(part).length));
  return present.length ? { $and: present } : {};
};

const text = (value: unknown): string | null => (value == null || value === '' ? null : String(value));

const createAudienceSourcesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const sources = new Map<string, AudienceSource>();

  const sourceOf = (id: string): AudienceSource => {
    const source = sources.get(id);
    if (!source) throw new Error(`no audience source "${id}"`);
    return source;
  };

  return {
    /** Adds a source (in the app's register() or bootstrap). Throws on a bad or taken id, or a missing method. */
    register(source: AudienceSource): void {
      if (!source || typeof source.id !== 'string' || !SOURCE_ID.test(source.id)) {
        throw new Error(
          `Cannot register audience source ${JSON.stringify(source?.id)}: an id uses letters, digits, ".", "_" and "-" (at most 64)`,
        );
      }
      if (sources.has(source.id))
        throw new Error(`Cannot register audience source "${source.id}": it is already registered`);
      for (const method of ['segments', 'count', 'page'] as const) {
        if (typeof source[method] !== 'function')
          throw new Error(`Cannot register audience source "${source.id}": it has no ${method}() method`);
      }
      sources.set(source.id, { ...source, label: source.label || source.id });
    },

    /**
     * A source over any collection type with an email attribute, paged by row id (its documentId is the recipient's
     * key). Draft-and-publish types give their published entries only; entries without an address are left out.
     */
    collection(options: CollectionSourceOptions): AudienceSource {
      const { uid } = options;
      const segmentsOf = async (): Promise<CollectionSegment[]> =>
        typeof options.segments === 'function'
          ? await options.segments()
          : (options.segments ?? [{ id: 'all', label: 'All' }]);
      const contentType = () => {
        const found = strapi.contentType(uid as StrapiUID.ContentType);
        if (!found) throw new Error(`audience source "${options.id}": no content type "${uid}"`);
        if (!found.attributes?.[options.email])
          throw new Error(`audience source "${options.id}": ${uid} has no attribute "${options.email}"`);
        return found;
      };
      const whereFor = async (segmentId: string) => {
        const segment = (await segmentsOf()).find((candidate) => candidate.id === segmentId);
        if (!segment) throw new Error(`audience source "${options.id}" has no segment "${segmentId}"`);
        const published = contentType().options?.draftAndPublish ? { publishedAt: { $notNull: true } } : undefined;
        return and({ [options.email]: { $notNull: true } }, published, options.filters, segment.filters);
      };
      const fields = [options.firstName, options.lastName, options.locale, ...(options.data ?? [])].filter(
        (field): field is string => Boolean(field),
      );

      return {
        id: options.id,
        label: options.label,
        segments: async () => (await segmentsOf()).map(({ id, label }) => ({ id, label })),
        count: async (segmentId) =>
          strapi.db.query(uid as StrapiUID.Schema).count({ where: await whereFor(segmentId) }),
        page: async (segmentId, { after, limit }): Promise<SourcePage> => {
          const where = await whereFor(segmentId);
          const rows = await strapi.db.query(uid as StrapiUID.Schema).findMany({
            where: after ? and(where, { id: { $gt: Number(after) } }) : where,
            orderBy: { id: 'asc' },
            limit,
            select: ['id', 'documentId', options.email, ...fields],
          });
          return {
            recipients: rows.map((row: Record<string, unknown>) => ({
              key: String(row.documentId ?? row.id),
              email: String(row[options.email]),
              firstName: options.firstName ? text(row[options.firstName]) : undefined,
              lastName: options.lastName ? text(row[options.lastName]) : undefined,
              locale: options.locale ? text(row[options.locale]) : undefined,
              data: options.data?.length
                ? Object.fromEntries(options.data.map((field) => [field, row[field] ?? null]))
                : undefined,
            })),
            next: rows.length === limit ? String(rows[rows.length - 1].id) : null,
          };
        },
      };
    },

    has: (id: string) => sources.has(id),
    get: sourceOf,

    /** Every source with its segments and their sizes, for the editor's picker. A failing source shows no segment. */
    async describe(): Promise<AudienceSourceInfo[]> {
      return Promise.all(
        [...sources.values()].map(async (source) => {
          try {
            const segments = await source.segments();
            const counts = await Promise.all(segments.map((segment) => source.count(segment.id)));
            return {
              id: source.id,
              label: source.label,
              segments: segments.map((segment, i) => ({
                id: segment.id,
                label: segment.label,
                count: Number(counts[i]) || 0,
              })),
            };
          } catch (error) {
            strapi.log.warn(
              `[campaigns] audience source "${source.id}" could not list its segments: ${(error as Error).message}`,
            );
            return { id: source.id, label: source.label, segments: [] };
          }
        }),
      );
    },

    /** 400 naming the first unknown source or segment of a delivery's choice. */
    async assertValid(refs: AudienceSegmentRef[]): Promise<void> {
      const segmentsBySource = new Map<string, Set<string>>();
      for (const [index, ref] of refs.entries()) {
        const source = sources.get(ref.source);
        if (!source) {
          const known = [...sources.keys()];
          throw new errors.ValidationError(
            `audienceSegments.${index}.source: no audience source "${ref.source}" (${known.length ? `registered: ${known.map((id) => `"${id}"`).join(', ')}` : 'none is registered'}).`,
            {
              errors: [{ path: ['audienceSegments', index, 'source'], message: `no audience source "${ref.source}"` }],
            },
          );
        }
        if (!segmentsBySource.has(ref.source))
          segmentsBySource.set(ref.source, new Set((await source.segments()).map((segment) => segment.id)));
        const segments = segmentsBySource.get(ref.source)!;
        if (!segments.has(ref.segment)) {
          throw new errors.ValidationError(
            `audienceSegments.${index}.segment: audience source "${ref.source}" has no segment "${ref.segment}" (its segments: ${[...segments].map((id) => `"${id}"`).join(', ') || 'none'}).`,
            {
              errors: [
                {
                  path: ['audienceSegments', index, 'segment'],
                  message: `no segment "${ref.segment}" in "${ref.source}"`,
                },
              ],
            },
          );
        }
      }
    },

    /** Recipients of the segments before exclusions and duplicates: the sum of their counts, to size a delivery. */
    async estimate(refs: AudienceSegmentRef[]): Promise<number> {
      const counts = await Promise.all(
        refs.map(async (ref) => Number(await sourceOf(ref.source).count(ref.segment)) || 0),
      );
      return counts.reduce((sum, count) => sum + count, 0);
    },
  };
};

export type AudienceSourcesService = ReturnType<typeof createAudienceSourcesService>;
export default createAudienceSourcesService;
