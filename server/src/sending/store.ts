// The SendStore on Strapi's database (knex): claims with row locks, results in one transaction per batch (the
// common one, marks and plain sends, in store-common-commit.ts).
//
// Claiming: PostgreSQL and MariaDB/MySQL select due pending logs `FOR UPDATE SKIP LOCKED` in a transaction that marks
// them claimed (claimed_by = this process, claimed_at = now, attempts + 1) and gives each its Message-ID if it has
// none yet; two processes never get the same row. SQLite has a single writer: the same transaction without locks.
// A claim lapses when claimed_at is older than the lease (the engine renews it while it holds the rows): that is how
// the logs of a process that died are taken over.
//
// In flight: sending_at is committed before a message is handed to the relay, and its outcome as soon as the relay
// answers. A log marked in flight whose claim lapsed (its process died between the two) is in doubt: the relay may
// or may not have accepted it. It becomes 'unknown' when a claim finds less than it asked for (so the delivery cannot
// finish with it still pending, and a large delivery is not scanned at every claim), and is never sent again on its
// own.
import type { Knex } from 'knex';
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { chunked } from '../db/chunks';
import { jsonObjectColumn } from '../db/json-column';
import { createCommonCommit, isCommonCommit, type SentOutcome } from './store-common-commit';
import type { ClaimedRecipient, SendOutcome, SendStore } from './types';

const MAX_FAILURE_MESSAGE = 1000;

/** A claimed delivery log, as claim() selects it. */
interface ClaimedRow {
  id: number;
  contact_id: number | null;
  email: string;
  message_id: string;
  attempts: number;
  variant: number | null;
}

/** A contact, as claim() selects it. */
interface ContactRow {
  id: number;
  first_name: string | null;
  last_name: string | null;
  locale: string | null;
  attributes: unknown;
}

export interface DbSendStore extends SendStore {
  readonly owner: string;
}

