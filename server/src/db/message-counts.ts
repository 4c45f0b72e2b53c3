// The message-count rollup (content type message-count): per delivery and include mode, how many messages (delivery
// logs) have a counted event of any kind ("reacted"), a counted event per device and mail client ("reactedIn"), a
// counted click ("clicked"), a counted click per tracked link ("linkClicked"), a counted open event ("pixel"), a
// counted unsubscription ("unsubscribed"), a counted mirror view ("mirrored"), and, per quarter hour, an implied open:
// a counted reaction but no counted open event, placed at the message's first counted event
// (reporting/indicator-formulas.ts, totalOpens). The mixed include modes' left-out recipients, the timeline's implied
// opens and the report builder's all-time unique counts, by delivery, tracked link or device and client
// (reporting/report-rollups.ts), read it instead of grouping events per message.
//
// How it stays equal to the events: each delivery log keeps, in its countedAs column, the rollup keys it adds
// ("0r,0i:1964262,3r,3c,...", db/message-keys.ts). Whatever writes tracking-log rows then recomputes the messages it touched, in the same
// transaction: their log rows are locked (a write lock held until commit, so two writers of one message take turns),
// their events read again, the keys derived from them; where they differ from countedAs, the rollup moves from the
// old keys to the new ones. The recomputation is idempotent: it reads the events as they are, whatever the write was
// (new events, late ones, a burst re-flagging clicks as a bot's, a retention purge).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { dbClient, knexOf, lockedRead, tableOf, toCount } from './tables';
import type { SqliteConnection } from './sqlite-driver';
import { addCounts, changesInKeyOrder, prepareAddCount, removeDeliveryRows, type Rollup } from './rollup-rows';
import { createMessageDayStore } from './message-days';
import { messageDaysOf, type MessageDay } from './message-day-masks';
import { newDayCountDeltas } from './day-counts';
import { createPlaceCountStore, movePlaces, PLACE_COUNTS, type PlaceCountDeltas, type PlaceLog } from './place-counts';
import {
  addedKeys,
  kindBitsOf,
  messageKeys,
  moveKeys,
  storedKeys,
  type MessageCountDeltas,
  type MessageCountKey,
  type MessageEvent,
  type MessageKind,
} from './message-keys';

const CHUNK = 500;
export const MESSAGE_COUNTS: Rollup = {
  uid: UID.messageCount,
  key: ['deliveryId', 'mode', 'kind', 'quarter', 'trackedLinkId', 'seenIn'],
};

/** The columns a message's keys are computed from, for a select of tracking-log rows (knex's alias object). */
export const messageEventColumns = (strapi: Core.Strapi) => {
  const { column } = tableOf(strapi, UID.trackingLog);
  return {
    deliveryLogId: column('deliveryLogId'),
    deliveryId: column('deliveryId'),
    type: column('type'),
    at: column('at'),
    trackedLinkId: column('trackedLinkId'),
    device: column('device'),
    client: column('client'),
    isBot: column('isBot'),
    isMachineOpen: column('isMachineOpen'),
  };
};

/** Events read with messageEventColumns, grouped by message. */
export const groupByMessage = (rows: Array<MessageEvent & { deliveryLogId: unknown }>): Map<number, MessageEvent[]> => {
  const byLog = new Map<number, MessageEvent[]>();
  for (const row of rows) {
    const id = Number(row.deliveryLogId);
    const own = byLog.get(id);
    if (own) own.push(row);
    else byLog.set(id, [row]);
  }
  return byLog;
};

