import { addedKeys, messageKeys, type MessageEvent } from '../../server/src/db/message-counts';
import { QUARTER_MS } from '../../server/src/db/event-counts';

const at = (quarter: number, minute = 0) => new Date(quarter * QUARTER_MS + minute * 60_000);
const event = (type: string, quarter: number, extra: Partial<MessageEvent> = {}): MessageEvent => ({
  type,
  at: at(quarter),
  trackedLinkId: null,
  isBot: false,
  isMachineOpen: false,
  ...extra,
});

describe("a message's rollup keys", () => {
  it('lists, per include mode, the kinds, the pixel or implied quarter, then the clicked links', () => {
    const keys = messageKeys([
      event('click', 10, { trackedLinkId: 7 }),
      event('click', 11, { trackedLinkId: 3 }),
      event('click', 12, { trackedLinkId: 7, isBot: true }),
      event('click', 13, { trackedLinkId: 9, isBot: true }),
    ]);
    // Modes 0 and 1 leave the bots out (link 9 only in 2 and 3); no open event, so an implied open at quarter 10.
    expect(keys).toEqual([
      ...['0r', '0c', '0i:10', '0l:3', '0l:7'],
      ...['1r', '1c', '1i:10', '1l:3', '1l:7'],
      ...['2r', '2c', '2i:10', '2l:3', '2l:7', '2l:9'],
      ...['3r', '3c', '3i:10', '3l:3', '3l:7', '3l:9'],
    ]);
  });

  it('keys a click without a tracked link as link 0', () => {
    expect(messageKeys([event('click', 5)]).filter((key) => key.startsWith('0'))).toEqual(['0r', '0c', '0i:5', '0l:0']);
  });

  it('gives, for added events, the keys of all the events together', () => {
    // Random messages: the keys from the earlier events plus the added ones equal the keys of all of them.
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const types = ['open', 'click', 'unsubscribe', 'mirror'];
    for (let run = 0; run < 500; run += 1) {
      const make = () =>
        Array.from({ length: Math.floor(random() * 4) }, () =>
          event(types[Math.floor(random() * 4)], 100 + Math.floor(random() * 20), {
            trackedLinkId: random() < 0.2 ? null : 1 + Math.floor(random() * 4),
            isBot: random() < 0.3,
            isMachineOpen: random() < 0.3,
          }),
        );
      const [earlier, added] = [make(), make()];
      if (added.length === 0) continue;
      expect(addedKeys(messageKeys(earlier), added)).toEqual(messageKeys([...earlier, ...added]));
    }
  });
});
