// UTM tags (utm_source, utm_medium, utm_campaign) appended to a delivery's tracked links when it is composed, so the
// visits it brings are attributed in the site's analytics. One rule for the server (sending/compose.ts, where the
// stored link, hence the click's redirect, gets them) and the editor's links table (which shows the final URL).
import { z } from 'zod';

export interface UtmTags {
  source: string;
  medium: string;
  campaign: string;
}

/** The defaults in Settings (tracking.utm); an empty campaign is the delivery's name as a slug. */
export const UTM_DEFAULTS = { source: 'newsletter', medium: 'email', campaign: '' } as const;

const tagValue = z.string().trim().max(200, 'at most 200 characters');

/** Settings' tracking.utm. */
export const utmSettingsSchema = z
  .object({
    source: tagValue.min(1, 'give a source').default(UTM_DEFAULTS.source),
    medium: tagValue.min(1, 'give a medium').default(UTM_DEFAULTS.medium),
    campaign: tagValue.default(UTM_DEFAULTS.campaign),
  })
  .strict()
  .default({});

/** A delivery's own values: null (or empty) takes the default from Settings. */
export const utmDeliveryFields = {
  utmTags: z.boolean().optional(),
  utmSource: tagValue.nullable().optional(),
  utmMedium: tagValue.nullable().optional(),
  utmCampaign: tagValue.nullable().optional(),
};

export interface UtmChoice {
  name?: string | null;
  utmTags?: boolean | null;
  utmSource?: string | null;
  utmMedium?: string | null;
  utmCampaign?: string | null;
}

/** "Spring Sale – 20%!" -> "spring-sale-20": lower case ASCII letters, digits and dashes. */
export const campaignSlug = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');

/** The tags a delivery's links get, or null when it adds none. */
export const utmTagsOf = (delivery: UtmChoice, defaults: Partial<UtmTags> = UTM_DEFAULTS): UtmTags | null => {
  if (!delivery.utmTags) return null;
  const pick = (own: string | null | undefined, fallback: string | undefined) => own?.trim() || fallback?.trim() || '';
  return {
    source: pick(delivery.utmSource, defaults.source),
    medium: pick(delivery.utmMedium, defaults.medium),
    campaign: pick(delivery.utmCampaign, defaults.campaign) || campaignSlug(delivery.name ?? ''),
  };
};

const HTTP = /^https?:\/\//i;

/**
 * The URL with the tags a link does not already have. A parameter the link has (any value, any case of the value)
 * is never replaced; the rest of the URL (its query as written, its fragment) is kept byte for byte, the tags going
 * at the end of the query, before the fragment. Anything but an absolute http(s) URL comes back unchanged.
 */
export const appendUtm = (url: string, tags: UtmTags | null): string => {
  if (!tags || !HTTP.test(url)) return url;
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  let present: URLSearchParams;
  try {
    present = new URL(base).searchParams;
  } catch {
    return url;
  }
  const added = (
    [
      ['utm_source', tags.source],
      ['utm_medium', tags.medium],
      ['utm_campaign', tags.campaign],
    ] as const
  )
    .filter(([key, value]) => value && !present.has(key))
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  if (!added.length) return url;
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${added.join('&')}${fragment}`;
};
