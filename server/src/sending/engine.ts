// The send engine for one delivery in one process: claims batches of recipients from the store, sends them through
// the messenger with bounded concurrency and an optional rate, and records the outcomes as they come.
//
// It knows nothing of Strapi, SQL or nodemailer: only SendStore, Messenger and a render function. What it promises:
// - every claimed recipient ends in exactly one outcome (sent, retry later, failed) or is released, unless the
//   process dies;
// - a message leaves only once its log is marked in flight in the database, and its outcome is written by the next
//   commit after the relay answers. Writes are group-committed: one transaction at a time, holding every mark and
//   outcome that came while the previous one was written. A worker's next mark goes in the same commit as its last
//   outcome, or a later one, so each worker has at most one message in doubt: after a crash, at most `concurrency`
//   logs are marked in flight without an outcome. The store makes them 'unknown' and nobody sends them again on its
//   own (store.ts); the claimed ones never marked are sent by another run once their claim lapses;
// - stop() stops claiming, lets the messages in flight finish, releases the claimed ones not started, and writes
//   every outcome before run() resolves.
import { backoffDelayMs, classifySendError, type SendFailure } from './smtp-failures';
import { MessengerClosedError, type Messenger, type OutgoingMessage, type SendResult } from './messengers/types';
import type { ClaimedRecipient, RateLimiter, SendOutcome, SendStore } from './types';
import type { DomainPacer } from './domain-pacer';

const WRITE_ATTEMPTS = 3;
const QUARANTINE_REASONS = new Set(['user_unknown', 'invalid_domain']);

export interface EngineOptions {
  deliveryId: number;
  store: SendStore;
  messenger: Messenger;
  render: (recipient: ClaimedRecipient) => OutgoingMessage;
  messageIdFor: (logId: number) => string;
  /** Messages in flight at once (the SMTP pool size). */
  concurrency: number;
  /** Recipients per claim. */
  batchSize: number;
  maxAttempts: number;
  retryBaseMs: number;
  /** Consecutive failures of the relay that stop the run for an outage (a refused login or sender stops it at once). */
  pauseAfter: number;
  /** Failures of the relay in a row at the end of the previous run of this delivery: a small audience counts on. */
  relayFailuresBefore?: number;
  /**
   * The relay answered a probe and has accepted nothing since: if it fails again, the failure is the message's (a
   * message that makes the relay drop the connection), retried and failed like a recipient's, so it cannot pause the
   * delivery over and over.
   */
  relayJustProbed?: boolean;
  /** A claim not renewed for this long may be taken over: renewed every third of it. */
  leaseMs: number;
  limiter?: RateLimiter | null;
  /** Per-domain pacing shared by the process's deliveries (domain-pacer.ts); without it every domain flows. */
  pacer?: DomainPacer | null;
  /** How long a domain that says we send too fast rests. */
  throttleBackoffMs?: number;
  /** Checked before every claim: false (paused, cancelled, deleted) stops the run. */
  isActive: () => Promise<boolean>;
  onError?: (message: string, error: unknown) => void;
  now?: () => Date;
}

export interface RunSummary {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  released: number;
  /** True when the store had nothing more to claim (the run did not stop for a pause, a cancel or stop()). */
  exhausted: boolean;
  /** Recipients handed back because the relay failed, their attempt undone. */
  relayFailed: number;
  /** Set when the run stopped because the relay keeps failing: the delivery pauses (sending/outage.ts). */
  relayFailure: SendFailure | null;
  /** Failures of the relay in a row when the run ended, for the next run to count on. */
  relayFailuresInARow: number;
}

/** What happens to a recipient whose send threw: retried later, or failed for good. */
export const outcomeOfFailure = (
  recipient: Pick<ClaimedRecipient, 'logId' | 'contactId' | 'attempts'>,
  failure: SendFailure,
  options: { maxAttempts: number; retryBaseMs: number; now: Date },
): SendOutcome => {
  if (failure.retryable && recipient.attempts < options.maxAttempts) {
    const delay = backoffDelayMs(recipient.attempts, options.retryBaseMs);
    return { kind: 'retry', logId: recipient.logId, failure, retryAt: new Date(options.now.getTime() + delay) };
  }
  return {
    kind: 'failed',
    logId: recipient.logId,
    contactId: recipient.contactId,
    failure,
    quarantine: failure.failureType === 'hard' && QUARANTINE_REASONS.has(failure.failureReason),
  };
};

const bare = (messageId: string) => messageId.trim().replace(/^<|>$/g, '');

