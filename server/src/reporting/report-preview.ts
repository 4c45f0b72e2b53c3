// The hot clicks preview of a message: the rendered HTML made safe to show and its tracked links marked.
import { load } from 'cheerio';

/** What the preview renders in place of tracking URLs, so it never reaches the tracking routes. */
export const LINK_MARKER = '#campaigns-link-';
export const UNSUBSCRIBE_MARKER = '#campaigns-unsubscribe';
export const MIRROR_MARKER = '#campaigns-mirror';

/** Removes what could run or leave the frame, and marks the tracked anchors. */
export const previewHtml = (rendered: string, urlOf: ReadonlyMap<number, string>): string => {
  const $ = load(rendered);
  $('script, noscript, iframe, object, embed, base, meta[http-equiv]').remove();
  $('*').each((_, element) => {
    const attributes = 'attribs' in element ? element.attribs : undefined;
    for (const name of Object.keys(attributes ?? {})) {
      const value = attributes![name];
      if (
        /^on/i.test(name) ||
        (/^(href|src|action|formaction|xlink:href)$/i.test(name) && /^\s*javascript:/i.test(value))
      )
        $(element).removeAttr(name);
    }
  });
  $('a[href]').each((_, element) => {
    const anchor = $(element);
    const href = anchor.attr('href') ?? '';
    if (href.startsWith(LINK_MARKER)) {
      const linkId = href.slice(LINK_MARKER.length);
      anchor.attr('data-campaigns-link', linkId);
      anchor.attr('href', '#');
      const url = urlOf.get(Number(linkId));
      if (url) anchor.attr('title', url);
    } else if (href === UNSUBSCRIBE_MARKER || href === MIRROR_MARKER) {
      anchor.attr('data-campaigns-kind', href === UNSUBSCRIBE_MARKER ? 'unsubscribe' : 'mirror');
      anchor.attr('href', '#');
    }
  });
  return $.html();
};