export const createMessageCountStore = (strapi: Core.Strapi) => {
  const table = () => tableOf(strapi, UID.messageCount);
  const logs = () => tableOf(strapi, UID.deliveryLog);
  const events = () => tableOf(strapi, UID.trackingLog);
  const days = createMessageDayStore(strapi);
  const places = createPlaceCountStore(strapi);

  /** Adds the changes in `db` (a transaction), the count added in SQL. */
  const apply = async (db: Knex | Knex.Transaction, deltas: MessageCountDeltas): Promise<void> =>
    addCounts(
      strapi,
      db,
      MESSAGE_COUNTS,
      changesInKeyOrder(deltas, MESSAGE_COUNTS).map(({ key, n }) => ({ ...key, n })),
    );

  /**
   * Writes these logs' keys: countedAs and countedKinds (their plain keys' bits, db/message-keys.ts, kindBitsOf), in
   * one UPDATE. Ids (read from the database) and bits are integers written out; the keys are bound.
   */
  const writeKeys = async (db: Knex | Knex.Transaction, keysByLog: Map<number, string[]>): Promise<void> => {
    if (keysByLog.size === 0) return;
    const { table: logTable, column: l } = logs();
    const entries = [...keysByLog];
    const keys = entries.map(([id]) => `WHEN ${id} THEN ?`).join(' ');
    const bits = entries.map(([id, after]) => `WHEN ${id} THEN ${kindBitsOf(after)}`).join(' ');
    await db.raw(
      `UPDATE ?? SET ?? = CASE ?? ${keys} END, ?? = CASE ?? ${bits} END ` +
        `WHERE ?? IN (${entries.map(([id]) => id).join(', ')})`,
      [
        logTable,
        l('countedAs'),
        'id',
        ...entries.map(([, after]) => after.join(',') || null),
        l('countedKinds'),
        'id',
        'id',
      ],
    );
  };

  /**
   * Locks these messages' log rows (id order), before their events are written: every writer of events takes the log
   * rows first, then the events, so two writers of one message take turns and never wait for each other crosswise.
   */
  const lock = async (trx: Knex.Transaction, deliveryLogIds: Iterable<number>): Promise<void> => {
    if (dbClient(strapi) === 'sqlite') return;
    const ids = [...new Set(deliveryLogIds)].sort((a, b) => a - b);
    for (let start = 0; start < ids.length; start += CHUNK) {
      await trx(logs().table)
        .whereIn('id', ids.slice(start, start + CHUNK))
        .orderBy('id')
        .select('id')
        .forUpdate();
    }
  };

  /**
   * Recomputes the keys of these messages from their events, in `trx`, after a write of their events. Their log rows
   * are locked first (in id order); on MariaDB the locking reads also see what committed since the snapshot.
   */
  const recompute = async (
    trx: Knex.Transaction,
    deliveryLogIds: Iterable<number>,
    options: {
      /** Events just deleted (the purge): for the messages whose log row is already gone. */
      deleted?: Array<MessageEvent & { deliveryId: unknown; deliveryLogId: unknown }>;
      /** Events just inserted per message, when that is all that changed: their keys follow without a read. */
      added?: Map<number, MessageEvent[]>;
    } = {},
  ): Promise<void> => {
    const { deleted = [], added = new Map<number, MessageEvent[]>() } = options;
    const ids = [...new Set(deliveryLogIds)].filter((id) => Number.isFinite(id)).sort((a, b) => a - b);
    const { table: logTable } = logs();
    const { table: eventTable, column: e } = events();
    const deltas: MessageCountDeltas = new Map();
    const placeDeltas: PlaceCountDeltas = new Map();
    // The message-day rollup (db/message-days.ts): new events' bits added, every other message's rows replaced.
    const addedDays: MessageDay[] = [];
    const replaced: number[] = [];
    const replacedDays: MessageDay[] = [];
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const logRows: Array<PlaceLog & { id: unknown; countedAs: unknown }> = await lockedRead(
        strapi,
        trx(logTable).whereIn('id', chunk).orderBy('id').select(places.logColumns()),
      );
      // A share lock on MariaDB only, for its reads to see what committed after the transaction's snapshot.
      const unread = chunk.filter((id) => !added.has(id));
      const eventQuery = trx(eventTable).whereIn(e('deliveryLogId'), unread).select(messageEventColumns(strapi));
      const byLog = groupByMessage(
        unread.length === 0 ? [] : await (dbClient(strapi) === 'mysql' ? eventQuery.forShare() : eventQuery),
      );
      const deliveryOf = new Map(logRows.map((row) => [Number(row.id), Number(row.deliveryId)]));
      for (const id of chunk) {
        const inserted = added.get(id);
        if (inserted) {
          if (deliveryOf.has(id)) addedDays.push(...messageDaysOf(deliveryOf.get(id)!, id, inserted));
          continue;
        }
        const remaining = (byLog.get(id) ?? []) as Array<MessageEvent & { deliveryId?: unknown }>;
        replaced.push(id);
        if (remaining.length)
          replacedDays.push(...messageDaysOf(deliveryOf.get(id) ?? Number(remaining[0].deliveryId), id, remaining));
      }
      const changed = new Map<number, string[]>();
      for (const row of logRows) {
        const inserted = added.get(Number(row.id));
        const after = inserted
          ? addedKeys(storedKeys(row.countedAs), inserted)
          : messageKeys(byLog.get(Number(row.id)) ?? []);
        const countedAs = after.join(',');
        if (countedAs === (row.countedAs ?? '')) continue;
        moveKeys(deltas, Number(row.deliveryId), storedKeys(row.countedAs), after);
        movePlaces(placeDeltas, row, storedKeys(row.countedAs), after);
        changed.set(Number(row.id), after);
      }
      // Events of a log row already purged (retention deletes old logs whose late events remain): no countedAs to
      // start from, so the move is from the keys with the events just deleted to the keys without them.
      const found = new Set(logRows.map((row) => Number(row.id)));
      for (const id of chunk.filter((logId) => !found.has(logId))) {
        const gone = deleted.filter((event) => Number(event.deliveryLogId) === id);
        if (gone.length === 0) continue;
        const remaining = byLog.get(id) ?? [];
        moveKeys(deltas, Number(gone[0].deliveryId), messageKeys([...remaining, ...gone]), messageKeys(remaining));
      }
      await writeKeys(trx, changed);
    }
    await apply(trx, deltas);
    await places.apply(trx, placeDeltas);
    const dayCounts = newDayCountDeltas();
    await days.orInto(trx, addedDays, dayCounts);
    await days.replace(trx, replaced, replacedDays, dayCounts);
    await days.addDayCounts(trx, dayCounts);
  };

  /** The same on one SQLite connection, synchronously (the tracker's transaction), with statements prepared once. */
  const prepareSqlite = (connection: SqliteConnection) => {
    const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
    const { table: logTable, column: l } = logs();
    const { table: eventTable } = events();
    const { deliveryLogId, ...eventColumns } = messageEventColumns(strapi);
    // Raw rows: an object per row cost more than the read itself, once per message of every batch (bench/README.md).
    const readLog = connection
      .prepare(
        `SELECT ${q(l('deliveryId'))}, ${q(l('countedAs'))}, ${q(l('countedKinds'))}, ${q(l('listId'))}, ` +
          `${q(l('recipientDomain'))} FROM ${q(logTable)} WHERE "id" = ?`,
      )
      .raw(true);
    const readEvents = connection.prepare(
      `SELECT ${Object.entries(eventColumns)
        .map(([attribute, name]) => `${q(name)} AS ${attribute}`)
        .join(', ')} FROM ${q(eventTable)} WHERE ${q(deliveryLogId)} = ?`,
    );
    const writeLog = connection.prepare(
      `UPDATE ${q(logTable)} SET ${q(l('countedAs'))} = ?, ${q(l('countedKinds'))} = ? WHERE "id" = ?`,
    );
    // SQLite rewrites the entries of every index on a column an UPDATE sets, changed or not: the kinds, which the
    // domain indexes hold, are set only when they change (a message's second click on another link keeps them;
    // bench/README.md).
    const writeKeysOnly = connection.prepare(`UPDATE ${q(logTable)} SET ${q(l('countedAs'))} = ? WHERE "id" = ?`);
    const add = prepareAddCount(strapi, connection, MESSAGE_COUNTS);
    const dayRows = days.prepareSqlite(connection);
    const addPlaces = places.prepareSqlite(connection);
    /** `added`: the events a batch inserted per message; `reflagged`: messages whose stored events changed too. */
    return (added: Map<number, MessageEvent[]>, reflagged: Iterable<number>) => {
      const deltas: MessageCountDeltas = new Map();
      const placeDeltas: PlaceCountDeltas = new Map();
      const dayCounts = newDayCountDeltas();
      const full = new Set(reflagged);
      for (const id of [...new Set([...added.keys(), ...full])].sort((a, b) => a - b)) {
        const [row] = readLog.all(id) as unknown[][];
        if (!row) continue;
        const log = {
          deliveryId: row[0],
          countedAs: row[1],
          countedKinds: row[2],
          listId: row[3],
          recipientDomain: row[4],
        };
        const inserted = added.get(id);
        const stored = inserted && !full.has(id) ? null : (readEvents.all(id) as MessageEvent[]);
        if (stored) dayRows.replace(id, messageDaysOf(Number(log.deliveryId), id, stored), dayCounts);
        else dayRows.orInto(id, messageDaysOf(Number(log.deliveryId), id, inserted!), dayCounts);
        const after = stored ? messageKeys(stored) : addedKeys(storedKeys(log.countedAs), inserted!);
        const countedAs = after.join(',');
        if (countedAs === (log.countedAs ?? '')) continue;
        moveKeys(deltas, Number(log.deliveryId), storedKeys(log.countedAs), after);
        movePlaces(placeDeltas, log, storedKeys(log.countedAs), after);
        const bits = kindBitsOf(after);
        if (bits === log.countedKinds) writeKeysOnly.run(countedAs || null, id);
        else writeLog.run(countedAs || null, bits, id);
      }
      for (const { key, n } of changesInKeyOrder(deltas, MESSAGE_COUNTS)) {
        add([key.deliveryId, key.mode, key.kind, key.quarter, key.trackedLinkId, key.seenIn, n]);
      }
      addPlaces(placeDeltas);
      dayRows.addDayCounts(dayCounts);
    };
  };

  /** Removes a delivery's rows (its events are being deleted with it). */
  const removeDelivery = async (db: Knex | Knex.Transaction, deliveryId: number): Promise<void> => {
    await removeDeliveryRows(strapi, db, MESSAGE_COUNTS, deliveryId);
    await removeDeliveryRows(strapi, db, PLACE_COUNTS, deliveryId);
    await days.removeDelivery(db, deliveryId);
  };

  /** Rows as stored (non-zero), for the checks that compare them with the events. */
  const rowsOf = async (deliveryId: number): Promise<Array<MessageCountKey & { n: number }>> => {
    const { table: name, column } = table();
    const rows: Record<string, unknown>[] = await knexOf(strapi)(name)
      .where(column('deliveryId'), deliveryId)
      .where(column('n'), '<>', 0)
      .select(Object.fromEntries([...MESSAGE_COUNTS.key, 'n'].map((attribute) => [attribute, column(attribute)])));
    return rows.map((row) => ({
      deliveryId: Number(row.deliveryId),
      mode: Number(row.mode),
      kind: row.kind as MessageKind,
      quarter: Number(row.quarter),
      trackedLinkId: Number(row.trackedLinkId),
      seenIn: String(row.seenIn ?? ''),
      n: toCount(row.n),
    }));
  };

  return { table, apply, writeKeys, lock, recompute, prepareSqlite, removeDelivery, rowsOf };
};

export type MessageCountStore = ReturnType<typeof createMessageCountStore>;
