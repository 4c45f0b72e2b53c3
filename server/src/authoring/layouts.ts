// Layouts: what newsletters made from them share (look, header, footer, the legal lines). The starters are created
// once per install; a delivery with no layout uses the first layout there is, else the built-in newsletter starter.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { z } from 'zod';
import { parseOrThrow } from '../validation/common';
import { UID } from '../../../shared/constants';
import { blockDocumentSchema, type BlockDocument } from '../../../shared/blocks';
import { layoutPartsSchema, type LayoutParts, type LayoutSnapshot } from '../../../shared/layouts';
import type { Layout, LayoutInput, LayoutSummary } from '../../../shared/contracts/authoring';
import { pluginDocuments } from '../platform/plugin-documents';
import { STARTER_LAYOUTS } from './starter-layouts';

const STARTERS_KEY = 'starter-layouts';
const FIELDS = [
  'name',
  'description',
  'starter',
  'style',
  'header',
  'footer',
  'postalAddress',
  'unsubscribeLabel',
  'mirrorLabel',
  'preferencesLabel',
  'content',
  'updatedAt',
] as const;

interface LayoutRow {
  id: number;
  documentId: string;
  name: string;
  description: string | null;
  starter: string | null;
  style: LayoutParts['style'];
  header: LayoutParts['header'] | null;
  footer: LayoutParts['footer'] | null;
  postalAddress: string;
  unsubscribeLabel: string;
  mirrorLabel: string | null;
  preferencesLabel: string | null;
  content: BlockDocument | null;
  updatedAt: string;
}

const summary = (row: LayoutRow): LayoutSummary => ({
  id: row.id,
  documentId: row.documentId,
  name: row.name,
  description: row.description ?? null,
  starter: Boolean(row.starter),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

const partsOf = (row: Pick<LayoutRow, keyof LayoutParts> | LayoutParts): LayoutParts => ({
  style: row.style,
  header: row.header ?? [],
  footer: row.footer ?? [],
  postalAddress: row.postalAddress,
  unsubscribeLabel: row.unsubscribeLabel,
  ...(row.mirrorLabel ? { mirrorLabel: row.mirrorLabel } : {}),
  ...(row.preferencesLabel ? { preferencesLabel: row.preferencesLabel } : {}),
});

// Both answer 400 naming every field that is wrong, in the words of shared/layouts.ts and shared/blocks.ts, the way
// request validation answers (server/src/validation/common.ts), so the admin puts each under its field.
const checkParts = (parts: unknown): LayoutParts => parseOrThrow(layoutPartsSchema, parts, 'layout');

/** The blocks a layout starts deliveries with: checked with the same schema as a delivery's content. */
const checkContent = (content: unknown): BlockDocument | null =>
  content == null ? null : parseOrThrow(z.object({ content: blockDocumentSchema }), { content }, 'layout').content;

/** A layout as written: Strapi generates no attribute types for a plugin's content types, so `update` is told `never`. */
type LayoutData = Partial<Omit<LayoutRow, 'id' | 'documentId' | 'updatedAt'>>;

const createLayoutsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const documents = () => pluginDocuments(strapi, UID.layout);
  const store = () => strapi.store({ type: 'plugin', name: 'campaigns' });

  const find = async (documentId: string): Promise<LayoutRow> => {
    const row = await documents().findOne({ documentId, fields: [...FIELDS] });
    if (!row) throw new errors.NotFoundError(`No layout with id "${documentId}".`);
    return row as unknown as LayoutRow;
  };

  return {
    /** Creates the starter layouts the first time the plugin runs in an app. */
    async ensureStarters() {
      if (await store().get({ key: STARTERS_KEY })) return;
      for (const { key, ...layout } of STARTER_LAYOUTS) await documents().create({ data: { ...layout, starter: key } });
      await store().set({ key: STARTERS_KEY, value: { createdAt: new Date().toISOString() } });
    },

    async list(): Promise<LayoutSummary[]> {
      const rows = await documents().findMany({ fields: [...FIELDS], sort: 'id:asc' });
      return (rows as unknown as LayoutRow[]).map(summary);
    },

    async findOne(documentId: string): Promise<Layout> {
      const row = await find(documentId);
      return { ...summary(row), ...partsOf(row), content: row.content ?? null };
    },

    async create(input: LayoutInput & { name: string }): Promise<Layout> {
      const base = STARTER_LAYOUTS[0];
      const parts = checkParts({
        ...partsOf(base),
        ...input,
        name: undefined,
        description: undefined,
        content: undefined,
      });
      const created = await documents().create({
        data: {
          ...parts,
          name: input.name,
          description: input.description ?? null,
          content: checkContent(input.content),
          starter: null,
        },
      });
      return this.findOne(created.documentId);
    },

    async update(documentId: string, input: LayoutInput): Promise<Layout> {
      const current = await find(documentId);
      const parts = checkParts({
        ...partsOf(current),
        ...input,
        name: undefined,
        description: undefined,
        content: undefined,
      });
      await documents().update({
        documentId,
        data: {
          ...parts,
          name: input.name ?? current.name,
          description: input.description !== undefined ? input.description : current.description,
          content: input.content !== undefined ? checkContent(input.content) : current.content,
        } as LayoutData as never,
      });
      return this.findOne(documentId);
    },

    /** Deliveries that used it keep their snapshot (sent) or fall back to the default layout (drafts). */
    async delete(documentId: string) {
      await find(documentId);
      await documents().delete({ documentId });
      return { documentId };
    },

    /** A new layout from a delivery: its look as it would be sent now, and its blocks to start from. */
    async fromDelivery(
      delivery: { layoutDocumentId: string | null; content: BlockDocument | null },
      input: { name: string; description?: string | null },
    ): Promise<Layout> {
      const { layoutDocumentId: _from, name: _name, ...parts } = await this.snapshotOf(delivery.layoutDocumentId);
      return this.create({ ...parts, ...input, content: delivery.content });
    },

    /** The layout a message is rendered with: the one named, else the first there is, else the built-in starter. */
    async snapshotOf(documentId: string | null | undefined): Promise<LayoutSnapshot> {
      if (documentId) {
        const row = await find(documentId);
        return { ...partsOf(row), layoutDocumentId: row.documentId, name: row.name };
      }
      const [first] = (await documents().findMany({ fields: [...FIELDS], sort: 'id:asc', limit: 1 })) as unknown as
        LayoutRow[] | [];
      if (first) return { ...partsOf(first), layoutDocumentId: first.documentId, name: first.name };
      return { ...partsOf(STARTER_LAYOUTS[0]), layoutDocumentId: null, name: STARTER_LAYOUTS[0].name };
    },
  };
};

export type LayoutsService = ReturnType<typeof createLayoutsService>;
export default createLayoutsService;
