// The links of a message as the server numbers them: every <a href> in document order, 0-based. The server's
// per-link tracking choice (linkTracking) is keyed by that position, so this must walk the HTML the same way.

export type LinkKind = 'tracked' | 'unsubscribe' | 'mirror' | 'untracked';

export interface FoundLink {
  position: number;
  url: string;
  label: string;
  /** What the server will make of it when tracking is on: only absolute http(s) URLs without variables are tracked. */
  kind: LinkKind;
  /** data-track="false" on the anchor: left untracked unless the per-link switch says otherwise. */
  optedOut: boolean;
}

const UNSUBSCRIBE_HREF = /^\{\{\s*unsubscribeUrl\s*\}\}$/;
const MIRROR_HREF = /^\{\{\s*mirrorUrl\s*\}\}$/;
const HTTP_URL = /^https?:\/\/[^\s/?#]/i;

const isTrackable = (href: string) => {
  if (!HTTP_URL.test(href) || href.includes('{{')) return false;
  try {
    new URL(href);
    return true;
  } catch {
    return false;
  }
};

export const findLinks = (html: string | null | undefined): FoundLink[] => {
  if (!html?.trim() || typeof DOMParser === 'undefined') return [];
  const doc = new DOMParser().parseFromString(html, 'text/html');
  return Array.from(doc.querySelectorAll('a[href]')).map((anchor, position) => {
    // Tabs and line breaks inside an href are dropped, as browsers and the composer do.
    const url = (anchor.getAttribute('href') ?? '').replace(/[\t\n\r]/g, '').trim();
    const label =
      (anchor.textContent ?? '').replace(/\s+/g, ' ').trim() ||
      (anchor.querySelector('img')?.getAttribute('alt') ?? '');
    const kind: LinkKind = UNSUBSCRIBE_HREF.test(url)
      ? 'unsubscribe'
      : MIRROR_HREF.test(url)
        ? 'mirror'
        : isTrackable(url)
          ? 'tracked'
          : 'untracked';
    const optedOut = anchor.getAttribute('data-track')?.trim().toLowerCase() === 'false';
    return { position, url, label, kind, optedOut };
  });
};

/** Whether a link will be tracked: the per-link choice wins over data-track and the delivery-wide switch. */
export const isLinkTracked = (
  link: FoundLink,
  trackLinks: boolean,
  linkTracking: Record<string, boolean> | null | undefined,
) => link.kind === 'tracked' && (linkTracking?.[String(link.position)] ?? (trackLinks && !link.optedOut));
