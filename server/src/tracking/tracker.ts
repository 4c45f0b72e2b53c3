// The tracking recorder: hits wait a few milliseconds for a group commit that appends their tracking-log rows and
// updates the delivery-log engagement columns in one transaction, so an answered hit is always a stored hit.
//
// Why group commit: one transaction per hit caps a single SQLite writer at a few thousand hits per second and costs
// PostgreSQL / MariaDB one round trip per statement per hit. One transaction per batch makes the cost grow with
// batches, not with hits; a hit waits for the flush in progress plus its own (typically 1-5 ms) before its answer is
// sent. PostgreSQL / MariaDB get one multi-row insert and one UPDATE per 200 delivery-logs; SQLite gets statements
// prepared once and run synchronously in one transaction (tracking/tracker-sqlite.ts).
//
// What the delivery-log columns count (docs/ARCHITECTURE.md, unique counts from delivery-log columns):
// - opens / clicks: every open / click event, bots and machine opens included (the tracking log has the flags, and
//   indicators that leave bots out are computed from it); humanOpens: the open events that are neither a bot's nor a
//   machine open (never re-flagged later: a burst flags clicks only), for total opens (reporting/indicators.ts).
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
import { ClickBurstDetector, createHitClassifier } from './classify';
import { anonymizeIp, normalizeIp } from '../platform/ip';
import { LRUCache } from 'lru-cache';
import { createSequentialDocumentId } from '../platform/document-id';
import { getService } from '../platform/get-service';
import { createTrackerStore } from './tracker-store';
import type { Reaction } from '../platform/events';
import { reasonOf } from '../platform/error-reason';
import { isLockConflict } from '../db/lock-conflicts';
import {
  emptyEngagement,
  type Engagement,
  type EventRow,
  type HitDone,
  type LogFacts,
  type TrackedLinkTarget,
  type TrackerOptions,
  type TrackingHit,
  type TrackingSettings,
} from './tracker-types';

const DEFAULT_OPTIONS: TrackerOptions = { flushDelayMs: 0, maxBatch: 500, answerTimeoutMs: 5_000 };
const LINK_CACHE_SIZE = 10_000;
const LOG_CACHE_SIZE = 50_000;
const DELIVERY_CACHE_SIZE = 1_000;
const DELIVERY_TTL_MS = 60_000;
const SETTINGS_TTL_MS = 5_000;
const MAX_USER_AGENT = 512;
interface Pending {
  hit: TrackingHit;
  done: HitDone;
}

interface DeliveryFacts {
  trackOpens: boolean;
  trackedLinks: number;
  loadedAt: number;
}

