// The tracker's SQLite writer (tracking/tracker-sqlite.ts) on an in-memory database with tables of the same shape:
// positional values in column order, engagement counters added and first times kept as the earliest, burst clicks
// flagged with the rollup moved to the bot key, all in one transaction.
import type { SqliteConnection, SqlitePool } from '../../server/src/db/sqlite-driver';
import { QUARTER_MS, EVENT_COUNTS, type EventCountDeltas } from '../../server/src/db/event-counts';
import { changesInKeyOrder } from '../../server/src/db/rollup-rows';
import {
  countsOf,
  createSqliteWriter,
  EVENT_ATTRIBUTES,
  eventValues,
  type SqliteWriterSchema,
} from '../../server/src/tracking/tracker-sqlite';
import { emptyEngagement, type Engagement, type EventRow } from '../../server/src/tracking/tracker-types';

// The driver of Strapi's SQLite connection (no type declarations installed): only what these tests call.
type Statement = { run(...values: unknown[]): unknown; get(...values: unknown[]): unknown; all(): unknown[] };
type Database = { exec(sql: string): void; prepare(sql: string): Statement };
const Database = require('better-sqlite3') as new (filename: string) => Database;

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const table = (name: string) => ({ table: name, column: snake });

const setup = () => {
  const db = new Database(':memory:');
  /** What each batch handed the message-count recount: the logs of its new events, and those whose clicks it re-flagged. */
  const recounts: Array<{ added: number[]; reflagged: number[] }> = [];
  db.exec(`CREATE TABLE events (id INTEGER PRIMARY KEY, ${EVENT_ATTRIBUTES.map(snake).join(', ')})`);
  db.exec(`CREATE INDEX events_log ON events (delivery_log_id)`);
  db.exec(
    `CREATE TABLE logs (id INTEGER PRIMARY KEY, opens, clicks, human_opens, first_opened_at, first_clicked_at, human_opened_at, human_clicked_at)`,
  );
  db.exec(
    `CREATE TABLE counts (delivery_id, quarter, type, tracked_link_id, is_bot, is_machine_open, n, PRIMARY KEY (delivery_id, quarter, type, tracked_link_id, is_bot, is_machine_open))`,
  );
  const schema: SqliteWriterSchema = {
    eventTable: table('events'),
    logTable: table('logs'),
    recomputeHumanSql: (since, id) =>
      `UPDATE logs SET human_clicked_at = NULL WHERE id = ${id} AND human_clicked_at >= ${since}`,
    prepareCounts: (connection: SqliteConnection) => {
      const upsert = connection.prepare(
        'INSERT INTO counts VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n',
      );
      return (deltas: EventCountDeltas) => {
        for (const { key, n } of changesInKeyOrder(deltas, EVENT_COUNTS)) {
          upsert.run(key.deliveryId, key.quarter, key.type, key.trackedLinkId, key.isBot, key.isMachineOpen, n);
        }
      };
    },
    prepareMessageCounts: () => (added, reflagged) => {
      recounts.push({ added: [...added.keys()].sort(), reflagged: [...reflagged].sort() });
    },
  };
  const connection = db as unknown as SqliteConnection;
  const pool: SqlitePool = { acquireConnection: async () => connection, releaseConnection: async () => undefined };
  return {
    db,
    recounts,
    write: createSqliteWriter(
      () => pool,
      () => schema,
    ),
  };
};

const at = new Date(100 * QUARTER_MS + 60_000);
const row = (overrides: Partial<EventRow> = {}): EventRow => ({
  documentId: 'd1',
  deliveryId: 7,
  deliveryLogId: 1,
  trackedLinkId: 3,
  contactId: 9,
  type: 'click',
  at,
  userAgent: 'Mozilla/5.0',
  device: 'desktop',
  os: 'macOS',
  client: 'Safari',
  isBot: false,
  isMachineOpen: false,
  flagReason: null,
  ip: '203.0.113.0',
  createdAt: at,
  updatedAt: at,
  publishedAt: at,
  ...overrides,
});

const engagement = (overrides: Partial<Engagement>): Engagement => ({ ...emptyEngagement(), ...overrides });

