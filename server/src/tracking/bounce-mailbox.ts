// The bounce mailbox: delivery status notifications and complaint reports read from an IMAP folder on a timer, for
// relays that report by email instead of calling a webhook. Each message is read (tracking/dsn-report.ts), recorded
// through the webhooks' own path (tracking/bounces.ts: log, quarantine, suppression, events), then moved: to the
// processed folder once recorded, to the review folder when it names no message we sent or cannot be read, where
// the settings page lists it. Nothing is ever deleted.
//
// One reading at a time per process. Two processes reading the same mailbox at once may both record a report
// before either moves it; recording is idempotent (the same log gets the same bounce, a complaint is kept once), so
// the cost is a repeated campaigns.message.bounced event, and the second move finds the message gone.
import type { Core } from '@strapi/strapi';
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import type {
  MailboxReviewEntry,
  MailboxRunReport,
  MailboxVerifyResult,
} from '../../../shared/contracts/bounce-mailbox';
import { getService } from '../platform/get-service';
import { readMailboxReport } from './dsn-report';
import {
  closeMailbox,
  describeMailboxError,
  ensureFolder,
  openMailbox,
  serverPath,
  type MailboxSettings,
} from './mailbox-connection';

/** Messages read per run: a mailbox left unread for months is emptied over several runs, each one short. */
const MAX_PER_RUN = 500;
const REVIEW_KEY = 'bounceMailboxReview';
/** Review entries kept for the settings page; the messages themselves stay in the review folder. */
const MAX_REVIEW_ENTRIES = 500;

type Outcome = { to: 'processed'; recorded: boolean } | { to: 'review'; reason: string } | { to: 'stay' };

const emptyReport = (): MailboxRunReport => ({ read: 0, recorded: 0, nothingToRecord: 0, review: 0, failed: 0 });

const addressOf = (message: FetchMessageObject): string | null => {
  const from = message.envelope?.from?.[0];
  if (!from) return null;
  return from.name && from.address ? `${from.name} <${from.address}>` : (from.address ?? from.name ?? null);
};

