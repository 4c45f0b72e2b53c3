// Buckets of the opens / clicks chart: parsing what the databases return, and filling the quiet buckets.
import { fillTimeline, MAX_BUCKETS, parseBucketStart } from '../../server/src/reporting/timeline';

const local = (y: number, mo: number, d: number, h = 0) => new Date(y, mo - 1, d, h);

describe('parseBucketStart', () => {
  it.each<[string, unknown, Date | null]>([
    ['SQLite / MariaDB text of local time', '2026-03-10 14:00:00', local(2026, 3, 10, 14)],
    ['a day bucket', '2026-03-10 00:00:00', local(2026, 3, 10)],
    ['a Date from PostgreSQL', local(2026, 3, 10, 9), local(2026, 3, 10, 9)],
    ['garbage', 'yesterday', null],
    ['null', null, null],
  ])('%s', (_name, value, expected) => {
    expect(parseBucketStart(value)).toEqual(expected);
  });
});

describe('fillTimeline', () => {
  it('fills the hours between the first and the last event with zeros', () => {
    const filled = fillTimeline(
      [
        { at: local(2026, 3, 10, 9), opens: 3, clicks: 1 },
        { at: local(2026, 3, 10, 12), opens: 1, clicks: 0 },
      ],
      'hour',
    );

    expect(filled).toEqual([
      { at: local(2026, 3, 10, 9), opens: 3, clicks: 1 },
      { at: local(2026, 3, 10, 10), opens: 0, clicks: 0 },
      { at: local(2026, 3, 10, 11), opens: 0, clicks: 0 },
      { at: local(2026, 3, 10, 12), opens: 1, clicks: 0 },
    ]);
  });

  it('adds up the points of one bucket (the opens row and the clicks row of the same hour)', () => {
    const filled = fillTimeline(
      [
        { at: local(2026, 3, 10, 9), opens: 3, clicks: 0 },
        { at: local(2026, 3, 10, 9), opens: 0, clicks: 2 },
      ],
      'hour',
    );

    expect(filled).toEqual([{ at: local(2026, 3, 10, 9), opens: 3, clicks: 2 }]);
  });

  it('days: from..to sets the first and last bucket, even without events', () => {
    const filled = fillTimeline([{ at: local(2026, 3, 11), opens: 2, clicks: 1 }], 'day', {
      from: local(2026, 3, 10, 15),
      to: local(2026, 3, 12, 8),
    });

    expect(filled.map((p) => [p.at, p.opens])).toEqual([
      [local(2026, 3, 10), 0],
      [local(2026, 3, 11), 2],
      [local(2026, 3, 12), 0],
    ]);
  });

  it('nothing to show: an empty series', () => {
    expect(fillTimeline([], 'hour')).toEqual([]);
  });

  it('refuses a period of more buckets than one answer holds', () => {
    expect(() => fillTimeline([], 'hour', { from: local(2026, 1, 1), to: local(2026, 12, 31) })).toThrow(
      new RangeError(
        `the period holds more than ${MAX_BUCKETS} hour buckets: narrow it with from / to, or use bucket=day`,
      ),
    );
  });
});
