// The sending loop of this process: starts due scheduled deliveries, prepares deliveries (composition and audience,
// under a lease so one process does it), and runs the send engine for every delivery in 'sending'. Every process
// runs it: work is shared through row claims, and a restarted process resumes whatever was left.
import os from 'os';
import { randomBytes } from 'crypto';
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { createDeliveryRun, type DeliveryRun } from './engine';
import { createRateLimiter } from './rate-limiter';
import { createDomainPacer, type DomainPacer } from './domain-pacer';
import { createDbSendStore, type DbSendStore } from './store';
import { deliveryQueries } from '../db/deliveries';
import { createOutageHandling } from './outage';
import { hasPendingLogs } from '../db/delivery-logs';
import type { RateLimiter } from './types';
import { TemplateError } from './template';
import { getService } from '../platform/get-service';
import { transition } from './lifecycle';
import type { ComposableDelivery } from './composer';
import type { AudienceFilter } from '../../../shared/contracts/deliveries';
import type { AudienceSegmentRef } from '../../../shared/contracts/extensions';
import type { FollowUpKind } from '../../../shared/follow-ups';
import { resolveFollowUpAudience } from './follow-up-audience';
import { segmentRulesSchema } from '../../../shared/segments';
import { toDate } from '../platform/dates';

/** A delivery row as prepare() reads it, with the ids of its lists. */
type PreparableDelivery = ComposableDelivery & {
  preparedAt: Date | string | null;
  lists?: Array<{ id: number }>;
  segment?: { rules: unknown } | null;
  startedAt?: Date | string | null;
  audienceFilter?: AudienceFilter | null;
  audienceSegments?: AudienceSegmentRef[] | null;
  parentDeliveryId?: number | null;
  followUpKind?: FollowUpKind | null;
  abTest?: unknown;
};

const POLL_MS = 500;
const IDLE_RECHECK_MS = 2000;

