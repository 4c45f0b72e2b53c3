// New blocks as the add menu makes them, their copies, and the one-line summary the block list shows.
import { textBlock, type BlockType, type ContentBlock, type RichTextNode } from '../../../../shared/blocks';
import type { Translate } from '../../hooks/useT';

export const newBlockId = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);

export const newBlock = (type: BlockType): ContentBlock => {
  const id = newBlockId();
  switch (type) {
    case 'heading':
      return { id, type, text: '', level: 2, align: 'left' };
    case 'text':
      return textBlock(id, '');
    case 'image':
      return { id, type, media: null, alt: '', href: '', width: null, align: 'center' };
    case 'button':
      return { id, type, label: '', url: '', backgroundColor: '', textColor: '', align: 'left' };
    case 'divider':
      return { id, type, color: '#e4e4e7', thickness: 1 };
    case 'spacer':
      return { id, type, height: 24 };
    case 'columns':
      return { id, type, columns: [[newBlock('text')], [newBlock('text')]] };
    case 'entry-card':
      return {
        id,
        type,
        contentType: '',
        documentId: '',
        locale: null,
        showImage: true,
        showExcerpt: true,
        buttonLabel: 'Read more',
      } as ContentBlock;
    case 'entry-list':
      return {
        id,
        type,
        contentType: '',
        locale: null,
        limit: 5,
        publishedWithinDays: 7,
        where: null,
        showImage: true,
        showExcerpt: true,
        buttonLabel: '',
      } as ContentBlock;
    case 'social':
      return { id, type, links: [{ network: 'web', url: '' }], align: 'center' };
    case 'html':
      return { id, type, html: '' };
  }
};

/** A copy with new ids all the way down (two blocks never share an id). */
export const copyBlock = (block: ContentBlock): ContentBlock =>
  block.type === 'columns'
    ? { ...block, id: newBlockId(), columns: block.columns.map((column) => column.map(copyBlock)) }
    : { ...structuredClone(block), id: newBlockId() };

const plainText = (nodes: RichTextNode[]) =>
  JSON.stringify(nodes)
    .match(/"text":"((?:[^"\\]|\\.)*)"/g)
    ?.map((match) => JSON.parse(match.slice(7)))
    .join(' ') ?? '';

export const blockLabel = (type: BlockType, t: Translate): string =>
  ({
    heading: t('blocks.heading', 'Heading'),
    text: t('blocks.text', 'Text'),
    image: t('blocks.image', 'Picture'),
    button: t('blocks.button', 'Button'),
    divider: t('blocks.divider', 'Divider'),
    spacer: t('blocks.spacer', 'Space'),
    columns: t('blocks.columns', 'Columns'),
    'entry-card': t('blocks.entryCard', 'Entry card'),
    'entry-list': t('blocks.entryList', 'Latest entries'),
    social: t('blocks.social', 'Social links'),
    html: t('blocks.html', 'HTML'),
  })[type];

/** What the block says, in a few words: the list shows it beside the block's kind. */
export const blockSummary = (block: ContentBlock): string => {
  switch (block.type) {
    case 'heading':
      return block.text;
    case 'text':
      return plainText(block.content);
    case 'image':
      return block.alt || block.media?.url || '';
    case 'button':
      return block.label;
    case 'columns':
      return `${block.columns.length} × ${block.columns.map((column) => column.length).join(' / ')}`;
    case 'entry-card':
    case 'entry-list':
      return block.contentType;
    case 'social':
      return block.links.map((link) => link.network).join(', ');
    case 'html':
      return block.html.replace(/<[^>]*>/g, ' ');
    default:
      return '';
  }
};
