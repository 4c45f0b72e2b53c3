// The shared secret of the bounce webhooks (webhooks.secret), read only from forms that stay out of access logs:
// HTTP basic auth (the password of https://campaigns:<secret>@host/..., which Amazon SNS and SendGrid send as an
// Authorization header) or the X-Campaigns-Secret header. A secret in the query string would be written by every
// request log on its way (Strapi's, a proxy's): it is refused, and tracking/webhook-request.ts removes it from
// the URL before Strapi's request logger prints it.
import { createHash, timingSafeEqual } from 'crypto';

export const SECRET_HEADER = 'x-campaigns-secret';
/** The query parameter of the old documented form; refused, never logged. */
export const QUERY_SECRET_PARAM = 'secret';

export const SECRET_FORMS =
  'put the secret in the webhook URL as basic auth (https://campaigns:<secret>@your-host/api/campaigns/webhooks/<provider>) or send it in the X-Campaigns-Secret header';

/** The password of a Basic Authorization header ("Basic base64(user:password)"); '' for anything else. */
export const basicAuthPassword = (authorization: string | undefined): string => {
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization ?? '');
  if (!match) return '';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? '' : decoded.slice(colon + 1);
};

/** The secret a caller gave: the X-Campaigns-Secret header, else the basic-auth password; '' when neither. */
export const givenSecret = (headers: { secretHeader?: string; authorization?: string }): string =>
  headers.secretHeader || basicAuthPassword(headers.authorization);

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
export const sameSecret = (given: string, expected: string): boolean => {
  if (given === '' || expected === '') return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
};
