// The mirror page: a message rendered again as its recipient got it, from the delivery's compiled template.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import type { TokenPayload } from '../platform/tokens';
import type { RenderContact } from '../sending/template';
import { getPublicUrl } from '../platform/public-url';
import { getService } from '../platform/get-service';
import { getTokenSigner } from '../platform/token-signer';

/** Stands in for the open pixel: viewing the mirror is recorded as a mirror view, not as a second open. */
const BLANK_PIXEL = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

/**
 * What the page may do: show the message's own styles and images, follow its links. No script runs (script-src
 * 'none' and a sandbox without allow-scripts), no form is sent, nothing is framed, no plugin loads.
 */
export const MIRROR_CSP = [
  "default-src 'none'",
  "script-src 'none'",
  'img-src http: https: data: cid:',
  "style-src 'unsafe-inline' http: https:",
  'font-src http: https: data:',
  'media-src http: https:',
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  'sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation',
].join('; ');

const createMirrorService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** The message's HTML for this token's recipient, or null when the token names no prepared message. */
  async render(payload: TokenPayload): Promise<string | null> {
    let contact: RenderContact = { email: '' };
    let contactId: number | null = null;
    if (payload.deliveryLogId > 0) {
      const log = await strapi.db.query(UID.deliveryLog).findOne({
        where: { id: payload.deliveryLogId, deliveryId: payload.deliveryId },
        select: ['id', 'contactId', 'email'],
      });
      if (!log) return null;
      const stored = log.contactId
        ? await strapi.db.query(UID.contact).findOne({
            where: { id: log.contactId },
            select: ['email', 'firstName', 'lastName', 'locale', 'attributes'],
          })
        : null;
      // The address the message went to is the log's snapshot, even if the contact changed it since.
      contact = { ...(stored ?? {}), email: log.email };
      contactId = log.contactId ?? null;
    }

    let template;
    try {
      template = await getService(strapi, 'composer').template(payload.deliveryId);
    } catch {
      return null; // deleted, or never prepared
    }
    if (!template.html) return null;

    const { publicUrl } = await getService(strapi, 'settings').get();
    const base = `${getPublicUrl(strapi, publicUrl)}/api/campaigns`;
    const signer = getTokenSigner(strapi);
    const { deliveryId, deliveryLogId } = payload;
    // The app's variables, computed again for this view (a variable that fails now prints nothing).
    const names = getService(strapi, 'composer').variablesUsedBy(template);
    const [computed] = await getService(strapi, 'template-variables').valuesFor(names, [
      {
        contact: { ...contact, id: contactId },
        delivery: { id: deliveryId, documentId: template.documentId },
        test: deliveryLogId === 0,
      },
    ]);
    const sign = (kind: 'unsubscribe' | 'preferences' | 'mirror') => signer.sign({ kind, deliveryId, deliveryLogId });
    return template.html.render({
      contact,
      extra: 'values' in computed ? computed.values : undefined,
      urls: {
        open: BLANK_PIXEL,
        unsubscribe: `${base}/u/${sign('unsubscribe')}`,
        preferences: `${base}/p/${sign('preferences')}`,
        mirror: `${base}/m/${sign('mirror')}`,
        link: (position) => {
          const trackedLinkId = template.linkIds.get(position);
          if (trackedLinkId === undefined) return template.linkUrls.get(position) ?? '#';
          return `${base}/c/${signer.sign({ kind: 'click', deliveryId, deliveryLogId, trackedLinkId })}`;
        },
      },
    });
  },
});

export type MirrorService = ReturnType<typeof createMirrorService>;
export default createMirrorService;
