// A block document and its layout as MJML: the layout's header blocks, the content, its footer blocks and the legal
// lines, each top-level block one section, so MJML stacks columns on phones and writes Outlook's conditional tables.
// Every user string is escaped here (MJML passes text through as markup).
import type { ContentBlock, EntryCardBlock } from '../../../shared/blocks';
import { entryKey, type EntryView } from '../../../shared/entries';
import type { LayoutParts, LayoutStyle } from '../../../shared/layouts';
import { escapeHtml } from '../sending/template';
import { absoluteUrl, richTextToHtml, safeUrl } from './rich-text';

export interface DocumentContext {
  /** Where the app is reached: relative Media Library URLs are made absolute with it. */
  publicUrl: string;
  /** The entries of every entry-card and entry-list block, by block id (authoring/entries.ts resolves them). */
  entries: Record<string, EntryView[]>;
  /** The message's title (the subject): some clients show it. */
  title?: string;
  /** The postal address and unsubscribe lines; false for the plugin's own emails to admins, who are not subscribers. */
  legal?: boolean;
}

/** A link as it appears in the document, in reading order: lets the preview say which block a link belongs to. */
export interface BlockLink {
  blockId: string;
  url: string;
  /** `contentType:documentId` of the entry a link of an entry card or list leads to: clicks are counted per entry. */
  entry?: string;
}

export const MIRROR_LABEL = 'View in your browser';
/** The preference centre's link, beside the unsubscribe link in every message (tracking/preference-page.ts). */
export const PREFERENCES_LABEL = 'Email preferences';
const SOCIAL_LABELS: Record<string, string> = {
  facebook: 'Facebook',
  x: 'X',
  instagram: 'Instagram',
  linkedin: 'LinkedIn',
  youtube: 'YouTube',
  mastodon: 'Mastodon',
  github: 'GitHub',
  web: 'Website',
};

const attr = (value: string | number) => escapeHtml(String(value));
const hrefOf = (url: string | null | undefined) => {
  const safe = safeUrl(url);
  return safe ? ` href="${attr(safe)}"` : '';
};

function text(html: string, extra = ''): string {
  return `<mj-text css-class="cb-text"${extra}>${html}</mj-text>`;
}

function entryCard(entry: EntryView, block: Pick<EntryCardBlock, 'showImage' | 'showExcerpt' | 'buttonLabel'>) {
  const parts: string[] = [];
  if (block.showImage && entry.imageUrl)
    parts.push(
      `<mj-image src="${attr(entry.imageUrl)}" alt="${attr(entry.imageAlt || entry.title)}"${hrefOf(entry.url)} />`,
    );
  const title =
    entry.url && safeUrl(entry.url)
      ? `<a href="${attr(safeUrl(entry.url)!)}">${escapeHtml(entry.title)}</a>`
      : escapeHtml(entry.title);
  const excerpt = block.showExcerpt && entry.excerpt ? `<p>${escapeHtml(entry.excerpt)}</p>` : '';
  parts.push(text(`<h3>${title}</h3>${excerpt}`));
  if (entry.url && block.buttonLabel.trim())
    parts.push(`<mj-button${hrefOf(entry.url)} align="left">${escapeHtml(block.buttonLabel)}</mj-button>`);
  return parts.join('\n');
}

