// The queries of A/B tests (sending/ab-tests.ts): a delivery's recipients put in their test cells, each variant's
// counts, and the winner chosen in one conditional UPDATE that also releases the rest of the audience.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { chunked } from './chunks';
import { knexOf, tableOf, toCount } from './tables';

type Row = Record<string, unknown>;

/** A variant's counts in its test cell. */
export interface VariantCounts {
  variant: number;
  recipients: number;
  sent: number;
  opened: number;
  clicked: number;
  pending: number;
  lastSentAt: Date | null;
}

const toDate = (value: unknown): Date | null => {
  if (value == null) return null;
  const date = value instanceof Date ? value : new Date(typeof value === 'string' ? value : Number(value));
  return Number.isNaN(date.getTime()) ? null : date;
};

export const abTestQueries = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const logs = () => tableOf(strapi, UID.deliveryLog).table;
  const deliveries = () => tableOf(strapi, UID.delivery).table;

  return {
    /** The ids of the recipients to be sent (preparation is over: nothing has left yet). */
    async pendingLogIds(deliveryId: number): Promise<number[]> {
      const rows = await knex()(logs()).where('delivery_id', deliveryId).where('status', 'pending').select('id');
      return rows.map((row: Row) => Number(row.id));
    },

    /** Writes each recipient's cell: its variant, or the rest (held until a winner). One transaction. */
    async writeCells(cells: Map<number, number[]>, rest: number[]): Promise<void> {
      await knex().transaction(async (trx) => {
        for (const [variant, ids] of cells)
          for (const part of chunked(ids)) await trx(logs()).whereIn('id', part).update({ variant, ab_rest: false });
        for (const part of chunked(rest))
          await trx(logs()).whereIn('id', part).update({ variant: null, ab_rest: true });
      });
    },

    /** Each test cell's counts: human opens and clicks as the indicators count them (human_opened_at, ...). */
    async counts(deliveryId: number): Promise<VariantCounts[]> {
      const rows: Row[] = await knex()(logs())
        .where('delivery_id', deliveryId)
        .whereNotNull('variant')
        .where((q) => q.whereNull('ab_rest').orWhere('ab_rest', false))
        .groupBy('variant')
        .select('variant')
        .count({ recipients: '*' })
        .count({ sent: 'sent_at' })
        .count({ opened: 'human_opened_at' })
        .count({ clicked: 'human_clicked_at' })
        .select(knex().raw(`SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) as pending`))
        .max({ last_sent_at: 'sent_at' });
      return rows
        .map((row) => ({
          variant: Number(row.variant),
          recipients: toCount(row.recipients),
          sent: toCount(row.sent),
          opened: toCount(row.opened),
          clicked: toCount(row.clicked),
          pending: toCount(row.pending),
          lastSentAt: toDate(row.last_sent_at),
        }))
        .sort((a, b) => a.variant - b.variant);
    },

    /** The rest of the audience: held until the winner is chosen, then sent with the winner's subject. */
    async restCounts(deliveryId: number): Promise<{ held: number; released: number }> {
      const [row] = (await knex()(logs())
        .where('delivery_id', deliveryId)
        .where('ab_rest', true)
        .select(knex().raw('SUM(CASE WHEN variant IS NULL THEN 1 ELSE 0 END) as held'))
        .count({ total: '*' })) as Row[];
      const held = toCount(row?.held);
      return { held, released: toCount(row?.total) - held };
    },

    /**
     * Records the winner unless one was chosen already (the condition makes one caller win, whichever process it
     * runs in), and gives the held rest its variant in the same transaction: claims take them from then on.
     */
    async chooseWinner(deliveryId: number, variant: number, now: Date): Promise<boolean> {
      return knex().transaction(async (trx) => {
        const chosen = await trx(deliveries())
          .where('id', deliveryId)
          .whereNull('ab_winner')
          .update({ ab_winner: variant, ab_winner_at: now, updated_at: now });
        if (!chosen) return false;
        await trx(logs())
          .where('delivery_id', deliveryId)
          .where('ab_rest', true)
          .whereNull('variant')
          .update({ variant, updated_at: now });
        return true;
      });
    },

    /** Deliveries sending an A/B test whose winner is still to be chosen. */
    async awaitingWinner(): Promise<number[]> {
      const rows = await knex()(deliveries())
        .where('status', 'sending')
        .whereNotNull('ab_test')
        .whereNull('ab_winner')
        .select('id');
      return rows.map((row: Row) => Number(row.id));
    },
  };
};
