// Consent records: the proof of what a contact agreed to or withdrew, when, from where and with which words. Written
// here only (sign-ups and their confirmations, the preference centre, the unsubscribe page, one-click unsubscribe) and
// never edited, with two exceptions: a subscribe record's `confirmedAt`, set once by its confirmation so that a
// replayed confirmation link finds it taken and writes nothing more; and an erasure, which clears their ip and user
// agent (audience/contact-erasure.ts).
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { createDocumentId } from '../platform/document-id';
import { normalizeIp } from '../platform/ip';

export type ConsentAction = 'subscribe' | 'confirm' | 'preferences' | 'unsubscribe' | 'resubscribe';

/** A list as a record keeps it: enough to tell which list it was after a rename or a deletion. */
export interface ConsentList {
  id: number;
  name: string;
  documentId?: string;
  doubleOptIn?: boolean;
}

export interface NewConsent {
  contactId: number;
  action: ConsentAction;
  /** For a preference change, the public lists before and after; for the rest, the lists concerned, or null. */
  lists?: { before: ConsentList[]; after: ConsentList[] } | ConsentList[] | null;
  /** Where it happened: a sign-up form's name or page, 'preference centre', 'unsubscribe page', ... */
  source?: string | null;
  /** The words the person saw when they acted (the form's consent text, the button's label). */
  wording?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  locale?: string | null;
  at?: Date;
}

/** A subscribe record as its confirmation reads it. */
export interface ConsentRecord {
  id: number;
  action: ConsentAction;
  contactId: number | null;
  lists: ConsentList[];
  source: string | null;
  wording: string | null;
  locale: string | null;
  occurredAt: string;
  confirmedAt: string | null;
}

/** The IP to keep: none when the settings say so (`subscribe.storeConsentIp`); never a malformed one. */
export const consentIp = (ip: string | null | undefined, store: boolean): string | null =>
  store && ip ? normalizeIp(ip) || null : null;

/** The lists of a record: Strapi parses JSON columns, but a driver may hand back the text. */
const listsOf = (value: unknown): ConsentList[] => {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as ConsentList[]) : [];
};

const createConsentsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const rows = () => strapi.db.query(UID.consent);

  return {
    /** Writes one record (in the caller's transaction when there is one); answers its id. */
    async record(consent: NewConsent): Promise<number> {
      const at = consent.at ?? new Date();
      const created = await rows().create({
        data: {
          documentId: createDocumentId(),
          contact: consent.contactId,
          action: consent.action,
          lists: consent.lists ?? null,
          source: consent.source ? consent.source.slice(0, 255) : null,
          wording: consent.wording ?? null,
          ip: (consent.ip && normalizeIp(consent.ip)) || null,
          userAgent: consent.userAgent ? consent.userAgent.slice(0, 255) : null,
          locale: consent.locale ? consent.locale.slice(0, 35) : null,
          occurredAt: at,
          publishedAt: at,
        },
      });
      return Number(created.id);
    },

    async find(id: number): Promise<ConsentRecord | null> {
      const row = await rows().findOne({ where: { id }, populate: { contact: { select: ['id'] } } });
      if (!row) return null;
      return {
        id: Number(row.id),
        action: row.action,
        contactId: row.contact ? Number(row.contact.id) : null,
        lists: listsOf(row.lists),
        source: row.source ?? null,
        wording: row.wording ?? null,
        locale: row.locale ?? null,
        occurredAt: String(row.occurredAt),
        confirmedAt: row.confirmedAt ? String(row.confirmedAt) : null,
      };
    },

    /** Marks a subscribe record confirmed; false when it already was (a conditional update: one winner). */
    async markConfirmed(id: number): Promise<boolean> {
      const { count } = await rows().updateMany({
        where: { id, action: 'subscribe', confirmedAt: null },
        data: { confirmedAt: new Date() },
      });
      return count > 0;
    },

    /** A contact's records, oldest first. */
    async ofContact(contactId: number) {
      return rows().findMany({
        where: { contact: { id: contactId } },
        select: ['action', 'lists', 'source', 'wording', 'ip', 'userAgent', 'locale', 'occurredAt', 'confirmedAt'],
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
      });
    },
  };
};

export type ConsentsService = ReturnType<typeof createConsentsService>;
export default createConsentsService;