/** One block as the children of an mj-column. */
function leafBlock(block: ContentBlock, ctx: DocumentContext, style: LayoutStyle, inColumn = false): string {
  switch (block.type) {
    case 'heading':
      return text(`<h${block.level}>${escapeHtml(block.text)}</h${block.level}>`, ` align="${block.align}"`);
    case 'text':
      return text(richTextToHtml(block.content, ctx.publicUrl));
    case 'image': {
      if (!block.media?.url) return '';
      const width = block.width ? ` width="${Math.min(block.width, style.width)}px"` : '';
      const src = absoluteUrl(block.media.url, ctx.publicUrl);
      // In a column a picture is sized for half the desktop width; on a phone, where columns stack, it fills the width.
      const fluid = inColumn && !block.width ? ' fluid-on-mobile="true"' : '';
      return `<mj-image src="${attr(src)}" alt="${attr(block.alt)}"${hrefOf(block.href)}${width}${fluid} align="${block.align}" />`;
    }
    case 'button':
      // An empty colour leaves the layout's (mj-attributes in head()).
      return (
        `<mj-button${hrefOf(block.url)} align="${block.align}"` +
        (block.backgroundColor ? ` background-color="${block.backgroundColor}"` : '') +
        (block.textColor ? ` color="${block.textColor}"` : '') +
        `>${escapeHtml(block.label)}</mj-button>`
      );
    case 'divider':
      return `<mj-divider border-color="${block.color}" border-width="${block.thickness}px" />`;
    case 'spacer':
      return `<mj-spacer height="${block.height}px" />`;
    case 'entry-card':
      return (ctx.entries[block.id] ?? []).map((entry) => entryCard(entry, block)).join('\n');
    case 'entry-list':
      return (ctx.entries[block.id] ?? [])
        .map((entry) => entryCard(entry, block))
        .join(`\n<mj-divider border-color="#e4e4e7" border-width="1px" />\n`);
    case 'social': {
      // Text links, not icons: icons would be pictures loaded from someone else's server in every reader's client.
      const links = block.links
        .filter((link) => safeUrl(link.url))
        .map(
          (link) =>
            `<a href="${attr(safeUrl(link.url)!)}">${escapeHtml(SOCIAL_LABELS[link.network] ?? link.network)}</a>`,
        );
      return links.length ? text(`<p>${links.join(' &middot; ')}</p>`, ` align="${block.align}"`) : '';
    }
    case 'html':
      // The escape hatch: placed as written (the composer still numbers and rewrites its links).
      return `<mj-raw>${block.html}</mj-raw>`;
    case 'columns':
      return '';
  }
}

function section(block: ContentBlock, ctx: DocumentContext, style: LayoutStyle): string {
  if (block.type === 'columns') {
    const width = `${(100 / block.columns.length).toFixed(4).replace(/\.?0+$/, '')}%`;
    const columns = block.columns
      .map(
        (blocks) =>
          `<mj-column width="${width}">${blocks.map((b) => leafBlock(b, ctx, style, true)).join('\n')}</mj-column>`,
      )
      .join('\n');
    return `<mj-section css-class="cb-content">${columns}</mj-section>`;
  }
  const inner = leafBlock(block, ctx, style);
  return inner ? `<mj-section css-class="cb-content"><mj-column>${inner}</mj-column></mj-section>` : '';
}