const createSenderService = ({ strapi }: { strapi: Core.Strapi }) => {
  /** Who claims: host, pid and a boot nonce, so a restarted process never mistakes old claims for its own. */
  const owner = `${os.hostname().slice(0, 100)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const queries = deliveryQueries(strapi);
  const outage = createOutageHandling(strapi);

  const runs = new Map<number, DeliveryRun>();
  const preparing = new Map<number, Promise<void>>();
  const limiters = new Map<number, { rate: number; limiter: RateLimiter }>();
  /** One pacer for every delivery of this process, made again when the domain limits change. */
  let pacer: { limits: string; pacer: DomainPacer } | null = null;
  const pacerFor = (limits: Parameters<typeof createDomainPacer>[0]) => {
    const key = JSON.stringify(limits);
    if (pacer?.limits !== key) pacer = { limits: key, pacer: createDomainPacer(limits) };
    return pacer.pacer;
  };
  /** Deliveries whose last run found nothing due (retries waiting, claims held elsewhere): looked at less often. */
  const idleUntil = new Map<number, number>();
  /** Failures of the relay in a row per delivery, carried from one run to the next (sending/outage.ts). */
  const relayFailuresOf = new Map<number, number>();
  /** Deliveries a probe resumed, until the relay accepts one of their messages (engine.ts, relayJustProbed). */
  const resumedByProbe = new Set<number>();
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let again = false;
  let failures = 0;
  let started = false;
  let stopped = false;

  const logError = (message: string, error: unknown): void => {
    strapi.log.error(
      `[campaigns] ${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
  };

  const statusOf = async (deliveryId: number): Promise<string | null> => {
    const row = await strapi.db.query(UID.delivery).findOne({ where: { id: deliveryId }, select: ['status'] });
    return row ? String(row.status) : null;
  };

  const limiterFor = (deliveryId: number, rate: number | null): RateLimiter | null => {
    if (!rate) {
      limiters.delete(deliveryId);
      return null;
    }
    const current = limiters.get(deliveryId);
    if (current && current.rate === rate) return current.limiter;
    const limiter = createRateLimiter(rate);
    limiters.set(deliveryId, { rate, limiter });
    return limiter;
  };

  /** Marks a delivery whose work is done: sent, or failed when nothing at all could be sent. */
  const finishIfDone = async (deliveryId: number) => {
    if (await hasPendingLogs(strapi, deliveryId)) return;
    const counters = (await getService(strapi, 'deliveries').countersFor([deliveryId])).get(deliveryId)!;
    const failed = counters.failedHard + counters.failedSoft;
    const status = counters.sent === 0 && failed > 0 ? 'failed' : 'sent';
    const now = new Date();
    const updated = await transition(strapi, deliveryId, 'sending', status, {
      changes: {
        finishedAt: now,
        counters: JSON.stringify(counters),
        lastError: status === 'failed' ? 'No message could be sent: see the delivery logs' : null,
      },
      details: { stage: 'sending' },
    });
    if (updated) {
      getService(strapi, 'composer').forget(deliveryId);
      limiters.delete(deliveryId);
      strapi.log.info(
        `[campaigns] delivery ${deliveryId} ${status}: ${counters.sent} sent, ${failed} failed, ${counters.excluded} excluded`,
      );
    }
  };

  const startRun = async (deliveryId: number, sendRate: number | null) => {
    const config = await getService(strapi, 'settings').get();
    const composer = getService(strapi, 'composer');
    const template = await composer.template(deliveryId);
    const messenger = await getService(strapi, 'messenger').get();
    const publicUrl = await composer.publicUrl();
    const mailto = config.listUnsubscribeMailto || undefined;
    const store: DbSendStore = createDbSendStore(strapi, { owner, leaseMs: config.sending.leaseSeconds * 1000 });
    const limiter = limiterFor(deliveryId, sendRate);
    // With a slow rate, claim no more than can leave within a third of the lease: claims stay fresh.
    const batchSize = sendRate
      ? Math.max(1, Math.min(config.sending.batchSize, Math.floor((sendRate * config.sending.leaseSeconds) / 3)))
      : config.sending.batchSize;

    // The app's template variables this message uses are computed per claimed batch (none used: the plain store).
    const variables = composer.variablesUsedBy(template);
    const claimFrom = variables.length
      ? getService(strapi, 'template-variables').withValues(
          store,
          { id: deliveryId, documentId: template.documentId },
          variables,
        )
      : store;

    const run = createDeliveryRun({
      deliveryId,
      // Observed: the message events of each recorded batch are emitted once it is committed.
      store: getService(strapi, 'delivery-events').observe(claimFrom, deliveryId),
      messenger,
      render: (recipient) => {
        // A failed variable fails this recipient only (a soft failure, retried like a temporary SMTP error).
        if (recipient.variableError) throw new Error(recipient.variableError);
        return composer.render(
          template,
          {
            logId: recipient.logId,
            contact: recipient.contact,
            messageId: recipient.messageId,
            variables: recipient.variables,
            variant: recipient.variant,
          },
          { publicUrl, mailto },
        );
      },
      messageIdFor: (logId) => composer.messageIdFor(template, logId),
      concurrency: config.smtp.pool,
      batchSize,
      maxAttempts: config.sending.maxAttempts,
      retryBaseMs: config.sending.retryBaseMs,
      pauseAfter: config.sending.outage.pauseAfter,
      relayFailuresBefore: relayFailuresOf.get(deliveryId) ?? 0,
      relayJustProbed: resumedByProbe.has(deliveryId),
      leaseMs: config.sending.leaseSeconds * 1000,
      limiter,
      pacer: pacerFor(config.sending.domainLimits),
      throttleBackoffMs: config.sending.throttleBackoffSeconds * 1000,
      isActive: async () => !stopped && (await statusOf(deliveryId)) === 'sending',
      onError: logError,
    });
    runs.set(deliveryId, run);
    run.done
      .then(async (summary) => {
        if (summary.claimed === 0) idleUntil.set(deliveryId, Date.now() + IDLE_RECHECK_MS);
        else idleUntil.delete(deliveryId);
        relayFailuresOf.set(deliveryId, summary.relayFailure ? 0 : summary.relayFailuresInARow);
        if (summary.sent > 0) resumedByProbe.delete(deliveryId);
        if (summary.relayFailure) await outage.pause(deliveryId, summary.relayFailure);
        else if (summary.exhausted && !stopped) await finishIfDone(deliveryId);
      })
      .catch((error) => logError(`sending delivery ${deliveryId} failed`, error))
      .finally(() => {
        runs.delete(deliveryId);
        // More may have become due while this run ended (retries, released claims): look again soon.
        if (!stopped) schedule(POLL_MS);
      });
  };

  const failPreparation = (deliveryId: number, message: string) =>
    transition(strapi, deliveryId, 'preparing', 'failed', {
      changes: { lastError: message, lockedBy: null, lockedUntil: null, finishedAt: new Date() },
      details: { error: message, stage: 'preparation' },
    });

  /** Composition, then audience, under a lease on the delivery row; ends in 'sending' (or 'failed'). */
  const prepare = async (deliveryId: number) => {
    const config = await getService(strapi, 'settings').get();
    const leaseMs = config.sending.leaseSeconds * 1000;
    const lease = () => queries.leasePreparation(deliveryId, owner, leaseMs);
    if (!(await lease())) return;

    const delivery: PreparableDelivery | null = await strapi.db
      .query(UID.delivery)
      .findOne({ where: { id: deliveryId }, populate: { lists: { select: ['id'] }, segment: { select: ['rules'] } } });
    if (!delivery) return;
    try {
      if (!delivery.preparedAt) await getService(strapi, 'composer').prepare(delivery);
    } catch (error) {
      const message =
        error instanceof TemplateError
          ? `The message cannot be composed: ${error.message}`
          : `Preparation failed: ${(error as Error).message}`;
      await failPreparation(deliveryId, message);
      if (!(error instanceof TemplateError)) logError(`preparing delivery ${deliveryId} failed`, error);
      return;
    }

    // A follow-up's audience is the parent's recipients without a human open (or click) now, nothing else; a
    // segment's is its members (sending/segment-audience.ts), "last N deliveries" read as of the delivery's start.
    const { parentDeliveryId, followUpKind, segment } = delivery;
    const result =
      parentDeliveryId && followUpKind
        ? await resolveFollowUpAudience(
            strapi,
            { id: deliveryId, parentDeliveryId, followUpKind },
            { afterPage: async () => !stopped && (await lease()) },
          )
        : segment
          ? await getService(strapi, 'segment-audience').resolve(
              {
                id: deliveryId,
                rules: segmentRulesSchema.parse(segment.rules),
                startedAt: toDate(delivery.startedAt) ?? new Date(),
              },
              { afterPage: async () => !stopped && (await lease()) },
            )
          : await getService(strapi, 'audience').resolve(
              {
                id: deliveryId,
                listIds: (delivery.lists ?? []).map((list) => Number(list.id)),
                filter: delivery.audienceFilter ?? null,
              },
              { afterPage: async () => !stopped && (await lease()) },
            );
    if (!result.complete) return;
    if (delivery.audienceSegments?.length) {
      try {
        const fromSources = await getService(strapi, 'audience').resolveSegments(
          { id: deliveryId, segments: delivery.audienceSegments, filter: delivery.audienceFilter ?? null },
          { afterPage: async () => !stopped && (await lease()) },
        );
        if (!fromSources.complete) return;
      } catch (error) {
        // An app's source that throws (gone, misconfigured, its API down) fails the delivery with the reason, rather
        // than being asked again at every poll.
        const message = `Preparation failed: an audience source failed: ${(error as Error).message}`;
        await failPreparation(deliveryId, message);
        logError(`preparing delivery ${deliveryId} failed`, error);
        return;
      }
    }
    // Every log is written: an A/B test's cells are decided now, the same way again if this preparation is resumed.
    if (delivery.abTest) await getService(strapi, 'ab-tests').assign(delivery);
    await transition(strapi, deliveryId, 'preparing', 'sending', {
      changes: { lockedBy: null, lockedUntil: null },
      onlyIf: { lockedBy: owner },
    });
  };

  /** Scheduled deliveries whose time came move on to preparation (a conditional update: one process wins each). */
  const startDueScheduled = async () => {
    let started = 0;
    for (const id of await queries.dueScheduledIds(new Date())) {
      const ok = await getService(strapi, 'deliveries')
        .startScheduled(id)
        .catch((error) => logError(`starting scheduled delivery ${id} failed`, error));
      if (ok) started += 1;
    }
    return started;
  };

  const tick = async () => {
    await startDueScheduled();
    for (const id of await outage.probeDue().catch((error) => {
      logError('probing the relay failed', error);
      return [];
    }))
      resumedByProbe.add(id);
    const now = new Date();

    for (const id of await queries.preparableIds(owner, now)) {
      if (preparing.has(id) || stopped) continue;
      const job = prepare(id)
        .catch((error) => logError(`preparing delivery ${id} failed`, error))
        .finally(() => {
          preparing.delete(id);
          if (!stopped) schedule(0);
        });
      preparing.set(id, job);
    }

    for (const { id, sendRate } of await queries.sendableNow(now)) {
      if (runs.has(id) || stopped || (idleUntil.get(id) ?? 0) > Date.now()) continue;
      await startRun(id, sendRate).catch((error) => logError(`starting delivery ${id} failed`, error));
    }
  };

  const runTick = () => {
    if (ticking) {
      again = true;
      return ticking;
    }
    ticking = tick()
      .then(() => {
        failures = 0;
      })
      .catch((error) => {
        failures += 1;
        // A database that is away is not asked again every poll: the loop backs off up to 30 s.
        if (failures === 1 || failures % 10 === 0)
          logError(`the sending loop failed (${failures} time(s) in a row)`, error);
      })
      .finally(() => {
        ticking = null;
        if (again && !stopped) {
          again = false;
          schedule(0);
        }
      });
    return ticking;
  };

  function schedule(delay: number) {
    if (stopped || !started) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void runTick().finally(() => {
        if (!timer && !stopped) schedule(failures ? Math.min(30_000, POLL_MS * 2 ** Math.min(failures, 6)) : POLL_MS);
      });
    }, delay);
    timer.unref?.();
  }

  return {
    owner,

    /** Starts the loop (bootstrap). */
    start() {
      if (started) return;
      started = true;
      stopped = false;
      schedule(0);
    },

    startDueScheduled,

    /** Looks for work now (after a send, resume or retry), instead of at the next poll. */
    wake() {
      idleUntil.clear();
      schedule(0);
    },

    /** Stops the local run of a delivery (a pause or a cancel): messages in flight finish and are recorded. */
    async halt(deliveryId: number) {
      const run = runs.get(deliveryId);
      if (run) await run.stop();
    },

    /** destroy(): no new work; runs finish what is in flight, record it and release the rest. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await ticking;
      await Promise.allSettled([...runs.values()].map((run) => run.stop()));
      await Promise.allSettled([...preparing.values()]);
    },

    /** For tests and monitoring: what this process is doing. */
    activity() {
      return { owner, sending: [...runs.keys()], preparing: [...preparing.keys()] };
    },
  };
};

export type SenderService = ReturnType<typeof createSenderService>;
export default createSenderService;
