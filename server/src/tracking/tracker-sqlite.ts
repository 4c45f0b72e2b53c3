// The tracker's group commit on SQLite (tracking/tracker-store.ts keeps the PostgreSQL / MariaDB path on Knex).
//
// better-sqlite3 is synchronous and in-process, so there are no round trips to save, but every statement Knex builds
// is parsed again (a 45-row insert is a 45-arm UNION ALL) and each await lets other work run while the single
// connection is held. Here the whole batch is one synchronous transaction of statements prepared once per connection
// with positional parameters: the event insert, the delivery-log engagement update, the burst selection and flag,
// the event-count and message-count rollups and the recomputation of the human columns. Values are converted as Knex's better-sqlite3
// client does (Date -> epoch milliseconds, boolean -> 0/1), so rows read back exactly like Strapi's own.
// A multi-row INSERT was measured and dropped: SQLite's statement journal for it cost more than the calls it saved.
import type { SqliteConnection, SqlitePool } from '../db/sqlite-driver';
import { addCount, eventCountKey, moveToBot, type EventCountDeltas } from '../db/event-counts';
import type { MessageEvent } from '../db/message-keys';
import type { Engagement, EventRow } from './tracker-types';

/** The tracking-log attributes of an event row, in the order eventValues() binds them. */
export const EVENT_ATTRIBUTES = [
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
] as const satisfies ReadonlyArray<keyof EventRow>;

/** The positional parameters of one event insert, in EVENT_ATTRIBUTES order, converted as Knex's SQLite client does. */
export const eventValues = (row: EventRow): unknown[] => [
  row.documentId,
  row.deliveryId,
  row.deliveryLogId,
  row.trackedLinkId,
  row.contactId,
  row.type,
  row.at.getTime(),
  row.userAgent,
  row.device,
  row.os,
  row.client,
  row.isBot ? 1 : 0,
  row.isMachineOpen ? 1 : 0,
  row.flagReason,
  row.ip,
  row.createdAt.getTime(),
  row.updatedAt.getTime(),
  row.publishedAt.getTime(),
];

/** The positional parameters of one delivery-log engagement update (see the statement in prepare()). */
export const engagementValues = (id: number, delta: Engagement): unknown[] => {
  const firstOpen = delta.firstOpen ? delta.firstOpen.getTime() : null;
  const firstClick = delta.firstClick ? delta.firstClick.getTime() : null;
  const humanFirstOpen = delta.humanFirstOpen ? delta.humanFirstOpen.getTime() : null;
  const humanFirstClick = delta.humanFirstClick ? delta.humanFirstClick.getTime() : null;
  // Each time twice: the statement's earliest() reads it twice (better-sqlite3 binds no numbered ?NNN parameters).
  return [
    delta.opens,
    delta.clicks,
    delta.humanOpens,
    firstOpen,
    firstOpen,
    firstClick,
    firstClick,
    humanFirstOpen,
    humanFirstOpen,
    humanFirstClick,
    humanFirstClick,
    id,
  ];
};

/** What a batch's new events add to the event-count rollup (rows as the recorder builds them). */
export const countsOf = (rows: EventRow[]): EventCountDeltas => {
  const deltas: EventCountDeltas = new Map();
  for (const row of rows) addCount(deltas, eventCountKey(row), 1);
  return deltas;
};

/** The events a batch writes per message (delivery log), for the message-count rollup (db/message-counts.ts). */
export const messagesOf = (rows: EventRow[]): Map<number, MessageEvent[]> => {
  const byLog = new Map<number, MessageEvent[]>();
  for (const { deliveryLogId, type, at, trackedLinkId, device, client, isBot, isMachineOpen } of rows) {
    if (deliveryLogId === null) continue;
    const event = { type, at, trackedLinkId, device, client, isBot, isMachineOpen };
    const own = byLog.get(deliveryLogId);
    if (own) own.push(event);
    else byLog.set(deliveryLogId, [event]);
  }
  return byLog;
};

interface Table {
  table: string;
  column: (attribute: string) => string;
}