export const createDeliveryRun = (options: EngineOptions) => {
  const { store, messenger, deliveryId } = options;
  const now = options.now ?? (() => new Date());
  const queue: ClaimedRecipient[] = [];
  const inFlight = new Set<number>();
  const released: number[] = [];
  let claiming: Promise<void> | null = null;
  let exhausted = false;
  let stopping = false;
  const summary: RunSummary = {
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    released: 0,
    exhausted: false,
    relayFailed: 0,
    relayFailure: null,
    relayFailuresInARow: 0,
  };
  /** Failures of the relay since the last message it accepted or the last failure of a recipient. */
  let relayFailuresInARow = options.relayFailuresBefore ?? 0;

  const report = (message: string, error: unknown) => options.onError?.(message, error);

  const claimMore = (): Promise<void> => {
    if (claiming) return claiming;
    if (exhausted || stopping) return Promise.resolve();
    claiming = (async () => {
      try {
        if (!(await options.isActive())) {
          stopping = true;
          return;
        }
        const batch = await store.claim(deliveryId, options.batchSize, options.messageIdFor);
        summary.claimed += batch.length;
        if (batch.length === 0) exhausted = true;
        // A stop() that came while claiming: the batch goes straight back.
        if (stopping) released.push(...batch.map((recipient) => recipient.logId));
        else queue.push(...batch);
      } catch (error) {
        report(`claiming recipients of delivery ${deliveryId} failed`, error);
        stopping = true;
      } finally {
        claiming = null;
      }
    })();
    return claiming;
  };

  // Group commit: one write at a time, in order, each taking every outcome and mark buffered until it starts. A
  // failed write is tried again before giving up: outcomes not written leave their logs in flight ('unknown' after
  // the lease), marks not written keep their messages from leaving.
  let outcomes: SendOutcome[] = [];
  let marks: number[] = [];
  let nextCommit: Promise<void> | null = null;
  let writing: Promise<void> = Promise.resolve();

  const write = async (batch: SendOutcome[], sending: number[]) => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await store.record(deliveryId, batch, sending);
        return;
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS) {
          report(
            `recording ${batch.length} outcomes and ${sending.length} messages in flight of delivery ${deliveryId} failed`,
            error,
          );
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  };

  /** Resolves once what is buffered now is committed. */
  const commit = (): Promise<void> => {
    if (nextCommit) return nextCommit;
    // Started after the current turn of the event loop: a worker's outcome and its next mark, pushed one after the
    // other, go in the same write.
    const current: Promise<void> = writing
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => {
        nextCommit = null;
        const batch = outcomes;
        const sending = marks;
        outcomes = [];
        marks = [];
        return write(batch, sending);
      });
    nextCommit = current;
    writing = current.catch(() => undefined);
    return current;
  };

  const push = (outcome: SendOutcome) => {
    outcomes.push(outcome);
    commit().catch(() => undefined);
  };

  /** False when the mark could not be written: the recipient is handed back and the run ends. */
  const markInFlight = async (recipient: ClaimedRecipient): Promise<boolean> => {
    marks.push(recipient.logId);
    try {
      await commit();
      return true;
    } catch {
      released.push(recipient.logId);
      stopping = true;
      return false;
    }
  };

  const fail = async (recipient: ClaimedRecipient, error: unknown): Promise<void> => {
    const failure = classifySendError(error);
    if (failure.throttled && options.pacer) {
      // The domain asks us to slow down: it rests, the recipient goes back to pending with its attempt undone and
      // is sent again once the domain's rest is over; other domains are not held up.
      options.pacer.rest(recipient.contact.email, options.throttleBackoffMs ?? 60_000);
      await store
        .release([recipient.logId])
        .catch((releaseError) => report(`handing back a recipient of delivery ${deliveryId} failed`, releaseError));
      return;
    }
    const messageAtFault = failure.relay === 'outage' && options.relayJustProbed && summary.sent === 0;
    if (failure.relay && !messageAtFault) {
      // The relay failed, not the recipient: back to pending at once, its attempt undone (a claim left to lapse
      // after its mark would read as a message in doubt). Enough of them in a row, or a refused login or sender,
      // stop the run: the sender pauses the delivery until the relay answers.
      summary.relayFailed += 1;
      relayFailuresInARow += 1;
      // A message the relay may have accepted is not handed back: sending it again could deliver it twice.
      if (failure.inDoubt) push({ kind: 'unknown', logId: recipient.logId, failure });
      else
        await store
          .release([recipient.logId])
          .catch((releaseError) => report(`handing back a recipient of delivery ${deliveryId} failed`, releaseError));
      if (failure.relay !== 'outage' || relayFailuresInARow >= options.pauseAfter) {
        summary.relayFailure ??= failure;
        stopping = true;
      }
      return;
    }
    relayFailuresInARow = 0;
    const outcome = outcomeOfFailure(recipient, failure, {
      maxAttempts: options.maxAttempts,
      retryBaseMs: options.retryBaseMs,
      now: now(),
    });
    if (outcome.kind === 'retry') summary.retried += 1;
    else summary.failed += 1;
    push(outcome);
  };

  // The message is rendered once its log is marked and handed over at once, and nothing here keeps it: a messenger
  // on worker threads copies it, so the main thread's copy dies young instead of being promoted to V8's old
  // generation while the relay answers (bench/README.md, "What grows with the audience").
  const handOver = (recipient: ClaimedRecipient): Promise<SendResult> => messenger.send(options.render(recipient));

  const sendOne = async (recipient: ClaimedRecipient) => {
    inFlight.add(recipient.logId);
    try {
      if (!(await markInFlight(recipient))) return;
      try {
        // A message that cannot be rendered fails here like one the relay refused: marked, never sent.
        const result = await handOver(recipient);
        summary.sent += 1;
        relayFailuresInARow = 0;
        const replaced =
          result.messageId && bare(result.messageId) !== bare(recipient.messageId) ? result.messageId : undefined;
        push({
          kind: 'sent',
          logId: recipient.logId,
          at: now(),
          ...(replaced ? { messageId: replaced } : {}),
          ...(result.transport ? { transport: result.transport } : {}),
        });
      } catch (error) {
        if (error instanceof MessengerClosedError) {
          // The messenger was replaced (a settings change) or is shutting down, before the message was handed over:
          // not an attempt. This run ends; the sending loop starts the next one with the current messenger.
          released.push(recipient.logId);
          stopping = true;
          return;
        }
        await fail(recipient, error);
      }
    } finally {
      inFlight.delete(recipient.logId);
    }
  };

  /**
   * The first queued recipient whose domain may be sent to now (booking its slot), or how long until one may. Without
   * a pacer, the first in the queue.
   */
  const nextReady = (): ClaimedRecipient | number => {
    const pacer = options.pacer;
    if (!pacer) return queue.shift()!;
    let soonest = Infinity;
    for (let index = 0; index < queue.length; index += 1) {
      const wait = pacer.waitFor(queue[index].contact.email);
      if (wait === 0) {
        pacer.take(queue[index].contact.email);
        return queue.splice(index, 1)[0];
      }
      soonest = Math.min(soonest, wait);
    }
    return soonest;
  };
  /** Recipients waiting for a paced domain do not stop the others: more are claimed, up to this many queued. */
  const maxQueued = Math.max(options.batchSize * 5, options.concurrency * 2);
  let allWaiting = false;

  const worker = async () => {
    for (;;) {
      const wantMore = queue.length <= options.concurrency * 2 || (allWaiting && queue.length < maxQueued);
      if (!stopping && !exhausted && wantMore) void claimMore();
      if (queue.length === 0) {
        if (claiming) {
          await claiming;
          continue;
        }
        return;
      }
      if (stopping) return;
      const next = nextReady();
      if (typeof next === 'number') {
        // Every queued recipient waits for its domain: wait for the soonest (or for a claim of other ones).
        allWaiting = true;
        await Promise.race([
          new Promise((resolve) => setTimeout(resolve, Math.min(next, 250))),
          ...(claiming ? [claiming] : []),
        ]);
        continue;
      }
      allWaiting = false;
      const recipient = next;
      if (options.limiter) {
        await options.limiter.take();
        if (stopping) {
          released.push(recipient.logId);
          return;
        }
      }
      await sendOne(recipient);
    }
  };

  let heartbeat: NodeJS.Timeout | null = null;

  const run = async (): Promise<RunSummary> => {
    heartbeat = setInterval(
      () => {
        const ids = [...inFlight, ...queue.map((recipient) => recipient.logId)];
        if (ids.length)
          store.renew(ids).catch((error) => report(`renewing claims of delivery ${deliveryId} failed`, error));
      },
      Math.max(250, Math.floor(options.leaseMs / 3)),
    );
    try {
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
      if (claiming) await claiming;
      released.push(...queue.splice(0).map((recipient) => recipient.logId));
      if (outcomes.length) await commit().catch(() => undefined);
      await writing;
      if (released.length) {
        summary.released = released.length;
        await store
          .release(released.splice(0))
          .catch((error) => report(`releasing claims of delivery ${deliveryId} failed`, error));
      }
      summary.exhausted = exhausted && !stopping;
      summary.relayFailuresInARow = relayFailuresInARow;
      return summary;
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
  };

  const done = run();
  return {
    done,
    /** Stops claiming and sending; resolves once the messages in flight are recorded and the rest released. */
    async stop(): Promise<RunSummary> {
      stopping = true;
      return done;
    },
  };
};

export type DeliveryRun = ReturnType<typeof createDeliveryRun>;
