// "Send as newsletter" and "Make a digest": draft deliveries in blocks made from Strapi entries, and the deliveries
// already made from an entry with how they did.
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import { richTextSchema, type BlockDocument, type ContentBlock } from '../../../shared/blocks';
import type { DigestInput, EntryDeliverySummary, FromEntryInput } from '../../../shared/contracts/authoring';
import type { EntryView } from '../../../shared/entries';
import { getService } from '../platform/get-service';
import { markdownToHtml } from './rich-text';

const SHOWN = 20;
const PAGE = 500;

interface SourcedDelivery {
  id: number;
  documentId: string;
  name: string;
  status: EntryDeliverySummary['status'];
  finishedAt: string | null;
  createdAt: string;
  sourceEntry: { contentType?: string; documentId?: string } | null;
}

const blockId = () => randomBytes(6).toString('hex');
const doc = (blocks: ContentBlock[]): BlockDocument => ({ version: 1, blocks });

const card = (entry: EntryView, buttonLabel: string): ContentBlock => ({
  id: blockId(),
  type: 'entry-card',
  contentType: entry.contentType,
  documentId: entry.documentId,
  locale: entry.locale,
  showImage: true,
  showExcerpt: true,
  buttonLabel,
});

/** The whole entry as blocks: its title, picture, body and a link to its page. */
const wholeEntry = (entry: EntryView, publicUrl: string): ContentBlock[] => {
  const blocks: ContentBlock[] = [{ id: blockId(), type: 'heading', text: entry.title, level: 1, align: 'left' }];
  if (entry.imageUrl)
    blocks.push({
      id: blockId(),
      type: 'image',
      media: { url: entry.imageUrl },
      alt: entry.imageAlt,
      href: entry.url ?? '',
      width: null,
      align: 'center',
    });
  if (entry.body?.format === 'blocks') {
    const parsed = richTextSchema.safeParse(entry.body.value);
    if (parsed.success) blocks.push({ id: blockId(), type: 'text', content: parsed.data });
  } else if (entry.body?.format === 'markdown') {
    // Markdown becomes HTML here once, every raw tag in it escaped (authoring/rich-text.ts).
    blocks.push({ id: blockId(), type: 'html', html: markdownToHtml(entry.body.value, publicUrl) });
  }
  if (entry.url)
    blocks.push({
      id: blockId(),
      type: 'button',
      label: 'Read more',
      url: entry.url,
      backgroundColor: '',
      textColor: '',
      align: 'left',
    });
  return blocks;
};

export const createEntryDeliveries = (strapi: Core.Strapi) => {
  const entries = () => getService(strapi, 'entries');
  const deliveries = () => getService(strapi, 'deliveries');

  const published = async (contentType: string, documentId: string, locale?: string | null) => {
    const entry = await entries().view(contentType, documentId, locale);
    if (!entry) throw new errors.NotFoundError(`No published entry "${documentId}" of "${contentType}".`);
    return entry;
  };

  return {
    async fromEntry(input: FromEntryInput) {
      const entry = await published(input.contentType, input.documentId, input.locale);
      const publicUrl = await getService(strapi, 'composer').publicUrl();
      const title = entry.title.trim() || entry.documentId;
      return deliveries().create({
        name: title.slice(0, 255),
        subject: title.slice(0, 998),
        contentMode: 'blocks',
        content: doc(input.mode === 'full' ? wholeEntry(entry, publicUrl) : [card(entry, 'Read more')]),
        layout: input.layout ?? null,
        sourceEntry: { contentType: entry.contentType, documentId: entry.documentId, locale: entry.locale },
      });
    },

    async digest(input: DigestInput) {
      const picked = await Promise.all(input.documentIds.map((id) => published(input.contentType, id, input.locale)));
      const name = input.name?.trim() || `Digest — ${new Date().toISOString().slice(0, 10)}`;
      return deliveries().create({
        name,
        subject: name,
        contentMode: 'blocks',
        content: doc([
          { id: blockId(), type: 'heading', text: name, level: 1, align: 'left' },
          ...picked.map((entry) => card(entry, 'Read more')),
        ]),
        layout: input.layout ?? null,
      });
    },

    /** Deliveries made from this entry, newest first, with their open and click rates (bots left out). */
    async deliveriesOf(contentType: string, documentId: string): Promise<EntryDeliverySummary[]> {
      // sourceEntry is JSON, which the three databases query differently: read the deliveries made from any entry a
      // page at a time, newest first, until twenty of this one's are found.
      const mine: SourcedDelivery[] = [];
      for (let start = 0; mine.length < SHOWN; start += PAGE) {
        const rows = (await strapi.db.query(UID.delivery).findMany({
          where: { sourceEntry: { $notNull: true } },
          select: ['id', 'documentId', 'name', 'status', 'finishedAt', 'sourceEntry', 'createdAt'],
          orderBy: { id: 'desc' },
          offset: start,
          limit: PAGE,
        })) as SourcedDelivery[];
        mine.push(
          ...rows.filter(
            (row) => row.sourceEntry?.contentType === contentType && row.sourceEntry?.documentId === documentId,
          ),
        );
        if (rows.length < PAGE) break;
      }
      const indicators = getService(strapi, 'indicators');
      return Promise.all(
        mine.slice(0, SHOWN).map(async (row) => {
          const { indicators: figures } = await indicators.compute(row.id);
          return {
            documentId: row.documentId,
            name: row.name,
            status: row.status,
            createdAt: new Date(row.createdAt).toISOString(),
            finishedAt: row.finishedAt ? new Date(row.finishedAt).toISOString() : null,
            delivered: figures.delivered,
            openRate: figures.openRate,
            clickThroughRate: figures.clickThroughRate,
          };
        }),
      );
    },
  };
};
