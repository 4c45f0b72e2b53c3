// A/B tests of a delivery's subject (shared/ab-test.ts). Crash safety rests on two choices:
// - Each recipient's cell is decided once preparation has written every log, in a random order that is a function
//   of the delivery and the log (a hash), so a preparation resumed after a crash writes the same cells again.
//   The rest of the audience is written as held logs (ab_rest, no variant) that claims skip (sending/store.ts).
// - The winner is chosen by one conditional UPDATE that, in the same transaction, gives the held logs the winner's
//   variant (db/ab-tests.ts): two processes cannot choose twice, and the rest are then claimed like any log, once.
import { createHash } from 'crypto';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { UID } from '../../../shared/constants';
import {
  SIGNIFICANT_CONFIDENCE,
  abTestSchema,
  cellOf,
  metricCounts,
  twoProportionTest,
  type AbTest,
} from '../../../shared/ab-test';
import type { AbTestResults, VariantResult } from '../../../shared/contracts/ab-tests';
import { abTestQueries, type VariantCounts } from '../db/ab-tests';
import { getService } from '../platform/get-service';

export const AB_TEST_WINNERS_TASK = 'campaigns::ab-test-winners';

/** The place of a log in the delivery's random order: a hash of the delivery's seed and the log. */
const orderKey = (seed: string, logId: number) => createHash('sha256').update(`${seed}:${logId}`).digest('hex');

interface AbDelivery {
  id: number;
  documentId: string;
  name: string;
  subject: string;
  status: string;
  abTest: AbTest | null;
  abWinner: number | null;
  abWinnerAt: Date | string | null;
}

/** Each variant's figures, the leader (the best rate, the first variant on a tie) and its confidence against each. */
export const judge = (test: AbTest, subjects: string[], counts: VariantCounts[]) => {
  const byVariant = new Map(counts.map((row) => [row.variant, row]));
  const rows = subjects.map((subject, variant) => {
    const row = byVariant.get(variant) ?? {
      variant,
      recipients: 0,
      sent: 0,
      opened: 0,
      clicked: 0,
      pending: 0,
      lastSentAt: null,
    };
    const measured = metricCounts(test.metric, row);
    return { ...row, subject, measured, rate: measured.trials ? measured.successes / measured.trials : 0 };
  });
  const leader = rows.reduce((best, row) => (row.rate > best.rate ? row : best), rows[0]);
  const variants: VariantResult[] = rows.map((row) => {
    // The leader against its closest follower; every other variant against the leader.
    const other =
      row === leader ? rows.filter((r) => r !== leader).reduce((best, r) => (r.rate > best.rate ? r : best)) : leader;
    const tested = twoProportionTest(row.measured, other.measured);
    return {
      variant: row.variant,
      subject: row.subject,
      recipients: row.recipients,
      sent: row.sent,
      pending: row.pending,
      opened: row.opened,
      clicked: row.clicked,
      rate: row.rate,
      confidence: tested?.confidence ?? null,
      significant: (tested?.confidence ?? 0) >= SIGNIFICANT_CONFIDENCE,
    };
  });
  const lastSent = rows.reduce<Date | null>(
    (last, row) => (row.lastSentAt && (!last || row.lastSentAt > last) ? row.lastSentAt : last),
    null,
  );
  const testSentAt = rows.every((row) => row.pending === 0) && lastSent ? lastSent : null;
  return { variants, leader: leader.variant, testSentAt };
};

