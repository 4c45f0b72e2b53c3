// A contact's data on request (GET /contacts/:id/data): profile, lists, consent records, the suppression of the
// address, the messages sent to them and what they did with them, as one JSON document. The erasure is in
// audience/contact-erasure.ts.
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import type { ContactDataExport } from '../../../shared/contracts/contact-data';
import { chunked } from '../db/chunks';
import { getService } from '../platform/get-service';
import { eraseContact } from './contact-erasure';

const iso = (value: Date | string | null | undefined): string | null =>
  value == null ? null : new Date(value).toISOString();

/** Rows of `uid` whose `field` is in `ids`, read chunk by chunk (a contact may have thousands of messages). */
const findIn = async (strapi: Core.Strapi, uid: string, field: string, ids: number[], select: string[]) => {
  const rows: Array<Record<string, unknown>> = [];
  for (const part of chunked([...new Set(ids)])) {
    rows.push(
      ...(await strapi.db.query(uid as typeof UID.contact).findMany({
        where: { [field]: { $in: part } },
        select,
        orderBy: { id: 'asc' },
      })),
    );
  }
  return rows;
};

const createContactDataService = ({ strapi }: { strapi: Core.Strapi }) => ({
  async export(documentId: string): Promise<ContactDataExport> {
    const contact = await strapi.db.query(UID.contact).findOne({
      where: { documentId },
      populate: { lists: { select: ['documentId', 'name'] } },
    });
    if (!contact) throw new errors.NotFoundError(`No contact with id "${documentId}".`);

    const logs = await strapi.db.query(UID.deliveryLog).findMany({
      where: { contactId: contact.id },
      orderBy: { id: 'asc' },
    });
    const logIds = logs.map((log: { id: number }) => Number(log.id));
    const eventSelect = [
      'id',
      'type',
      'at',
      'deliveryId',
      'trackedLinkId',
      'userAgent',
      'ip',
      'device',
      'os',
      'client',
    ];
    const byLog = await findIn(strapi, UID.trackingLog, 'deliveryLogId', logIds, eventSelect);
    const byContact = await strapi.db.query(UID.trackingLog).findMany({
      where: { contactId: contact.id },
      select: eventSelect,
    });
    const events = [...new Map([...byLog, ...byContact].map((event) => [Number(event.id), event])).values()].sort(
      (a, b) => new Date(a.at as string).getTime() - new Date(b.at as string).getTime(),
    );
    const deliveryIds = [
      ...logs.map((log: { deliveryId: number }) => log.deliveryId),
      ...events.map((e) => e.deliveryId),
    ];
    const deliveries = new Map(
      (await findIn(strapi, UID.delivery, 'id', deliveryIds as number[], ['id', 'name', 'subject'])).map((row) => [
        Number(row.id),
        row,
      ]),
    );
    const linkIds = events.map((event) => event.trackedLinkId).filter((id): id is number => typeof id === 'number');
    const links = new Map(
      (await findIn(strapi, UID.trackedLink, 'id', linkIds, ['id', 'url'])).map((row) => [Number(row.id), row.url]),
    );
    const suppression = (await getService(strapi, 'suppressions').find([contact.email])).get(contact.email);
    const consents = await getService(strapi, 'consents').ofContact(contact.id);
    const nameOf = (deliveryId: unknown) => (deliveries.get(Number(deliveryId))?.name as string | undefined) ?? null;

    return {
      exportedAt: new Date().toISOString(),
      profile: {
        documentId: contact.documentId,
        email: contact.email,
        firstName: contact.firstName ?? null,
        lastName: contact.lastName ?? null,
        locale: contact.locale ?? null,
        attributes: contact.attributes ?? null,
        status: contact.status,
        statusReason: contact.statusReason ?? null,
        statusChangedAt: iso(contact.statusChangedAt),
        createdAt: iso(contact.createdAt)!,
        updatedAt: iso(contact.updatedAt)!,
      },
      lists: (contact.lists ?? []).map((list: { documentId: string; name: string }) => ({
        documentId: list.documentId,
        name: list.name,
      })),
      consents: consents.map((consent: Record<string, unknown>) => ({
        action: String(consent.action),
        lists: consent.lists ?? null,
        source: (consent.source as string) ?? null,
        wording: (consent.wording as string) ?? null,
        ip: (consent.ip as string) ?? null,
        userAgent: (consent.userAgent as string) ?? null,
        locale: (consent.locale as string) ?? null,
        occurredAt: iso(consent.occurredAt as string)!,
      })),
      suppression: suppression ? { reason: suppression.reason, createdAt: iso(suppression.createdAt)! } : null,
      deliveryLogs: logs.map((log: Record<string, unknown>) => ({
        delivery: nameOf(log.deliveryId),
        subject: (deliveries.get(Number(log.deliveryId))?.subject as string | undefined) ?? null,
        email: String(log.email),
        status: String(log.status),
        exclusionReason: (log.exclusionReason as string) ?? null,
        failureReason: (log.failureReason as string) ?? null,
        createdAt: iso(log.createdAt as string)!,
        sentAt: iso(log.sentAt as string),
        firstOpenedAt: iso(log.firstOpenedAt as string),
        firstClickedAt: iso(log.firstClickedAt as string),
        unsubscribedAt: iso(log.unsubscribedAt as string),
        bouncedAt: iso(log.bouncedAt as string),
        complainedAt: iso(log.complainedAt as string),
      })),
      trackingEvents: events.map((event) => ({
        type: String(event.type),
        at: iso(event.at as string)!,
        delivery: nameOf(event.deliveryId),
        linkUrl: event.trackedLinkId != null ? ((links.get(Number(event.trackedLinkId)) as string) ?? null) : null,
        userAgent: (event.userAgent as string) ?? null,
        ip: (event.ip as string) ?? null,
        device: (event.device as string) ?? null,
        os: (event.os as string) ?? null,
        client: (event.client as string) ?? null,
      })),
    };
  },

  erase: (documentId: string, confirmation: string) => eraseContact(strapi, documentId, confirmation),
});

export type ContactDataService = ReturnType<typeof createContactDataService>;
export default createContactDataService;
