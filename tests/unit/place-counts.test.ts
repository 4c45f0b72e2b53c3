import {
  domainKeyOf,
  domainOfKey,
  movePlaces,
  PLACE_COUNTS,
  placeTokensOf,
  type PlaceCountDeltas,
} from '../../server/src/db/place-counts';
import { inKeyOrder } from '../../server/src/db/rollup-rows';
import { messageKeys, OVERLONG_PLACE, type MessageEvent } from '../../server/src/db/message-keys';

const event = (type: string, extra: Partial<MessageEvent> = {}): MessageEvent => ({
  type,
  at: new Date('2026-12-01T10:00:00Z'),
  trackedLinkId: null,
  device: 'desktop',
  client: 'Gmail',
  isBot: false,
  isMachineOpen: false,
  ...extra,
});
const log = { deliveryId: 4, listId: 7, recipientDomain: 'example.com' };
/** The changes in the rollup key's order (the order they are written in). */
const sorted = (deltas: PlaceCountDeltas) => inKeyOrder(deltas, PLACE_COUNTS);
/** The changes as "<mode> <projection> <name> <n>" for one log's key, in key order. */
const moved = (deltas: PlaceCountDeltas) =>
  sorted(deltas).map((row) => `${row.mode} ${row.projection} ${row.name} ${row.n}`);

describe('place counts', () => {
  it('counts a message once per device, client and place it was seen in, in each mode it was counted in', () => {
    const keys = messageKeys([
      event('open', { device: 'mobile' }),
      event('open', { device: 'desktop' }),
      event('click', { isBot: true, client: null, trackedLinkId: 3 }),
    ]);
    const tokens = placeTokensOf(keys);
    // Mode 0: Gmail once though seen on two devices; the bot's click only in modes 2 and 3, its client unknown.
    expect([...tokens].filter((token) => token.startsWith('0')).sort()).toEqual([
      '00=desktop',
      '00=mobile',
      '01=Gmail',
      '02=desktop|=Gmail',
      '02=mobile|=Gmail',
    ]);
    expect([...tokens].filter((token) => token.startsWith('2')).sort()).toEqual([
      '20=desktop',
      '20=mobile',
      '21',
      '21=Gmail',
      '22=desktop|',
      '22=desktop|=Gmail',
      '22=mobile|=Gmail',
    ]);
    expect(placeTokensOf(['0r', '0p', '0l:3']).size).toBe(0);
    expect([...placeTokensOf([`1d:${OVERLONG_PLACE}`])].sort()).toEqual(['10!', '11!', '12!']);
  });

  it('moves only what a change of keys changes, and everything when the log changes', () => {
    const before = ['0r', '0d:=desktop|=Gmail'];
    const after = ['0r', '0c', '0l:3', '0d:=desktop|=Gmail', '0d:=mobile|=Gmail'];
    const deltas: PlaceCountDeltas = new Map();
    movePlaces(deltas, log, before, after);
    // Gmail was counted already: only the new device and place.
    expect(moved(deltas)).toEqual(['0 0 =mobile 1', '0 2 =mobile|=Gmail 1']);

    const same: PlaceCountDeltas = new Map();
    movePlaces(same, log, before, ['0r', '0c', '0d:=desktop|=Gmail']);
    expect(same.size).toBe(0);

    // Another domain: out of the old one, into the new one.
    const moving: PlaceCountDeltas = new Map();
    movePlaces(moving, log, before, before, { ...log, recipientDomain: 'example.org' });
    expect(sorted(moving).map((row) => `${row.domain} ${row.projection} ${row.n}`)).toEqual([
      '=example.com 0 -1',
      '=example.com 1 -1',
      '=example.com 2 -1',
      '=example.org 0 1',
      '=example.org 1 1',
      '=example.org 2 1',
    ]);
    // Deleted: every row it was counted in goes down.
    const gone: PlaceCountDeltas = new Map();
    movePlaces(gone, { ...log, listId: null }, after, []);
    expect(sorted(gone).every((row) => row.n === -1 && row.listId === 0)).toBe(true);
    expect(sorted(gone)).toHaveLength(5);
  });

  it('keeps a log without a domain apart from an empty domain, and marks a domain too long for the column', () => {
    expect([domainKeyOf(null), domainKeyOf(''), domainKeyOf('a.example')]).toEqual(['', '=', '=a.example']);
    expect([domainOfKey(''), domainOfKey('='), domainOfKey('=a.example')]).toEqual([null, '', 'a.example']);
    expect(domainKeyOf('x'.repeat(254))).toHaveLength(255);
    expect(domainKeyOf('x'.repeat(255))).toBe(OVERLONG_PLACE);
  });
});
