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
// ("0r,0i:1964262,3r,3c,..."). Whatever writes tracking-log rows then recomputes the messages it touched, in the same
// transaction: their log rows are locked (a write lock held until commit, so two writers of one message take turns),
// their events read again, the keys derived from them; where they differ from countedAs, the rollup moves from the
// old keys to the new ones. The recomputation is idempotent: it reads the events as they are, whatever the write was
// (new events, late ones, a burst re-flagging clicks as a bot's, a retention purge).
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { UID } from '../../../shared/constants';
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { dbClient, knexOf, tableOf, toCount } from './tables';
import type { SqliteConnection } from './sqlite-driver';
import { QUARTER_MS } from './event-counts';
import { storedTime } from '../reporting/timeline';
import { addCounts, prepareAddCount, removeDeliveryRows, type Rollup } from './rollup-rows';

export type MessageKind =
  'reacted' | 'clicked' | 'pixel' | 'unsubscribed' | 'mirrored' | 'implied' | 'linkClicked' | 'reactedIn';
const KIND_CODES: Record<string, MessageKind> = {
  r: 'reacted',
  c: 'clicked',
  p: 'pixel',
  u: 'unsubscribed',
  m: 'mirrored',
  i: 'implied',
  l: 'linkClicked',
  d: 'reactedIn',
};
/** The kinds a message has or has not, without a quarter, a link or a device and client. */
export type PlainKind = Exclude<MessageKind, 'implied' | 'linkClicked' | 'reactedIn'>;
/** A message's key of a plain kind in an include mode, as its countedAs lists it ("0r", "3c"). */
export const kindKey = (mode: number, kind: PlainKind): string =>
  `${mode}${Object.keys(KIND_CODES).find((code) => KIND_CODES[code] === kind)}`;

/**
 * The event types that give a message a kind of their own (besides reacted, which any type gives, and pixel), and the
 * kind's letter, in the order a message's keys list them.
 */
export const KIND_OF_TYPE: Readonly<Record<string, string>> = { click: 'c', unsubscribe: 'u', mirror: 'm' };
const FLAG_CODES = Object.values(KIND_OF_TYPE);

/** An include mode as a number: 2 when bots are counted, plus 1 when machine opens are. */
export const modeOf = (include: IndicatorsInclude): number => (include.bots ? 2 : 0) + (include.machine ? 1 : 0);

/** The fields of an event the keys of its message depend on. */
export interface MessageEvent {
  type: unknown;
  at: unknown;
  trackedLinkId: unknown;
  device: unknown;
  client: unknown;
  isBot: unknown;
  isMachineOpen: unknown;
}

const flag = (value: unknown): boolean => value === true || Number(value) === 1;

/** A click's tracked link in a message's keys: 0 when it has none (a unique index treats NULLs as distinct). */
export const linkOf = (event: MessageEvent): number => Number(event.trackedLinkId ?? 0) || 0;

const seenPart = (value: unknown): string =>
  value === null || value === undefined ? '' : `=${encodeURIComponent(String(value))}`;

/**
 * Where an event was seen, as a message's key and the rollup's seenIn column hold it: "<device>|<client>", each
 * "=" and URI-encoded when known, empty when not, so that no name passes for an unknown one and no key holds a comma,
 * a colon or a second bar.
 */
export const seenInOf = (event: Pick<MessageEvent, 'device' | 'client'>): string =>
  `${seenPart(event.device)}|${seenPart(event.client)}`;

/** The device and client a seenIn value names. */
export const parseSeenIn = (value: string): { device: string | null; client: string | null } => {
  const [device, client] = value.split('|').map((part) => (part === '' ? null : decodeURIComponent(part.slice(1))));
  return { device: device ?? null, client: client ?? null };
};

/** What a message has in one include mode, its keys are made of. */
export interface ModeFacts {
  /** The letters of the kinds it has (KIND_OF_TYPE). */
  flags: Set<string>;
  opened: boolean;
  /** The first counted event, in epoch milliseconds. */
  first: number;
  links: Set<number>;
  seenIn: Set<string>;
}

/**
 * A mode's keys in their one order: reacted, the kinds' flags, pixel or implied, the clicked links ascending, then
 * where its events were seen, in code-unit order.
 */
export const modeKeys = (mode: number, { flags, opened, first, links, seenIn }: ModeFacts): string[] => [
  `${mode}r`,
  ...FLAG_CODES.filter((code) => flags.has(code)).map((code) => `${mode}${code}`),
  opened ? `${mode}p` : `${mode}i:${Math.floor(first / QUARTER_MS)}`,
  ...[...links].sort((a, b) => a - b).map((link) => `${mode}l:${link}`),
  ...[...seenIn].sort().map((place) => `${mode}d:${place}`),
];

/**
 * The rollup keys of one message, from its events: for each include mode with a counted event, "<mode>r", "<mode>c"
 * with a counted click, "<mode>u" with a counted unsubscription, "<mode>m" with a counted mirror view, "<mode>p" with
 * a counted open event or else "<mode>i:<quarter of the first counted event>", "<mode>l:<tracked link>" for each
 * link with a counted click and "<mode>d:<device>|<client>" for each place a counted event was seen in.
 */
