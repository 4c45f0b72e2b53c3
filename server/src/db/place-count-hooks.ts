// Delivery logs changed or deleted through Strapi's query engine (the erasure's new address, an application's or a
// test's own writes) move the place-count rollup (db/place-counts.ts) from lifecycle hooks: the logs an update of a
// field the rows depend on or a delete matches are read before and after, and each moves from what it was to what it
// is. Inside a transaction (strapi.db.transaction) the rollup changes in it; the plugin's bulk paths (the retention
// purge, a delivery's deletion) bypass the query engine and keep the rollup themselves.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import { subscribeUpdatesAndDeletes, type HookEvent } from './change-hooks';
import { storedKeys } from './message-keys';
import { createPlaceCountStore, movePlaces, type PlaceCountDeltas, type PlaceLog } from './place-counts';

/** The fields a log's rows depend on (the recipient domain follows the email: db/recipient-domains.ts). */
const FIELDS = ['deliveryId', 'listId', 'email', 'recipientDomain', 'countedAs'] as const;
const SELECT = ['id', 'deliveryId', 'listId', 'recipientDomain', 'countedAs'];

type LogRow = PlaceLog & { id: number; countedAs: unknown };

export const subscribePlaceCountHooks = (strapi: Core.Strapi): (() => void) => {
  const store = createPlaceCountStore(strapi);
  const logs = () => strapi.db.query(UID.deliveryLog);

  const touchesPlaces = (data: unknown) =>
    typeof data === 'object' && data !== null && FIELDS.some((field) => field in data);

  const before = async (event: HookEvent) => {
    if (event.action.startsWith('beforeUpdate') && !touchesPlaces(event.params.data)) return;
    const single = event.action === 'beforeUpdate' || event.action === 'beforeDelete';
    const rows: LogRow[] = single
      ? [await logs().findOne({ where: event.params.where, select: SELECT })].filter(Boolean)
      : await logs().findMany({ where: event.params.where ?? {}, select: SELECT });
    event.state.placeRows = rows;
  };

  const after = async (event: HookEvent) => {
    const rows = event.state.placeRows as LogRow[] | undefined;
    if (!rows || rows.length === 0) return;
    const now: LogRow[] = event.action.startsWith('afterUpdate')
      ? await logs().findMany({ where: { id: { $in: rows.map((row) => row.id) } }, select: SELECT })
      : [];
    const nowById = new Map(now.map((row) => [Number(row.id), row]));
    const deltas: PlaceCountDeltas = new Map();
    for (const row of rows) {
      const current = nowById.get(Number(row.id));
      if (current) movePlaces(deltas, row, storedKeys(row.countedAs), storedKeys(current.countedAs), current);
      else movePlaces(deltas, row, storedKeys(row.countedAs), []);
    }
    if (deltas.size === 0) return;
    await strapi.db.transaction(({ trx }) => store.apply(trx as never, deltas));
  };

  return subscribeUpdatesAndDeletes(strapi, UID.deliveryLog, before, after);
};