const createBounceMailboxService = ({ strapi }: { strapi: Core.Strapi }) => {
  const store = () => strapi.store({ type: 'plugin', name: 'campaigns' });
  let running: Promise<MailboxRunReport> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let stopped = true;

  const reviewEntries = async (): Promise<MailboxReviewEntry[]> => {
    const value = await store().get({ key: REVIEW_KEY });
    return Array.isArray(value) ? (value as MailboxReviewEntry[]) : [];
  };

  /** What one message is worth: recorded, nothing to record, or a reason to show it to a person. */
  const judge = async (message: FetchMessageObject): Promise<Outcome> => {
    if (!message.source?.length) return { to: 'review', reason: 'empty message' };
    const report = readMailboxReport(message.source);
    if (report.kind === 'unreadable') return { to: 'review', reason: report.why };
    if (report.kind === 'nothing-to-record') return { to: 'processed', recorded: false };
    try {
      const result = await getService(strapi, 'bounces').apply(report.notices);
      if (result.matched > 0) return { to: 'processed', recorded: true };
    } catch (error) {
      // The database could not record it: it stays where it is, for the next reading.
      strapi.log.error(`[campaigns] bounce mailbox: a report could not be recorded: ${(error as Error)?.message}`);
      return { to: 'stay' };
    }
    const [notice] = report.notices;
    const named = notice.messageIds.length
      ? `Message-ID <${notice.messageIds[0]}>`
      : `delivery ${notice.deliveryDocumentId} and ${notice.email ?? 'no address'}`;
    return { to: 'review', reason: `no delivery log has the message it names (${named})` };
  };

  const read = async (client: ImapFlow, mailbox: MailboxSettings, report: MailboxRunReport) => {
    const processedFolder = await ensureFolder(client, mailbox.processedFolder);
    const reviewFolder = await ensureFolder(client, mailbox.reviewFolder);
    const lock = await client.getMailboxLock(serverPath(client, mailbox.folder));
    try {
      const uids = ((await client.search({ all: true }, { uid: true })) || []).slice(0, MAX_PER_RUN);
      if (!uids.length) return;
      const messages = await client.fetchAll(
        uids,
        { uid: true, source: true, envelope: true, internalDate: true },
        { uid: true },
      );
      const processed: number[] = [];
      const review: number[] = [];
      const entries: MailboxReviewEntry[] = [];
      for (const message of messages) {
        report.read += 1;
        let outcome: Outcome;
        try {
          outcome = await judge(message);
        } catch (error) {
          outcome = { to: 'review', reason: `could not be read: ${(error as Error)?.message ?? error}` };
        }
        if (outcome.to === 'stay') {
          report.failed += 1;
        } else if (outcome.to === 'processed') {
          processed.push(message.uid);
          if (outcome.recorded) report.recorded += 1;
          else report.nothingToRecord += 1;
        } else {
          review.push(message.uid);
          report.review += 1;
          const date = message.envelope?.date ?? message.internalDate;
          entries.push({
            date: date ? new Date(date).toISOString() : null,
            from: addressOf(message),
            subject: message.envelope?.subject ?? null,
            reason: outcome.reason,
            folder: mailbox.reviewFolder,
            movedAt: new Date().toISOString(),
          });
        }
      }
      if (processed.length) await client.messageMove(processed, processedFolder, { uid: true });
      if (review.length) {
        await client.messageMove(review, reviewFolder, { uid: true });
        const kept = [...entries.reverse(), ...(await reviewEntries())].slice(0, MAX_REVIEW_ENTRIES);
        await store().set({ key: REVIEW_KEY, value: kept });
      }
    } finally {
      lock.release();
    }
  };

  const run = async (): Promise<MailboxRunReport> => {
    const mailbox = (await getService(strapi, 'settings').get()).bounceMailbox;
    if (!mailbox.enabled) return { ...emptyReport(), skipped: 'disabled' };
    const report = emptyReport();
    let client: ImapFlow | null = null;
    try {
      client = await openMailbox(mailbox);
      await read(client, mailbox, report);
    } catch (error) {
      throw new Error(describeMailboxError(error, mailbox));
    } finally {
      if (client) await closeMailbox(client);
    }
    if (report.read) {
      strapi.log.info(
        `[campaigns] bounce mailbox: ${report.read} read, ${report.recorded} recorded, ${report.review} to review`,
      );
    }
    return report;
  };

  const schedule = async () => {
    if (stopped) return;
    const { intervalSeconds } = (await getService(strapi, 'settings').get()).bounceMailbox;
    // stop() may have come while the settings were read.
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, intervalSeconds * 1000);
    timer.unref();
  };

  const tick = async () => {
    timer = null;
    if (stopped) return;
    try {
      await service.runNow();
    } catch (error) {
      strapi.log.error(`[campaigns] bounce mailbox: ${(error as Error)?.message ?? error}`);
    }
    await schedule().catch(() => undefined);
  };

  const service = {
    /** Reads the mailbox now; a reading already under way in this process is shared, not doubled. */
    runNow(): Promise<MailboxRunReport> {
      if (running) return running;
      running = run().finally(() => {
        running = null;
      });
      return running;
    },

    /** Connects, logs in and opens the folder, without reading anything; with saved or unsaved settings. */
    async verify(mailbox: MailboxSettings): Promise<MailboxVerifyResult> {
      let client: ImapFlow | null = null;
      try {
        client = await openMailbox(mailbox);
        const status = await client.status(serverPath(client, mailbox.folder), { messages: true }).catch(() => null);
        if (!status) return { ok: false, error: `the server has no folder "${mailbox.folder}"` };
        return { ok: true };
      } catch (error) {
        return { ok: false, error: describeMailboxError(error, mailbox) };
      } finally {
        if (client) await closeMailbox(client);
      }
    },

    /** The messages moved to the review folder, newest first. */
    review: reviewEntries,

    /** bootstrap(): the timer; each tick reads the settings, so a disabled mailbox costs one settings read. */
    start() {
      stopped = false;
      void schedule().catch((error) => strapi.log.error(`[campaigns] bounce mailbox: ${error}`));
    },

    /** Settings saved: the next reading waits the (possibly new) interval. */
    reschedule() {
      if (!stopped) void schedule().catch(() => undefined);
    },

    /** destroy(): no new reading; the one under way finishes. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
  return service;
};

export type BounceMailboxService = ReturnType<typeof createBounceMailboxService>;
export default createBounceMailboxService;
