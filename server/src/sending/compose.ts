// Prepares a delivery's message once: finds and rewrites its links, adds the open pixel and footer, derives the text.

import { load } from 'cheerio';
import { convert } from 'html-to-text';
import type { TrackedLinkKind } from '../../../shared/constants';
import { appendUtm, type UtmTags } from '../../../shared/utm';
import {
  compileTemplate,
  escapeHtml,
  validateTemplate,
  TemplateError,
  type CompiledTemplate,
  type RenderContext,
  type TemplatePart,
} from './template';

export interface MessageFooter {
  unsubscribeLabel: string;
  mirrorLabel: string;
  /** The preference centre's link; "Email preferences" when unset. */
  preferencesLabel?: string;
  /** A line shown above the footer links (e.g. why the recipient gets this message). */
  text?: string;
}

export interface ComposeInput {
  subject: string;
  html: string;
  text?: string | null;
  trackOpens: boolean;
  trackLinks: boolean;
  /** Per-position override chosen in the admin: wins over trackLinks and data-track. */
  linkTracking?: Record<number, boolean>;
  footer?: MessageFooter;
  extraVariables?: string[];
  /** Tags appended to the tracked links' URLs (shared/utm.ts): what the click redirects to. */
  utm?: UtmTags | null;
}

export interface TrackedLinkDraft {
  /** Order among the message's `<a href>` elements, 0-based: tells apart two links to the same URL. */
  position: number;
  url: string;
  label: string;
  kind: TrackedLinkKind;
  /** Whether clicks go through the tracking route (only 'tracked' links). */
  tracked: boolean;
}

export interface ComposedMessage {
  links: TrackedLinkDraft[];
  html: CompiledTemplate;
  text: CompiledTemplate;
  subject: CompiledTemplate;
  /** The prepared HTML with its placeholders (`{{__link.N}}`, `{{__open}}`, editor variables). */
  htmlSource: string;
  textSource: string;
}

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
}

export const DEFAULT_FOOTER: MessageFooter = { unsubscribeLabel: 'Unsubscribe', mirrorLabel: 'View in your browser' };

export const OPEN_PIXEL =
  '<img src="{{__open}}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0" />';

