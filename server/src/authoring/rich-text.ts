// Rich text as email HTML: Strapi's `blocks` format (what an editor types in a text block, and the body of an entry)
// and Markdown (a `richtext` field). Every text, URL and alt is escaped here; a link whose URL is not http(s), mailto,
// tel or a personalisation variable keeps its text and loses its link. Styles come from the message's inline CSS
// (authoring/mjml-document.ts), so the tags stay plain.
import MarkdownIt from 'markdown-it';
import type { RichTextInline, RichTextList, RichTextNode } from '../../../shared/blocks';
import { escapeHtml } from '../sending/template';

const SAFE_URL = /^(https?:\/\/|mailto:|tel:|\{\{\s*[A-Za-z][\w.]*\s*\}\}$)/i;

/** The URL to put in an href, or null when it must not become a link. */
export function safeUrl(url: string | null | undefined): string | null {
  const trimmed = (url ?? '').replace(/[\t\n\r]/g, '').trim();
  return trimmed && SAFE_URL.test(trimmed) ? trimmed : null;
}

/** An absolute URL for a picture: the upload provider's `/uploads/x.png` is served by this app. */
export function absoluteUrl(url: string, publicUrl: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  if (url.startsWith('//')) return `https:${url}`;
  return `${publicUrl}${url.startsWith('/') ? '' : '/'}${url}`;
}

function leaf(node: Extract<RichTextInline, { type: 'text' }>): string {
  let html = escapeHtml(node.text).replace(/\n/g, '<br />');
  if (node.code) html = `<code>${html}</code>`;
  if (node.bold) html = `<strong>${html}</strong>`;
  if (node.italic) html = `<em>${html}</em>`;
  if (node.underline) html = `<u>${html}</u>`;
  if (node.strikethrough) html = `<s>${html}</s>`;
  return html;
}

function inlines(children: readonly RichTextInline[] | undefined): string {
  return (children ?? [])
    .map((child) => {
      if (child.type === 'text') return leaf(child);
      const text = child.children.map(leaf).join('');
      const href = safeUrl(child.url);
      return href ? `<a href="${escapeHtml(href)}">${text}</a>` : text;
    })
    .join('');
}

function list(node: RichTextList): string {
  const tag = node.format === 'ordered' ? 'ol' : 'ul';
  const items = node.children
    .map((child) =>
      child.type === 'list' ? `<li class="cb-nested">${list(child)}</li>` : `<li>${inlines(child.children)}</li>`,
    )
    .join('');
  return `<${tag}>${items}</${tag}>`;
}

/** Strapi's rich-text blocks as HTML; images need the public URL to be absolute. */
export function richTextToHtml(nodes: readonly RichTextNode[] | null | undefined, publicUrl: string): string {
  return (nodes ?? [])
    .map((node) => {
      switch (node.type) {
        case 'paragraph':
          return `<p>${inlines(node.children) || '&nbsp;'}</p>`;
        case 'heading': {
          // An email's own heading is h1; rich text inside it starts at h2.
          const level = Math.min(6, Math.max(2, node.level));
          return `<h${level}>${inlines(node.children)}</h${level}>`;
        }
        case 'quote':
          return `<blockquote>${inlines(node.children)}</blockquote>`;
        case 'code':
          return `<pre><code>${inlines(node.children)}</code></pre>`;
        case 'list':
          return list(node);
        case 'image': {
          const url = node.image?.url ? absoluteUrl(node.image.url, publicUrl) : null;
          if (!url) return '';
          const alt = escapeHtml(node.image.alternativeText ?? '');
          return `<p><img src="${escapeHtml(url)}" alt="${alt}" style="max-width:100%;height:auto;display:block" /></p>`;
        }
        default:
          return '';
      }
    })
    .join('\n');
}

// `html: false`: HTML written in a Markdown field stays visible text, never markup. markdown-it's own link check
// already refuses javascript:, vbscript: and data: URLs.
const markdown = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** A Markdown field (Strapi's `richtext`) as HTML, every raw tag escaped. */
export function markdownToHtml(source: string | null | undefined, publicUrl: string): string {
  const tokens = markdown.parse(source ?? '', {});
  for (const token of tokens) {
    for (const child of token.children ?? []) {
      if (child.type !== 'image') continue;
      const src = child.attrGet('src');
      if (src) child.attrSet('src', absoluteUrl(String(src), publicUrl));
      child.attrSet('style', 'max-width:100%;height:auto');
    }
  }
  return markdown.renderer.render(tokens, markdown.options, {});
}

/** The plain text of rich text: for excerpts and checks. */
export function richTextToPlain(nodes: readonly RichTextNode[] | null | undefined): string {
  const text = (children: readonly RichTextInline[] | undefined) =>
    (children ?? [])
      .map((child) => (child.type === 'text' ? child.text : child.children.map((c) => c.text).join('')))
      .join('');
  const walk = (node: RichTextNode | RichTextList): string => {
    if (node.type === 'list')
      return node.children.map((child) => (child.type === 'list' ? walk(child) : text(child.children))).join('\n');
    if (node.type === 'image') return '';
    return text(node.children);
  };
  return (nodes ?? []).map(walk).filter(Boolean).join('\n');
}
