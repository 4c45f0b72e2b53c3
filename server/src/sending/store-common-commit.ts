// The send engine's common commit: logs marked in flight and plain sends (no failure, no Message-ID from the relay,
// one transport), which is almost every commit of a delivery. The engine commits after almost every message (a mark,
// an outcome), so this is the hot write of sending; everything else goes through store.ts's Knex transaction.
//
// - SQLite: statements prepared once per connection, run in one synchronous transaction. better-sqlite3 has no round
//   trips to save, but Knex builds and parses every statement again (bench/README.md, bench:send). Dates are epoch
//   milliseconds, as Knex's better-sqlite3 client writes them.
// - PostgreSQL, MariaDB/MySQL: one UPDATE for both (one round trip and one commit, instead of BEGIN, two updates and
//   COMMIT through Knex's query builder). A single statement is atomic without a transaction. Marks and sends never
//   name the same log (a log is marked before its message leaves and its outcome comes in a later commit); the caller
//   checks it, since one statement cannot apply both to a row.
import type { Knex } from 'knex';
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { tableOf } from '../db/tables';
import type { SqlitePool, SqliteStatement } from '../db/sqlite-driver';
import type { SendOutcome } from './types';

export type SentOutcome = Extract<SendOutcome, { kind: 'sent' }>;

/** Whether a commit is the common one: only plain sends of one transport, and marks of other logs. */
export const isCommonCommit = (outcomes: SendOutcome[], sending: number[]): outcomes is SentOutcome[] => {
  let transport: string | null | undefined;
  for (const o of outcomes) {
    if (o.kind !== 'sent' || o.messageId) return false;
    if (transport !== undefined && (o.transport ?? null) !== transport) return false;
    transport = o.transport ?? null;
  }
  if (!outcomes.length || !sending.length) return true;
  const marked = new Set(sending);
  return !outcomes.some((o) => marked.has(o.logId));
};

export type CommonCommit = (sent: SentOutcome[], sending: number[], now: Date) => Promise<void>;

export const createCommonCommit = (strapi: Core.Strapi, owner: string): CommonCommit => {
  const knex = (): Knex => strapi.db.connection;
  const log = tableOf(strapi, UID.deliveryLog);
  const client = strapi.db.dialect.client as string;
  const q = client === 'mysql' ? (name: string) => `\`${name}\`` : (name: string) => `"${name}"`;
  const c = (attribute: string) => q(log.column(attribute));

  if (client === 'sqlite') {
    const statements = new WeakMap<object, { mark: SqliteStatement; sent: SqliteStatement }>();
    return async (sent, sending, now) => {
      const pool = (knex() as unknown as { client: SqlitePool }).client;
      const connection = await pool.acquireConnection();
      try {
        let prepared = statements.get(connection);
        if (!prepared) {
          const mine = `WHERE "id" = @id AND ${c('claimedBy')} = @owner`;
          prepared = {
            mark: connection.prepare(
              `UPDATE "${log.table}" SET ${c('sendingAt')} = @now ${mine} AND ${c('status')} = 'pending'`,
            ),
            sent: connection.prepare(
              `UPDATE "${log.table}" SET ${c('status')} = 'sent', ${c('sentAt')} = @at, ${c('transport')} = @transport, ${c('nextAttemptAt')} = NULL, ` +
                `${c('failureType')} = NULL, ${c('failureReason')} = NULL, ${c('failureMessage')} = NULL, ${c('updatedAt')} = @now ${mine}`,
            ),
          };
          statements.set(connection, prepared);
        }
        const { mark, sent: markSent } = prepared;
        connection.transaction(() => {
          for (const id of sending) mark.run({ id, owner, now: now.getTime() });
          for (const o of sent) {
            markSent.run({
              id: o.logId,
              owner,
              at: o.at.getTime(),
              transport: o.transport ?? null,
              now: now.getTime(),
            });
          }
        })();
      } finally {
        await pool.releaseConnection(connection);
      }
    };
  }

  // A list of ids is one bound array on PostgreSQL; MariaDB's driver writes an array as a list, and an empty one as
  // (NULL), which matches nothing. SET assignments test the id, never a column they change, so MariaDB's
  // left-to-right assignment reads the same.
  const among = client === 'postgres' ? `${q('id')} = ANY(?::int[])` : `${q('id')} IN (?)`;
  const list = client === 'postgres' ? (ids: number[]) => ids : (ids: number[]) => (ids.length ? ids : [null]);
  return async (sent, sending, now) => {
    const marks = list(sending);
    const sentIds = list(sent.map((o) => o.logId));
    // sentAt is the latest send time of the commit: it spans milliseconds, and one bound value keeps it portable.
    const at = sent.length ? new Date(Math.max(...sent.map((o) => o.at.getTime()))) : null;
    const bindings: unknown[] = [];
    const setIf = (ids: unknown[], attribute: string, value: unknown) => {
      bindings.push(ids, value);
      return `${c(attribute)} = CASE WHEN ${among} THEN ? ELSE ${c(attribute)} END`;
    };
    const set = [
      setIf(marks, 'sendingAt', now),
      setIf(sentIds, 'status', 'sent'),
      setIf(sentIds, 'sentAt', at),
      setIf(sentIds, 'transport', sent[0]?.transport ?? null),
      setIf(sentIds, 'nextAttemptAt', null),
      setIf(sentIds, 'failureType', null),
      setIf(sentIds, 'failureReason', null),
      setIf(sentIds, 'failureMessage', null),
      setIf(sentIds, 'updatedAt', now),
    ].join(', ');
    bindings.push(owner, marks, sentIds);
    await knex().raw(
      `UPDATE ${q(log.table)} SET ${set} WHERE ${c('claimedBy')} = ? AND ((${among} AND ${c('status')} = 'pending') OR ${among})`,
      bindings,
    );
  };
};
