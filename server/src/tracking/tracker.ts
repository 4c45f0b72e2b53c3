// The tracking recorder: hits wait a few milliseconds for a group commit that appends their tracking-log rows and
// updates the delivery-log engagement columns in one transaction, so an answered hit is always a stored hit.
//
// Why group commit: one transaction per hit caps a single SQLite writer at a few thousand hits per second and costs
// PostgreSQL / MariaDB one round trip per statement per hit. One transaction per batch makes the cost grow with
// batches, not with hits; a hit waits for the flush in progress plus its own (typically 1-5 ms) before its answer is
// sent. PostgreSQL / MariaDB get one multi-row insert and one UPDATE per 200 delivery-logs; SQLite gets statements
// prepared once and run synchronously in one transaction (see writeSqlite).
//
// What the delivery-log columns count (docs/ARCHITECTURE.md, unique counts from delivery-log columns):
// - opens / clicks: every open / click event, bots and machine opens included (the tracking log has the flags, and
//   indicators that leave bots out are computed from it).
// - firstOpenedAt: the earliest event of any type (open, click, mirror view, unsubscription), because a reaction
//   proves the message was opened even when its images were blocked. A click does NOT add an open event and does
//   not increment `opens`: totals stay one per event, the unique open comes from firstOpenedAt.
// - firstClickedAt: the earliest click.
// - humanOpenedAt / humanClickedAt: the same, counting only events that are neither a bot's nor a machine open (the
//   indicators' default). A burst that re-flags earlier clicks as a scanner's recomputes them from the events of the
//   recipients concerned, in the same transaction (see recomputeHumanSql).
// All four are MINs (`CASE WHEN col IS NULL OR col > x THEN x ...`), so replicas committing out of order stay exact.
// With individual tracking off, events keep no deliveryLogId / contactId and the delivery-log is not touched: totals
// per delivery and per link remain (from the tracking log), unique opens / clicks per message are not kept.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { ClickBurstDetector, createHitClassifier } from './classify';
import { anonymizeIp, normalizeIp } from '../platform/ip';
import { LRUCache } from 'lru-cache';
import { createSequentialDocumentId } from '../platform/document-id';
import { getService } from '../platform/get-service';
import type { Reaction } from '../platform/events';
import { quoteIdentifier } from '../db/tables';

export type RecordedHitType = 'open' | 'click' | 'mirror';

export interface TrackingHit {
  type: RecordedHitType;
  deliveryId: number;
  /** > 0: test sends and previews (0) are never recorded, callers answer them without calling record(). */
  deliveryLogId: number;
  trackedLinkId?: number | null;
  at: Date;
  userAgent: string;
  ip: string;
}

export interface TrackedLinkTarget {
  id: number;
  deliveryId: number;
  /** The stored URL as an absolute http(s) href, ready for a Location header. */
  url: string;
  /** Clicks on it are recorded ('tracked' kind). */
  tracked: boolean;
}

export interface TrackerOptions {
  /**
   * How long the first hit of an idle period waits for others to join its batch. 0 (the default) flushes as soon
   * as the requests already received have been read (setImmediate): under load, batches form anyway while the
   * previous flush runs, and an idle server adds no delay.
   */
  flushDelayMs: number;
  /** Most hits in one transaction. */
  maxBatch: number;
  /** A hit still waiting after this long is answered anyway (its row may still be written); the delay is logged. */
  answerTimeoutMs: number;
}

const DEFAULT_OPTIONS: TrackerOptions = { flushDelayMs: 0, maxBatch: 500, answerTimeoutMs: 5_000 };
const LINK_CACHE_SIZE = 10_000;
const LOG_CACHE_SIZE = 50_000;
const DELIVERY_CACHE_SIZE = 1_000;
const DELIVERY_TTL_MS = 60_000;
const SETTINGS_TTL_MS = 5_000;
const MAX_USER_AGENT = 512;
/** Statements that name every id of a batch keep their parameter count well under every driver's limit. */
const UPDATE_CHUNK = 200;
const HTTP_URL = /^https?:$/;

