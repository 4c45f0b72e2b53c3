// Strapi entries in newsletters: the app's collection types with their newsletter shapes (saved by an admin, or
// guessed), pages of published entries to pick from, one entry or the latest ones read through the shape, and the
// entries every entry block of a message shows. Only published entries are ever sent.
import type { Core, UID as StrapiUID } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { allBlocks, type ContentBlock, type EntryListBlock } from '../../../shared/blocks';
import type { EntryPage, EntryTypeSummary, PreviewProblem } from '../../../shared/contracts/authoring';
import { entryShapeSchema, type EntryShape, type EntryView } from '../../../shared/entries';
import { getService } from '../platform/get-service';
import { parseOrThrow } from '../validation/common';
import { toPagination } from '../platform/pagination';
import { assertShapeFits, fieldsOf, guessShape, viewOf, type CollectionTypeInfo } from './entry-shapes';

const SHAPES_KEY = 'entry-shapes';
const DAY_MS = 24 * 60 * 60 * 1000;

type Entry = Record<string, unknown> & { documentId: string };

const createEntriesService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'campaigns' });
  const publicUrl = () => getService(strapi, 'composer').publicUrl();
  const savedShapes = async () => ((await store().get({ key: SHAPES_KEY })) ?? {}) as Record<string, EntryShape>;

  const collectionTypes = (): CollectionTypeInfo[] =>
    Object.entries(strapi.contentTypes)
      .filter(([uid, type]) => uid.startsWith('api::') && type.kind === 'collectionType')
      .map(([uid, type]) => ({ ...(type as unknown as CollectionTypeInfo), uid }));

  /** The type a uid names: 404 when the app has none, 400 when it is not one of the app's collection types. */
  const typeOf = (uid: string): CollectionTypeInfo => {
    const type = collectionTypes().find((candidate) => candidate.uid === uid);
    if (type) return type;
    if (strapi.contentTypes[uid as StrapiUID.ContentType])
      throw new errors.ValidationError(
        `"${uid}" is not one of the app's collection types (api::...): it cannot be sent.`,
      );
    throw new errors.NotFoundError(`No content type "${uid}".`);
  };

  /** The locales of Strapi's i18n plugin (none when the app runs without it). */
  const appLocales = async (): Promise<Array<{ code: string; name: string }>> => {
    const service = strapi.plugin('i18n')?.service('locales');
    if (!service) return [];
    const rows = (await service.find()) as Array<{ code: string; name: string }>;
    return rows.map(({ code, name }) => ({ code, name }));
  };

  const shapeOf = async (type: CollectionTypeInfo) =>
    (await savedShapes())[type.uid] ?? guessShape(type, await publicUrl());

  /** The document-service options every read shares: published only, the image populated, the locale. */
  const readOptions = (type: CollectionTypeInfo, shape: EntryShape, locale: string | null | undefined) => ({
    ...(type.options?.draftAndPublish === true ? { status: 'published' as const } : {}),
    ...(shape.imageField ? { populate: [shape.imageField] } : {}),
    ...(locale ? { locale } : {}),
  });
  // The app's types are only known at run time, so Strapi's generated parameter types cannot describe them: the
  // queries below are told `never` and their rows read as plain entries.
  const documents = (uid: string) => strapi.documents(uid as StrapiUID.ContentType);

  const latest = async (
    block: Pick<EntryListBlock, 'contentType' | 'locale' | 'limit' | 'publishedWithinDays' | 'where'>,
  ) => {
    const type = typeOf(block.contentType);
    const shape = await shapeOf(type);
    const filters: Record<string, unknown>[] = [];
    if (block.publishedWithinDays)
      filters.push({ publishedAt: { $gte: new Date(Date.now() - block.publishedWithinDays * DAY_MS).toISOString() } });
    // A filter on a field the type lacks matches nothing: ignoring it would send every entry (the checks name it).
    if (block.where && !type.attributes[block.where.field]) return [];
    if (block.where) filters.push({ [block.where.field]: { $eq: block.where.value } });
    const rows = (await documents(type.uid).findMany({
      ...readOptions(type, shape, block.locale),
      filters: filters.length ? { $and: filters } : {},
      sort: type.options?.draftAndPublish === true ? 'publishedAt:desc' : 'createdAt:desc',
      limit: block.limit,
    } as never)) as unknown as Entry[];
    const base = await publicUrl();
    return rows.map((row) => viewOf(row, shape, type, base));
  };

  return {
    /** Throws the 404 / 400 of an unknown or unsendable type. */
    typeCheck(uid: string) {
      typeOf(uid);
    },

    async types(): Promise<EntryTypeSummary[]> {
      const saved = await savedShapes();
      const base = await publicUrl();
      const locales = await appLocales();
      return collectionTypes().map((type) => ({
        uid: type.uid,
        displayName: type.info.displayName,
        draftAndPublish: type.options?.draftAndPublish === true,
        localized: Boolean(type.pluginOptions?.i18n?.localized),
        locales: type.pluginOptions?.i18n?.localized ? locales : [],
        fields: fieldsOf(type),
        shape: saved[type.uid] ?? guessShape(type, base),
        shapeSaved: Boolean(saved[type.uid]),
      }));
    },

    async saveShape(input: unknown): Promise<EntryShape> {
      const shape = parseOrThrow(entryShapeSchema, input, 'newsletter shape');
      assertShapeFits(shape, typeOf(shape.contentType));
      await store().set({ key: SHAPES_KEY, value: { ...(await savedShapes()), [shape.contentType]: shape } });
      return shape;
    },

    async page(
      uid: string,
      query: { search?: string; page: number; pageSize: number; locale?: string },
    ): Promise<EntryPage> {
      const type = typeOf(uid);
      const shape = await shapeOf(type);
      const filters = query.search ? { [shape.titleField]: { $containsi: query.search } } : {};
      const options = readOptions(type, shape, query.locale);
      const [rows, total] = await Promise.all([
        documents(uid).findMany({
          ...options,
          filters,
          sort: 'updatedAt:desc',
          start: (query.page - 1) * query.pageSize,
          limit: query.pageSize,
        } as never) as unknown as Promise<Entry[]>,
        documents(uid).count({ ...options, filters } as never),
      ]);
      const base = await publicUrl();
      return {
        data: rows.map((row) => viewOf(row, shape, type, base)),
        meta: { pagination: toPagination(query.page, query.pageSize, total) },
      };
    },

    /** One published entry through its shape, or null when it does not exist or is not published. */
    async view(uid: string, documentId: string, locale?: string | null): Promise<EntryView | null> {
      const type = typeOf(uid);
      const shape = await shapeOf(type);
      const row = (await documents(uid).findOne({
        documentId,
        ...readOptions(type, shape, locale),
      } as never)) as Entry | null;
      return row ? viewOf(row, shape, type, await publicUrl()) : null;
    },

    latest,

    /** An entry's title in any state, for reports on clicks already made (null when the entry or its type is gone). */
    async titleOf(uid: string, documentId: string): Promise<string | null> {
      const type = collectionTypes().find((candidate) => candidate.uid === uid);
      if (!type) return null;
      const shape = await shapeOf(type);
      const row = (await documents(uid).findOne({ documentId, fields: [shape.titleField] } as never)) as Entry | null;
      const title = row?.[shape.titleField];
      return row ? String(title ?? documentId) : null;
    },

    /** A problem for each entry list whose filter names a field its type does not have. */
    filterProblems(blocks: ContentBlock[]): PreviewProblem[] {
      return allBlocks(blocks).flatMap((block) => {
        if (block.type !== 'entry-list' || !block.where || !block.contentType) return [];
        const type = collectionTypes().find((candidate) => candidate.uid === block.contentType);
        if (!type || type.attributes[block.where.field]) return [];
        return [
          {
            blockId: block.id,
            path: 'where.field',
            message: `"${type.info.displayName}" has no field "${block.where.field}" to filter on: choose another.`,
          },
        ];
      });
    },

    /** The entries of every entry card and entry list (columns included), by block id; [] for what is gone. */
    async resolve(blocks: ContentBlock[]): Promise<Record<string, EntryView[]>> {
      const found: Record<string, EntryView[]> = {};
      for (const block of allBlocks(blocks)) {
        if ((block.type === 'entry-card' || block.type === 'entry-list') && !block.contentType) {
          found[block.id] = [];
          continue;
        }
        try {
          if (block.type === 'entry-card') {
            if (!block.documentId) {
              found[block.id] = [];
              continue;
            }
            const entry = await this.view(block.contentType, block.documentId, block.locale);
            found[block.id] = entry ? [entry] : [];
          } else if (block.type === 'entry-list') found[block.id] = await latest(block);
        } catch (error) {
          // A type removed from the app since the block was written: the block shows nothing and the checks say so.
          if (!(error instanceof errors.NotFoundError || error instanceof errors.ValidationError)) throw error;
          found[block.id] = [];
        }
      }
      return found;
    },
  };
};

export type EntriesService = ReturnType<typeof createEntriesService>;
export default createEntriesService;
