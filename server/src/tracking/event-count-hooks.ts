// Tracking-log rows written through Strapi's query engine (an unsubscription's event, an application's or a test's
// own rows) change the event-count rollup too, from lifecycle hooks: creates add their rows' counts, updates that
// touch a counted field and deletes move or remove the counts of the rows they matched, read before and after; the
// messages they touched are recomputed in the message-count rollup (db/message-counts.ts).
// Inside a transaction (strapi.db.transaction) the rollup changes in it; the plugin's bulk paths (the tracker, the
// retention purge, a delivery's deletion) bypass the query engine and keep the rollup themselves.
import type { Core } from '@strapi/strapi';
import { UID } from '../../../shared/constants';
import {
  addCount,
  createEventCountStore,
  eventCountKey,
  type EventCountDeltas,
  type EventKeyFields,
} from '../db/event-counts';
import { createMessageCountStore } from '../db/message-counts';
import { subscribeUpdatesAndDeletes, type HookEvent } from '../db/change-hooks';

const KEY_FIELDS = ['deliveryId', 'at', 'type', 'trackedLinkId', 'isBot', 'isMachineOpen'] as const;

export const subscribeEventCountHooks = (strapi: Core.Strapi): (() => void) => {
  const store = createEventCountStore(strapi);
  const events = () => strapi.db.query(UID.trackingLog);
  const messages = createMessageCountStore(strapi);
  const select = ['id', 'deliveryLogId', ...KEY_FIELDS];

  const count = (rows: EventKeyFields[], sign: 1 | -1, deltas: EventCountDeltas = new Map()) => {
    for (const row of rows) addCount(deltas, eventCountKey(row), sign);
    return deltas;
  };
  /** In the caller's transaction when there is one (a nested strapi.db.transaction joins it). */
  const write = (deltas: EventCountDeltas, rows: Array<{ deliveryLogId?: unknown }>) =>
    strapi.db.transaction(async ({ trx }) => {
      await store.apply(trx as never, deltas);
      const touched = rows.map((row) => row.deliveryLogId).filter((id) => id != null);
      if (touched.length === 0) return;
      await messages.lock(trx as never, touched.map(Number));
      await messages.recompute(trx as never, touched.map(Number));
    });

  const withDefaults = (data: Record<string, unknown>): EventKeyFields => ({
    deliveryId: data.deliveryId,
    at: data.at,
    type: data.type,
    trackedLinkId: data.trackedLinkId,
    isBot: data.isBot ?? false,
    isMachineOpen: data.isMachineOpen ?? false,
  });

  /** Whether an update's data can change a row's rollup key. */
  const touchesKey = (data: unknown) =>
    typeof data === 'object' && data !== null && [...KEY_FIELDS, 'deliveryLogId'].some((field) => field in data);

  /** The rows an update or delete is about to change: all that match, or the first one for a single update. */
  const matched = async (
    event: HookEvent,
  ): Promise<Array<EventKeyFields & { id: number; deliveryLogId?: unknown }>> => {
    const single = event.action === 'beforeUpdate' || event.action === 'beforeDelete';
    if (single) {
      const row = await events().findOne({ where: event.params.where, select });
      return row ? [row] : [];
    }
    return events().findMany({ where: event.params.where ?? {}, select });
  };

  const before = async (event: HookEvent) => {
    const isUpdate = event.action.startsWith('beforeUpdate');
    if (isUpdate && !touchesKey(event.params.data)) return;
    event.state.rows = await matched(event);
  };

  const after = async (event: HookEvent) => {
    const rows = event.state.rows as Array<EventKeyFields & { id: number; deliveryLogId?: unknown }> | undefined;
    if (!rows || rows.length === 0) return;
    const deltas = count(rows, -1);
    const touched: Array<{ deliveryLogId?: unknown }> = [...rows];
    if (event.action.startsWith('afterUpdate')) {
      const now = await events().findMany({ where: { id: { $in: rows.map((row) => row.id) } }, select });
      count(now, 1, deltas);
      touched.push(...now);
    }
    await write(deltas, touched);
  };

  const unsubscribe = subscribeUpdatesAndDeletes(strapi, UID.trackingLog, before, after);
  const unsubscribeCreates = strapi.db.lifecycles.subscribe({
    models: [UID.trackingLog],
    afterCreate: async (event) => {
      const row = (event.result ?? event.params.data) as Record<string, unknown>;
      await write(count([withDefaults(row)], 1), [row]);
    },
    afterCreateMany: async (event) => {
      const data = (event.params.data ?? []) as Record<string, unknown>[];
      await write(count(data.map(withDefaults), 1), data);
    },
  }) as unknown as () => void;
  return () => {
    unsubscribe();
    unsubscribeCreates();
  };
};
