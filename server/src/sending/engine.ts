// The send engine for one delivery in one process: claims batches of recipients from the store, sends them through
// the messenger with bounded concurrency and an optional rate, and records the outcomes in batches.
//
// It knows nothing of Strapi, SQL or nodemailer: only SendStore, Messenger and a render function. What it promises:
// - every claimed recipient ends in exactly one outcome (sent, retry later, failed) or is released, unless the
//   process dies; then the claim lapses after the lease and another run sends it again with the same Message-ID;
// - outcomes are written in batches (every FLUSH_SIZE outcomes or FLUSH_MS), and all of them before run() resolves;
//   so a crash can lose at most the outcomes of the last FLUSH_MS (and the messages in flight): those recipients
//   are sent again, with their stored Message-ID, once their claim lapses;
// - stop() stops claiming, lets the messages in flight finish, releases the claimed ones not started, and flushes.
import { backoffDelayMs, classifySendError, type SendFailure } from '../lib/smtp-failures';
import { MessengerClosedError, type Messenger, type OutgoingMessage } from '../messengers/types';
import type { ClaimedRecipient, RateLimiter, SendOutcome, SendStore } from './types';

const FLUSH_SIZE = 100;
const FLUSH_MS = 50;
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
  /** A claim not renewed for this long may be taken over: renewed every third of it. */
  leaseMs: number;
  limiter?: RateLimiter | null;
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
}

/** What happens to a recipient whose send threw: retried later, or failed for good. */
export const outcomeOfFailure = (
  recipient: Pick<ClaimedRecipient, 'logId' | 'contactId' | 'attempts'>,
  failure: SendFailure,
  options: { maxAttempts: number; retryBaseMs: number; now: Date }
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
  let buffer: SendOutcome[] = [];
  const released: number[] = [];
  let claiming: Promise<void> | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let exhausted = false;
  let stopping = false;
  const summary: RunSummary = { claimed: 0, sent: 0, retried: 0, failed: 0, released: 0, exhausted: false };

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

  // Outcomes are written by one flush at a time, in order; a failed write is tried again before giving up (the
  // claims then lapse and the recipients are sent again with their Message-ID: duplicates, never losses).
  const flush = (): Promise<void> => {
    if (buffer.length === 0) return flushing;
    const batch = buffer;
    buffer = [];
    flushing = flushing.then(async () => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await store.record(deliveryId, batch);
          return;
        } catch (error) {
          if (attempt >= 3) {
            report(`recording ${batch.length} outcomes of delivery ${deliveryId} failed`, error);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    });
    return flushing;
  };

  const push = (outcome: SendOutcome) => {
    buffer.push(outcome);
    if (buffer.length >= FLUSH_SIZE) void flush();
  };

  const sendOne = async (recipient: ClaimedRecipient) => {
    inFlight.add(recipient.logId);
    try {
      const message = options.render(recipient);
      const result = await messenger.send(message);
      summary.sent += 1;
      const replaced = result.messageId && bare(result.messageId) !== bare(recipient.messageId) ? result.messageId : undefined;
      push({ kind: 'sent', logId: recipient.logId, at: now(), ...(replaced ? { messageId: replaced } : {}) });
    } catch (error) {
      if (error instanceof MessengerClosedError) {
        // The messenger was replaced (a settings change) or is shutting down: not an attempt. This run ends; the
        // sending loop starts the next one with the current messenger.
        released.push(recipient.logId);
        stopping = true;
        return;
      }
      const outcome = outcomeOfFailure(recipient, classifySendError(error), {
        maxAttempts: options.maxAttempts,
        retryBaseMs: options.retryBaseMs,
        now: now(),
      });
      if (outcome.kind === 'retry') summary.retried += 1;
      else summary.failed += 1;
      push(outcome);
    } finally {
      inFlight.delete(recipient.logId);
    }
  };

  const worker = async () => {
    for (;;) {
      if (!stopping && !exhausted && queue.length <= options.concurrency * 2) void claimMore();
      if (queue.length === 0) {
        if (claiming) {
          await claiming;
          continue;
        }
        return;
      }
      if (stopping) return;
      const recipient = queue.shift()!;
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
  let flushTimer: NodeJS.Timeout | null = null;

  const run = async (): Promise<RunSummary> => {
    heartbeat = setInterval(() => {
      const ids = [...inFlight, ...queue.map((recipient) => recipient.logId)];
      if (ids.length) store.renew(ids).catch((error) => report(`renewing claims of delivery ${deliveryId} failed`, error));
    }, Math.max(250, Math.floor(options.leaseMs / 3)));
    flushTimer = setInterval(() => void flush(), FLUSH_MS);
    try {
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
      if (claiming) await claiming;
      released.push(...queue.splice(0).map((recipient) => recipient.logId));
      await flush();
      if (released.length) {
        summary.released = released.length;
        await store.release(released.splice(0)).catch((error) => report(`releasing claims of delivery ${deliveryId} failed`, error));
      }
      summary.exhausted = exhausted && !stopping;
      return summary;
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      if (flushTimer) clearInterval(flushTimer);
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
