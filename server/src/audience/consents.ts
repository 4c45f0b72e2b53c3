// Consent records: the proof of what a contact agreed to (or withdrew), when, from where and with which words. Written
// here only, never edited; the one exception is a subscribe record's `confirmedAt`, set once by its confirmation so
// that a replayed confirmation link finds it taken and writes nothing more.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { createDocumentId } from '../platform/document-id';
import { normalizeIp } from '../platform/ip';

export type ConsentAction = 'subscribe' | 'confirm' | 'preferences' | 'unsubscribe' | 'resubscribe';

/** A list as a consent record keeps it: enough to tell which list it was after a rename or a deletion. */
export interface ConsentList {
  id: number;
  documentId: string;
  name: string;
  doubleOptIn: boolean;
}

export interface ConsentProof {
  source?: string | null;
  wording?: string | null;
  locale?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

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

const USER_AGENT_CHARS = 255;

/** The IP to keep: none when the settings say so; never a malformed one. */
export const consentIp = (ip: string | null | undefined, store: boolean): string | null =>
  store && ip ? normalizeIp(ip) || null : null;

/** The lists of a record: Strapi parses JSON columns, but a driver may hand back the text. */
const listsOf = (value: unknown): ConsentList[] => {
  const parsed = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  return Array.isArray(parsed) ? (parsed as ConsentList[]) : [];
};

export const createConsents = (strapi: Core.Strapi) => {
  const rows = () => strapi.db.query(UID.consent);

  return {
    /** Writes one record (in the caller's transaction when there is one); returns its id. */
    async record(action: ConsentAction, contactId: number, lists: ConsentList[], proof: ConsentProof) {
      const now = new Date();
      const created = await rows().create({
        data: {
          documentId: createDocumentId(),
          contact: contactId,
          action,
          lists,
          source: proof.source ?? null,
          wording: proof.wording ?? null,
          locale: proof.locale ?? null,
          ip: proof.ip ?? null,
          userAgent: proof.userAgent ? proof.userAgent.slice(0, USER_AGENT_CHARS) : null,
          occurredAt: now,
          publishedAt: now,
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
  };
};
