// Queries on the deliveries table that the sender loop and the deliveries service run: the preparation lease, the
// deliveries due for each stage, the large ones under way, and removing a delivery's rows from the other tables.
// Status changes themselves go through sending/lifecycle.ts.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { PauseReason } from '../../../shared/contracts/deliveries';
import { SENDING } from '../../../shared/lifecycle';
import { knexOf, tableOf } from './tables';
import { jsonObjectColumn } from './json-column';

export interface PausedByRelay {
  id: number;
  pauseReason: PauseReason;
  outageSince: Date | null;
  outageProbes: number;
}

export interface PreparedSources {
  compiledHtml: string | null;
  compiledText: string;
  /** A blocks message: the HTML rendered from its blocks and the layout snapshot it was rendered with. */
  sent: { html: string; layout: unknown } | null;
}

export interface StoredSources {
  documentId: string;
  subject: string;
  fromName: string | null;
  fromEmail: string | null;
  replyTo: string | null;
  compiledHtml: string | null;
  /** null until the delivery is prepared. */
  compiledText: string | null;
  /** The other subjects of an A/B test (variants B, C, D), or none. */
  abSubjects: string[];
}

/** Rows the loop may take: nobody holds them, the lease lapsed, or this process holds them. */
const free = (q: Knex.QueryBuilder, owner: string, now: Date) =>
  q.where((inner) => inner.whereNull('locked_until').orWhere('locked_until', '<', now).orWhere('locked_by', owner));

export const deliveryQueries = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const deliveries = () => knex()(tableOf(strapi, UID.delivery).table);

  return {
    /** Takes or renews the preparation lease of one delivery; false when another process holds it. */
    async leasePreparation(id: number, owner: string, leaseMs: number): Promise<boolean> {
      const now = new Date();
      const updated = await free(deliveries().where({ id, status: 'preparing' }), owner, now).update({
        locked_by: owner,
        locked_until: new Date(now.getTime() + leaseMs),
      });
      return updated > 0;
    },

    /** Scheduled deliveries whose time came. */
    async dueScheduledIds(now: Date): Promise<number[]> {
      const rows = await deliveries().where('status', 'scheduled').where('scheduled_at', '<=', now).select('id');
      return rows.map((row: { id: number | string }) => Number(row.id));
    },

    /** Deliveries in preparation that this process may take. */
    async preparableIds(owner: string, now: Date): Promise<number[]> {
      const rows = await free(deliveries().where('status', 'preparing'), owner, now).select('id');
      return rows.map((row: { id: number | string }) => Number(row.id));
    },

    /** Deliveries sending whose stagger time has come, with their own rate limit. */
    async sendableNow(now: Date): Promise<Array<{ id: number; sendRate: number | null }>> {
      const rows = await deliveries()
        .where('status', 'sending')
        .where((q) => q.whereNull('send_after').orWhere('send_after', '<=', now))
        .select('id', 'send_rate');
      return rows.map((row: { id: number | string; send_rate: number | string | null }) => ({
        id: Number(row.id),
        sendRate: row.send_rate ? Number(row.send_rate) : null,
      }));
    },

    /** When the other large deliveries under way start (or started) sending. */
    async largeUnderWayStarts(exceptId: number, threshold: number): Promise<Date[]> {
      const rows = await deliveries()
        .whereIn('status', [...SENDING])
        .where('estimated_recipients', '>', threshold)
        .whereNot('id', exceptId)
        .select('send_after', 'started_at');
      return rows.flatMap((row: { send_after: unknown; started_at: unknown }) => {
        const at = row.send_after ?? row.started_at;
        return at ? [new Date(at as string)] : [];
      });
    },

    /** Deliveries paused by a relay failure whose next probe is due. */
    async dueProbes(now: Date): Promise<PausedByRelay[]> {
      const rows = await deliveries()
        .where('status', 'paused')
        .whereNotNull('pause_reason')
        .whereNotNull('next_probe_at')
        .where('next_probe_at', '<=', now)
        .select('id', 'pause_reason', 'outage_since', 'outage_probes');
      return rows.map((row: Record<string, unknown>) => ({
        id: Number(row.id),
        pauseReason: row.pause_reason as PausedByRelay['pauseReason'],
        outageSince: row.outage_since ? new Date(row.outage_since as string) : null,
        outageProbes: Number(row.outage_probes ?? 0),
      }));
    },

    /** A probe's answer on a delivery that stays paused: when to try next (null: no more), and what it said. */
    async probed(id: number, change: { nextProbeAt: Date | null; outageProbes: number; lastError: string }) {
      await deliveries().where({ id, status: 'paused' }).whereNotNull('pause_reason').update({
        next_probe_at: change.nextProbeAt,
        outage_probes: change.outageProbes,
        last_error: change.lastError,
        updated_at: new Date(),
      });
    },

    /** What preparation stores: the compiled sources, and for a blocks message the HTML and layout it was sent with. */
    async savePrepared(trx: Knex.Transaction, id: number, prepared: PreparedSources, now: Date): Promise<void> {
      await trx(tableOf(strapi, UID.delivery).table)
        .where('id', id)
        .update({
          compiled_html: prepared.compiledHtml,
          compiled_text: prepared.compiledText,
          ...(prepared.sent ? { html: prepared.sent.html, layout_snapshot: JSON.stringify(prepared.sent.layout) } : {}),
          prepared_at: now,
          updated_at: now,
        });
    },

    /** The stored sources of a delivery, to rebuild its template; null when it does not exist. */
    async preparedSources(id: number): Promise<StoredSources | null> {
      const row = await deliveries().where('id', id).first();
      if (!row) return null;
      return {
        documentId: String(row.document_id),
        subject: String(row.subject),
        fromName: row.from_name ?? null,
        fromEmail: row.from_email ?? null,
        replyTo: row.reply_to ?? null,
        compiledHtml: row.compiled_html ?? null,
        compiledText: row.compiled_text ?? null,
        abSubjects: (jsonObjectColumn(row.ab_test) as { subjects?: string[] } | null)?.subjects ?? [],
      };
    },

    /** A delivery's logs, links, tracking events and their counts, removed in one transaction before the delivery itself. */
    async deleteRowsOf(id: number): Promise<void> {
      await knex().transaction(async (trx) => {
        for (const uid of [
          UID.deliveryLog,
          UID.trackedLink,
          UID.trackingLog,
          UID.eventCount,
          UID.messageCount,
          UID.messageDay,
          UID.dayCount,
          UID.hourCount,
          UID.placeCount,
        ])
          await trx(tableOf(strapi, uid).table).where('delivery_id', id).delete();
      });
    },
  };
};
