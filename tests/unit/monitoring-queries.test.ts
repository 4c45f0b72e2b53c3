// Query strings of the indicators and timeline routes: what `include` and `bucket` accept.
import { includeSchema, timelineQuery } from '../../server/src/validation/monitoring';

describe('include', () => {
  it.each<[string | undefined, { bots: boolean; machine: boolean }]>([
    [undefined, { bots: false, machine: false }],
    ['', { bots: false, machine: false }],
    ['bots', { bots: true, machine: false }],
    ['machine', { bots: false, machine: true }],
    ['bots,machine', { bots: true, machine: true }],
    [' Machine , BOTS ', { bots: true, machine: true }],
    ['bots,,', { bots: true, machine: false }],
  ])('%j counts %j', (value, expected) => {
    expect(includeSchema.parse(value)).toEqual(expected);
  });

  it.each(['robots', 'bots,humans', 'all'])('refuses %j, naming what is allowed', (value) => {
    const result = includeSchema.safeParse(value);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/use bots, machine or both \(bots,machine\)$/);
  });
});

describe('timeline query', () => {
  it('defaults to hours with bots and machine opens left out', () => {
    expect(timelineQuery.parse({})).toEqual({ bucket: 'hour', include: { bots: false, machine: false } });
  });

  it.each<[string, Record<string, string>]>([
    ['an unknown bucket', { bucket: 'week' }],
    ['a date that is not one', { from: 'last tuesday' }],
    ['from after to', { from: '2026-03-02', to: '2026-03-01' }],
    ['an unknown parameter', { period: '7d' }],
  ])('refuses %s', (_name, query) => {
    expect(timelineQuery.safeParse(query).success).toBe(false);
  });
});
