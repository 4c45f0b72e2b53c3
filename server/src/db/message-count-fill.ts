// Filling the message-count rollup (db/message-counts.ts) from the events already stored: once, at the first boot of
// a version that has it, and on demand after events were written around the plugin (bulk loads). Once across
// processes booting together, with a marker row inserted in the same transaction (db/rollup-rows.ts, claimFill).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { knexOf, quoteIdentifier, tableOf } from './tables';
import { createMessageCountStore, MESSAGE_COUNTS } from './message-counts';
import { KIND_OF_TYPE, modeKeys, moveKeys, seenInOf, type MessageCountDeltas } from './message-keys';
import { linkOf } from './event-counts';
import { claimFill } from './rollup-rows';
import { refillPlaceCounts } from './place-counts';
import { retryLockConflicts } from './lock-conflicts';
import { storedTime } from '../reporting/timeline';

const CHUNK = 500;

/**
 * The keys of every message with events (of one delivery, or all), by message: one GROUP BY over the events with,
 * per include mode, the first counted event and whether a counted open, click, unsubscription or mirror view exists,
 * one over the clicks per message and link and one over the events per message, device and client, with, per include
 * mode, whether one of them is counted.
 */
export const messageKeysFromEvents = async (
  strapi: Core.Strapi,
  db: Knex | Knex.Transaction,
  deliveryId?: number,
): Promise<Map<number, { deliveryId: number; keys: string[] }>> => {
  const events = tableOf(strapi, UID.trackingLog);
  const e = (attribute: string) => quoteIdentifier(strapi, events.column(attribute));
  const parts: string[] = [];
  const countedIn = (mode: number) => {
    const conditions = ['1 = 1'];
    if (mode < 2) conditions.push(`${e('isBot')} IS NOT TRUE`);
    if (mode % 2 === 0) conditions.push(`${e('isMachineOpen')} IS NOT TRUE`);
    return conditions.join(' AND ');
  };
  for (let mode = 0; mode < 4; mode += 1) {
    const counted = countedIn(mode);
    parts.push(
      `MIN(CASE WHEN ${counted} THEN ${e('at')} END) AS f${mode}`,
      `MAX(CASE WHEN ${counted} AND ${e('type')} = 'open' THEN 1 ELSE 0 END) AS p${mode}`,
      ...Object.entries(KIND_OF_TYPE).map(
        ([type, code]) => `MAX(CASE WHEN ${counted} AND ${e('type')} = '${type}' THEN 1 ELSE 0 END) AS ${code}${mode}`,
      ),
    );
  }
  // Identifiers come from Strapi's metadata: nothing here is user input.
  const query = db(events.table)
    .whereNotNull(events.column('deliveryLogId'))
    .groupBy(events.column('deliveryLogId'))
    .select(
      knexOf(strapi).raw(
        `${e('deliveryLogId')} AS log_id, MIN(${e('deliveryId')}) AS delivery_id, ${parts.join(', ')}`,
      ),
    );
  if (deliveryId !== undefined) query.where(events.column('deliveryId'), deliveryId);

  /** Per message and mode, the values of `value(row)` over the groups of `columns` with a counted event. */
  const valuesPerMode = async <T>(
    columns: string[],
    onlyClicks: boolean,
    value: (row: Record<string, unknown>) => T,
  ): Promise<Map<number, Array<Set<T>>>> => {
    const grouped = db(events.table)
      .whereNotNull(events.column('deliveryLogId'))
      .groupBy(events.column('deliveryLogId'), ...columns.map(events.column))
      .select(
        knexOf(strapi).raw(
          [
            `${e('deliveryLogId')} AS log_id`,
            ...columns.map((attribute) => `${e(attribute)} AS ${quoteIdentifier(strapi, attribute)}`),
            ...[0, 1, 2, 3].map((mode) => `MAX(CASE WHEN ${countedIn(mode)} THEN 1 ELSE 0 END) AS c${mode}`),
          ].join(', '),
        ),
      );
    if (onlyClicks) grouped.where(events.column('type'), 'click');
    if (deliveryId !== undefined) grouped.where(events.column('deliveryId'), deliveryId);
    const out = new Map<number, Array<Set<T>>>();
    for (const row of (await grouped) as Record<string, unknown>[]) {
      const id = Number(row.log_id);
      const modes = out.get(id) ?? [new Set<T>(), new Set<T>(), new Set<T>(), new Set<T>()];
      out.set(id, modes);
      for (let mode = 0; mode < 4; mode += 1) if (Number(row[`c${mode}`]) === 1) modes[mode].add(value(row));
    }
    return out;
  };
  const linksOf = await valuesPerMode(['trackedLinkId'], true, (row) => linkOf({ trackedLinkId: row.trackedLinkId }));
  const seenIn = await valuesPerMode(['device', 'client'], false, (row) =>
    seenInOf({ device: row.device, client: row.client }),
  );
  const out = new Map<number, { deliveryId: number; keys: string[] }>();
  for (const row of (await query) as Record<string, unknown>[]) {
    const keys: string[] = [];
    for (let mode = 0; mode < 4; mode += 1) {
      const first = storedTime(row[`f${mode}`]);
      if (!first) continue;
      const flags = new Set(Object.values(KIND_OF_TYPE).filter((code) => Number(row[`${code}${mode}`]) === 1));
      const id = Number(row.log_id);
      keys.push(
        ...modeKeys(mode, {
          flags,
          opened: Number(row[`p${mode}`]) === 1,
          first: first.getTime(),
          links: linksOf.get(id)?.[mode] ?? new Set<number>(),
          seenIn: seenIn.get(id)?.[mode] ?? new Set<string>(),
        }),
      );
    }
    out.set(Number(row.log_id), { deliveryId: Number(row.delivery_id), keys });
  }
  return out;
};

