// Erasing a contact on request (POST /contacts/:id/erase), in one transaction. What identifies the person goes: the
// address becomes a random placeholder, names, attributes and locale are cleared, list memberships removed, the ip
// and user agent of their consent records and tracking events cleared, and the address of their delivery logs
// replaced. What the figures are made of stays: the rows, their statuses, dates and flags, so indicators, hot
// clicks, reports and log counts read the same before and after. The delivery logs keep the address's domain (a
// random local part before it): the reports split by recipient domain. The address is never mailed again: the
// suppression list keeps it as a SHA-256 hash (audience/erased-address.ts) in place of any readable entry.
import { randomBytes } from 'node:crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import type { ContactEraseResult } from '../../../shared/contracts/contact-data';
import { normalizeEmail } from '../platform/email-address';
import { chunked } from '../db/chunks';
import { insertSuppressions } from '../db/suppressions';
import { ERASED_DOMAIN, erasedAddressKey, isErasedPlaceholder } from './erased-address';

/** A contact erased already: answered 409 Conflict by the controller, with this message. */
export class ContactErasedError extends Error {
  readonly status = 409;
}

const domainOf = (email: string) => {
  const at = email.lastIndexOf('@');
  return at >= 0 && at < email.length - 1 ? email.slice(at + 1) : ERASED_DOMAIN;
};

export const eraseContact = async (
  strapi: Core.Strapi,
  documentId: string,
  confirmation: string,
): Promise<ContactEraseResult> =>
  strapi.db.transaction(async ({ trx }) => {
    const contacts = strapi.db.query(UID.contact);
    const contact = await contacts.findOne({ where: { documentId }, select: ['id', 'documentId', 'email'] });
    if (!contact) throw new errors.NotFoundError(`No contact with id "${documentId}".`);
    if (isErasedPlaceholder(contact.email))
      throw new ContactErasedError('This contact was erased already: nothing about the person is left to erase.');
    const email = normalizeEmail(String(contact.email));
    if (normalizeEmail(confirmation) !== email)
      throw new errors.ValidationError('Type the contact\u2019s email address to confirm the erasure.', {
        errors: [{ path: ['email'], message: 'does not match the contact’s address' }],
      });

    const local = `erased-${randomBytes(12).toString('hex')}`;
    const now = new Date();
    await contacts.update({
      where: { id: contact.id },
      data: {
        email: `${local}@${ERASED_DOMAIN}`,
        firstName: null,
        lastName: null,
        locale: null,
        attributes: null,
        lists: [],
        status: 'unsubscribed',
        statusReason: 'erased on request',
        statusChangedAt: now,
      },
    });

    // The messages sent to the person: by contact, and by address for those whose contact was deleted and re-created.
    const logRows = await strapi.db.query(UID.deliveryLog).findMany({
      where: { $or: [{ contactId: contact.id }, { email }] },
      select: ['id', 'email', 'failureMessage'],
    });
    for (const log of logRows) {
      const placeholder = `${local}@${domainOf(String(log.email))}`;
      const message = typeof log.failureMessage === 'string' ? log.failureMessage : null;
      await strapi.db.query(UID.deliveryLog).update({
        where: { id: log.id },
        data: {
          email: placeholder,
          // A relay's refusal often quotes the address.
          ...(message && message.toLowerCase().includes(email)
            ? {
                failureMessage: message.replace(
                  new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'),
                  placeholder,
                ),
              }
            : {}),
        },
      });
    }

    const logIds = logRows.map((log: { id: number }) => Number(log.id));
    let trackingEvents = Number(
      (
        await strapi.db
          .query(UID.trackingLog)
          .updateMany({ where: { contactId: contact.id }, data: { ip: null, userAgent: null } })
      ).count,
    );
    for (const part of chunked(logIds)) {
      const { count } = await strapi.db.query(UID.trackingLog).updateMany({
        where: {
          deliveryLogId: { $in: part },
          $or: [{ contactId: { $null: true } }, { contactId: { $ne: contact.id } }],
        },
        data: { ip: null, userAgent: null },
      });
      trackingEvents += Number(count);
    }

    // By id: Strapi's updateMany cannot filter through a relation.
    const consentIds = (
      await strapi.db.query(UID.consent).findMany({ where: { contact: { id: contact.id } }, select: ['id'] })
    ).map((row: { id: number }) => row.id);
    let consents = 0;
    for (const part of chunked(consentIds)) {
      const { count } = await strapi.db
        .query(UID.consent)
        .updateMany({ where: { id: { $in: part } }, data: { ip: null, userAgent: null } });
      consents += Number(count);
    }

    // The readable entry goes, the hash stays: the address is refused at every preparation and contact creation.
    await strapi.db.query(UID.suppression).deleteMany({ where: { email } });
    await insertSuppressions(strapi, trx, {
      emails: [erasedAddressKey(email)],
      reason: 'erased',
      deliveryId: null,
      note: 'erased on request',
    });

    strapi.log.info(`[campaigns] contact ${documentId} erased on request`);
    return { documentId, deliveryLogs: logRows.length, trackingEvents, consents };
  });
