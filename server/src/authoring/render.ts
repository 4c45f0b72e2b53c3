// Blocks -> MJML -> HTML, once per delivery (never per recipient: personalisation stays as {{variables}} for the
// composer, sending/compose.ts). MJML writes the responsive tables, the phone media queries and Outlook's
// conditional comments, and inlines the `mj-style inline` rules with juice, so the HTML needs no <style> to look right.
import type { ContentBlock } from '../../../shared/blocks';
import type { LayoutParts } from '../../../shared/layouts';
import { documentToMjml, type BlockLink, type DocumentContext } from './mjml-document';

export interface RenderedDocument {
  html: string;
  links: BlockLink[];
}

export async function renderDocument(
  blocks: readonly ContentBlock[],
  layout: LayoutParts,
  ctx: DocumentContext,
): Promise<RenderedDocument> {
  const { mjml, links } = documentToMjml(blocks, layout, ctx);
  // Loaded by the first render, not at every Strapi start: mjml and what it brings take about half a second to load.
  const { default: mjml2html } = await import('mjml');
  // 'soft': an HTML block the editor wrote may not be valid MJML content; MJML keeps it and says so, and the
  // checks report what matters to a reader instead.
  const result = await mjml2html(mjml, { validationLevel: 'soft', keepComments: false });
  return { html: result.html, links };
}

/** Which block (and entry) each numbered link of the composed message comes from: both lists run in reading order. */
export function attributeLinks<T extends { url: string }>(
  composed: T[],
  fromBlocks: BlockLink[],
): Array<T & { blockId: string | null; entry: string | null }> {
  let next = 0;
  return composed.map((link) => {
    for (let i = next; i < fromBlocks.length; i++) {
      if (fromBlocks[i].url.trim() === link.url) {
        next = i + 1;
        return { ...link, blockId: fromBlocks[i].blockId, entry: fromBlocks[i].entry ?? null };
      }
    }
    return { ...link, blockId: null, entry: null };
  });
}
