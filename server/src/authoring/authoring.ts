// Authoring: a delivery's content as the reader gets it. A blocks message is rendered here with its layout and the
// entries it shows (once per delivery, at preparation; the layout is then kept as a snapshot), and the editor's
// preview goes through the same renderer and the same composer as sending, so what the editor sees is what is sent.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { allBlocks, type BlockDocument, type ContentBlock } from '../../../shared/blocks';
import type { PreviewLink, PreviewProblem, PreviewRequest, PreviewResponse } from '../../../shared/contracts/authoring';
import type { EntryView } from '../../../shared/entries';
import type { LayoutSnapshot } from '../../../shared/layouts';
import { composeMessage, renderMessage, type ComposedMessage } from '../sending/compose';
import { listIdsOf, sampleRecipient } from '../sending/sample-recipient';
import { TemplateError, type RenderContact, type RenderContext } from '../sending/template';
import { getService } from '../platform/get-service';
import { checkDocument, checkImageWeight, checkSize } from './checks';
import { attributeLinks, renderDocument } from './render';
import type { BlockLink } from './mjml-document';

/** What a tracked link adds to the HTML once its placeholder becomes a signed click URL (about 150 characters). */
const TRACKED_URL_BYTES = 150;

export interface BlocksDelivery {
  id: number;
  subject?: string | null;
  content?: BlockDocument | null;
  layoutSnapshot?: LayoutSnapshot | null;
}

export interface RenderedMessage {
  html: string;
  layout: LayoutSnapshot;
  problems: PreviewProblem[];
  warnings: PreviewProblem[];
  links: BlockLink[];
}

const templateProblem = (error: TemplateError, path: string): PreviewProblem => ({
  blockId: null,
  path: error.part ?? path,
  message: error.message,
});

