// Rows written straight into the database (through strapi.db.query), exactly as the sender and the tracker leave them:
// deliveries, contacts, tracked links, delivery logs and tracking events, with tokens signed by the app's own keys.
// Indicator, alert, retention and tracking tests need the rows a send leaves, not a send.
import type { Core } from '@strapi/strapi';
import { UID } from '../../shared/constants';
import type { TokenPayload } from '../../server/src/platform/tokens';
import { createDocumentId } from '../../server/src/platform/document-id';
import { getTokenSigner } from '../../server/src/platform/token-signer';

export interface LogSeed {
  status?: 'pending' | 'sent' | 'failed' | 'bounced' | 'excluded';
  failureType?: 'hard' | 'soft' | 'ignored' | null;
  contactId?: number | null;
  email?: string;
  messageId?: string | null;
  sentAt?: Date | null;
  nextAttemptAt?: Date | null;
  firstOpenedAt?: Date | null;
  firstClickedAt?: Date | null;
  /** The first event that is neither a bot's nor a machine open (of any kind), and the first such click. */
  humanOpenedAt?: Date | null;
  humanClickedAt?: Date | null;
  unsubscribedAt?: Date | null;
  opens?: number;
  clicks?: number;
  /** Open events that are neither a bot's nor a machine open. */
  humanOpens?: number;
  createdAt?: Date;
}

export interface EventSeed {
  log: number | null;
  type: 'open' | 'click' | 'unsubscribe' | 'mirror';
  at: Date;
  isBot?: boolean;
  isMachineOpen?: boolean;
  trackedLinkId?: number | null;
}

let counter = 0;

export const insertDelivery = async (strapi: Core.Strapi, data: Record<string, unknown> = {}) => {
  counter += 1;
  const now = new Date();
  const row = await strapi.db.query(UID.delivery).create({
    data: {
      documentId: createDocumentId(),
      name: `Delivery ${counter}`,
      subject: 'Hello',
      html: '<p>Hello</p>',
      status: 'sent',
      publishedAt: now,
      ...data,
    },
  });
  return row as { id: number; documentId: string; name: string };
};

export const insertLogs = async (strapi: Core.Strapi, deliveryId: number, seeds: LogSeed[]): Promise<number[]> => {
  const ids: number[] = [];
  const now = new Date();
  for (const seed of seeds) {
    counter += 1;
    const status = seed.status ?? 'sent';
    const row = await strapi.db.query(UID.deliveryLog).create({
      data: {
        documentId: createDocumentId(),
        deliveryId,
        contactId: seed.contactId ?? null,
        email: seed.email ?? `r${counter}@recipients.test`,
        messageId: seed.messageId ?? null,
        status,
        failureType: seed.failureType ?? null,
        sentAt: seed.sentAt === undefined ? (status === 'sent' || status === 'bounced' ? now : null) : seed.sentAt,
        nextAttemptAt: seed.nextAttemptAt ?? null,
        firstOpenedAt: seed.firstOpenedAt ?? null,
        firstClickedAt: seed.firstClickedAt ?? null,
        humanOpenedAt: seed.humanOpenedAt ?? null,
        humanClickedAt: seed.humanClickedAt ?? null,
        unsubscribedAt: seed.unsubscribedAt ?? null,
        opens: seed.opens ?? 0,
        clicks: seed.clicks ?? 0,
        humanOpens: seed.humanOpens ?? 0,
        attempts: status === 'pending' ? 0 : 1,
        publishedAt: now,
        ...(seed.createdAt ? { createdAt: seed.createdAt } : {}),
      },
    });
    ids.push(Number(row.id));
  }
  return ids;
};

export const insertEvents = async (strapi: Core.Strapi, deliveryId: number, seeds: EventSeed[]): Promise<number[]> => {
  const ids: number[] = [];
  for (const seed of seeds) {
    const row = await strapi.db.query(UID.trackingLog).create({
      data: {
        documentId: createDocumentId(),
        deliveryId,
        deliveryLogId: seed.log,
        trackedLinkId: seed.trackedLinkId ?? null,
        type: seed.type,
        at: seed.at,
        userAgent: seed.isBot ? UA.scanner : 'Mozilla/5.0',
        device: 'unknown',
        isBot: seed.isBot ?? false,
        isMachineOpen: seed.isMachineOpen ?? false,
        publishedAt: seed.at,
      },
    });
    ids.push(Number(row.id));
  }
  return ids;
};

/** Stops the sending loop and its cron task: deliveries written by hand stay as written. */
export const stopSending = async (strapi: Core.Strapi) => {
  strapi.cron.remove('campaigns::scheduled-deliveries');
  await (strapi.plugin('campaigns').service('sender') as any).stop();
};

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

/** A delivery that was "sent": its tracked links, and one subscribed contact with one sent log per recipient. */
export const seedDelivery = async (strapi: Core.Strapi, options: SeedOptions = {}): Promise<SeededDelivery> => {
  const tag = options.tag ?? `seed${counter + 1}-${Date.now()}`;
  const now = new Date();
  const sentAt = new Date(now.getTime() - (options.sentSecondsAgo ?? 3600) * 1000);
  const urls = options.links ?? ['https://example.com/a', 'https://example.org/b?x=1&y=2'];

  const delivery = await insertDelivery(strapi, {
    name: `Delivery ${tag}`,
    subject: 'Hello {{firstName}}',
    trackOpens: options.trackOpens ?? true,
    trackLinks: true,
    compiledHtml: options.compiledHtml ?? null,
    compiledText:
      options.compiledText ??
      (options.compiledHtml ? 'Hello {{firstName}}\n\nUnsubscribe: {{unsubscribeUrl}}\n' : null),
    fromEmail: 'news@example.test',
  });

  const links = [];
  for (const [position, url] of urls.entries()) {
    const link = await strapi.db.query(UID.trackedLink).create({
      data: {
        documentId: createDocumentId(),
        deliveryId: delivery.id,
        url,
        label: `Link ${position}`,
        position,
        tracked: true,
        kind: 'tracked',
        publishedAt: now,
      },
    });
    links.push({ id: link.id as number, url });
  }

  const logs = [];
  for (let i = 0; i < (options.recipients ?? 3); i += 1) {
    const email = `${tag}-${i}@recipients.test`;
    const contact = await strapi.db.query(UID.contact).create({
      data: {
        documentId: createDocumentId(),
        email,
        firstName: `Reader${i}`,
        locale: options.locale ?? null,
        status: 'subscribed',
        publishedAt: now,
      },
    });
    const messageId = `<${delivery.id}.${i}.${tag}@example.test>`;
    const [id] = await insertLogs(strapi, delivery.id, [{ contactId: contact.id, email, messageId, sentAt }]);
    logs.push({ id, contactId: contact.id as number, email, messageId });
  }
  return { deliveryId: delivery.id, links, logs };
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
