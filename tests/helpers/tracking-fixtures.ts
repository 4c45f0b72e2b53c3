// A delivery that was "sent", written straight into the database: contacts, tracked links and delivery logs, with
// tokens signed by the app's own keys. Tracking tests need the rows a send leaves, not a send.
import type { Core } from '@strapi/strapi';
import { UID } from '../../shared/constants';
import type { TokenPayload } from '../../server/src/lib/tokens';
import { createDocumentId } from '../../server/src/utils/document-id';
import { getTokenSigner } from '../../server/src/utils/token-signer';

export interface SeedOptions {
  recipients?: number;
  links?: string[];
  /** How long ago the messages were sent (clicks sooner than the scanner window after sending are bots). */
  sentSecondsAgo?: number;
  locale?: string | null;
  compiledHtml?: string | null;
  compiledText?: string | null;
  trackOpens?: boolean;
  /** Prefix of the contacts' addresses, to keep seeds apart in one database. */
  tag?: string;
}

export interface SeededDelivery {
  deliveryId: number;
  links: { id: number; url: string }[];
  logs: { id: number; contactId: number; email: string; messageId: string }[];
}

let seedCounter = 0;

export const seedDelivery = async (strapi: Core.Strapi, options: SeedOptions = {}): Promise<SeededDelivery> => {
  seedCounter += 1;
  const tag = options.tag ?? `seed${seedCounter}-${Date.now()}`;
  const now = new Date();
  const sentAt = new Date(now.getTime() - (options.sentSecondsAgo ?? 3600) * 1000);
  const urls = options.links ?? ['https://example.com/a', 'https://example.org/b?x=1&y=2'];

  const delivery = await strapi.db.query(UID.delivery).create({
    data: {
      documentId: createDocumentId(),
      name: `Delivery ${tag}`,
      subject: 'Hello {{firstName}}',
      html: '<p>Hello</p>',
      status: 'sent',
      trackOpens: options.trackOpens ?? true,
      trackLinks: true,
      compiledHtml: options.compiledHtml ?? null,
      compiledText: options.compiledText ?? (options.compiledHtml ? 'Hello {{firstName}}\n\nUnsubscribe: {{unsubscribeUrl}}\n' : null),
      fromEmail: 'news@example.test',
      publishedAt: now,
    },
  });

  const links = [];
  for (const [position, url] of urls.entries()) {
    const link = await strapi.db.query(UID.trackedLink).create({
      data: { documentId: createDocumentId(), deliveryId: delivery.id, url, label: `Link ${position}`, position, tracked: true, kind: 'tracked', publishedAt: now },
    });
    links.push({ id: link.id as number, url });
  }

  const logs = [];
  for (let i = 0; i < (options.recipients ?? 3); i += 1) {
    const email = `${tag}-${i}@recipients.test`;
    const contact = await strapi.db.query(UID.contact).create({
      data: { documentId: createDocumentId(), email, firstName: `Reader${i}`, locale: options.locale ?? null, status: 'subscribed', publishedAt: now },
    });
    const messageId = `<${delivery.id}.${i}.${tag}@example.test>`;
    const log = await strapi.db.query(UID.deliveryLog).create({
      data: {
        documentId: createDocumentId(),
        deliveryId: delivery.id,
        contactId: contact.id,
        email,
        status: 'sent',
        sentAt,
        messageId,
        opens: 0,
        clicks: 0,
        attempts: 1,
        publishedAt: now,
      },
    });
    logs.push({ id: log.id as number, contactId: contact.id as number, email, messageId });
  }
  return { deliveryId: delivery.id as number, links, logs };
};

export const sign = (strapi: Core.Strapi, payload: TokenPayload) => getTokenSigner(strapi).sign(payload);

export const openPath = (strapi: Core.Strapi, deliveryId: number, deliveryLogId: number) =>
  `/api/campaigns/o/${sign(strapi, { kind: 'open', deliveryId, deliveryLogId })}`;
export const clickPath = (strapi: Core.Strapi, deliveryId: number, deliveryLogId: number, trackedLinkId: number) =>
  `/api/campaigns/c/${sign(strapi, { kind: 'click', deliveryId, deliveryLogId, trackedLinkId })}`;
export const unsubscribePath = (strapi: Core.Strapi, deliveryId: number, deliveryLogId: number) =>
  `/api/campaigns/u/${sign(strapi, { kind: 'unsubscribe', deliveryId, deliveryLogId })}`;
export const mirrorPath = (strapi: Core.Strapi, deliveryId: number, deliveryLogId: number) =>
  `/api/campaigns/m/${sign(strapi, { kind: 'mirror', deliveryId, deliveryLogId })}`;

export const eventsOf = (strapi: Core.Strapi, deliveryId: number) =>
  strapi.db.query(UID.trackingLog).findMany({ where: { deliveryId }, orderBy: { id: 'asc' } });

export const logOf = (strapi: Core.Strapi, id: number) => strapi.db.query(UID.deliveryLog).findOne({ where: { id } });

export const contactOf = (strapi: Core.Strapi, id: number) => strapi.db.query(UID.contact).findOne({ where: { id } });

export const countEvents = async (strapi: Core.Strapi): Promise<number> => strapi.db.query(UID.trackingLog).count({});

export const UA = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iphoneSafari:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  applePrefetch: 'Mozilla/5.0',
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
  outlookWindows: 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)',
  scanner: 'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))',
};