const createAuthoringService = ({ strapi }: { strapi: Core.Strapi }) => {
  const extraVariables = () => getService(strapi, 'template-variables').names();

  /** The entries every entry block shows, read through the app's entry shapes. */
  const entriesOf = (blocks: ContentBlock[]): Promise<Record<string, EntryView[]>> =>
    getService(strapi, 'entries').resolve(blocks);

  /** The weight of the Media Library pictures the blocks show, from the upload plugin's records (KB). */
  const imageWeightKb = async (blocks: ContentBlock[]): Promise<number> => {
    const ids = allBlocks(blocks).flatMap((block) =>
      block.type === 'image' && block.media?.id ? [block.media.id] : [],
    );
    if (!ids.length) return 0;
    const files: Array<{ id: number; size: number | string | null }> = await strapi.db
      .query('plugin::upload.file')
      .findMany({ where: { id: { $in: ids } }, select: ['id', 'size'] });
    const sizeOf = new Map(files.map((file) => [Number(file.id), Number(file.size) || 0]));
    return ids.reduce((sum, id) => sum + (sizeOf.get(id) ?? 0), 0);
  };

  const render = async (
    content: BlockDocument | null | undefined,
    layout: LayoutSnapshot,
    title: string | undefined,
  ): Promise<RenderedMessage> => {
    const blocks = content?.blocks ?? [];
    const all = [...layout.header, ...blocks, ...layout.footer];
    const entries = await entriesOf(all);
    const publicUrl = await getService(strapi, 'composer').publicUrl();
    const checks = checkDocument(blocks, layout, entries, extraVariables());
    checks.problems.push(...getService(strapi, 'entries').filterProblems(blocks));
    checks.warnings.push(...checkImageWeight(await imageWeightKb(all)));
    const rendered = await renderDocument(blocks, layout, { publicUrl, entries, title });
    return { html: rendered.html, layout, links: rendered.links, ...checks };
  };

  const layoutIdOf = async (deliveryId: number): Promise<string | null> => {
    const row = (await strapi.db
      .query(UID.delivery)
      .findOne({ where: { id: deliveryId }, select: ['id'], populate: { layout: { select: ['documentId'] } } })) as {
      layout?: { documentId: string } | null;
    } | null;
    return row?.layout?.documentId ?? null;
  };

  /** The composed message for one recipient, links to their real URLs, the app's variables computed as for a test. */
  const personalize = async (composed: ComposedMessage, contact: RenderContact & { id?: number }) => {
    const variables = getService(strapi, 'template-variables');
    const used = variables.usedBy([
      ...composed.subject.variables,
      ...composed.html.variables,
      ...composed.text.variables,
    ]);
    const [computed] = await variables.valuesFor(used, [
      { contact: { ...contact, id: contact.id ?? null }, delivery: { id: 0, documentId: '' }, test: true },
    ]);
    const urlOf = new Map(composed.links.map((link) => [link.position, link.url]));
    const ctx: RenderContext = {
      contact,
      urls: {
        open: '',
        unsubscribe: '#unsubscribe',
        preferences: '#preferences',
        mirror: '#mirror',
        link: (position) => urlOf.get(position) ?? '#',
      },
      extra: 'values' in computed ? computed.values : {},
    };
    return renderMessage(composed, ctx);
  };

  return {
    /**
     * Deliveries written before the block editor existed are raw HTML ones: their new contentMode column is filled
     * once at start (idempotent: nothing is left to fill the second time).
     */
    async fillContentMode(): Promise<number> {
      const { count } = await strapi.db
        .query(UID.delivery)
        .updateMany({ where: { contentMode: { $null: true } }, data: { contentMode: 'html' } });
      return count;
    },

    /** A blocks delivery rendered with its layout (the snapshot once it has one), for preparation and test sends. */
    async renderDelivery(delivery: BlocksDelivery): Promise<RenderedMessage> {
      const layout =
        delivery.layoutSnapshot ?? (await getService(strapi, 'layouts').snapshotOf(await layoutIdOf(delivery.id)));
      return render(delivery.content, layout, delivery.subject ?? undefined);
    },

    /** The editor's preview: rendered and composed as sending does, with its links numbered as sending numbers them. */
    async preview(request: PreviewRequest): Promise<PreviewResponse> {
      let html = request.html ?? '';
      let problems: PreviewProblem[] = [];
      let warnings: PreviewProblem[] = [];
      let fromBlocks: BlockLink[] = [];
      if (request.contentMode === 'blocks') {
        const layout = request.layoutParts
          ? { ...request.layoutParts, layoutDocumentId: null, name: '' }
          : await getService(strapi, 'layouts').snapshotOf(request.layout);
        const rendered = await render(request.content, layout, undefined);
        ({ html, problems, warnings } = rendered);
        fromBlocks = rendered.links;
      }
      let links: PreviewLink[] = [];
      let text = request.text ?? '';
      let tracked = 0;
      const sample = await sampleRecipient(strapi, {
        contact: request.contact,
        listIds: await listIdsOf(strapi, request.lists),
      });
      let personalized = { subject: request.subject ?? '', html: '', text: '' };
      try {
        const composed = composeMessage({
          subject: request.subject ?? '',
          html,
          text: request.contentMode === 'blocks' ? null : request.text,
          trackOpens: false,
          trackLinks: true,
          extraVariables: extraVariables(),
        });
        text = composed.textSource;
        tracked = composed.links.filter((link) => link.tracked).length;
        links = attributeLinks(composed.links, fromBlocks).map((link) => ({
          position: link.position,
          url: link.url,
          label: link.label && link.label !== link.url ? link.label : null,
          blockId: link.blockId,
        }));
        personalized = await personalize(composed, sample);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        // In blocks mode the per-field checks already named a body problem where the editor typed it.
        if (request.contentMode !== 'blocks' || error.part === 'subject' || !problems.length)
          problems.push(templateProblem(error, 'html'));
      }
      const size = Buffer.byteLength(html, 'utf8') + tracked * TRACKED_URL_BYTES;
      return {
        html,
        text,
        links,
        problems,
        warnings: [...warnings, ...checkSize(size)],
        size,
        sample: { email: sample.email, firstName: sample.firstName ?? null, lastName: sample.lastName ?? null },
        personalized,
      };
    },
  };
};

export type AuthoringService = ReturnType<typeof createAuthoringService>;
export default createAuthoringService;
