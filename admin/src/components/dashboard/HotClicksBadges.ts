// Hot clicks drawn onto the message: a heat colour for each share of clicks, a badge after each tracked anchor of the
// HTML, and the text part cut into plain runs and link occurrences. Pure string work: the iframe that shows the HTML
// runs no script and has no same-origin access, so the badges go into the HTML before it is handed to srcdoc.
import type { HotClickLink } from '../../../../shared/contracts/reports';

/** Cool to hot: blue (hue 215) through green and yellow to red (hue 0), as `heat` goes from 0 to 1. */
export const heatColour = (heat: number): string => {
  const h = Math.min(1, Math.max(0, Number.isFinite(heat) ? heat : 0));
  return `hsl(${Math.round(215 * (1 - h))}, 80%, 42%)`;
};

/** Each link's heat: its share over the largest share, so the most clicked link is the hottest. */
export const heatOf = (share: number, maxShare: number) => (maxShare > 0 ? share / maxShare : 0);

/** A share as people read it: whole percents, one decimal under 10 %. */
export const formatShare = (share: number) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)} %`;

export const escapeHtml = (value: string) =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export interface BadgeLabels {
  /** The badge's title (hover): "12 clicks (8 unique)". */
  title: (link: HotClickLink) => string;
}

const BADGE_STYLE = `<style data-campaigns-heat>
.campaigns-heat{display:inline-block;margin:0 0 0 4px;padding:1px 6px;border-radius:10px;color:#fff;font:bold 11px/16px -apple-system,Segoe UI,Helvetica,Arial,sans-serif;vertical-align:middle;white-space:nowrap;text-decoration:none;box-shadow:0 1px 2px rgba(0,0,0,.3)}
</style>`;

// An opening <a> tag whose attributes may hold quoted '>' characters, and the end of that anchor.
const ANCHOR_OPEN = /<a\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;
const LINK_ID = /\bdata-campaigns-link\s*=\s*(?:"(\d+)"|'(\d+)'|(\d+))/i;
const ANCHOR_CLOSE = /<\/a\s*>/i;

/**
 * The HTML with a badge after each tracked anchor (`data-campaigns-link="<linkId>"`): the link's share of all clicks,
 * coloured by heat, with the counts in its title. Every value written is escaped; anchors of unknown links are left
 * as they are.
 */
export const injectBadges = (html: string, links: HotClickLink[], labels: BadgeLabels): string => {
  const byId = new Map(links.filter((l) => l.part === 'html').map((l) => [l.linkId, l]));
  const maxShare = Math.max(0, ...[...byId.values()].map((l) => l.share));
  let out = '';
  let cursor = 0;
  ANCHOR_OPEN.lastIndex = 0;
  for (let open = ANCHOR_OPEN.exec(html); open; open = ANCHOR_OPEN.exec(html)) {
    const idMatch = LINK_ID.exec(open[0]);
    const link = idMatch ? byId.get(Number(idMatch[1] ?? idMatch[2] ?? idMatch[3])) : undefined;
    if (!link) continue;
    const afterOpen = open.index + open[0].length;
    const close = ANCHOR_CLOSE.exec(html.slice(afterOpen));
    if (!close) continue;
    const end = afterOpen + close.index + close[0].length;
    const badge =
      `<span class="campaigns-heat" data-campaigns-badge="${link.linkId}" title="${escapeHtml(labels.title(link))}" ` +
      `style="background:${heatColour(heatOf(link.share, maxShare))}">${escapeHtml(formatShare(link.share))}</span>`;
    out += html.slice(cursor, end) + badge;
    cursor = end;
    ANCHOR_OPEN.lastIndex = end;
  }
  out += html.slice(cursor);
  // The style goes into the head when there is one, in front of everything otherwise.
  const head = /<head\b[^>]*>/i.exec(out);
  return head
    ? out.slice(0, head.index + head[0].length) + BADGE_STYLE + out.slice(head.index + head[0].length)
    : BADGE_STYLE + out;
};

export type TextRun = { text: string } | { text: string; link: HotClickLink };

/**
 * The text part cut into plain runs and link occurrences: the n-th occurrence of a URL is the link whose `occurrence` is n.
 * A text part made with the HTML shares its links (reported once, as the HTML's), so those are used when no link is
 * the text's own. Where two URLs start at the same place the longer one wins (https://a.test/x over https://a.test).
 */
export const splitTextLinks = (text: string, links: HotClickLink[]): TextRun[] => {
  const textLinks = links.some((l) => l.part === 'text') ? links.filter((l) => l.part === 'text') : links;
  const urls = [...new Set(textLinks.map((l) => l.url))].filter(Boolean).sort((a, b) => b.length - a.length);
  const seen = new Map<string, number>();
  const runs: TextRun[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    let best: { at: number; url: string } | null = null;
    for (const url of urls) {
      const at = text.indexOf(url, cursor);
      if (at >= 0 && (!best || at < best.at)) best = { at, url };
    }
    if (!best) break;
    if (best.at > cursor) runs.push({ text: text.slice(cursor, best.at) });
    const occurrence = (seen.get(best.url) ?? 0) + 1;
    seen.set(best.url, occurrence);
    const link = textLinks.find((l) => l.url === best!.url && l.occurrence === occurrence);
    runs.push(link ? { text: best.url, link } : { text: best.url });
    cursor = best.at + best.url.length;
  }
  if (cursor < text.length) runs.push({ text: text.slice(cursor) });
  return runs;
};

/** Links of one part in the order of the message, with the number of links sharing their URL (to tell repeated links apart). */
export const repeatedUrls = (links: HotClickLink[]) => {
  const counts = new Map<string, number>();
  for (const l of links) counts.set(`${l.part} ${l.url}`, (counts.get(`${l.part} ${l.url}`) ?? 0) + 1);
  return (link: HotClickLink) => (counts.get(`${link.part} ${link.url}`) ?? 0) > 1;
};
