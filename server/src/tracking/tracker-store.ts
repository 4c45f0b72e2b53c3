// The tracker's writes (tracking/tracker.ts builds the rows and engagement deltas of a batch; this writes them in
// one transaction): PostgreSQL and MariaDB through Knex, few statements each a round trip; SQLite through statements
// prepared once per connection, run synchronously.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { quoteIdentifier } from '../db/tables';
import type { SqliteConnection, SqlitePool } from '../db/sqlite-driver';
import { createTrackerReads } from './tracker-reads';
import { addCount, createEventCountStore, eventCountKey, moveToBot, type EventCountDeltas } from '../db/event-counts';
import { createMessageCountStore, type MessageEvent } from '../db/message-counts';

/** What one batch adds to a delivery-log's engagement columns. */
export interface Engagement {
  opens: number;
  clicks: number;
  firstOpen: Date | null;
  firstClick: Date | null;
  /** The same, from the events that are neither a bot's nor a machine open. */
  humanOpens: number;
  humanFirstOpen: Date | null;
  humanFirstClick: Date | null;
}

const UPDATE_CHUNK = 200;

/** The tracking-log attributes a hit fills in, in insert order. */
const EVENT_ATTRIBUTES = [
  'documentId',
  'deliveryId',
  'deliveryLogId',
  'trackedLinkId',
  'contactId',
  'type',
  'at',
  'userAgent',
  'device',
  'os',
  'client',
  'isBot',
  'isMachineOpen',
  'flagReason',
  'ip',
  'createdAt',
  'updatedAt',
  'publishedAt',
] as const;

