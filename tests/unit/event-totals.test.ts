import {
  answeredByColumns,
  eventTotals,
  isCounted,
  uniqueFromColumns,
  type EventGroup,
} from '../../server/src/reporting/event-totals';

const NONE = { bots: false, machine: false };
const ALL = { bots: true, machine: true };
const BOTS = { bots: true, machine: false };
const MACHINE = { bots: false, machine: true };

// One delivery's events by type and flags: 10 human opens, 4 machine opens, 1 bot that is also a machine open,
// 6 human clicks, 3 scanner clicks, 2 unsubscriptions, 1 mirror view.
const groups: EventGroup[] = [
  { type: 'open', isBot: false, isMachineOpen: false, n: 10 },
  { type: 'open', isBot: false, isMachineOpen: true, n: 4 },
  { type: 'open', isBot: true, isMachineOpen: true, n: 1 },
  { type: 'click', isBot: false, isMachineOpen: false, n: 6 },
  { type: 'click', isBot: true, isMachineOpen: false, n: 3 },
  { type: 'unsubscribe', isBot: false, isMachineOpen: false, n: 2 },
  { type: 'mirror', isBot: false, isMachineOpen: false, n: 1 },
];

describe('isCounted', () => {
  it('keeps an event unless one of its flags is left out', () => {
    const bot = { isBot: true, isMachineOpen: false };
    const machine = { isBot: false, isMachineOpen: true };
    const both = { isBot: true, isMachineOpen: true };
    expect([NONE, BOTS, MACHINE, ALL].map((include) => isCounted(bot, include))).toEqual([false, true, false, true]);
    expect([NONE, BOTS, MACHINE, ALL].map((include) => isCounted(machine, include))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect([NONE, BOTS, MACHINE, ALL].map((include) => isCounted(both, include))).toEqual([false, false, false, true]);
    expect(isCounted({ isBot: false, isMachineOpen: false }, NONE)).toBe(true);
  });
});

describe('eventTotals', () => {
  it('by default counts human events only and says why the others were left out', () => {
    expect(eventTotals(groups, NONE)).toEqual({
      opens: 10,
      clicks: 6,
      unsubscriptions: 2,
      mirrorViews: 1,
      // The bot that is also a machine open is left out as a bot.
      leftOut: { events: 8, bots: 4, machineOpens: 4 },
    });
  });

  it('counts every event with everything included', () => {
    expect(eventTotals(groups, ALL)).toEqual({
      opens: 15,
      clicks: 9,
      unsubscriptions: 2,
      mirrorViews: 1,
      leftOut: { events: 0, bots: 0, machineOpens: 0 },
    });
  });

  it('with bots included, a bot that is a machine open is left out as a machine open', () => {
    expect(eventTotals(groups, BOTS)).toMatchObject({
      opens: 10,
      clicks: 9,
      leftOut: { events: 5, bots: 0, machineOpens: 5 },
    });
  });

  it('with machine opens included, only the bots are left out', () => {
    expect(eventTotals(groups, MACHINE)).toMatchObject({
      opens: 14,
      clicks: 6,
      leftOut: { events: 4, bots: 4, machineOpens: 0 },
    });
  });

  it('adds up groups of the same type and flags, and answers zeros for no event', () => {
    const twice = [...groups, { type: 'open' as const, isBot: false, isMachineOpen: false, n: 5 }];
    expect(eventTotals(twice, NONE).opens).toBe(15);
    expect(eventTotals([], NONE)).toEqual({
      opens: 0,
      clicks: 0,
      unsubscriptions: 0,
      mirrorViews: 0,
      leftOut: { events: 0, bots: 0, machineOpens: 0 },
    });
  });
});

describe('uniqueFromColumns', () => {
  const columns = { opened: 40, clicked: 12, humanOpened: 31, humanClicked: 10 };

  it('by default takes the human columns; the others had events but no human one', () => {
    expect(uniqueFromColumns(columns, NONE)).toEqual({
      uniqueOpens: 31,
      uniqueClicks: 10,
      leftOut: { opens: 9, clicks: 2 },
    });
  });

  it('with everything included takes the first-event columns and leaves no one out', () => {
    expect(uniqueFromColumns(columns, ALL)).toEqual({
      uniqueOpens: 40,
      uniqueClicks: 12,
      leftOut: { opens: 0, clicks: 0 },
    });
  });

  it('refuses the mixed modes, which no column answers', () => {
    expect(answeredByColumns(BOTS)).toBe(false);
    expect(answeredByColumns(MACHINE)).toBe(false);
    expect(answeredByColumns(NONE) && answeredByColumns(ALL)).toBe(true);
    expect(() => uniqueFromColumns(columns, BOTS)).toThrow(RangeError);
    expect(() => uniqueFromColumns(columns, MACHINE)).toThrow(/include=bots,machine/);
  });
});
