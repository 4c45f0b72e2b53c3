import {
  addedKeys,
  kindBit,
  kindBitsOf,
  messageKeys,
  OVERLONG_PLACE,
  parseSeenIn,
  seenInOf,
  type MessageEvent,
} from '../../server/src/db/message-keys';
import { QUARTER_MS } from '../../server/src/db/event-counts';

const at = (quarter: number, minute = 0) => new Date(quarter * QUARTER_MS + minute * 60_000);
const event = (type: string, quarter: number, extra: Partial<MessageEvent> = {}): MessageEvent => ({
  type,
  at: at(quarter),
  trackedLinkId: null,
  device: 'desktop',
  client: 'Thunderbird',
  isBot: false,
  isMachineOpen: false,
  ...extra,
});

describe("a message's rollup keys", () => {
  it('lists, per include mode, the kinds, the pixel or implied quarter, the clicked links, then where it was seen', () => {
    const keys = messageKeys([
      event('click', 10, { trackedLinkId: 7 }),
      event('click', 11, { trackedLinkId: 3, device: 'mobile', client: 'Gmail' }),
      event('click', 12, { trackedLinkId: 7, isBot: true }),
      event('click', 13, { trackedLinkId: 9, isBot: true, device: 'unknown', client: null }),
    ]);
    const seen = ['d:=desktop|=Thunderbird', 'd:=mobile|=Gmail'];
    // Modes 0 and 1 leave the bots out (link 9 only in 2 and 3); no open event, so an implied open at quarter 10.
    expect(keys).toEqual([
      ...['0r', '0c', '0i:10', '0l:3', '0l:7', ...seen.map((key) => `0${key}`)],
      ...['1r', '1c', '1i:10', '1l:3', '1l:7', ...seen.map((key) => `1${key}`)],
      ...['2r', '2c', '2i:10', '2l:3', '2l:7', '2l:9', ...seen.map((key) => `2${key}`), '2d:=unknown|'],
      ...['3r', '3c', '3i:10', '3l:3', '3l:7', '3l:9', ...seen.map((key) => `3${key}`), '3d:=unknown|'],
    ]);
  });

  it('keys a click without a tracked link as link 0', () => {
    expect(messageKeys([event('click', 5)]).filter((key) => key.startsWith('0'))).toEqual([
      '0r',
      '0c',
      '0i:5',
      '0l:0',
      '0d:=desktop|=Thunderbird',
    ]);
  });

  it('names any device and client in a key without a comma, a colon or a second bar, and an unknown one apart', () => {
    for (const [device, client] of [
      ['desktop', 'Apple Mail'],
      ['mobile', 'Odd, client: a|b=c%2C'],
      ['tablet', 'Courrier électronique'],
      [null, ''],
      ['', null],
      [null, null],
    ]) {
      const seenIn = seenInOf({ device, client });
      expect(seenIn).not.toMatch(/[,:]/);
      expect(seenIn.split('|')).toHaveLength(2);
      expect(parseSeenIn(seenIn)).toEqual({ device, client });
      // Only the separators are escaped: the value stays as long as the names, give or take a few signs.
      expect(seenIn.length).toBeLessThanOrEqual(String(device ?? '').length + String(client ?? '').length + 15);
    }
  });

  it('names a device and client too long for the rollup as one overlong place', () => {
    expect(seenInOf({ device: 'desktop', client: 'x'.repeat(245) })).toHaveLength(255);
    expect(seenInOf({ device: 'desktop', client: 'x'.repeat(246) })).toBe(OVERLONG_PLACE);
    expect(seenInOf({ device: 'desktop', client: ','.repeat(100) })).toBe(OVERLONG_PLACE);
  });

  it('gives, for added events, the keys of all the events together', () => {
    // Random messages: the keys from the earlier events plus the added ones equal the keys of all of them.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const types = ['open', 'click', 'unsubscribe', 'mirror'];
    const clients = [null, 'Gmail', 'Apple Mail', 'Outlook'];
    for (let run = 0; run < 500; run += 1) {
      const make = () =>
        Array.from({ length: Math.floor(random() * 4) }, () =>
          event(types[Math.floor(random() * 4)], 100 + Math.floor(random() * 20), {
            trackedLinkId: random() < 0.2 ? null : 1 + Math.floor(random() * 4),
            device: random() < 0.5 ? 'desktop' : 'mobile',
            client: clients[Math.floor(random() * clients.length)],
            isBot: random() < 0.3,
            isMachineOpen: random() < 0.3,
          }),
        );
      const earlier = make();
      // Half the time the added events repeat earlier ones a few quarters before or after: what a reader clicking
      // again does, which most often changes nothing.
      const added =
        random() < 0.5 || earlier.length === 0
          ? make()
          : earlier.map((e) => ({
              ...e,
              at: at((e.at as Date).getTime() / QUARTER_MS + Math.floor(random() * 5) - 2),
            }));
      if (added.length === 0) continue;
      expect(addedKeys(messageKeys(earlier), added)).toEqual(messageKeys([...earlier, ...added]));
    }
  });

  it('keeps the keys as they are when the added events bring nothing new, and moves an earlier implied quarter', () => {
    const before = messageKeys([event('click', 10, { trackedLinkId: 7 })]);

    expect(addedKeys(before, [event('click', 12, { trackedLinkId: 7 })])).toBe(before);
    expect(addedKeys(before, [event('click', 9, { trackedLinkId: 7 })])).toEqual(
      messageKeys([event('click', 9, { trackedLinkId: 7 })]),
    );
    expect(addedKeys(before, [event('click', 12, { trackedLinkId: 7, client: 'Gmail' })])).not.toBe(before);
  });

  it('holds the plain keys of every mode as bits, one per kind and mode, and nothing of the others', () => {
    const keys = messageKeys([
      event('click', 10, { trackedLinkId: 7 }),
      event('open', 11, { isMachineOpen: true }),
      event('unsubscribe', 12, { isBot: true }),
    ]);
    const bits = kindBitsOf(keys);
    const kinds = ['reacted', 'clicked', 'pixel', 'unsubscribed', 'mirrored'] as const;
    const held = [0, 1, 2, 3].flatMap((mode) =>
      kinds.filter((kind) => (bits & kindBit(mode, kind)) !== 0).map((kind) => `${mode} ${kind}`),
    );
    // Mode 0 counts the click only; 1 adds the machine open; 2 the bot's unsubscription; 3 all three.
    expect(held).toEqual([
      '0 reacted',
      '0 clicked',
      '1 reacted',
      '1 clicked',
      '1 pixel',
      '2 reacted',
      '2 clicked',
      '2 unsubscribed',
      '3 reacted',
      '3 clicked',
      '3 pixel',
      '3 unsubscribed',
    ]);
    // Twenty distinct bits, all of them in a 32-bit integer.
    const every = [0, 1, 2, 3].flatMap((mode) => kinds.map((kind) => kindBit(mode, kind)));
    expect(new Set(every).size).toBe(20);
    expect(Math.max(...every)).toBeLessThan(2 ** 31);
    expect(kindBitsOf(['0i:5', '0l:3', '0d:=desktop|='])).toBe(0);
  });
});