const earlier = (current: Date | null, at: Date): Date => (current === null || at < current ? at : current);

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

  const store = createTrackerStore(strapi);

  const trackingSettings = async (): Promise<TrackingSettings> => {
    if (settings && Date.now() - settings.loadedAt < SETTINGS_TTL_MS) return settings.value;
    const { tracking } = await getService(strapi, 'settings').get();
    settings = { value: { ...tracking }, loadedAt: Date.now() };
    return settings.value;
  };

  /**
   * Ensures facts for these delivery-logs and deliveries are cached: one read each for the ones that are not.
   * Returns the facts of logs not sent yet, which are not cached (they may be sent later).
   */
  const loadFacts = async (hits: TrackingHit[]): Promise<Map<number, LogFacts>> => {
    const unsent = new Map<number, LogFacts>();
    const missingLogs = new Set<number>();
    const missingDeliveries = new Set<number>();
    const now = Date.now();
    for (const { deliveryLogId, deliveryId } of hits) {
      if (!logs.get(deliveryLogId)) missingLogs.add(deliveryLogId);
      const delivery = deliveries.get(deliveryId);
      if (!delivery || now - delivery.loadedAt > DELIVERY_TTL_MS) missingDeliveries.add(deliveryId);
    }
    if (missingLogs.size > 0) {
      for (const [id, facts] of await store.readLogFacts([...missingLogs])) {
        // A log not sent yet may be sent later: only facts that cannot change are cached.
        if (facts.sentAtMs !== null) logs.set(id, facts);
        else unsent.set(id, facts);
      }
    }
    if (missingDeliveries.size > 0) {
      for (const [id, facts] of await store.readDeliveryFacts([...missingDeliveries])) {
        deliveries.set(id, { ...facts, loadedAt: now });
      }
    }
    return unsent;
  };

  /** Builds the rows and the engagement deltas of a batch, and writes them in one transaction; returns the rows. */
  const commit = async (batch: Pending[]): Promise<EventRow[]> => {
    const privacy = await trackingSettings();
    const hits = batch.map((pending) => pending.hit);
    const unsent = await loadFacts(hits);

    const rows: EventRow[] = [];
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
      let flagReason = flags.flagReason;
      if (hit.type === 'click' && hit.trackedLinkId) {
        const burst = bursts.observe(hit.deliveryLogId, hit.trackedLinkId, atMs, delivery?.trackedLinks ?? 0);
        if (burst) {
          isBot = true;
          flagReason ??= 'clickBurst';
          burstSince.set(hit.deliveryLogId, new Date(atMs - 5_000));
        }
      }

      const ip = !privacy.storeIp ? null : (privacy.anonymizeIp ? anonymizeIp(hit.ip) : normalizeIp(hit.ip)) || null;
      rows.push({
        documentId: createSequentialDocumentId(),
        deliveryId: hit.deliveryId,
        deliveryLogId: privacy.individualTracking ? hit.deliveryLogId : null,
        trackedLinkId: hit.trackedLinkId ?? null,
        contactId: privacy.individualTracking ? log.contactId : null,
        type: hit.type,
        at: hit.at,
        userAgent: hit.userAgent ? hit.userAgent.slice(0, MAX_USER_AGENT) : null,
        device: flags.device,
        os: flags.os,
        client: flags.client,
        isBot,
        isMachineOpen: flags.isMachineOpen,
        flagReason,
        ip,
        createdAt: now,
        updatedAt: now,
        publishedAt: now,
      });

      if (privacy.individualTracking) {
        let delta = engagement.get(hit.deliveryLogId);
        if (!delta) {
          delta = emptyEngagement();
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
      const { deliveryLogId, at } = row;
      // Clicks of this batch that a later click of the same burst revealed.
      const since = deliveryLogId === null ? undefined : burstSince.get(deliveryLogId);
      if (since && row.type === 'click' && at >= since && !row.isBot) {
        row.isBot = true;
        row.flagReason = 'clickBurst';
      }
      // The human columns, from the flags as they are now final.
      const delta = deliveryLogId === null ? undefined : engagement.get(deliveryLogId);
      if (!delta || row.isBot || row.isMachineOpen) continue;
      delta.humanFirstOpen = earlier(delta.humanFirstOpen, at);
      if (row.type === 'open') delta.humanOpens += 1;
      if (row.type === 'click') delta.humanFirstClick = earlier(delta.humanFirstClick, at);
    }

    // Without the log id in events, earlier clicks of a burst cannot be told apart from other recipients' clicks.
    if (!privacy.individualTracking) burstSince.clear();
    await store.write(rows, engagement, burstSince);
    return rows;
  };

  /** Opens and clicks of a committed batch, handed to the events service (emitted later, in batches). */
  const reportReactions = (rows: EventRow[]) => {
    const reactions: Reaction[] = [];
    for (const row of rows) {
      const { type, trackedLinkId } = row;
      if (type !== 'open' && type !== 'click') continue;
      reactions.push({
        name: type === 'open' ? 'campaigns.contact.opened' : 'campaigns.contact.clicked',
        deliveryId: row.deliveryId,
        deliveryLogId: row.deliveryLogId,
        contactId: row.contactId,
        at: row.at.toISOString(),
        isBot: row.isBot,
        isMachineOpen: row.isMachineOpen,
        ...(type === 'click' && trackedLinkId ? { trackedLinkId, url: links.get(trackedLinkId)?.url } : {}),
      });
    }
    getService(strapi, 'events').reactions(reactions);
  };

  /** Calls every hit's callback once (the watchdog may have answered the batch already); a throwing one is logged. */
  const answerAll = (batch: Pending[], error: Error | null) => {
    for (const pending of batch) {
      try {
        pending.done(error);
      } catch (thrown) {
        strapi.log.error(`[campaigns] tracking: a hit's answer failed: ${reasonOf(thrown)}`);
      }
    }
  };

  const writeBatch = async (batch: Pending[]) => {
    stats.batches += 1;
    let answered = false;
    // Answer everyone if the database hangs: a pixel must never wait forever. Their rows may still be written.
    const watchdog = setTimeout(() => {
      strapi.log.warn(
        `[campaigns] tracking: a batch of ${batch.length} hits has waited ${options.answerTimeoutMs} ms for the database; answering them now`,
      );
      answered = true;
      answerAll(batch, new Error('tracking write still in progress'));
    }, options.answerTimeoutMs);
    try {
      let committed: EventRow[];
      try {
        committed = await commit(batch);
      } catch (error) {
        if (!isLockConflict(error)) throw error; // a deadlock or a busy file: the batch is worth one more try
        committed = await commit(batch);
      }
      stats.recorded += batch.length;
      clearTimeout(watchdog);
      if (!answered) answerAll(batch, null);
      answered = true;
      // Events after the answers, off the hits' latency; a failure there is the events' own, never the hits'.
      try {
        reportReactions(committed);
      } catch (error) {
        strapi.log.error(`[campaigns] tracking: could not report ${committed.length} events: ${reasonOf(error)}`);
      }
    } catch (error) {
      stats.failed += batch.length;
      strapi.log.error(`[campaigns] tracking: could not record ${batch.length} hits: ${reasonOf(error)}`);
      if (!answered) answerAll(batch, error instanceof Error ? error : new Error(String(error)));
      answered = true;
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

  /**
   * Queues the hit for the next group commit and calls `done` once, from the commit's callback: with null once the
   * hit is committed, with the error when it could not be (the caller answers anyway and logs). A plain callback,
   * not a promise per hit: the open and click routes answer every hit of a batch in one synchronous loop.
   * Never wait for it inside a database transaction: on SQLite the flush needs the only connection.
   */
  const submit = (hit: TrackingHit, done: HitDone): void => {
    if (!(hit.deliveryLogId > 0)) return done(null);
    queue.push({ hit, done });
    if (flushing) return; // the flush in progress starts the next one when it ends
    if (closing || queue.length >= options.maxBatch) startFlush();
    else if (options.flushDelayMs > 0) timer ??= setTimeout(startFlush, options.flushDelayMs);
    else immediate ??= setImmediate(startFlush);
  };

  return {
    /** For tests and the benchmark. */
    configure(overrides: Partial<TrackerOptions>) {
      options = { ...options, ...overrides };
    },

    submit,

    /** submit() as a promise, for the rare routes that await it (mirror views) and for tests. */
    record(hit: TrackingHit): Promise<void> {
      return new Promise<void>((resolve, reject) => submit(hit, (error) => (error ? reject(error) : resolve())));
    },

    /** The tracked link when the cache holds it: the click route answers those without awaiting anything. */
    cachedTrackedLink(id: number): TrackedLinkTarget | undefined {
      return links.get(id);
    },

    /** The tracked link with this id, from a bounded cache: links never change once a delivery is prepared. */
    async findTrackedLink(id: number): Promise<TrackedLinkTarget | null> {
      const cached = links.get(id);
      if (cached) return cached;
      let load = linkLoads.get(id);
      if (!load) {
        load = store.readLink(id).finally(() => linkLoads.delete(id));
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