describe('tracker SQLite writer', () => {
  it('binds every attribute of a row in column order, dates as epoch ms and flags as 0/1', () => {
    const values = eventValues(row({ isBot: true }));
    expect(values).toHaveLength(EVENT_ATTRIBUTES.length);
    const byName = Object.fromEntries(EVENT_ATTRIBUTES.map((name, i) => [name, values[i]]));
    expect(byName).toMatchObject({ documentId: 'd1', deliveryLogId: 1, at: at.getTime(), isBot: 1, isMachineOpen: 0 });
  });

  it('counts a batch per rollup key', () => {
    const counts = changesInKeyOrder(
      countsOf([row(), row({ documentId: 'd2' }), row({ type: 'open', trackedLinkId: null })]),
      EVENT_COUNTS,
    );
    expect(counts.map(({ key, n }) => [key.type, key.trackedLinkId, key.quarter, n])).toEqual([
      ['click', 3, 100, 2],
      ['open', 0, 100, 1],
    ]);
  });

  it('inserts the rows, adds to the counters and keeps the earliest first times', async () => {
    const { db, write } = setup();
    db.prepare('INSERT INTO logs (id, opens, first_opened_at) VALUES (1, 2, ?)').run(at.getTime() - 1000);
    const later = new Date(at.getTime() + 5000);
    await write(
      [row(), row({ documentId: 'd2', at: later })],
      new Map([[1, engagement({ clicks: 2, firstOpen: at, firstClick: at, humanFirstClick: at })]]),
      new Map(),
    );
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 2 });
    expect(db.prepare('SELECT * FROM logs').get()).toEqual({
      id: 1,
      opens: 2,
      clicks: 2,
      human_opens: 0,
      first_opened_at: at.getTime() - 1000,
      first_clicked_at: at.getTime(),
      human_opened_at: null,
      human_clicked_at: at.getTime(),
    });
    expect(db.prepare('SELECT type, is_bot, n FROM counts').all()).toEqual([{ type: 'click', is_bot: 0, n: 2 }]);
  });

  it('flags a burst: earlier clicks become a bot’s, and the rollup moves them to the bot key', async () => {
    const { db, recounts, write } = setup();
    db.prepare('INSERT INTO logs (id) VALUES (1)').run();
    await write(
      [row(), row({ documentId: 'd2' })],
      new Map([[1, engagement({ clicks: 2, humanFirstClick: at })]]),
      new Map(),
    );
    await write([row({ documentId: 'd3', isBot: true, flagReason: 'clickBurst' })], new Map(), new Map([[1, at]]));
    expect(db.prepare('SELECT COUNT(*) AS n FROM events WHERE is_bot = 1').get()).toEqual({ n: 3 });
    expect(db.prepare('SELECT is_bot, n FROM counts ORDER BY is_bot').all()).toEqual([
      { is_bot: 0, n: 0 },
      { is_bot: 1, n: 3 },
    ]);
    expect(db.prepare('SELECT human_clicked_at FROM logs').get()).toEqual({ human_clicked_at: null });
    // The second batch re-flagged stored clicks of message 1: the message-count rollup must read it again.
    expect(recounts).toEqual([
      { added: [1], reflagged: [] },
      { added: [1], reflagged: [1] },
    ]);
  });

  it('flags the clicks stored after a recipient’s last burst, whoever stored them, and leaves other recipients’', async () => {
    const { db, recounts, write } = setup();
    db.prepare('INSERT INTO logs (id) VALUES (1), (2)').run();
    await write([row({ isBot: true, flagReason: 'clickBurst' })], new Map(), new Map([[1, at]]));
    // Stored by another process after that burst: one click of recipient 1, one of recipient 2.
    const insert = db.prepare(
      `INSERT INTO events (${EVENT_ATTRIBUTES.map(snake).join(', ')}) VALUES (${EVENT_ATTRIBUTES.map(() => '?').join(', ')})`,
    );
    insert.run(eventValues(row({ documentId: 'other-1', at: new Date(at.getTime() + 1000) })));
    insert.run(eventValues(row({ documentId: 'other-2', deliveryLogId: 2, at: new Date(at.getTime() + 1000) })));
    db.prepare("INSERT INTO counts VALUES (7, 100, 'click', 3, 0, 0, 2) ON CONFLICT DO UPDATE SET n = n").run();
    const later = new Date(at.getTime() + 2000);
    await write(
      [row({ documentId: 'd4', at: later, isBot: true, flagReason: 'clickBurst' })],
      new Map(),
      new Map([[1, new Date(at.getTime() + 500)]]),
    );
    expect(db.prepare('SELECT document_id, is_bot FROM events ORDER BY id').all()).toEqual([
      { document_id: 'd1', is_bot: 1 },
      { document_id: 'other-1', is_bot: 1 },
      { document_id: 'other-2', is_bot: 0 },
      { document_id: 'd4', is_bot: 1 },
    ]);
    expect(db.prepare('SELECT is_bot, n FROM counts ORDER BY is_bot').all()).toEqual([
      { is_bot: 0, n: 1 },
      { is_bot: 1, n: 3 },
    ]);
    // Found by the scan of rows stored since the watermark: message 1 is re-read, message 2 untouched.
    expect(recounts.at(-1)).toEqual({ added: [1], reflagged: [1] });
  });
});