const createAbTestsService = ({ strapi }: { strapi: Core.Strapi }) => {
  const queries = abTestQueries(strapi);

  const load = async (where: { id: number } | { documentId: string }): Promise<AbDelivery> => {
    const delivery = (await strapi.db.query(UID.delivery).findOne({
      where,
      select: ['id', 'documentId', 'name', 'subject', 'status', 'abTest', 'abWinner', 'abWinnerAt'],
    })) as AbDelivery | null;
    if (!delivery) throw new errors.NotFoundError('No such delivery.');
    return delivery;
  };

  const testOf = (delivery: AbDelivery): AbTest => {
    const parsed = abTestSchema.safeParse(delivery.abTest);
    if (!parsed.success) throw new errors.ValidationError(`Delivery "${delivery.name}" has no A/B test.`);
    return parsed.data;
  };

  const resultsOf = async (delivery: AbDelivery): Promise<AbTestResults> => {
    const test = testOf(delivery);
    const subjects = [delivery.subject, ...test.subjects];
    const { variants, leader, testSentAt } = judge(test, subjects, await queries.counts(delivery.id));
    const rest = await queries.restCounts(delivery.id);
    return {
      test,
      variants,
      leader,
      winner: delivery.abWinner ?? null,
      winnerAt: delivery.abWinnerAt ? new Date(delivery.abWinnerAt).toISOString() : null,
      rest: rest.held + rest.released,
      testSentAt: testSentAt?.toISOString() ?? null,
      decidesAt:
        testSentAt && test.autoSend ? new Date(testSentAt.getTime() + test.waitMinutes * 60_000).toISOString() : null,
    };
  };

  const choose = async (delivery: AbDelivery, variant: number): Promise<boolean> => {
    const chosen = await queries.chooseWinner(delivery.id, variant, new Date());
    if (chosen) {
      strapi.log.info(`[campaigns] delivery ${delivery.id}: A/B test won by variant ${variant}, sending the rest`);
      getService(strapi, 'sender').wake();
    }
    return chosen;
  };

  return {
    /**
     * Puts every pending recipient of a prepared delivery in its cell: the first `share` percent of the random order
     * go to the variants in turn (so cells differ by one at most), the others are held for the winner.
     */
    async assign(delivery: { id: number; documentId: string; abTest?: unknown }): Promise<void> {
      const test = abTestSchema.parse(delivery.abTest);
      const variants = test.subjects.length + 1;
      const ordered = (await queries.pendingLogIds(delivery.id))
        .map((id) => ({ id, key: orderKey(delivery.documentId, id) }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
      const cells = new Map<number, number[]>(Array.from({ length: variants }, (_, variant) => [variant, []]));
      const rest: number[] = [];
      ordered.forEach(({ id }, rank) => {
        const cell = cellOf(rank, ordered.length, test.share, variants);
        if (cell === null) rest.push(id);
        else cells.get(cell)!.push(id);
      });
      await queries.writeCells(cells, rest);
    },

    async results(documentId: string): Promise<AbTestResults> {
      return resultsOf(await load({ documentId }));
    },

    /** "Send the winner now" (no variant: the leader) or "Pick variant X", by an editor. */
    async pick(documentId: string, variant?: number): Promise<AbTestResults> {
      const delivery = await load({ documentId });
      const results = await resultsOf(delivery);
      if (delivery.abWinner != null)
        throw new errors.ValidationError(`The winner of this A/B test was already chosen.`);
      if (delivery.status !== 'sending' && delivery.status !== 'paused')
        throw new errors.ValidationError(
          `The winner can be sent only while the delivery is sending (it is ${delivery.status}).`,
        );
      const chosen = variant ?? results.leader;
      if (chosen >= results.variants.length)
        throw new errors.ValidationError(`This A/B test has no variant ${chosen}.`);
      if (!(await choose(delivery, chosen)))
        throw new errors.ValidationError(`The winner of this A/B test was already chosen.`);
      return this.results(documentId);
    },

    /** A cron task every minute sends the winners that are due (in each process: choosing is one conditional UPDATE). */
    start() {
      strapi.cron.add({
        [AB_TEST_WINNERS_TASK]: {
          task: async () => {
            await this.sendDueWinners().catch((error) =>
              strapi.log.error(`[campaigns] A/B test winners: ${(error as Error)?.message ?? error}`),
            );
          },
          options: { rule: '* * * * *' },
        },
      });
    },

    /** The cron's check: tests sent, waited for and set to send the winner by themselves get it sent. */
    async sendDueWinners(now = new Date()): Promise<number> {
      let sent = 0;
      for (const id of await queries.awaitingWinner()) {
        const delivery = await load({ id });
        const test = abTestSchema.safeParse(delivery.abTest);
        if (!test.success || !test.data.autoSend) continue;
        const { leader, testSentAt } = judge(
          test.data,
          [delivery.subject, ...test.data.subjects],
          await queries.counts(id),
        );
        if (!testSentAt || testSentAt.getTime() + test.data.waitMinutes * 60_000 > now.getTime()) continue;
        if (await choose(delivery, leader)) sent += 1;
      }
      return sent;
    },
  };
};

export type AbTestsService = ReturnType<typeof createAbTestsService>;
export default createAbTestsService;
