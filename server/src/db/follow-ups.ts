// The queries of follow-ups (sending/follow-ups.ts): who a follow-up goes to, and the figures the dashboard shows.
// The audience is one query, read both to size a follow-up (the editor, the dashboard, the start of sending) and to
// write its delivery logs page by page when it is prepared (sending/follow-up-audience.ts), so the number an admin
// sees is the number of messages sent at that moment.
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { FollowUpKind } from '../../../shared/follow-ups';
import type { FollowUpFigures } from '../../../shared/contracts/follow-ups';
import { knexOf, tableOf, toCount } from './tables';

type Row = Record<string, unknown>;

export interface FollowUpRecipient {
  contactId: number;
  email: string;
}

export const followUpQueries = (strapi: Core.Strapi) => {
  const knex = () => knexOf(strapi);
  const logs = () => tableOf(strapi, UID.deliveryLog).table;
  const contacts = () => tableOf(strapi, UID.contact).table;
  const suppressions = () => tableOf(strapi, UID.suppression).table;

  /**
   * The parent's recipients who still get a follow-up: their message was sent (not failed, not bounced since), they
   * did not unsubscribe or complain from it, their contact is still subscribed and their address not suppressed, and
   * no person opened (any reaction counts as an open: tracking/tracker.ts) or clicked. Machine opens and bots never
   * fill human_opened_at / human_clicked_at, so they do not count.
   */
  const audience = (parentId: number, kind: FollowUpKind) =>
    knex()(`${logs()} as l`)
      .join(`${contacts()} as c`, 'c.id', 'l.contact_id')
      .leftJoin(`${suppressions()} as s`, 's.email', 'c.email')
      .where('l.delivery_id', parentId)
      .where('l.status', 'sent')
      .whereNull('l.bounced_at')
      .whereNull('l.unsubscribed_at')
      .whereNull('l.complained_at')
      .whereNull(kind === 'not_opened' ? 'l.human_opened_at' : 'l.human_clicked_at')
      .where('c.status', 'subscribed')
      .whereNull('s.id');

  return {
    async audienceSize(parentId: number, kind: FollowUpKind): Promise<number> {
      const [row] = await audience(parentId, kind).countDistinct({ n: 'c.id' });
      return toCount((row as Row | undefined)?.n);
    },

    /** The next page of the audience after a contact id (keyset: a resumed preparation goes on where it stopped). */
    async audiencePage(
      parentId: number,
      kind: FollowUpKind,
      after: number,
      limit: number,
    ): Promise<FollowUpRecipient[]> {
      const rows = await audience(parentId, kind)
        .where('c.id', '>', after)
        .distinct('c.id', 'c.email')
        .orderBy('c.id', 'asc')
        .limit(limit);
      return (rows as Row[]).map((row) => ({ contactId: Number(row.id), email: String(row.email) }));
    },

    /** The highest contact a follow-up already has a log for (0: none yet). */
    async lastLoggedContactId(deliveryId: number, trx?: Knex.Transaction): Promise<number> {
      const [row] = await (trx ?? knex())(logs()).where('delivery_id', deliveryId).max({ max: 'contact_id' });
      return Number((row as Row | undefined)?.max ?? 0);
    },

    /** Sent messages and the recipients a person opened or clicked from, per delivery. */
    async figures(deliveryIds: number[]): Promise<Map<number, FollowUpFigures>> {
      const out = new Map<number, FollowUpFigures>(
        deliveryIds.map((id) => [id, { sent: 0, humanOpened: 0, humanClicked: 0 }]),
      );
      if (!deliveryIds.length) return out;
      const rows = await knex()(logs())
        .whereIn('delivery_id', deliveryIds)
        .where('status', 'sent')
        .groupBy('delivery_id')
        .select('delivery_id')
        .count({ sent: '*' })
        .count({ humanOpened: 'human_opened_at' })
        .count({ humanClicked: 'human_clicked_at' });
      for (const row of rows as Row[]) {
        out.set(Number(row.delivery_id), {
          sent: toCount(row.sent),
          humanOpened: toCount(row.humanOpened),
          humanClicked: toCount(row.humanClicked),
        });
      }
      return out;
    },

    /** Unique contacts the deliveries were sent to, and those among them a person opened at least one from. */
    async combinedReach(deliveryIds: number[]): Promise<{ recipients: number; humanOpened: number }> {
      const sent = () => knex()(logs()).whereIn('delivery_id', deliveryIds).where('status', 'sent');
      const [[all], [opened]] = await Promise.all([
        sent().countDistinct({ n: 'contact_id' }),
        sent().whereNotNull('human_opened_at').countDistinct({ n: 'contact_id' }),
      ]);
      return { recipients: toCount((all as Row).n), humanOpened: toCount((opened as Row).n) };
    },
  };
};