const toSqlite = (value: unknown): unknown => {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value ?? null;
};

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
  /** The events a batch writes per message (delivery log), for the message-count rollup. */
  const messagesOf = (rows: Record<string, unknown>[]): Map<number, MessageEvent[]> => {
    const e = tables().eventTable.column;
    const byLog = new Map<number, MessageEvent[]>();
    for (const row of rows) {
      const id = row[e('deliveryLogId')] as number | null;
      if (id == null) continue;
      const event = {
        type: row[e('type')],
        at: row[e('at')],
        isBot: row[e('isBot')],
        isMachineOpen: row[e('isMachineOpen')],
      };
      const own = byLog.get(id);
      if (own) own.push(event);
      else byLog.set(id, [event]);
    }
    return byLog;
  };

  /** What the batch's new events add to the event-count rollup. */
  const countsOf = (rows: Record<string, unknown>[]): EventCountDeltas => {
    const e = tables().eventTable.column;
    const deltas: EventCountDeltas = new Map();
    for (const row of rows) {
      const key = eventCountKey({
        deliveryId: row[e('deliveryId')],
        at: row[e('at')],
        type: row[e('type')],
        trackedLinkId: row[e('trackedLinkId')],
        isBot: row[e('isBot')],
        isMachineOpen: row[e('isMachineOpen')],
      });
      addCount(deltas, key, 1);
    }
    return deltas;
  };
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
  const writeKnex = async (
    rows: Record<string, unknown>[],
    engagement: Map<number, Engagement>,
    burstSince: Map<number, Date>,
  ) => {
    const { eventTable } = tables();
    const e = eventTable.column;
    await knex().transaction(async (trx) => {
      const messages = messagesOf(rows);
      await messageCounts.lock(trx, messages.keys());
      for (let start = 0; start < rows.length; start += 500) {
        await trx(eventTable.table).insert(rows.slice(start, start + 500));
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

  /**
   * SQLite: better-sqlite3 is synchronous and in-process, so there are no round trips to save, but every statement
   * Knex builds is parsed again (a 45-row insert is a 45-arm UNION ALL) and each await lets other work run while the
   * single connection is held. Here the whole batch is one synchronous transaction of statements prepared once per
   * connection: measured about twice the throughput of the Knex path. Values are converted as Knex's better-sqlite3
   * client does (Date -> epoch milliseconds, boolean -> 0/1), so rows read back exactly like Strapi's own.
   */
  const writeSqlite = async (
    rows: Record<string, unknown>[],
    engagement: Map<number, Engagement>,
    burstSince: Map<number, Date>,
  ) => {
    const pool = (knex() as unknown as { client: SqlitePool }).client;
    const connection = await pool.acquireConnection();
    try {
      const statements = sqliteStatements(connection);
      const columns = statements.insertColumns;
      connection.transaction(() => {
        for (const row of rows) statements.insert.run(columns.map((column) => toSqlite(row[column])));
        for (const id of [...engagement.keys()].sort((a, b) => a - b)) {
          const delta = engagement.get(id)!;
          statements.engage.run({
            id,
            opens: delta.opens,
            clicks: delta.clicks,
            humanOpens: delta.humanOpens,
            firstOpen: delta.firstOpen ? delta.firstOpen.getTime() : null,
            firstClick: delta.firstClick ? delta.firstClick.getTime() : null,
            humanFirstOpen: delta.humanFirstOpen ? delta.humanFirstOpen.getTime() : null,
            humanFirstClick: delta.humanFirstClick ? delta.humanFirstClick.getTime() : null,
          });
        }
        const counts = countsOf(rows);
        const reflagged: number[] = [];
        for (const [deliveryLogId, since] of burstSince) {
          const flagged = statements.selectBurst.all(deliveryLogId, since.getTime());
          moveToBot(counts, flagged as never);
          statements.flagBurst.run(deliveryLogId, since.getTime());
          if (flagged.length > 0) reflagged.push(deliveryLogId);
        }
        statements.addCounts(counts);
        for (const [deliveryLogId, since] of [...burstSince].sort(([a], [b]) => a - b)) {
          statements.recomputeHuman.run({ id: deliveryLogId, since: since.getTime() });
        }
        statements.recountMessages(messagesOf(rows), reflagged);
      })();
    } finally {
      await pool.releaseConnection(connection);
    }
  };

  const sqlitePrepared = new WeakMap<object, ReturnType<typeof prepareSqlite>>();
  const sqliteStatements = (connection: SqliteConnection) => {
    let statements = sqlitePrepared.get(connection);
    if (!statements) {
      statements = prepareSqlite(connection);
      sqlitePrepared.set(connection, statements);
    }
    return statements;
  };
  const prepareSqlite = (connection: SqliteConnection) => {
    const { eventTable, logTable } = tables();
    const e = eventTable.column;
    const l = logTable.column;
    const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
    const insertColumns = EVENT_ATTRIBUTES.map(e);
    const earliest = (column: string, value: string) =>
      `${q(column)} = CASE WHEN @${value} IS NOT NULL AND (${q(column)} IS NULL OR ${q(column)} > @${value}) THEN @${value} ELSE ${q(column)} END`;
    return {
      insertColumns,
      insert: connection.prepare(
        `INSERT INTO ${q(eventTable.table)} (${insertColumns.map(q).join(', ')}) VALUES (${insertColumns.map(() => '?').join(', ')})`,
      ),
      engage: connection.prepare(
        `UPDATE ${q(logTable.table)} SET ${q(l('opens'))} = COALESCE(${q(l('opens'))}, 0) + @opens, ` +
          `${q(l('clicks'))} = COALESCE(${q(l('clicks'))}, 0) + @clicks, ` +
          `${q(l('humanOpens'))} = COALESCE(${q(l('humanOpens'))}, 0) + @humanOpens, ` +
          `${earliest(l('firstOpenedAt'), 'firstOpen')}, ${earliest(l('firstClickedAt'), 'firstClick')}, ` +
          `${earliest(l('humanOpenedAt'), 'humanFirstOpen')}, ${earliest(l('humanClickedAt'), 'humanFirstClick')} WHERE "id" = @id`,
      ),
      flagBurst: connection.prepare(
        // Unary + keeps SQLite (no statistics) on the delivery_log_id index: an index that starts with (type, at)
        // would have it read every recent click of every recipient. Only clicks not flagged yet are rewritten.
        `UPDATE ${q(eventTable.table)} SET ${q(e('isBot'))} = 1, ${q(e('flagReason'))} = 'clickBurst' WHERE ${q(e('deliveryLogId'))} = ? AND +${q(e('type'))} = 'click' ` +
          `AND +${q(e('at'))} >= ? AND ${q(e('isBot'))} IS NOT TRUE`,
      ),
      // The clicks flagBurst is about to flag (same conditions), for the rollup to move; SQLite has one writer.
      selectBurst: connection.prepare(
        `SELECT ${Object.entries(keySelect())
          .map(([name, column]) => `${q(column)} AS ${q(name)}`)
          .join(', ')} FROM ${q(eventTable.table)} WHERE ${q(e('deliveryLogId'))} = ? AND +${q(e('type'))} = 'click' ` +
          `AND +${q(e('at'))} >= ? AND ${q(e('isBot'))} IS NOT TRUE`,
      ),
      recomputeHuman: connection.prepare(recomputeHumanSql('@since', '@id')),
      addCounts: eventCounts.prepareSqlite(connection),
      recountMessages: messageCounts.prepareSqlite(connection),
    };
  };

  return {
    tables,
    ...createTrackerReads(knex, () => ({
      link: tables().linkTable,
      log: tables().logTable,
      delivery: tables().deliveryTable,
    })),
    /** The event rows, the engagement deltas and the scanner bursts of one batch, in one transaction. */
    write: (rows: Record<string, unknown>[], engagement: Map<number, Engagement>, burstSince: Map<number, Date>) =>
      (client() === 'sqlite' ? writeSqlite : writeKnex)(rows, engagement, burstSince),
  };
};