export interface SqliteWriterSchema {
  eventTable: Table;
  logTable: Table;
  /** The statement that recomputes a delivery-log's human columns after a burst (tracker-store.ts). */
  recomputeHumanSql: (since: string, id: string) => string;
  /** The rollup's upsert prepared on this connection (db/event-counts.ts). */
  prepareCounts: (connection: SqliteConnection) => (deltas: EventCountDeltas) => void;
  /** The message-count recount prepared on this connection: the batch's events per message, the re-flagged ones. */
  prepareMessageCounts: (
    connection: SqliteConnection,
  ) => (added: Map<number, MessageEvent[]>, reflagged: Iterable<number>) => void;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

const prepare = (connection: SqliteConnection, schema: SqliteWriterSchema) => {
  const { eventTable, logTable } = schema;
  const e = eventTable.column;
  const l = logTable.column;
  const events = q(eventTable.table);
  // The earlier of the stored and the new time, either being NULL (SQLite's MIN() of several values is NULL when one
  // is): the new time is bound twice.
  const earliest = (column: string) => `${q(column)} = COALESCE(MIN(${q(column)}, ?), ${q(column)}, ?)`;
  const added = (column: string) => `${q(column)} = COALESCE(${q(column)}, 0) + ?`;
  // Unary + keeps SQLite (no statistics) on the delivery_log_id index: an index that starts with (type, at) would
  // have it read every recent click of every recipient. Only clicks not flagged yet are selected and rewritten.
  const burst = `${q(e('deliveryLogId'))} = ? AND +${q(e('type'))} = 'click' AND +${q(e('at'))} >= ? AND ${q(e('isBot'))} IS NOT TRUE`;
  const keyColumns = ['deliveryId', 'at', 'type', 'trackedLinkId', 'isMachineOpen'];
  return {
    insert: connection.prepare(
      `INSERT INTO ${events} (${EVENT_ATTRIBUTES.map((a) => q(e(a))).join(', ')}) ` +
        `VALUES (${EVENT_ATTRIBUTES.map(() => '?').join(', ')})`,
    ),
    engage: connection.prepare(
      `UPDATE ${q(logTable.table)} SET ${added(l('opens'))}, ${added(l('clicks'))}, ${added(l('humanOpens'))}, ` +
        `${earliest(l('firstOpenedAt'))}, ${earliest(l('firstClickedAt'))}, ` +
        `${earliest(l('humanOpenedAt'))}, ${earliest(l('humanClickedAt'))} WHERE "id" = ?`,
    ),
    // The clicks a burst flags, with the key fields the rollup moves; SQLite has one writer, so they are flagged by
    // id in the same transaction (no second scan of the recipient's events, none at all when nothing is left).
    selectBurst: connection.prepare(
      `SELECT "id", ${keyColumns.map((a) => `${q(e(a))} AS ${q(a)}`).join(', ')} FROM ${events} WHERE ${burst}`,
    ),
    // The unflagged clicks stored after a row id, every recipient's: one scan by row id for the recipients whose
    // earlier clicks a burst of this writer flagged already (see createSqliteWriter). Unary + keeps it off indexes.
    selectRecent: connection.prepare(
      `SELECT "id", ${[...keyColumns, 'deliveryLogId'].map((a) => `${q(e(a))} AS ${q(a)}`).join(', ')} FROM ${events} ` +
        `WHERE "id" > ? AND +${q(e('type'))} = 'click' AND +${q(e('at'))} >= ? AND ${q(e('isBot'))} IS NOT TRUE`,
    ),
    flagBurst: connection.prepare(
      `UPDATE ${events} SET ${q(e('isBot'))} = 1, ${q(e('flagReason'))} = 'clickBurst' WHERE "id" = ?`,
    ),
    recomputeHuman: connection.prepare(schema.recomputeHumanSql('@since', '@id')),
    addCounts: schema.prepareCounts(connection),
    recountMessages: schema.prepareMessageCounts(connection),
  };
};

/** How far back (in row ids) a watermark may send the scan by row id; past that, the recipient's index is read. */
const MAX_RECENT_ROWS = 5_000;
const MAX_WATERMARKS = 10_000;

/** SQLite's `at >= since` for a stored value: numbers compare as numbers, text and blobs sort after every number. */
const onOrAfter = (at: unknown, since: number): boolean =>
  typeof at === 'number' ? at >= since : at !== null && at !== undefined;

/**
 * Writes a batch on SQLite: statements prepared once per connection, run in one synchronous transaction.
 *
 * A burst flags the recipient's clicks since `since` that are not flagged yet, found on the delivery_log_id index:
 * a read of all the recipient's events, which a scanner clicking on and on (or bench:track, whose recipients click
 * both links every few hundred milliseconds) pays again in every batch. So the writer keeps, per recipient whose
 * burst it flagged, a watermark: after that commit, every click of the recipient with a row id up to `rowid` and a
 * time from `since` on was flagged (rows are never unflagged, and AUTOINCREMENT ids only grow, so it stays true
 * whichever process writes). A later burst from a time no earlier than that `since` then needs only the rows
 * stored after `rowid`, which one scan by row id reads for all such recipients of the batch.
 */
export const createSqliteWriter = (pool: () => SqlitePool, schema: () => SqliteWriterSchema) => {
  const prepared = new WeakMap<object, ReturnType<typeof prepare>>();
  const watermarks = new Map<number, { since: number; rowid: number }>();
  const statementsOf = (connection: SqliteConnection) => {
    let statements = prepared.get(connection);
    if (!statements) prepared.set(connection, (statements = prepare(connection, schema())));
    return statements;
  };

  return async (rows: EventRow[], engagement: Map<number, Engagement>, burstSince: Map<number, Date>) => {
    const connection = await pool().acquireConnection();
    try {
      const s = statementsOf(connection);
      let lastRowid = 0;
      connection.transaction(() => {
        for (const row of rows) {
          lastRowid = Number((s.insert.run(eventValues(row)) as { lastInsertRowid: number | bigint }).lastInsertRowid);
        }
        // One lock order everywhere (ids ascending), as on the other databases.
        for (const id of [...engagement.keys()].sort((a, b) => a - b)) {
          s.engage.run(engagementValues(id, engagement.get(id)!));
        }
        const counts = countsOf(rows);
        // Messages whose stored clicks a burst flags: the message-count rollup reads them again.
        const reflagged = new Set<number>();
        // Recipients with a usable watermark: their unflagged clicks come from one scan of the rows stored since.
        const recent = new Map<number, { since: number; rowid: number }>();
        let from = lastRowid;
        let earliestSince = Infinity;
        for (const [deliveryLogId, sinceDate] of burstSince) {
          const since = sinceDate.getTime();
          const mark = watermarks.get(deliveryLogId);
          if (mark && since >= mark.since && lastRowid - mark.rowid <= MAX_RECENT_ROWS) {
            recent.set(deliveryLogId, { since, rowid: mark.rowid });
            from = Math.min(from, mark.rowid);
            earliestSince = Math.min(earliestSince, since);
            continue;
          }
          const flagged = s.selectBurst.all(deliveryLogId, since) as Array<{ id: number }>;
          for (const { id } of flagged) s.flagBurst.run(id);
          moveToBot(counts, flagged as never);
          if (flagged.length > 0) reflagged.add(deliveryLogId);
        }
        if (recent.size > 0) {
          const candidates = s.selectRecent.all(from, earliestSince) as Array<{
            id: number;
            deliveryLogId: unknown;
            at: unknown;
          }>;
          const flagged = candidates.filter((row) => {
            const mark = recent.get(Number(row.deliveryLogId));
            return mark !== undefined && row.id > mark.rowid && onOrAfter(row.at, mark.since);
          });
          for (const row of flagged) {
            s.flagBurst.run(row.id);
            reflagged.add(Number(row.deliveryLogId));
          }
          moveToBot(counts, flagged as never);
        }
        s.addCounts(counts);
        for (const [deliveryLogId, since] of [...burstSince].sort(([a], [b]) => a - b)) {
          s.recomputeHuman.run({ id: deliveryLogId, since: since.getTime() });
        }
        s.recountMessages(messagesOf(rows), reflagged);
      })();
      // Committed: every click of these recipients up to lastRowid from their `since` on is flagged now.
      for (const [deliveryLogId, since] of burstSince) {
        watermarks.delete(deliveryLogId); // re-inserted last: the Map's order is the order of use
        watermarks.set(deliveryLogId, { since: since.getTime(), rowid: lastRowid });
      }
      while (watermarks.size > MAX_WATERMARKS) watermarks.delete(watermarks.keys().next().value as number);
    } finally {
      await pool().releaseConnection(connection);
    }
  };
};