/**
 * The keys' version, kept in the fill marker: a version with other keys (2 added unsubscribed and mirrored, 3 the
 * clicked links and the places seen in, 4 each log's countedKinds beside its countedAs, 5 a column of places since
 * replaced by the place-count rollup) finds no marker of its own at boot, and fills again.
 */
const KEYS_VERSION = 5;

/**
 * Fills the rollup and every log's countedAs (and countedKinds) from the stored events unless a process of this
 * version already did (the marker row), and the place counts derived from them (db/place-counts.ts). With `rebuild`,
 * both are cleared and computed again. Returns the number of messages counted, or null when already filled.
 */
export const fillMessageCounts = async (
  strapi: Core.Strapi,
  options: { rebuild?: boolean } = {},
): Promise<number | null> => {
  const store = createMessageCountStore(strapi);
  const { table, column } = store.table();
  const logs = tableOf(strapi, UID.deliveryLog);
  // Processes booting together: one claims the marker and fills; on MariaDB the others' waiting inserts of the
  // marker can lose a deadlock to its clean-up, and run again to find the marker there.
  return retryLockConflicts(() =>
    knexOf(strapi).transaction(async (trx) => {
      if (options.rebuild) await trx(table).delete();
      // Delivery 0, which no delivery has; its quarter is the version of the keys.
      const marker = { deliveryId: 0, mode: 0, kind: 'reacted', quarter: KEYS_VERSION, trackedLinkId: 0, seenIn: '' };
      if (!(await claimFill(strapi, trx, MESSAGE_COUNTS.uid, { ...marker, n: 0 }))) return null;
      // What an earlier version counted goes: its rows and marker, and every log's countedAs.
      const earlier = await trx(table)
        .where(column('deliveryId'), 0)
        .whereNot(column('quarter'), KEYS_VERSION)
        .first('id');
      if (earlier) {
        await trx(table).where(column('deliveryId'), '>', 0).orWhere(column('quarter'), '<>', KEYS_VERSION).delete();
        await trx(logs.table)
          .whereNotNull(logs.column('countedAs'))
          .update({
            [logs.column('countedAs')]: null,
            [logs.column('countedKinds')]: null,
          });
      }
      const messages = await messageKeysFromEvents(strapi, trx);
      const deltas: MessageCountDeltas = new Map();
      const ids = [...messages.keys()].sort((a, b) => a - b);
      for (let start = 0; start < ids.length; start += CHUNK) {
        const chunk = ids.slice(start, start + CHUNK);
        const keysByLog = new Map<number, string[]>();
        for (const id of chunk) {
          const { deliveryId, keys } = messages.get(id)!;
          moveKeys(deltas, deliveryId, [], keys);
          keysByLog.set(id, keys);
        }
        await store.writeKeys(trx, keysByLog);
      }
      await store.apply(trx, deltas);
      await refillPlaceCounts(strapi, trx);
      return messages.size;
    }),
  );
};