function head(style: LayoutStyle, title: string | undefined): string {
  const { dark } = style;
  return `<mj-head>
<mj-title>${escapeHtml(title ?? '')}</mj-title>
<mj-attributes>
<mj-all font-family="${attr(style.fontFamily)}" />
<mj-section background-color="${style.contentBackgroundColor}" padding="0px" />
<mj-text color="${style.textColor}" font-size="16px" line-height="1.6" padding="8px 24px" />
<mj-image padding="8px 24px" />
<mj-button background-color="${style.accentColor}" color="#ffffff" font-size="16px" border-radius="4px" inner-padding="12px 24px" padding="8px 24px" />
<mj-divider padding="12px 24px" />
</mj-attributes>
<mj-style inline="inline">
.cb-text p, .cb-text ul, .cb-text ol, .cb-text blockquote, .cb-text pre { margin: 0 0 16px 0; }
.cb-text h1, .cb-text h2, .cb-text h3, .cb-text h4, .cb-text h5, .cb-text h6 { font-family: ${style.headingFontFamily}; margin: 0 0 12px 0; line-height: 1.25; }
.cb-text h1 { font-size: 30px; }
.cb-text h2 { font-size: 24px; }
.cb-text h3 { font-size: 20px; }
.cb-text h4, .cb-text h5, .cb-text h6 { font-size: 17px; }
.cb-text a { color: ${style.linkColor}; text-decoration: underline; }
.cb-text h3 a { text-decoration: none; }
.cb-text blockquote { border-left: 3px solid #d4d4d8; padding: 0 0 0 12px; font-style: italic; }
.cb-text pre { padding: 12px; background-color: #f4f4f5; white-space: pre-wrap; font-family: Menlo, Consolas, monospace; font-size: 14px; }
.cb-text .cb-nested { list-style: none; }
.cb-legal { font-size: 12px; }
</mj-style>
<mj-style>
:root { color-scheme: light dark; supported-color-schemes: light dark; }
@media (prefers-color-scheme: dark) {
  body, .cb-body { background-color: ${dark.backgroundColor} !important; }
  .cb-content, .cb-content > table { background: ${dark.contentBackgroundColor} !important; background-color: ${dark.contentBackgroundColor} !important; }
  .cb-text div, .cb-text p, .cb-text li, .cb-text h1, .cb-text h2, .cb-text h3 { color: ${dark.textColor} !important; }
  .cb-text a { color: ${dark.linkColor} !important; }
}
</mj-style>
<mj-raw><meta name="color-scheme" content="light dark" /><meta name="supported-color-schemes" content="light dark" /></mj-raw>
</mj-head>`;
}

function legal(layout: LayoutParts): string {
  const address = escapeHtml(layout.postalAddress).replace(/\r?\n/g, '<br />');
  const label = escapeHtml(layout.unsubscribeLabel);
  const mirror = escapeHtml(layout.mirrorLabel ?? MIRROR_LABEL);
  const preferences = escapeHtml(layout.preferencesLabel ?? PREFERENCES_LABEL);
  return (
    `<mj-section css-class="cb-content"><mj-column>` +
    text(
      `<p class="cb-legal">${address}<br /><a href="{{unsubscribeUrl}}">${label}</a> &middot; ` +
        `<a href="{{preferencesUrl}}">${preferences}</a> &middot; <a href="{{mirrorUrl}}">${mirror}</a></p>`,
      ' align="center" color="#71717a" padding="16px 24px 24px"',
    ) +
    `</mj-column></mj-section>`
  );
}

/** The whole message as MJML, and its links in reading order with the block each comes from. */
export function documentToMjml(
  blocks: readonly ContentBlock[],
  layout: LayoutParts,
  ctx: DocumentContext,
): { mjml: string; links: BlockLink[] } {
  const links: BlockLink[] = [];
  const hrefs = (markup: string) => [...markup.matchAll(/href="([^"]*)"/g)].map((match) => unescape(match[1]));
  const sections = [...layout.header, ...blocks, ...layout.footer].map((block) => {
    // Leaf by leaf in reading order, the order of the anchors in the section's markup.
    for (const leaf of block.type === 'columns' ? block.columns.flat() : [block]) {
      if (leaf.type === 'entry-card' || leaf.type === 'entry-list') {
        for (const entry of ctx.entries[leaf.id] ?? []) {
          const key = entryKey(entry);
          for (const url of hrefs(entryCard(entry, leaf))) links.push({ blockId: leaf.id, url, entry: key });
        }
      } else {
        for (const url of hrefs(leafBlock(leaf, ctx, layout.style))) links.push({ blockId: leaf.id, url });
      }
    }
    return section(block, ctx, layout.style);
  });
  const body =
    `<mj-body width="${layout.style.width}px" background-color="${layout.style.backgroundColor}" css-class="cb-body">` +
    `<mj-wrapper padding="24px 0px">${sections.join('\n')}${ctx.legal === false ? '' : legal(layout)}</mj-wrapper></mj-body>`;
  return { mjml: `<mjml>${head(layout.style, ctx.title)}${body}</mjml>`, links };
}

function unescape(value: string): string {
  return value.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
  );
}
