// The tracker's writes (tracking/tracker.ts builds the rows and engagement deltas of a batch; this writes them in
// one transaction): PostgreSQL and MariaDB through Knex, few statements each a round trip; SQLite through
// tracking/tracker-sqlite.ts (statements prepared once per connection, run synchronously).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { quoteIdentifier } from '../db/tables';
import type { SqlitePool } from '../db/sqlite-driver';
import { createTrackerReads } from './tracker-reads';
import { createEventCountStore, moveToBot } from '../db/event-counts';
import { createMessageCountStore } from '../db/message-counts';
import { countsOf, createSqliteWriter, EVENT_ATTRIBUTES, messagesOf } from './tracker-sqlite';
import type { Engagement, EventRow } from './tracker-types';

export type { Engagement } from './tracker-types';

const UPDATE_CHUNK = 200;

export const createTrackerStore = (strapi: Core.Strapi) => {
  const knex = (): Knex => strapi.db.connection as unknown as Knex;
  const client = () => strapi.db.dialect.client as 'sqlite' | 'postgres' | 'mysql';

  /** Table and column names as Strapi created them (snake_case of the attribute names, but never guessed). */
  const tableOf = (uid: string) => {
    const meta = strapi.db.metadata.get(uid);
    const column = (attribute: string): string => {
      const found = (meta.attributes as Record<string, { columnName?: string } | undefined>)[attribute];
      if (!found) throw new Error(`campaigns tracker: ${uid} has no attribute ${attribute}`);
      return found.columnName ?? attribute;
    };
    return { table: meta.tableName, column };
  };
  let schema: ReturnType<typeof buildSchema> | null = null;
  const buildSchema = () => {
    const logTable = tableOf(UID.deliveryLog);
    const eventTable = tableOf(UID.trackingLog);
    const linkTable = tableOf(UID.trackedLink);
    const deliveryTable = tableOf(UID.delivery);
    return { logTable, eventTable, linkTable, deliveryTable };
  };
  const tables = () => (schema ??= buildSchema());
  const eventCounts = createEventCountStore(strapi);
  const messageCounts = createMessageCountStore(strapi);

  /** The key fields of an event, selected under their attribute names. */
  const keySelect = () => {
    const e = tables().eventTable.column;
    return {
      deliveryId: e('deliveryId'),
      at: e('at'),
      type: e('type'),
      trackedLinkId: e('trackedLinkId'),
      isMachineOpen: e('isMachineOpen'),
    };
  };

  const datetimeParam = () => {
    switch (client()) {
      case 'postgres':
        return 'CAST(? AS timestamp(6))';
      case 'mysql':
        return 'CAST(? AS DATETIME(6))';
      default:
        return '?';
    }
  };

  /**
   * One UPDATE for up to UPDATE_CHUNK delivery-logs: counters incremented in SQL (never read-modify-write, which
   * loses counts under concurrency) and first-event times set to the MIN of the stored and the new value.
   */
  const updateEngagement = async (trx: Knex.Transaction, engagement: Map<number, Engagement>) => {
    const { logTable } = tables();
    const c = logTable.column;
    const ids = [...engagement.keys()].sort((a, b) => a - b); // one lock order everywhere: no deadlocks between replicas
    const param = datetimeParam();
    for (let start = 0; start < ids.length; start += UPDATE_CHUNK) {
      const chunk = ids.slice(start, start + UPDATE_CHUNK);
      const sets: string[] = [];
      const bindings: unknown[] = [];

      const counter = (column: string, pick: (e: Engagement) => number) => {
        const changed = chunk.filter((id) => pick(engagement.get(id)!) > 0);
        if (changed.length === 0) return;
        // Ids and counts are integers we computed, written as literals: only identifiers go through bindings.
        const cases = changed.map((id) => `WHEN ${id} THEN ${pick(engagement.get(id)!)}`).join(' ');
        sets.push(`?? = COALESCE(??, 0) + CASE ?? ${cases} ELSE 0 END`);
        bindings.push(column, column, 'id');
      };
      const earliest = (column: string, pick: (e: Engagement) => Date | null) => {
        const changed = chunk.filter((id) => pick(engagement.get(id)!) !== null);
        if (changed.length === 0) return;
        const caseBindings: unknown[] = [];
        const cases = changed.map((id) => {
          const at = pick(engagement.get(id)!);
          caseBindings.push(column, column, at, at, column);
          return `WHEN ${id} THEN CASE WHEN ?? IS NULL OR ?? > ${param} THEN ${param} ELSE ?? END`;
        });
        sets.push(`?? = CASE ?? ${cases.join(' ')} ELSE ?? END`);
        bindings.push(column, 'id', ...caseBindings, column);
      };

      counter(c('opens'), (e) => e.opens);
      counter(c('clicks'), (e) => e.clicks);
      counter(c('humanOpens'), (e) => e.humanOpens);
      earliest(c('firstOpenedAt'), (e) => e.firstOpen);
      earliest(c('firstClickedAt'), (e) => e.firstClick);
      earliest(c('humanOpenedAt'), (e) => e.humanFirstOpen);
      earliest(c('humanClickedAt'), (e) => e.humanFirstClick);
      if (sets.length === 0) continue;
      await trx.raw(`UPDATE ?? SET ${sets.join(', ')} WHERE ?? IN (${chunk.join(', ')})`, [
        logTable.table,
        ...bindings,
        'id',
      ]);
    }
  };

  /** PostgreSQL, MariaDB / MySQL: few statements, each a round trip: one multi-row insert, one UPDATE per 200 logs. */
  const writeKnex = async (rows: EventRow[], engagement: Map<number, Engagement>, burstSince: Map<number, Date>) => {
    const { eventTable } = tables();
    const e = eventTable.column;
    const columns = EVENT_ATTRIBUTES.map((attribute) => [attribute, e(attribute)] as const);
    const records = rows.map((row) =>
      Object.fromEntries(columns.map(([attribute, column]) => [column, row[attribute]])),
    );
    await knex().transaction(async (trx) => {
      const messages = messagesOf(rows);
      await messageCounts.lock(trx, messages.keys());
      for (let start = 0; start < records.length; start += 500) {
        await trx(eventTable.table).insert(records.slice(start, start + 500));
      }
      if (engagement.size > 0) await updateEngagement(trx, engagement);
      const counts = countsOf(rows);
      const reflagged: number[] = [];
      for (const [deliveryLogId, since] of burstSince) {
        // Only clicks not flagged yet: the flag is in indexes, and rewriting it costs an index update per row. They
        // are locked and read first, by id, so that the rollup moves exactly the clicks this UPDATE flags.
        const flagged: Array<Record<string, unknown>> = await trx(eventTable.table)
          .select({ id: 'id', ...keySelect() })
          .where(e('deliveryLogId'), deliveryLogId)
          .andWhere(e('type'), 'click')
          .andWhere(e('at'), '>=', since)
          .andWhere((w) => w.where(e('isBot'), false).orWhereNull(e('isBot')))
          .forUpdate();
        if (flagged.length === 0) continue;
        await trx(eventTable.table)
          .update({ [e('isBot')]: true, [e('flagReason')]: 'clickBurst' })
          .whereIn(
            'id',
            flagged.map((row) => Number(row.id)),
          );
        moveToBot(counts, flagged as never);
        reflagged.push(deliveryLogId);
      }
      await eventCounts.apply(trx, counts);
      if (burstSince.size > 0) {
        const param = datetimeParam();
        const sql = recomputeHumanSql(param, '?');
        for (const [deliveryLogId, since] of [...burstSince].sort(([a], [b]) => a - b)) {
          await trx.raw(sql, [since, since, deliveryLogId, since, since]);
        }
      }
      // A burst that re-flagged stored clicks: their message is read again, the others follow from their new events.
      for (const deliveryLogId of reflagged) messages.delete(deliveryLogId);
      await messageCounts.recompute(trx, [...messages.keys(), ...reflagged], { added: messages });
    });
  };

  /**
   * The human columns of a delivery-log recomputed from its events after a burst flagged its clicks since `since`
   * as a scanner's: the first counted open or click may now be a later one, or none. Only a column at or after
   * `since` can change (a flagged click is never earlier), so the statement leaves every other log untouched and
   * reads the recipient's events (few, on the delivery_log_id index) only when one can. The batch's UPDATE of the
   * same log already holds its row lock, so a concurrent batch for the same recipient has either committed before
   * this statement reads (it held the lock first) or applies its MINs over the recomputed values after this commit.
   * Parameters in order: since, since, the delivery-log id, since, since.
   */
  const recomputeHumanSql = (since: string, id: string): string => {
    const { logTable, eventTable } = tables();
    const q = (name: string) => quoteIdentifier(strapi, name);
    const e = (attribute: string) => `t.${q(eventTable.column(attribute))}`;
    const [opened, clicked] = [q(logTable.column('humanOpenedAt')), q(logTable.column('humanClickedAt'))];
    // The type is tested inside MIN, not in WHERE: with `type = 'click' AND MIN(at)` a planner without fresh
    // statistics may walk an index that starts with (type, at) over every recipient's clicks; here only the
    // delivery_log_id index fits.
    const first = (type: string | null) =>
      `(SELECT MIN(${type ? `CASE WHEN ${e('type')} = '${type}' THEN ${e('at')} END` : e('at')}) FROM ${q(eventTable.table)} t ` +
      `WHERE ${e('deliveryLogId')} = ${q(logTable.table)}.${q('id')} AND ${e('isBot')} IS NOT TRUE AND ${e('isMachineOpen')} IS NOT TRUE)`;
    // Identifiers come from Strapi's metadata and the type is a constant: only parameters come from the batch.
    return (
      `UPDATE ${q(logTable.table)} SET ` +
      `${opened} = CASE WHEN ${opened} >= ${since} THEN ${first(null)} ELSE ${opened} END, ` +
      `${clicked} = CASE WHEN ${clicked} >= ${since} THEN ${first('click')} ELSE ${clicked} END ` +
      `WHERE ${q('id')} = ${id} AND (${opened} >= ${since} OR ${clicked} >= ${since})`
    );
  };

  const writeSqlite = createSqliteWriter(
    () => (knex() as unknown as { client: SqlitePool }).client,
    () => ({
      eventTable: tables().eventTable,
      logTable: tables().logTable,
      recomputeHumanSql,
      prepareCounts: eventCounts.prepareSqlite,
      prepareMessageCounts: messageCounts.prepareSqlite,
    }),
  );

  return {
    tables,
    ...createTrackerReads(knex, () => ({
      link: tables().linkTable,
      log: tables().logTable,
      delivery: tables().deliveryTable,
    })),
    /** The event rows, the engagement deltas and the scanner bursts of one batch, in one transaction. */
    write: (rows: EventRow[], engagement: Map<number, Engagement>, burstSince: Map<number, Date>) =>
      (client() === 'sqlite' ? writeSqlite : writeKnex)(rows, engagement, burstSince),
  };
};
