// The place-count rollup (content type place-count): per delivery, list, recipient domain, include mode and place
// projection (the device, the mail client, or both), how many delivery logs have a counted event seen there. Unique
// opens by device or client and by domain or list (reporting/report-place-counts.ts) sum its rows instead of reading
// every log with a reaction (docs/ARCHITECTURE.md, "Place counts").
//
// A log counts once per projected name, whatever number of its places give that name (a message seen in Gmail on a
// phone and on a desktop is one of Gmail's), so the rows are derived from each log's keys (countedAs: its `<mode>d:`
// places, db/message-keys.ts) and its list and domain, and move whenever either changes: with the keys, by their
// writers (db/message-counts.ts), in the same transaction; with the log, by whatever changes or deletes it (the
// retention purge, a delivery's deletion, the query-engine hooks in db/place-count-hooks.ts).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import { knexOf, lockedRead, tableOf, toCount } from './tables';
import type { SqliteConnection } from './sqlite-driver';
import { addCounts, claimFill, inKeyOrder, prepareAddCount, type Rollup, type RollupCount } from './rollup-rows';
import { retryLockConflicts } from './lock-conflicts';
import { OVERLONG_PLACE, storedKeys } from './message-keys';

export const PLACE_COUNTS: Rollup = {
  uid: UID.placeCount,
  key: ['deliveryId', 'listId', 'domain', 'mode', 'projection', 'name'],
};

/** What a row's name projects a place onto: its device, its mail client, or both (the whole seenIn value). */
export const PROJECTION = { device: 0, client: 1, place: 2 } as const;

/** The fields of a delivery log its rows depend on, besides its keys. */
export interface PlaceLog {
  deliveryId: unknown;
  listId: unknown;
  recipientDomain: unknown;
}

/**
 * Changes by key: deliveryId, listId (0 for a log without a list), domain (domainKeyOf), mode, projection and name
 * (the device part of a seenIn value, "=mobile" or empty when unknown, its client part, or the whole value), and n.
 */
export type PlaceCountDeltas = Map<string, RollupCount>;

/** The rollup's domain value of a log's recipient domain (a null domain and an empty one stay apart). */
export const domainKeyOf = (domain: unknown): string => {
  if (domain === null || domain === undefined) return '';
  const key = `=${String(domain)}`;
  return key.length > 255 ? OVERLONG_PLACE : key;
};

/** The domain a row's domain value stands for: null for none. */
export const domainOfKey = (key: string): string | null => (key === '' ? null : key.slice(1));

/** The place keys (`<mode>d:<seenIn>`) among a log's keys, joined: logs whose places did not change hold the same. */
const placeKeysOf = (keys: readonly string[]): string =>
  keys.filter((key) => key[1] === 'd' && key[2] === ':').join(',');

/** Each "<mode><projection><name>" a log's keys count it under, once. */
export const placeTokensOf = (keys: readonly string[]): Set<string> => {
  const tokens = new Set<string>();
  for (const key of keys) {
    if (key[1] !== 'd' || key[2] !== ':') continue;
    const mode = key[0];
    const seenIn = key.slice(3);
    if (seenIn === OVERLONG_PLACE) {
      for (const projection of Object.values(PROJECTION)) tokens.add(`${mode}${projection}${OVERLONG_PLACE}`);
      continue;
    }
    // The separator is the one bar: names have theirs escaped (db/message-keys.ts, seenInOf).
    const bar = seenIn.indexOf('|');
    tokens.add(`${mode}${PROJECTION.device}${seenIn.slice(0, bar)}`);
    tokens.add(`${mode}${PROJECTION.client}${seenIn.slice(bar + 1)}`);
    tokens.add(`${mode}${PROJECTION.place}${seenIn}`);
  }
  return tokens;
};

/** A log's part of its rows' keys, and that part as one string. */
const logKeyOf = (log: PlaceLog) => {
  const deliveryId = Number(log.deliveryId);
  const listId = log.listId === null || log.listId === undefined ? 0 : Number(log.listId);
  const domain = domainKeyOf(log.recipientDomain);
  return { deliveryId, listId, domain, id: `${deliveryId}\u0000${listId}\u0000${domain}` };
};

const addToken = (deltas: PlaceCountDeltas, log: PlaceLog, token: string, n: number) => {
  const { id: logId, deliveryId, listId, domain } = logKeyOf(log);
  const id = `${logId}\u0000${token}`;
  const current = deltas.get(id);
  if (current) current.n = Number(current.n) + n;
  else
    deltas.set(id, {
      deliveryId,
      listId,
      domain,
      mode: Number(token[0]),
      projection: Number(token[1]),
      name: token.slice(2),
      n,
    });
};

/**
 * Adds to `deltas` the move of one log from its old keys to its new ones, and from `log` to `to` when its list,
 * domain or delivery changed too. Nothing when neither its places nor the log changed (most of a tracker's writes).
 */
export const movePlaces = (
  deltas: PlaceCountDeltas,
  log: PlaceLog,
  before: readonly string[],
  after: readonly string[],
  to: PlaceLog = log,
): void => {
  const sameLog = to === log || logKeyOf(to).id === logKeyOf(log).id;
  if (sameLog && placeKeysOf(before) === placeKeysOf(after)) return;
  const [gone, added] = [placeTokensOf(before), placeTokensOf(after)];
  for (const token of gone) if (!sameLog || !added.has(token)) addToken(deltas, log, token, -1);
  for (const token of added) if (!sameLog || !gone.has(token)) addToken(deltas, to, token, 1);
};