export const createDbSendStore = (strapi: Core.Strapi, options: { owner: string; leaseMs: number }): DbSendStore => {
  const knex = (): Knex => strapi.db.connection;
  const client = strapi.db.dialect.client as string;
  const rowLocks = client === 'postgres' || client === 'mysql';
  const logs = strapi.db.metadata.get(UID.deliveryLog).tableName;
  const contacts = strapi.db.metadata.get(UID.contact).tableName;
  const { owner, leaseMs } = options;

  /** Logs left in flight by a process that died become 'unknown' (a plain read first: usually there are none). */
  const settleInDoubt = async (deliveryId: number, now: Date, leaseCutoff: Date) => {
    const lapsed = (q: Knex.QueryBuilder) =>
      q
        .where('delivery_id', deliveryId)
        .where('status', 'pending')
        .whereNotNull('sending_at')
        .where('claimed_at', '<', leaseCutoff);
    const ids: number[] = (await lapsed(knex()(logs).select('id'))).map((row: { id: number }) => Number(row.id));
    for (const part of chunked(ids)) {
      await lapsed(knex()(logs).whereIn('id', part)).update({
        status: 'unknown',
        next_attempt_at: null,
        updated_at: now,
      });
    }
  };

  const claim: SendStore['claim'] = async (deliveryId, limit, messageIdFor) => {
    const now = new Date();
    const leaseCutoff = new Date(now.getTime() - leaseMs);
    const claimed: ClaimedRow[] = await knex().transaction(async (trx): Promise<ClaimedRow[]> => {
      let select = trx(logs)
        .select('id', 'message_id')
        .where('delivery_id', deliveryId)
        .where('status', 'pending')
        .whereNull('sending_at')
        .where((q) => q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
        .where((q) => q.whereNull('claimed_at').orWhere('claimed_at', '<', leaseCutoff))
        // The rest of an A/B test's audience waits for the winner, which gives it its variant (sending/ab-tests.ts).
        .where((q) => q.whereNull('ab_rest').orWhere('ab_rest', false).orWhereNotNull('variant'))
        .limit(limit);
      if (rowLocks) select = select.forUpdate().skipLocked();
      const rows: Array<{ id: number; message_id: string | null }> = await select;
      if (!rows.length) return [];
      const ids = rows.map((row) => Number(row.id));
      const fresh = rows.filter((row) => !row.message_id);
      const update: Record<string, unknown> = {
        claimed_by: owner,
        claimed_at: now,
        attempts: trx.raw('COALESCE(attempts, 0) + 1'),
        updated_at: now,
      };
      if (fresh.length) {
        const cases = fresh.map(() => 'WHEN ? THEN ?').join(' ');
        const bindings = fresh.flatMap((row) => [Number(row.id), messageIdFor(Number(row.id))]);
        update.message_id = trx.raw(`CASE id ${cases} ELSE message_id END`, bindings);
      }
      await trx(logs).whereIn('id', ids).update(update);
      return trx(logs).whereIn('id', ids).select('id', 'contact_id', 'email', 'message_id', 'attempts', 'variant');
    });
    if (claimed.length < limit) await settleInDoubt(deliveryId, now, leaseCutoff);
    if (!claimed.length) return [];

    const contactIds = [
      ...new Set(
        claimed
          .map((row) => row.contact_id)
          .filter((id: unknown) => id != null)
          .map(Number),
      ),
    ];
    const people: ContactRow[] = contactIds.length
      ? await knex()(contacts)
          .whereIn('id', contactIds)
          .select('id', 'email', 'first_name', 'last_name', 'locale', 'attributes')
      : [];
    const byId = new Map(people.map((row) => [Number(row.id), row]));
    return claimed.map((row): ClaimedRecipient => {
      const person = row.contact_id != null ? byId.get(Number(row.contact_id)) : undefined;
      return {
        logId: Number(row.id),
        contactId: row.contact_id != null ? Number(row.contact_id) : null,
        messageId: String(row.message_id),
        attempts: Number(row.attempts),
        variant: row.variant != null ? Number(row.variant) : null,
        // The address is the log's snapshot: what the audience resolved is what gets the message.
        contact: {
          email: String(row.email),
          firstName: person?.first_name ?? null,
          lastName: person?.last_name ?? null,
          locale: person?.locale ?? null,
          attributes: jsonObjectColumn(person?.attributes),
        },
      };
    });
  };

  const commonCommit = createCommonCommit(strapi, owner);

  const record: SendStore['record'] = async (deliveryId, outcomes, sending = []) => {
    if (!outcomes.length && !sending.length) return;
    const now = new Date();
    if (isCommonCommit(outcomes, sending)) return commonCommit(outcomes, sending, now);
    const sent = outcomes.filter((o): o is SentOutcome => o.kind === 'sent');
    const others = outcomes.filter((o) => o.kind !== 'sent');
    const quarantinedEmails: string[] = [];
    await knex().transaction(async (trx) => {
      for (const part of chunked(sending)) {
        await trx(logs)
          .whereIn('id', part)
          .where('claimed_by', owner)
          .where('status', 'pending')
          .update({ sending_at: now });
      }
      // Sent: one statement per chunk and transport. sentAt is the latest send time of the batch: a batch spans at
      // most one commit of the engine (milliseconds), and one bound value keeps the statement portable (no typed CASE).
      const byTransport = new Map<string | null, typeof sent>();
      for (const o of sent) {
        const group = byTransport.get(o.transport ?? null);
        if (group) group.push(o);
        else byTransport.set(o.transport ?? null, [o]);
      }
      const parts = [...byTransport].flatMap(([transport, group]) =>
        chunked(group).map((part) => ({ transport, part })),
      );
      for (const { transport, part } of parts) {
        const at = new Date(Math.max(...part.map((o) => o.at.getTime())));
        await trx(logs)
          .whereIn(
            'id',
            part.map((o) => o.logId),
          )
          .where('claimed_by', owner)
          .update({
            status: 'sent',
            sent_at: at,
            transport,
            next_attempt_at: null,
            failure_type: null,
            failure_reason: null,
            failure_message: null,
            updated_at: now,
          });
      }
      for (const o of sent.filter((s) => s.messageId)) {
        await trx(logs)
          .where('id', o.logId)
          .update({ message_id: o.messageId!.slice(0, 255) });
      }
      // Failures are rare: one statement each.
      const quarantine: number[] = [];
      for (const o of others as Array<Exclude<SendOutcome, { kind: 'sent' }>>) {
        const failure = {
          failure_type: o.failure.failureType,
          failure_reason: o.failure.failureReason,
          failure_message: o.failure.message.slice(0, MAX_FAILURE_MESSAGE),
          updated_at: now,
        };
        if (o.kind === 'unknown') {
          await trx(logs).where('id', o.logId).where('claimed_by', owner).update({
            failure_message: failure.failure_message,
            updated_at: now,
            status: 'unknown',
            next_attempt_at: null,
          });
        } else if (o.kind === 'retry') {
          // Pending again, due at retryAt; the failure stays visible on the log until it is sent.
          await trx(logs)
            .where('id', o.logId)
            .where('claimed_by', owner)
            .update({ ...failure, status: 'pending', next_attempt_at: o.retryAt, claimed_at: null, sending_at: null });
        } else {
          await trx(logs)
            .where('id', o.logId)
            .where('claimed_by', owner)
            .update({ ...failure, status: 'failed', next_attempt_at: null });
          if (o.quarantine && o.contactId != null) quarantine.push(o.contactId);
        }
      }
      for (const part of chunked(quarantine)) {
        quarantinedEmails.push(...(await trx(contacts).whereIn('id', part).pluck('email')));
        await trx(contacts).whereIn('id', part).where('status', 'subscribed').update({
          status: 'quarantined',
          status_reason: 'hard bounce while sending',
          status_changed_at: now,
          updated_at: now,
        });
      }
    });
    // The relay refused the address itself (user unknown, invalid domain): remembered by address, like a bounce.
    if (quarantinedEmails.length)
      await strapi.plugin('campaigns').service('suppressions').add(quarantinedEmails, 'hard_bounce', deliveryId);
  };

  const release: SendStore['release'] = async (logIds) => {
    for (const part of chunked(logIds)) {
      await knex()(logs)
        .whereIn('id', part)
        .where('claimed_by', owner)
        .where('status', 'pending')
        .update({
          claimed_at: null,
          sending_at: null,
          attempts: knex().raw('CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END'),
        });
    }
  };

  const renew: SendStore['renew'] = async (logIds) => {
    const now = new Date();
    for (const part of chunked(logIds)) {
      await knex()(logs)
        .whereIn('id', part)
        .where('claimed_by', owner)
        .where('status', 'pending')
        .update({ claimed_at: now });
    }
  };

  return { owner, claim, record, release, renew };
};
