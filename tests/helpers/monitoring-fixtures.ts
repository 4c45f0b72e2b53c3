// Rows written straight into the database (through strapi.db.query) for indicator, alert and retention tests: a
// delivery, its logs and its tracking events exactly as the sender and the tracker leave them.
import type { Core } from '@strapi/strapi';
import { UID } from '../../shared/constants';
import { createDocumentId } from '../../server/src/utils/document-id';

export interface LogSeed {
  status?: 'pending' | 'sent' | 'failed' | 'bounced' | 'excluded';
  failureType?: 'hard' | 'soft' | 'ignored' | null;
  contactId?: number | null;
  email?: string;
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
        userAgent: seed.isBot ? 'Mozilla/5.0 (compatible; Barracuda Sentinel (EE))' : 'Mozilla/5.0',
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
