// The two reads of a contact's timeline (reporting/contact-timeline.ts): its delivery logs with their delivery, then
// the opens, clicks and mirror views of those logs with the clicked link (the tracking-log index on delivery_log_id).
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { chunked } from './chunks';
import { knexOf, tableOf } from './tables';

type Row = Record<string, unknown>;

export interface ContactLogRow {
  id: number;
  deliveryId: number;
  deliveryDocumentId: string | null;
  deliveryName: string | null;
  status: string;
  failureReason: string | null;
  exclusionReason: string | null;
  sentAt: unknown;
  createdAt: unknown;
  bouncedAt: unknown;
  complainedAt: unknown;
  unsubscribedAt: unknown;
}

export interface ContactEventRow {
  deliveryLogId: number;
  type: 'open' | 'click' | 'mirror';
  at: unknown;
  isBot: boolean;
  isMachineOpen: boolean;
  flagReason: string | null;
  url: string | null;
}

const text = (value: unknown) => (value == null ? null : String(value));

export const contactTimelineQueries = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  return {
    /** The contact's most recent delivery logs (one per delivery and list), newest first. */
    async logs(contactId: number, limit: number): Promise<ContactLogRow[]> {
      const rows = await knex()(`${tableOf(strapi, UID.deliveryLog).table} as l`)
        .leftJoin(`${tableOf(strapi, UID.delivery).table} as d`, 'd.id', 'l.delivery_id')
        .where('l.contact_id', contactId)
        .orderBy('l.id', 'desc')
        .limit(limit)
        .select(
          'l.id',
          'l.delivery_id',
          'l.status',
          'l.failure_reason',
          'l.exclusion_reason',
          'l.sent_at',
          'l.created_at',
          'l.bounced_at',
          'l.complained_at',
          'l.unsubscribed_at',
          { delivery_document_id: 'd.document_id', delivery_name: 'd.name' },
        );
      return (rows as Row[]).map((row) => ({
        id: Number(row.id),
        deliveryId: Number(row.delivery_id),
        deliveryDocumentId: text(row.delivery_document_id),
        deliveryName: text(row.delivery_name),
        status: String(row.status),
        failureReason: text(row.failure_reason),
        exclusionReason: text(row.exclusion_reason),
        sentAt: row.sent_at,
        createdAt: row.created_at,
        bouncedAt: row.bounced_at,
        complainedAt: row.complained_at,
        unsubscribedAt: row.unsubscribed_at,
      }));
    },

    /** The opens, clicks and mirror views of these logs, newest first (unsubscriptions come from the logs). */
    async events(logIds: number[], limit: number): Promise<ContactEventRow[]> {
      const found: ContactEventRow[] = [];
      for (const part of chunked(logIds)) {
        const rows = await knex()(`${tableOf(strapi, UID.trackingLog).table} as e`)
          .leftJoin(`${tableOf(strapi, UID.trackedLink).table} as k`, 'k.id', 'e.tracked_link_id')
          .whereIn('e.delivery_log_id', part)
          .whereIn('e.type', ['open', 'click', 'mirror'])
          .orderBy([
            { column: 'e.at', order: 'desc' },
            { column: 'e.id', order: 'desc' },
          ])
          .limit(limit)
          .select('e.delivery_log_id', 'e.type', 'e.at', 'e.is_bot', 'e.is_machine_open', 'e.flag_reason', 'k.url');
        for (const row of rows as Row[]) {
          found.push({
            deliveryLogId: Number(row.delivery_log_id),
            type: row.type as ContactEventRow['type'],
            at: row.at,
            isBot: Boolean(row.is_bot),
            isMachineOpen: Boolean(row.is_machine_open),
            flagReason: text(row.flag_reason),
            url: text(row.url),
          });
        }
      }
      return found;
    },
  };
};
