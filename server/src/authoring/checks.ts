// The checks before sending a block message, each tied to its block and field: personalisation errors (as the raw
// HTML mode reports them), links and pictures that are missing, entries that are gone, and what deserves a look.
import {
  allBlocks,
  type ContentBlock,
  type RichTextInline,
  type RichTextList,
  type RichTextNode,
} from '../../../shared/blocks';
import type { PreviewProblem } from '../../../shared/contracts/authoring';
import type { EntryView } from '../../../shared/entries';
import type { LayoutParts } from '../../../shared/layouts';
import { validateTemplate } from '../sending/template';
import { safeUrl } from './rich-text';
import { PLACEHOLDER_ADDRESS } from './starter-layouts';

/** Gmail shows "[Message clipped]" past 102 KB of HTML and hides the rest, the unsubscribe link included. */
export const GMAIL_CLIP_BYTES = 102 * 1024;

const PLACEHOLDER_URLS = new Set([
  '#',
  'http://',
  'https://',
  'https://example.com',
  'http://example.com',
  'https://example.com/',
]);

export interface CheckResult {
  problems: PreviewProblem[];
  warnings: PreviewProblem[];
}

/** Every text of a rich-text value, with its path, and every link URL. */
function richTextFields(nodes: readonly RichTextNode[], base: string) {
  const texts: Array<[string, string]> = [];
  const links: Array<[string, string]> = [];
  const inlines = (children: readonly RichTextInline[] | undefined, path: string) =>
    (children ?? []).forEach((child, i) => {
      if (child.type === 'text') texts.push([`${path}.${i}`, child.text]);
      else {
        links.push([`${path}.${i}.url`, child.url]);
        child.children.forEach((leaf, j) => texts.push([`${path}.${i}.${j}`, leaf.text]));
      }
    });
  const list = (node: RichTextList, path: string) =>
    node.children.forEach((child, i) =>
      child.type === 'list' ? list(child, `${path}.${i}`) : inlines(child.children, `${path}.${i}`),
    );
  nodes.forEach((node, i) => {
    if (node.type === 'list') list(node, `${base}.${i}`);
    else if (node.type !== 'image') inlines(node.children, `${base}.${i}`);
  });
  return { texts, links };
}

/** The fields of a block an editor typed: [path, value, escape] for personalisation, and its link URLs. */
function fieldsOf(block: ContentBlock) {
  const texts: Array<[string, string]> = [];
  const links: Array<[string, string, boolean]> = [];
  switch (block.type) {
    case 'heading':
      texts.push(['text', block.text]);
      break;
    case 'text': {
      const found = richTextFields(block.content, 'content');
      texts.push(...found.texts);
      links.push(...found.links.map(([path, url]): [string, string, boolean] => [path, url, true]));
      break;
    }
    case 'image':
      texts.push(['alt', block.alt]);
      if (block.href) links.push(['href', block.href, false]);
      break;
    case 'button':
      texts.push(['label', block.label]);
      links.push(['url', block.url, true]);
      break;
    case 'entry-card':
    case 'entry-list':
      texts.push(['buttonLabel', block.buttonLabel]);
      break;
    case 'social':
      block.links.forEach((link, i) => links.push([`links.${i}.url`, link.url, true]));
      break;
    case 'html':
      texts.push(['html', block.html]);
      break;
  }
  return { texts, links };
}

export function checkDocument(
  blocks: readonly ContentBlock[],
  layout: LayoutParts,
  entries: Record<string, EntryView[]>,
  extraVariables: string[],
): CheckResult {
  const problems: PreviewProblem[] = [];
  const warnings: PreviewProblem[] = [];
  if (!blocks.length)
    problems.push({ blockId: null, path: 'content', message: 'The message has no content yet: add a block.' });
  const every = [...allBlocks(layout.header), ...allBlocks(blocks), ...allBlocks(layout.footer)];
  for (const block of every) {
    const at = (path: string, message: string) => ({ blockId: block.id, path, message });
    const { texts, links } = fieldsOf(block);
    for (const [path, value] of texts) {
      for (const error of validateTemplate(value, { escape: block.type === 'html' ? 'html' : 'none', extraVariables }))
        problems.push(at(path, error.message));
    }
    for (const [path, url, required] of links) {
      for (const error of validateTemplate(url, { escape: 'none', extraVariables }))
        problems.push(at(path, error.message));
      const trimmed = url.trim();
      if (!trimmed) {
        if (required) problems.push(at(path, 'This link has no URL yet.'));
      } else if (PLACEHOLDER_URLS.has(trimmed.toLowerCase()))
        warnings.push(at(path, `"${trimmed}" looks like a placeholder link.`));
      else if (!safeUrl(trimmed))
        problems.push(at(path, `"${trimmed}" is not a link a reader can open (use https://, mailto: or tel:).`));
    }
    if (block.type === 'image') {
      if (!block.media) problems.push(at('media', 'Choose a picture from the Media Library.'));
      if (!block.alt.trim())
        warnings.push(
          at(
            'alt',
            'The picture has no alternative text: readers whose client blocks pictures, and screen readers, see nothing.',
          ),
        );
    }
    if (block.type === 'heading' && !block.text.trim()) warnings.push(at('text', 'The heading is empty.'));
    if (block.type === 'button' && !block.label.trim()) problems.push(at('label', 'The button has no label.'));
    if ((block.type === 'entry-card' || block.type === 'entry-list') && !block.contentType)
      problems.push(at('contentType', 'Choose the collection type the entries come from.'));
    else if (block.type === 'entry-card' && !block.documentId)
      problems.push(at('documentId', 'Pick the entry to show.'));
    else if (block.type === 'entry-card' && !(entries[block.id] ?? []).length)
      problems.push(at('documentId', 'The entry was not found, or is not published.'));
    else if (block.type === 'entry-list' && !(entries[block.id] ?? []).length)
      warnings.push(at('contentType', 'No published entry matches: the list is empty.'));
  }
  if (layout.postalAddress.trim() === PLACEHOLDER_ADDRESS)
    problems.push({
      blockId: null,
      path: 'layout.postalAddress',
      message: "The layout's postal address is still the placeholder: the law asks for yours.",
    });
  return { problems, warnings };
}

/** Pictures heavier than this in all make readers on a phone wait, and some clients stop loading them. */
export const IMAGE_WEIGHT_WARNING_KB = 1024;

/** A warning when the Media Library pictures of the message weigh too much together. */
export function checkImageWeight(totalKb: number): PreviewProblem[] {
  if (totalKb <= IMAGE_WEIGHT_WARNING_KB) return [];
  return [
    {
      blockId: null,
      path: 'images',
      message: `The pictures weigh ${Math.round(totalKb)} KB together: keep them under ${IMAGE_WEIGHT_WARNING_KB} KB (resize them in the Media Library) so the message opens quickly on a phone.`,
    },
  ];
}

/** Size warnings once the HTML is known. */
export function checkSize(bytes: number): PreviewProblem[] {
  if (bytes <= GMAIL_CLIP_BYTES) return [];
  return [
    {
      blockId: null,
      path: 'html',
      message: `The message is ${Math.round(bytes / 1024)} KB: Gmail clips messages over 102 KB and hides the rest, the unsubscribe link included.`,
    },
  ];
}