export const createPlaceCountStore = (strapi: Core.Strapi) => {
  const logs = () => tableOf(strapi, UID.deliveryLog);

  const apply = (db: Knex | Knex.Transaction, deltas: PlaceCountDeltas): Promise<void> =>
    addCounts(strapi, db, PLACE_COUNTS, inKeyOrder(deltas, PLACE_COUNTS));

  /** The upsert on the tracker's SQLite connection: applies the changes, in key order. */
  const prepareSqlite = (connection: SqliteConnection) => {
    const add = prepareAddCount(strapi, connection, PLACE_COUNTS);
    return (deltas: PlaceCountDeltas): void => {
      for (const count of inKeyOrder(deltas, PLACE_COUNTS)) {
        add([...PLACE_COUNTS.key.map((attribute) => count[attribute]), count.n]);
      }
    };
  };

  /** A select of what a log's rows depend on (knex's alias object). */
  const logColumns = () => {
    const { column } = logs();
    return {
      id: 'id',
      deliveryId: column('deliveryId'),
      listId: column('listId'),
      recipientDomain: column('recipientDomain'),
      countedAs: column('countedAs'),
    };
  };

  /**
   * Takes out the rows of these logs, about to be deleted in `trx`: their rows are locked first (the writers of their
   * keys take the same locks), and read with their keys.
   */
  const removeLogs = async (trx: Knex.Transaction, ids: number[]): Promise<void> => {
    if (ids.length === 0) return;
    const rows: Array<PlaceLog & { countedAs: unknown }> = await lockedRead(
      strapi,
      trx(logs().table).whereIn('id', ids).whereNotNull(logs().column('countedAs')).orderBy('id').select(logColumns()),
    );
    const deltas: PlaceCountDeltas = new Map();
    for (const row of rows) movePlaces(deltas, row, storedKeys(row.countedAs), []);
    await apply(trx, deltas);
  };

  /** The rollup's rows as the logs' keys give them, for the fill and the checks that compare the two. */
  const countsFromLogs = async (db: Knex | Knex.Transaction): Promise<PlaceCountDeltas> => {
    const deltas: PlaceCountDeltas = new Map();
    const { table, column } = logs();
    for (let lastId = 0; ;) {
      const rows: Array<PlaceLog & { id: unknown; countedAs: unknown }> = await db(table)
        .where('id', '>', lastId)
        .whereNotNull(column('countedAs'))
        .orderBy('id')
        .limit(5_000)
        .select(logColumns());
      if (rows.length === 0) break;
      for (const row of rows) movePlaces(deltas, row, [], storedKeys(row.countedAs));
      lastId = Number(rows[rows.length - 1].id);
    }
    return deltas;
  };

  /** Rows as stored (non-zero, the fill marker left out). */
  const rows = async (): Promise<RollupCount[]> => {
    const { table, column } = tableOf(strapi, UID.placeCount);
    const found: Record<string, unknown>[] = await knexOf(strapi)(table)
      .where(column('n'), '<>', 0)
      .where(column('deliveryId'), '>', 0)
      .select(Object.fromEntries([...PLACE_COUNTS.key, 'n'].map((attribute) => [attribute, column(attribute)])));
    return found.map((row) => {
      const count: RollupCount = {};
      for (const [attribute, value] of Object.entries(row))
        count[attribute] = typeof value === 'string' && attribute !== 'n' ? value : toCount(value);
      return count;
    });
  };

  return { apply, prepareSqlite, removeLogs, countsFromLogs, rows, logColumns };
};

/** The fill marker: delivery 0, which no delivery has. */
const MARKER = { deliveryId: 0, listId: 0, domain: '', mode: 0, projection: 0, name: '', n: 0 };

/** Computes the rollup again from the logs' keys in `trx` (its marker claimed). Returns the number of rows. */
const countPlaces = async (strapi: Core.Strapi, trx: Knex.Transaction): Promise<number> => {
  const { table, column } = tableOf(strapi, UID.placeCount);
  await trx(table).where(column('deliveryId'), '>', 0).delete();
  const counts = inKeyOrder(await createPlaceCountStore(strapi).countsFromLogs(trx), PLACE_COUNTS);
  await addCounts(strapi, trx, PLACE_COUNTS, counts);
  return counts.length;
};

/** The same after the keys were computed again (db/message-count-fill.ts), claiming the marker if it is not there. */
export const refillPlaceCounts = async (strapi: Core.Strapi, trx: Knex.Transaction): Promise<number> => {
  await claimFill(strapi, trx, UID.placeCount, MARKER);
  return countPlaces(strapi, trx);
};

/**
 * Fills the rollup from the logs' keys unless a process already did (MARKER): once, at the first boot of a version
 * that has it. The message-count fill (db/message-count-fill.ts), which computes the keys again, refills it too.
 * Returns the number of rows written, or null when already filled.
 */
export const fillPlaceCounts = async (strapi: Core.Strapi): Promise<number | null> =>
  retryLockConflicts(() =>
    knexOf(strapi).transaction(async (trx) => {
      if (!(await claimFill(strapi, trx, UID.placeCount, MARKER))) return null;
      return countPlaces(strapi, trx);
    }),
  );
