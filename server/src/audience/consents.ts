// Consent records: what a contact agreed to or withdrew, when, from where and with which words. Written by the plugin
// (the preference centre, the unsubscribe page, one-click unsubscribe), never edited; an erasure only clears their ip
// and user agent (audience/contact-erasure.ts). They are the proof a newsletter must be able to show.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { createDocumentId } from '../platform/document-id';
import { normalizeIp } from '../platform/ip';

export type ConsentAction = 'subscribe' | 'confirm' | 'preferences' | 'unsubscribe' | 'resubscribe';

/** Lists as the record keeps them: ids and names, so the proof still reads after a list is renamed or deleted. */
export interface ConsentList {
  id: number;
  name: string;
}

export interface NewConsent {
  contactId: number;
  action: ConsentAction;
  /** For a preference change, the public lists before and after; for the rest, the lists concerned, or null. */
  lists?: { before: ConsentList[]; after: ConsentList[] } | ConsentList[] | null;
  /** Where it happened: 'preference centre', 'unsubscribe page', 'one-click unsubscribe', ... */
  source: string;
  /** The words the person saw when they acted (the button's label). */
  wording?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  locale?: string | null;
  at?: Date;
}

const createConsentsService = ({ strapi }: { strapi: Core.Strapi }) => ({
  /** Writes one record; runs in the caller's transaction when there is one. */
  async record(consent: NewConsent) {
    const at = consent.at ?? new Date();
    await strapi.db.query(UID.consent).create({
      data: {
        documentId: createDocumentId(),
        contact: consent.contactId,
        action: consent.action,
        lists: consent.lists ?? null,
        source: consent.source.slice(0, 255),
        wording: consent.wording ?? null,
        // The full address, whatever the tracking privacy settings: a consent record is proof, kept for that purpose.
        ip: (consent.ip && normalizeIp(consent.ip)) || null,
        userAgent: consent.userAgent ? consent.userAgent.slice(0, 255) : null,
        locale: consent.locale ? consent.locale.slice(0, 35) : null,
        occurredAt: at,
        publishedAt: at,
      },
    });
  },

  /** A contact's records, oldest first. */
  async ofContact(contactId: number) {
    return strapi.db.query(UID.consent).findMany({
      where: { contact: { id: contactId } },
      select: ['action', 'lists', 'source', 'wording', 'ip', 'userAgent', 'locale', 'occurredAt'],
      orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
    });
  },
});

export type ConsentsService = ReturnType<typeof createConsentsService>;
export default createConsentsService;