export const messageKeys = (events: MessageEvent[]): string[] => {
  const keys: string[] = [];
  for (let mode = 0; mode < 4; mode += 1) {
    let first: number | null = null;
    let opened = false;
    const flags = new Set<string>();
    const links = new Set<number>();
    const seenIn = new Set<string>();
    for (const event of events) {
      if (mode < 2 && flag(event.isBot)) continue;
      if (mode % 2 === 0 && flag(event.isMachineOpen)) continue;
      const at = storedTime(event.at);
      if (!at) continue;
      if (first === null || at.getTime() < first) first = at.getTime();
      if (event.type === 'open') opened = true;
      if (event.type === 'click') links.add(linkOf(event));
      seenIn.add(seenInOf(event));
      const code = KIND_OF_TYPE[String(event.type)];
      if (code) flags.add(code);
    }
    if (first === null) continue;
    keys.push(...modeKeys(mode, { flags, opened, first, links, seenIn }));
  }
  return keys;
};

/**
 * The keys of a message after `added` events joined it, from its keys before and those of the added events alone,
 * without reading its other events: exact for insertions (a re-flag or a deletion needs messageKeys over all of
 * them). Per mode: counted before or now; a click (unsubscription, mirror view, open event) before or now; else the
 * earlier implied quarter; the links clicked and the places seen in before or now.
 */
export const addedKeys = (before: string[], added: MessageEvent[]): string[] => {
  const fresh = messageKeys(added);
  const keys: string[] = [];
  for (let mode = 0; mode < 4; mode += 1) {
    const of = (tokens: string[]) => tokens.filter((token) => Number(token[0]) === mode);
    const [old, now] = [of(before), of(fresh)];
    if (now.length === 0 || old.length === 0) {
      keys.push(...(now.length === 0 ? old : now));
      continue;
    }
    const both = [...old, ...now];
    const flags = new Set(both.map((token) => token.slice(1)).filter((code) => FLAG_CODES.includes(code)));
    const valuesOf = (code: string) => both.filter((token) => token[1] === code).map((token) => token.slice(3));
    keys.push(
      ...modeKeys(mode, {
        flags,
        opened: both.includes(`${mode}p`),
        first: Math.min(...valuesOf('i').map(Number)) * QUARTER_MS,
        links: new Set(valuesOf('l').map(Number)),
        seenIn: new Set(valuesOf('d')),
      }),
    );
  }
  return keys;
};

/**
 * When the implied open of one message happens under `include`: its first counted event, if it has no counted open
 * event; null otherwise (no counted event, or a counted open).
 */
export const impliedOpenAt = (events: MessageEvent[], include: IndicatorsInclude): Date | null => {
  let first: Date | null = null;
  for (const event of events) {
    if (!include.bots && flag(event.isBot)) continue;
    if (!include.machine && flag(event.isMachineOpen)) continue;
    if (event.type === 'open') return null;
    const at = storedTime(event.at);
    if (at && (first === null || at < first)) first = at;
  }
  return first;
};

export interface MessageCountKey {
  deliveryId: number;
  mode: number;
  kind: MessageKind;
  /** The implied open's quarter hour; 0 for the other kinds. */
  quarter: number;
  /** The clicked link of a linkClicked key; 0 for the other kinds. */
  trackedLinkId: number;
  /** Where a reactedIn key's events were seen (seenInOf); empty for the other kinds. */
  seenIn: string;
}
export type MessageCountDeltas = Map<string, { key: MessageCountKey; n: number }>;

/** Adds to `deltas` the move of one message from its old keys (countedAs, comma-separated) to its new ones. */
export const moveKeys = (deltas: MessageCountDeltas, deliveryId: number, before: string[], after: string[]): void => {
  const add = (token: string, n: number) => {
    const [code, value] = token.slice(1).split(':');
    const key = {
      deliveryId,
      mode: Number(token[0]),
      kind: KIND_CODES[code],
      quarter: code === 'i' ? Number(value) : 0,
      trackedLinkId: code === 'l' ? Number(value) : 0,
      seenIn: code === 'd' ? value : '',
    };
    const id = `${deliveryId}|${token}`;
    const current = deltas.get(id);
    if (current) current.n += n;
    else deltas.set(id, { key, n });
  };
  for (const token of before) if (!after.includes(token)) add(token, -1);
  for (const token of after) if (!before.includes(token)) add(token, 1);
};

const keysOf = (countedAs: unknown): string[] =>
  typeof countedAs === 'string' && countedAs !== '' ? countedAs.split(',') : [];

