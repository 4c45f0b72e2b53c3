// A message's keys in the message-count rollup (db/message-counts.ts): what its events make of it per include mode,
// the tokens its delivery log's countedAs lists ("0r,0c,0i:1964262,0l:12,0d:=desktop|=Gmail,3r,..."), and the rollup
// row each token counts in. No database here: the store reads and writes them.
import type { IndicatorsInclude } from '../../../shared/contracts/monitoring';
import { linkOf, QUARTER_MS } from './event-counts';
import { storedTime } from '../reporting/timeline';
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

/** The plain kinds' letters, in the order of their bits (kindBit). */
const PLAIN_CODES = 'rcpum';

/**
 * The bit of a plain kind in an include mode, in a log's countedKinds (the plain keys of its countedAs as one
 * integer: five bits per mode), which an index can hold and SQL can test where a LIKE over countedAs would read
 * every log's row (reporting/report-rollups.ts, logKeySql).
 */
export const kindBit = (mode: number, kind: PlainKind): number =>
  1 << (mode * PLAIN_CODES.length + PLAIN_CODES.indexOf(kindKey(0, kind)[1]));

/** A log's countedKinds from its countedAs keys: the bits of its plain keys (0 without any). */
export const kindBitsOf = (keys: readonly string[]): number => {
  let bits = 0;
  for (const key of keys) {
    const code = key.length === 2 ? PLAIN_CODES.indexOf(key[1]) : -1;
    if (code >= 0) bits |= 1 << (Number(key[0]) * PLAIN_CODES.length + code);
  }
  return bits;
};

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

/** Whether an include mode counts an event: bots only in modes 2 and 3, machine opens only in modes 1 and 3. */
export const countedIn = (event: Pick<MessageEvent, 'isBot' | 'isMachineOpen'>, mode: number): boolean =>
  !(mode < 2 && flag(event.isBot)) && !(mode % 2 === 0 && flag(event.isMachineOpen));

/** The characters a key's separators use, and the escape's own sign, escaped as in a URL ("%2C"). */
const SEPARATORS = /[%,:|]/g;
const seenPart = (value: unknown): string =>
  value === null || value === undefined
    ? ''
    : `=${String(value).replace(SEPARATORS, (sign) => `%${sign.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * The place of every event whose device and client are too long for the rollup's seenIn column (255 characters):
 * only an application's own tracking-log rows can have such names; a report by device and client that meets it reads
 * the events instead (reporting/report-rollups.ts).
 */
export const OVERLONG_PLACE = '!';

/**
 * Where an event was seen, as a message's key and the rollup's seenIn column hold it: "<device>|<client>", each
 * "=" and the name when known (its separators escaped, other characters as they are, so the value stays near the
 * names' length), empty when not, so that no name passes for an unknown one and no key holds a comma, a colon or a
 * second bar; OVERLONG_PLACE past 255 characters.
 */
export const seenInOf = (event: Pick<MessageEvent, 'device' | 'client'>): string => {
  const place = `${seenPart(event.device)}|${seenPart(event.client)}`;
  return place.length > 255 ? OVERLONG_PLACE : place;
};

/** A log's keys as its countedAs column holds them (comma-separated; null or empty for none). */
export const storedKeys = (countedAs: unknown): string[] =>
  typeof countedAs === 'string' && countedAs !== '' ? countedAs.split(',') : [];

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
  // What each event gives, worked out once rather than once per mode; an event without a readable time gives nothing.
  const facts = events.flatMap((event) => {
    const at = storedTime(event.at);
    return at ? [{ event, at: at.getTime(), seenIn: seenInOf(event), code: KIND_OF_TYPE[String(event.type)] }] : [];
  });
  for (let mode = 0; mode < 4; mode += 1) {
    let first: number | null = null;
    let opened = false;
    const flags = new Set<string>();
    const links = new Set<number>();
    const seenIn = new Set<string>();
    for (const { event, at, seenIn: place, code } of facts) {
      if (!countedIn(event, mode)) continue;
      if (first === null || at < first) first = at;
      if (event.type === 'open') opened = true;
      if (event.type === 'click') links.add(linkOf(event));
      seenIn.add(place);
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
  // Most often nothing changes (a reader clicking again, from the same place): every fresh key is held already, or is
  // an implied quarter no earlier than the held one, or held by an open event.
  const held = new Set(before);
  const impliedHeld = (token: string) =>
    token[1] === 'i' &&
    (held.has(`${token[0]}p`) ||
      before.some((old) => old[0] === token[0] && old[1] === 'i' && Number(old.slice(3)) <= Number(token.slice(3))));
  if (fresh.every((token) => held.has(token) || impliedHeld(token))) return before;
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
