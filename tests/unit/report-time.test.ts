// Report time buckets: zone offsets and transitions from Intl, the wall-clock pieces handed to SQL, bucket keys.
import {
  isTimeZone,
  timeBucket,
  wallClockPieces,
  wallClockSql,
  zoneOffsetMs,
  zoneTransitions,
} from '../../server/src/reporting/report-time';

const HOUR = 3_600_000;

describe('zone offsets and transitions', () => {
  it.each([
    ['UTC', '2026-07-01T12:00:00Z', 0],
    ['Europe/Paris', '2026-01-15T12:00:00Z', 1],
    ['Europe/Paris', '2026-07-15T12:00:00Z', 2],
    ['America/New_York', '2026-03-08T06:59:00Z', -5],
    ['America/New_York', '2026-03-08T07:00:00Z', -4],
    ['Asia/Kolkata', '2026-07-01T00:00:00Z', 5.5],
  ])('%s at %s is UTC%+d', (zone, at, hours) => {
    expect(zoneOffsetMs(zone, Date.parse(at))).toBe(hours * HOUR);
  });

  it('finds each daylight saving change of a year to the minute', () => {
    const found = zoneTransitions(
      'Europe/Paris',
      Date.parse('2026-01-01T00:00:00Z'),
      Date.parse('2027-01-01T00:00:00Z'),
    );
    expect(found).toEqual([
      { atMs: Date.parse('2026-03-29T01:00:00Z'), offsetMs: 2 * HOUR },
      { atMs: Date.parse('2026-10-25T01:00:00Z'), offsetMs: 1 * HOUR },
    ]);
    expect(zoneTransitions('UTC', Date.parse('2020-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('knows IANA zones and refuses others', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('wall-clock pieces', () => {
  const from = Date.parse('2026-03-01T00:00:00Z');
  const to = Date.parse('2026-04-01T00:00:00Z');

  it('is one constant shift for a zone without changes in the range', () => {
    expect(wallClockPieces('Asia/Tokyo', 'UTC', from, to)).toEqual([{ fromStored: null, deltaSeconds: 9 * 3600 }]);
    expect(wallClockSql('s', [{ fromStored: null, deltaSeconds: 0 }])).toBe('s');
    expect(wallClockSql('s', [{ fromStored: null, deltaSeconds: 32400 }])).toBe('(s + 32400)');
  });

  it('starts a new piece at each change, latest first in the SQL', () => {
    const pieces = wallClockPieces('America/New_York', 'UTC', from, to);
    expect(pieces).toEqual([
      { fromStored: null, deltaSeconds: -5 * 3600 },
      { fromStored: Date.parse('2026-03-08T07:00:00Z') / 1000, deltaSeconds: -4 * 3600 },
    ]);
    expect(wallClockSql('s', pieces)).toBe(
      `(s + CASE WHEN s >= ${Date.parse('2026-03-08T07:00:00Z') / 1000} THEN -14400 ELSE -18000 END)`,
    );
  });

  it('reads naive timestamps of the storage zone (PostgreSQL and MariaDB store the process wall clock)', () => {
    // Stored in Paris wall clock, asked in Paris: no shift at all, whatever the season.
    expect(wallClockPieces('Europe/Paris', 'Europe/Paris', from, to)).toEqual([{ fromStored: null, deltaSeconds: 0 }]);
    // Stored in Paris wall clock, asked in UTC: minus one hour, then minus two from the change (in Paris time).
    expect(wallClockPieces('UTC', 'Europe/Paris', from, to)).toEqual([
      { fromStored: null, deltaSeconds: -3600 },
      { fromStored: Date.parse('2026-03-29T03:00:00Z') / 1000, deltaSeconds: -7200 },
    ]);
  });
});

describe('bucket keys and labels', () => {
  const seconds = Date.parse('2026-03-12T14:35:00Z') / 1000; // a Thursday
  it.each([
    ['hour', Math.floor(seconds / 3600), { key: '2026-03-12T14:00', label: '2026-03-12 14:00' }],
    ['day', Math.floor(seconds / 86400), { key: '2026-03-12', label: '2026-03-12' }],
    ['week', Math.floor((Math.floor(seconds / 86400) + 3) / 7), { key: '2026-03-09', label: 'Week of 2026-03-09' }],
    ['month', '2026-03', { key: '2026-03', label: '2026-03' }],
    ['hourOfDay', 7, { key: '07', label: '07:00' }],
    ['dayOfWeek', (Math.floor(seconds / 86400) + 3) % 7, { key: '4', label: 'Thursday' }],
  ] as const)('%s', (dimension, raw, expected) => {
    expect(timeBucket(dimension, raw)).toEqual(expected);
  });
});
