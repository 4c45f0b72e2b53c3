// The tracker's reads (tracking/tracker-store.ts holds its writes): the tracked link a click redirects to, and the
// facts of delivery-logs and deliveries that classifying a hit needs, each one query through Knex.
import type { Knex } from 'knex';
import type { TableInfo } from '../db/tables';
import type { LogFacts, TrackedLinkTarget } from './tracker-types';

const HTTP_URL = /^https?:$/;

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

export const createTrackerReads = (
  knex: () => Knex,
  tables: () => { link: TableInfo; log: TableInfo; delivery: TableInfo },
) => {
  /** A tracked link as the click route needs it; null when it is gone or its URL is not one we may redirect to. */
  const readLink = async (id: number): Promise<TrackedLinkTarget | null> => {
    const { link: linkTable } = tables();
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

  /** The facts of these delivery-logs that classifying a hit needs. */
  const readLogFacts = async (ids: number[]): Promise<Array<[number, LogFacts]>> => {
    const { log: logTable } = tables();
    const c = logTable.column;
    const rows = await knex()(logTable.table)
      .select({ id: 'id', deliveryId: c('deliveryId'), contactId: c('contactId'), sentAt: c('sentAt') })
      .whereIn('id', ids);
    return rows.map((row) => [
      Number(row.id),
      { deliveryId: Number(row.deliveryId), contactId: toId(row.contactId), sentAtMs: toMs(row.sentAt) },
    ]);
  };

  /** Whether these deliveries track opens, and how many tracked links each has. */
  const readDeliveryFacts = async (
    ids: number[],
  ): Promise<Array<[number, { trackOpens: boolean; trackedLinks: number }]>> => {
    const { delivery: deliveryTable, link: linkTable } = tables();
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
    const countOf = new Map(counts.map((row: Record<string, unknown>) => [Number(row.deliveryId), Number(row.count)]));
    return rows.map((row) => {
      const id = Number(row.id);
      // SQLite and MariaDB hand booleans back as 0 / 1; a missing value means the default (on).
      const trackOpens =
        row.trackOpens === null || row.trackOpens === undefined ? true : Boolean(Number(row.trackOpens));
      return [id, { trackOpens, trackedLinks: countOf.get(id) ?? 0 }];
    });
  };

  return { readLink, readLogFacts, readDeliveryFacts };
};