interface Pending {
  hit: TrackingHit;
  resolve: () => void;
  reject: (error: Error) => void;
}

interface LogFacts {
  deliveryId: number;
  contactId: number | null;
  sentAtMs: number | null;
}

interface DeliveryFacts {
  trackOpens: boolean;
  trackedLinks: number;
  loadedAt: number;
}

export interface TrackingSettings {
  storeIp: boolean;
  anonymizeIp: boolean;
  individualTracking: boolean;
  scannerWindowSeconds: number;
}

interface Engagement {
  opens: number;
  clicks: number;
  firstOpen: Date | null;
  firstClick: Date | null;
  /** The same, from the events that are neither a bot's nor a machine open. */
  humanFirstOpen: Date | null;
  humanFirstClick: Date | null;
}

const earlier = (current: Date | null, at: Date): Date => (current === null || at < current ? at : current);

const toMs = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  const parsed = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Date.parse(String(value));
  return Number.isNaN(parsed) ? null : parsed;
};

const toId = (value: unknown): number | null => {
  if (value === null || value === undefined) return null;
  const id = Number(value);
  return Number.isSafeInteger(id) ? id : null;
};

/** A stored URL we may redirect to: absolute http(s) only, normalised so it is a valid header value. */
export const redirectableUrl = (stored: unknown): string | null => {
  if (typeof stored !== 'string' || stored.length === 0) return null;
  try {
    const url = new URL(stored.trim());
    return HTTP_URL.test(url.protocol) && url.hostname !== '' ? url.href : null;
  } catch {
    return null;
  }
};

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