const DOCUMENT_MARKUP = /<(?:!doctype|html|head|body)[\s>/]/i;
const UNSUBSCRIBE_ANYWHERE = /\{\{\s*unsubscribeUrl\s*\}\}/;
const UNSUBSCRIBE_HREF = /^\{\{\s*unsubscribeUrl\s*\}\}$/;
const MIRROR_HREF = /^\{\{\s*mirrorUrl\s*\}\}$/;
const HTTP_URL = /^https?:\/\/[^\s/?#]/i;
const WHITESPACE_RUN = /\s+/g;
const LINE_BREAKS = /[\r\n]+/g;

function withPart<T>(part: TemplatePart, compile: () => T): T {
  try {
    return compile();
  } catch (error) {
    if (error instanceof TemplateError) error.part = part;
    throw error;
  }
}

// Only an absolute http(s) URL without personalisation can be redirected to from a stored tracked-link.
function isTrackable(href: string): boolean {
  if (!HTTP_URL.test(href) || href.includes('{{')) return false;
  try {
    new URL(href);
    return true;
  } catch {
    return false;
  }
}

// A <template>'s content is never shown, so its anchors are not links of the message (the browser's querySelectorAll
// does not see them either). cheerio keeps that content under a fragment whose parent is the template element.
interface TreeNode {
  type: string;
  name?: string;
  parent: TreeNode | null;
}
function insideTemplate(element: TreeNode): boolean {
  for (let node = element.parent; node; node = node.parent) {
    if (node.type === 'tag' && node.name === 'template') return true;
  }
  return false;
}

/** Every template problem of the editor's subject, HTML and text, each with its part. */
export function validateMessage(
  input: Pick<ComposeInput, 'subject' | 'html' | 'text' | 'extraVariables'>,
): TemplateError[] {
  const extraVariables = input.extraVariables;
  const parts: Array<[TemplatePart, string | null | undefined, 'html' | 'none']> = [
    ['subject', input.subject, 'none'],
    ['html', input.html, 'html'],
    ['text', input.text, 'none'],
  ];
  const errors: TemplateError[] = [];
  for (const [part, source, escape] of parts) {
    if (!source) continue;
    for (const error of validateTemplate(source, { escape, extraVariables })) {
      error.part = part;
      errors.push(error);
    }
  }
  return errors;
}

function footerHtml(footer: MessageFooter): string {
  const line = footer.text ? `${escapeHtml(footer.text)}<br />` : '';
  return (
    '<p style="margin:24px 0 0;font-size:12px;line-height:18px;color:#666666;text-align:center">' +
    `${line}<a href="{{unsubscribeUrl}}">${escapeHtml(footer.unsubscribeLabel)}</a>` +
    ` | <a href="{{preferencesUrl}}">${escapeHtml(footer.preferencesLabel ?? 'Email preferences')}</a>` +
    ` | <a href="{{mirrorUrl}}">${escapeHtml(footer.mirrorLabel)}</a></p>`
  );
}

function footerText(footer: MessageFooter): string {
  return (
    `${footer.text ? `${footer.text}\n` : ''}${footer.unsubscribeLabel}: {{unsubscribeUrl}}\n` +
    `${footer.preferencesLabel ?? 'Email preferences'}: {{preferencesUrl}}\n`
  );
}

function withTextFooter(text: string, footer: MessageFooter): string {
  return UNSUBSCRIBE_ANYWHERE.test(text) ? text : `${text.trimEnd()}\n\n${footerText(footer)}`;
}

// A marker pair from the private-use area that the HTML does not contain: html-to-text upper-cases headings and
// wraps lines, which would turn `{{firstName}}` into `{{FIRSTNAME}}`; markers come through both untouched.
function markerPair(html: string): [string, string] {
  for (let code = 0xe000; code < 0xf8fe; code++) {
    const open = String.fromCharCode(code);
    const close = String.fromCharCode(code + 1);
    if (!html.includes(open) && !html.includes(close)) return [open, close];
  }
  throw new Error('Cannot derive the text part: the HTML uses every private-use character');
}

function htmlToText(html: string): string {
  const [open, close] = markerPair(html);
  const stash: string[] = [];
  const masked = html.replace(/\{\{[^{}]*\}\}/g, (variable) => `${open}${stash.push(variable) - 1}${close}`);
  const text = convert(masked, {
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
  // Braces the conversion joined (`{<b></b>{x}}` becomes `{{x}}`) were never validated: they stay literal text.
  return text
    .replace(/\{\{/g, '{ {')
    .replace(new RegExp(`${open}(\\d+)${close}`, 'g'), (_, index: string) => stash[Number(index)]);
}

/** Parses the message once and compiles the templates every recipient's message is rendered from. */
export function composeMessage(input: ComposeInput): ComposedMessage {
  const { extraVariables } = input;
  const footer = { ...DEFAULT_FOOTER, ...input.footer };
  // Positions in errors must point into what the editor wrote, and editors may not write internal slots.
  const problems = validateMessage(input);
  if (problems.length > 0) throw problems[0];

  const isDocument = DOCUMENT_MARKUP.test(input.html);
  // Mail clients never run scripts, so a <noscript>'s links are shown and clicked: parse as they do (and as the
  // editor's browser-side DOMParser does, which admin/src/utils/links.ts numbers links with).
  const $ = load(input.html, { scriptingEnabled: false }, isDocument);
  // Entities decode while parsing (`&#123;&#123;__open}}`): what the parser made of the HTML is checked too, so an
  // editor can never reach an internal slot. Positions then point into the parsed HTML, which is close enough.
  const decoded = validateTemplate($.html(), { escape: 'html', extraVariables });
  if (decoded.length > 0) {
    decoded[0].part = 'html';
    throw decoded[0];
  }

  const appendAtEnd = (markup: string) => {
    if (isDocument) $('body').append(markup);
    else $.root().append(markup);
  };

  if (!UNSUBSCRIBE_ANYWHERE.test(input.html)) appendAtEnd(footerHtml(footer));

  const links: TrackedLinkDraft[] = [];
  const shown = $('a[href]').filter((_, element) => !insideTemplate(element));
  shown.each((position, element) => {
    const anchor = $(element);
    // Tabs and line breaks inside an href are dropped, as browsers do: the stored URL must be a valid Location header.
    const href = (anchor.attr('href') ?? '').replace(/[\t\n\r]/g, '').trim();
    const dataTrack = anchor.attr('data-track');
    if (dataTrack !== undefined) anchor.removeAttr('data-track');

    let kind: TrackedLinkKind;
    if (UNSUBSCRIBE_HREF.test(href)) kind = 'unsubscribe';
    else if (MIRROR_HREF.test(href)) kind = 'mirror';
    else if (!isTrackable(href)) kind = 'untracked';
    else {
      const override = input.linkTracking?.[position];
      const wanted = override ?? (input.trackLinks && dataTrack?.trim().toLowerCase() !== 'false');
      kind = wanted ? 'tracked' : 'untracked';
    }
    if (kind === 'tracked') anchor.attr('href', `{{__link.${position}}}`);
    const url = kind === 'tracked' ? appendUtm(href, input.utm ?? null) : href;

    const text = anchor.text().replace(WHITESPACE_RUN, ' ').trim();
    const alt = text ? '' : (anchor.find('img[alt]').first().attr('alt') ?? '').replace(WHITESPACE_RUN, ' ').trim();
    links.push({ position, url, label: text || alt || href, kind, tracked: kind === 'tracked' });
  });

  // The text part is derived before the pixel goes in: a text message has no image to load.
  const htmlWithoutPixel = $.html();
  if (input.trackOpens) appendAtEnd(OPEN_PIXEL);
  const htmlSource = input.trackOpens ? $.html() : htmlWithoutPixel;

  const givenText = input.text?.trim() ? input.text : null;
  const textSource = withTextFooter(givenText ?? htmlToText(htmlWithoutPixel), footer);

  return {
    links,
    subject: withPart('subject', () => compileTemplate(input.subject, { escape: 'none', extraVariables })),
    html: withPart('html', () => compileTemplate(htmlSource, { escape: 'html', extraVariables, allowInternal: true })),
    text: withPart('text', () =>
      compileTemplate(textSource, { escape: 'none', extraVariables, allowInternal: givenText === null }),
    ),
    htmlSource,
    textSource,
  };
}

/** One recipient's message: plain substitution into the compiled templates, no parsing. */
export function renderMessage(composed: ComposedMessage, ctx: RenderContext): RenderedMessage {
  const subject = composed.subject.render(ctx);
  return {
    // A line break in a subject (from a personalised value) would end the header early.
    subject: subject.includes('\n') || subject.includes('\r') ? subject.replace(LINE_BREAKS, ' ') : subject,
    html: composed.html.render(ctx),
    text: composed.text.render(ctx),
  };
}