const sorted = (deltas: MessageCountDeltas) =>
  [...deltas.values()]
    .filter(({ n }) => n !== 0)
    .sort(
      (a, b) =>
        a.key.deliveryId - b.key.deliveryId ||
        a.key.mode - b.key.mode ||
        (a.key.kind < b.key.kind ? -1 : a.key.kind > b.key.kind ? 1 : 0) ||
        a.key.quarter - b.key.quarter ||
        a.key.trackedLinkId - b.key.trackedLinkId ||
        (a.key.seenIn < b.key.seenIn ? -1 : a.key.seenIn > b.key.seenIn ? 1 : 0),
    );

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

  /** Adds the changes in `db` (a transaction), the count added in SQL. */
  const apply = async (db: Knex | Knex.Transaction, deltas: MessageCountDeltas): Promise<void> =>
    addCounts(
      strapi,
      db,
      MESSAGE_COUNTS,
      sorted(deltas).map(({ key, n }) => ({ ...key, n })),
    );

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
    const locking = dbClient(strapi) !== 'sqlite';
    const { table: logTable, column: l } = logs();
    const { table: eventTable, column: e } = events();
    const deltas: MessageCountDeltas = new Map();
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK);
      const logQuery = trx(logTable)
        .whereIn('id', chunk)
        .orderBy('id')
        .select({ id: 'id', deliveryId: l('deliveryId'), countedAs: l('countedAs') });
      const logRows: Record<string, unknown>[] = await (locking ? logQuery.forUpdate() : logQuery);
      // A share lock on MariaDB only, for its reads to see what committed after the transaction's snapshot.
      const unread = chunk.filter((id) => !added.has(id));
      const eventQuery = trx(eventTable).whereIn(e('deliveryLogId'), unread).select(messageEventColumns(strapi));
      const byLog = groupByMessage(
        unread.length === 0 ? [] : await (dbClient(strapi) === 'mysql' ? eventQuery.forShare() : eventQuery),
      );
      const changed = new Map<number, string | null>();
      for (const row of logRows) {
        const inserted = added.get(Number(row.id));
        const after = inserted
          ? addedKeys(keysOf(row.countedAs), inserted)
          : messageKeys(byLog.get(Number(row.id)) ?? []);
        const countedAs = after.join(',');
        if (countedAs === (row.countedAs ?? '')) continue;
        moveKeys(deltas, Number(row.deliveryId), keysOf(row.countedAs), after);
        changed.set(Number(row.id), countedAs || null);
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
      if (changed.size === 0) continue;
      // One UPDATE for the chunk's changed logs; ids are integers read from the database, the keys are bound.
      const cases = [...changed.keys()].map((id) => `WHEN ${id} THEN ?`).join(' ');
      await trx.raw(`UPDATE ?? SET ?? = CASE ?? ${cases} END WHERE ?? IN (${[...changed.keys()].join(', ')})`, [
        logTable,
        l('countedAs'),
        'id',
        ...changed.values(),
        'id',
      ]);
    }
    await apply(trx, deltas);
  };

  /** The same on one SQLite connection, synchronously (the tracker's transaction), with statements prepared once. */
  const prepareSqlite = (connection: SqliteConnection) => {
    const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;
    const { table: logTable, column: l } = logs();
    const { table: eventTable } = events();
    const { deliveryLogId, ...eventColumns } = messageEventColumns(strapi);
    const readLog = connection.prepare(
      `SELECT ${q(l('deliveryId'))} AS deliveryId, ${q(l('countedAs'))} AS countedAs FROM ${q(logTable)} WHERE "id" = ?`,
    );
    const readEvents = connection.prepare(
      `SELECT ${Object.entries(eventColumns)
        .map(([attribute, name]) => `${q(name)} AS ${attribute}`)
        .join(', ')} FROM ${q(eventTable)} WHERE ${q(deliveryLogId)} = ?`,
    );
    const writeLog = connection.prepare(`UPDATE ${q(logTable)} SET ${q(l('countedAs'))} = ? WHERE "id" = ?`);
    const add = prepareAddCount(strapi, connection, MESSAGE_COUNTS);
    /** `added`: the events a batch inserted per message; `reflagged`: messages whose stored events changed too. */
    return (added: Map<number, MessageEvent[]>, reflagged: Iterable<number>) => {
      const deltas: MessageCountDeltas = new Map();
      const full = new Set(reflagged);
      for (const id of [...new Set([...added.keys(), ...full])].sort((a, b) => a - b)) {
        const [log] = readLog.all(id) as Array<{ deliveryId: unknown; countedAs: unknown }>;
        if (!log) continue;
        const inserted = added.get(id);
        const after =
          inserted && !full.has(id)
            ? addedKeys(keysOf(log.countedAs), inserted)
            : messageKeys(readEvents.all(id) as MessageEvent[]);
        const countedAs = after.join(',');
        if (countedAs === (log.countedAs ?? '')) continue;
        moveKeys(deltas, Number(log.deliveryId), keysOf(log.countedAs), after);
        writeLog.run(countedAs || null, id);
      }
      for (const { key, n } of sorted(deltas)) {
        add([key.deliveryId, key.mode, key.kind, key.quarter, key.trackedLinkId, key.seenIn, n]);
      }
    };
  };

  /** Removes a delivery's rows (its events are being deleted with it). */
  const removeDelivery = (db: Knex | Knex.Transaction, deliveryId: number): Promise<void> =>
    removeDeliveryRows(strapi, db, MESSAGE_COUNTS, deliveryId);

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

  return { table, apply, lock, recompute, prepareSqlite, removeDelivery, rowsOf };
};

export type MessageCountStore = ReturnType<typeof createMessageCountStore>;