const isRetryable = (error: any): boolean =>
  ['40P01', '40001', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY'].includes(error?.code);

const createTrackerService = ({ strapi }: { strapi: Core.Strapi }) => {
  let options: TrackerOptions = { ...DEFAULT_OPTIONS };
  const classify = createHitClassifier();
  const bursts = new ClickBurstDetector();
  const links = new LRUCache<number, TrackedLinkTarget>({ max: LINK_CACHE_SIZE });
  const linkLoads = new Map<number, Promise<TrackedLinkTarget | null>>();
  const logs = new LRUCache<number, LogFacts>({ max: LOG_CACHE_SIZE });
  const deliveries = new LRUCache<number, DeliveryFacts>({ max: DELIVERY_CACHE_SIZE });
  let settings: { value: TrackingSettings; loadedAt: number } | null = null;

  const queue: Pending[] = [];
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let immediate: NodeJS.Immediate | null = null;
  let closing = false;
  const stats = { recorded: 0, failed: 0, batches: 0 };

  const knex = (): Knex => strapi.db.connection as unknown as Knex;
  const client = () => (strapi.db as any).dialect.client as 'sqlite' | 'postgres' | 'mysql';

  /** Table and column names as Strapi created them (snake_case of the attribute names, but never guessed). */
  const tableOf = (uid: string) => {
    const meta = strapi.db.metadata.get(uid);
    const column = (attribute: string): string => {
      const found = (meta.attributes as Record<string, any>)[attribute];
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

  const trackingSettings = async (): Promise<TrackingSettings> => {
    if (settings && Date.now() - settings.loadedAt < SETTINGS_TTL_MS) return settings.value;
    const { tracking } = await getService(strapi, 'settings').get();
    settings = { value: { ...tracking }, loadedAt: Date.now() };
    return settings.value;
  };

  const loadLink = async (id: number): Promise<TrackedLinkTarget | null> => {
    const { linkTable } = tables();
    const c = linkTable.column;
    const row = await knex()(linkTable.table)
      .select({ id: 'id', deliveryId: c('deliveryId'), url: c('url'), kind: c('kind') })
      .where('id', id)
      .first();
    if (!row) return null;
    const url = redirectableUrl(row.url);
    const deliveryId = toId(row.deliveryId);
    if (url === null || deliveryId === null) return null;
    return { id, deliveryId, url, tracked: row.kind === 'tracked' };
  };

  /**
   * Ensures facts for these delivery-logs and deliveries are cached: one read each for the ones that are not.
   * Returns the facts of logs not sent yet, which are not cached (they may be sent later).
   */
  const loadFacts = async (hits: TrackingHit[]): Promise<Map<number, LogFacts>> => {
    const unsent = new Map<number, LogFacts>();
    const { logTable, deliveryTable, linkTable } = tables();
    const missingLogs = new Set<number>();
    const missingDeliveries = new Set<number>();
    const now = Date.now();
    for (const { deliveryLogId, deliveryId } of hits) {
      if (!logs.get(deliveryLogId)) missingLogs.add(deliveryLogId);
      const delivery = deliveries.get(deliveryId);
      if (!delivery || now - delivery.loadedAt > DELIVERY_TTL_MS) missingDeliveries.add(deliveryId);
    }
    if (missingLogs.size > 0) {
      const c = logTable.column;
      const rows = await knex()(logTable.table)
        .select({ id: 'id', deliveryId: c('deliveryId'), contactId: c('contactId'), sentAt: c('sentAt') })
        .whereIn('id', [...missingLogs]);
      for (const row of rows) {
        const facts = {
          deliveryId: Number(row.deliveryId),
          contactId: toId(row.contactId),
          sentAtMs: toMs(row.sentAt),
        };
        // A log not sent yet may be sent later: only facts that cannot change are cached.
        if (facts.sentAtMs !== null) logs.set(Number(row.id), facts);
        else unsent.set(Number(row.id), facts);
      }
    }
    if (missingDeliveries.size > 0) {
      const ids = [...missingDeliveries];
      const [rows, counts] = await Promise.all([
        knex()(deliveryTable.table)
          .select({ id: 'id', trackOpens: deliveryTable.column('trackOpens') })
          .whereIn('id', ids),
        knex()(linkTable.table)
          .select({ deliveryId: linkTable.column('deliveryId') })
          .count({ count: '*' })
          .whereIn(linkTable.column('deliveryId'), ids)
          .andWhere(linkTable.column('kind'), 'tracked')
          .groupBy(linkTable.column('deliveryId')),
      ]);
      const countOf = new Map(counts.map((row: any) => [Number(row.deliveryId), Number(row.count)]));
      for (const row of rows) {
        const id = Number(row.id);
        // SQLite and MariaDB hand booleans back as 0 / 1; a missing value means the default (on).
        const trackOpens =
          row.trackOpens === null || row.trackOpens === undefined ? true : Boolean(Number(row.trackOpens));
        deliveries.set(id, { trackOpens, trackedLinks: countOf.get(id) ?? 0, loadedAt: now });
      }
    }
    return unsent;
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

  /** Builds the rows and the engagement deltas of a batch, and writes them in one transaction; returns the rows. */
  const commit = async (batch: Pending[]): Promise<Record<string, unknown>[]> => {
    const privacy = await trackingSettings();
    const hits = batch.map((pending) => pending.hit);
    const unsent = await loadFacts(hits);

    const { eventTable } = tables();
    const e = eventTable.column;
    const rows: Record<string, unknown>[] = [];
    const engagement = new Map<number, Engagement>();
    // Recipients whose clicks formed a burst: their earlier clicks in the window are flagged too.
    const burstSince = new Map<number, Date>();
    const now = new Date();

    for (const hit of hits) {
      const log = logs.get(hit.deliveryLogId) ?? unsent.get(hit.deliveryLogId);
      // A log that no longer exists (deleted with its delivery) or belongs elsewhere: nothing to attach the event to.
      if (!log || log.deliveryId !== hit.deliveryId) continue;
      const delivery = deliveries.get(hit.deliveryId);
      if (hit.type === 'open' && delivery && !delivery.trackOpens) continue;

      const atMs = hit.at.getTime();
      const flags = classify({
        type: hit.type,
        userAgent: hit.userAgent,
        ip: hit.ip,
        secondsSinceSent: log.sentAtMs === null ? null : (atMs - log.sentAtMs) / 1000,
        scannerWindowSeconds: privacy.scannerWindowSeconds,
      });
      let isBot = flags.isBot;
      if (hit.type === 'click' && hit.trackedLinkId) {
        const burst = bursts.observe(hit.deliveryLogId, hit.trackedLinkId, atMs, delivery?.trackedLinks ?? 0);
        if (burst) {
          isBot = true;
          burstSince.set(hit.deliveryLogId, new Date(atMs - 5_000));
        }
      }

      const ip = !privacy.storeIp ? null : (privacy.anonymizeIp ? anonymizeIp(hit.ip) : normalizeIp(hit.ip)) || null;
      rows.push({
        [e('documentId')]: createSequentialDocumentId(),
        [e('deliveryId')]: hit.deliveryId,
        [e('deliveryLogId')]: privacy.individualTracking ? hit.deliveryLogId : null,
        [e('trackedLinkId')]: hit.trackedLinkId ?? null,
        [e('contactId')]: privacy.individualTracking ? log.contactId : null,
        [e('type')]: hit.type,
        [e('at')]: hit.at,
        [e('userAgent')]: hit.userAgent ? hit.userAgent.slice(0, MAX_USER_AGENT) : null,
        [e('device')]: flags.device,
        [e('os')]: flags.os,
        [e('client')]: flags.client,
        [e('isBot')]: isBot,
        [e('isMachineOpen')]: flags.isMachineOpen,
        [e('ip')]: ip,
        [e('createdAt')]: now,
        [e('updatedAt')]: now,
        [e('publishedAt')]: now,
      });

      if (privacy.individualTracking) {
        let delta = engagement.get(hit.deliveryLogId);
        if (!delta) {
          delta = {
            opens: 0,
            clicks: 0,
            firstOpen: null,
            firstClick: null,
            humanFirstOpen: null,
            humanFirstClick: null,
          };
          engagement.set(hit.deliveryLogId, delta);
        }
        if (hit.type === 'open') delta.opens += 1;
        if (hit.type === 'click') {
          delta.clicks += 1;
          delta.firstClick = earlier(delta.firstClick, hit.at);
        }
        delta.firstOpen = earlier(delta.firstOpen, hit.at);
      }
    }
    if (rows.length === 0) return rows;

    for (const row of rows) {
      const deliveryLogId = row[e('deliveryLogId')] as number | null;
      const at = row[e('at')] as Date;
      // Clicks of this batch that a later click of the same burst revealed.
      const since = deliveryLogId === null ? undefined : burstSince.get(deliveryLogId);
      if (since && row[e('type')] === 'click' && at >= since) row[e('isBot')] = true;
      // The human columns, from the flags as they are now final.
      const delta = deliveryLogId === null ? undefined : engagement.get(deliveryLogId);
      if (!delta || row[e('isBot')] || row[e('isMachineOpen')]) continue;
      delta.humanFirstOpen = earlier(delta.humanFirstOpen, at);
      if (row[e('type')] === 'click') delta.humanFirstClick = earlier(delta.humanFirstClick, at);
    }

    // Without the log id in events, earlier clicks of a burst cannot be told apart from other recipients' clicks.
    if (!privacy.individualTracking) burstSince.clear();
    await (client() === 'sqlite' ? writeSqlite : writeKnex)(rows, engagement, burstSince);
    return rows;
  };

  /** Opens and clicks of a committed batch, handed to the events service (emitted later, in batches). */
  const reportReactions = (rows: Record<string, unknown>[]) => {
    const e = tables().eventTable.column;
    const reactions: Reaction[] = [];
    for (const row of rows) {
      const type = row[e('type')];
      if (type !== 'open' && type !== 'click') continue;
      const trackedLinkId = row[e('trackedLinkId')] as number | null;
      reactions.push({
        name: type === 'open' ? 'campaigns.contact.opened' : 'campaigns.contact.clicked',
        deliveryId: row[e('deliveryId')] as number,
        deliveryLogId: (row[e('deliveryLogId')] as number | null) ?? null,
        contactId: (row[e('contactId')] as number | null) ?? null,
        at: (row[e('at')] as Date).toISOString(),
        isBot: Boolean(row[e('isBot')]),
        isMachineOpen: Boolean(row[e('isMachineOpen')]),
        ...(type === 'click' && trackedLinkId ? { trackedLinkId, url: links.get(trackedLinkId)?.url } : {}),
      });
    }
    getService(strapi, 'events').reactions(reactions);
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
      for (let start = 0; start < rows.length; start += 500) {
        await trx(eventTable.table).insert(rows.slice(start, start + 500));
      }
      if (engagement.size > 0) await updateEngagement(trx, engagement);
      for (const [deliveryLogId, since] of burstSince) {
        // Only clicks not flagged yet: the flag is in indexes, and rewriting it costs an index update per row.
        await trx(eventTable.table)
          .update({ [e('isBot')]: true })
          .where(e('deliveryLogId'), deliveryLogId)
          .andWhere(e('type'), 'click')
          .andWhere(e('at'), '>=', since)
          .andWhere((w) => w.where(e('isBot'), false).orWhereNull(e('isBot')));
      }
      if (burstSince.size > 0) {
        const param = datetimeParam();
        const sql = recomputeHumanSql(param, '?');
        for (const [deliveryLogId, since] of [...burstSince].sort(([a], [b]) => a - b)) {
          await trx.raw(sql, [since, since, deliveryLogId, since, since]);
        }
      }
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
    const pool = (knex() as any).client;
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
            firstOpen: delta.firstOpen ? delta.firstOpen.getTime() : null,
            firstClick: delta.firstClick ? delta.firstClick.getTime() : null,
            humanFirstOpen: delta.humanFirstOpen ? delta.humanFirstOpen.getTime() : null,
            humanFirstClick: delta.humanFirstClick ? delta.humanFirstClick.getTime() : null,
          });
        }
        for (const [deliveryLogId, since] of burstSince) statements.flagBurst.run(deliveryLogId, since.getTime());
        for (const [deliveryLogId, since] of [...burstSince].sort(([a], [b]) => a - b)) {
          statements.recomputeHuman.run({ id: deliveryLogId, since: since.getTime() });
        }
      })();
    } finally {
      await pool.releaseConnection(connection);
    }
  };

  const sqlitePrepared = new WeakMap<object, ReturnType<typeof prepareSqlite>>();
  const sqliteStatements = (connection: any) => {
    let statements = sqlitePrepared.get(connection);
    if (!statements) {
      statements = prepareSqlite(connection);
      sqlitePrepared.set(connection, statements);
    }
    return statements;
  };
  const prepareSqlite = (connection: any) => {
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
          `${earliest(l('firstOpenedAt'), 'firstOpen')}, ${earliest(l('firstClickedAt'), 'firstClick')}, ` +
          `${earliest(l('humanOpenedAt'), 'humanFirstOpen')}, ${earliest(l('humanClickedAt'), 'humanFirstClick')} WHERE "id" = @id`,
      ),
      flagBurst: connection.prepare(
        // Unary + keeps SQLite (no statistics) on the delivery_log_id index: an index that starts with (type, at)
        // would have it read every recent click of every recipient. Only clicks not flagged yet are rewritten.
        `UPDATE ${q(eventTable.table)} SET ${q(e('isBot'))} = 1 WHERE ${q(e('deliveryLogId'))} = ? AND +${q(e('type'))} = 'click' ` +
          `AND +${q(e('at'))} >= ? AND ${q(e('isBot'))} IS NOT TRUE`,
      ),
      recomputeHuman: connection.prepare(recomputeHumanSql('@since', '@id')),
    };
  };

  const writeBatch = async (batch: Pending[]) => {
    stats.batches += 1;
    // Answer everyone if the database hangs: a pixel must never wait forever. Their rows may still be written.
    const watchdog = setTimeout(() => {
      strapi.log.warn(
        `[campaigns] tracking: a batch of ${batch.length} hits has waited ${options.answerTimeoutMs} ms for the database; answering them now`,
      );
      const late = new Error('tracking write still in progress');
      for (const pending of batch) pending.reject(late);
    }, options.answerTimeoutMs);
    try {
      let committed: Record<string, unknown>[];
      try {
        committed = await commit(batch);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        committed = await commit(batch);
      }
      stats.recorded += batch.length;
      for (const pending of batch) pending.resolve();
      // Events after the answers, off the hits' latency; a failure there is the events' own, never the hits'.
      try {
        reportReactions(committed);
      } catch (error: any) {
        strapi.log.error(
          `[campaigns] tracking: could not report ${committed.length} events: ${error?.message ?? error}`,
        );
      }
    } catch (error: any) {
      stats.failed += batch.length;
      strapi.log.error(`[campaigns] tracking: could not record ${batch.length} hits: ${error?.message ?? error}`);
      for (const pending of batch) pending.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      clearTimeout(watchdog);
    }
  };

  const startFlush = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (immediate) {
      clearImmediate(immediate);
      immediate = null;
    }
    if (flushing || queue.length === 0) return;
    const batch = queue.splice(0, options.maxBatch);
    flushing = writeBatch(batch).finally(() => {
      flushing = null;
      // Hits that arrived meanwhile have already waited a whole flush: write them at once.
      if (queue.length > 0) startFlush();
    });
  };

  return {
    /** For tests and the benchmark. */
    configure(overrides: Partial<TrackerOptions>) {
      options = { ...options, ...overrides };
    },

    /**
     * Resolves once the hit is committed; rejects when it could not be (the caller answers anyway and logs).
     * Never await it inside a database transaction: on SQLite the flush needs the only connection.
     */
    record(hit: TrackingHit): Promise<void> {
      if (!(hit.deliveryLogId > 0)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ hit, resolve, reject });
        if (flushing) return; // the flush in progress starts the next one when it ends
        if (closing || queue.length >= options.maxBatch) startFlush();
        else if (options.flushDelayMs > 0) timer ??= setTimeout(startFlush, options.flushDelayMs);
        else immediate ??= setImmediate(startFlush);
      });
    },

    /** The tracked link with this id, from a bounded cache: links never change once a delivery is prepared. */
    async findTrackedLink(id: number): Promise<TrackedLinkTarget | null> {
      const cached = links.get(id);
      if (cached) return cached;
      let load = linkLoads.get(id);
      if (!load) {
        load = loadLink(id).finally(() => linkLoads.delete(id));
        linkLoads.set(id, load);
      }
      const link = await load;
      if (link) links.set(id, link);
      return link;
    },

    /** Privacy settings as the recorder applies them (cached a few seconds). */
    trackingSettings,

    /** Forgets cached settings (after an admin saved new ones). */
    invalidateSettings() {
      settings = null;
    },

    stats() {
      return { ...stats, queued: queue.length, flushing: flushing !== null };
    },

    /** Writes every queued hit; after this, new hits are written at once (shutdown). */
    async close() {
      closing = true;
      while (flushing || queue.length > 0) {
        startFlush();
        if (flushing) await flushing;
      }
    },
  };
};

export type TrackerService = ReturnType<typeof createTrackerService>;
export default createTrackerService;
