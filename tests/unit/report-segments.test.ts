// A report period's segments (reporting/report-segments.ts): which of them lie in one UTC hour, and which hold it whole,
// the hours a report reads from the hour counts instead of the message-day rows.
import { hourOf, segmentsOf } from '../../server/src/reporting/report-segments';

const HOUR = 3_600_000;
const at = (iso: string) => new Date(iso);
const hoursSince1970 = (iso: string) => Date.parse(iso) / HOUR;

describe('the UTC hour of a segment', () => {
  it('gives every hour bucket in UTC its hour, whole inside the period and cut at its ends', () => {
    const period = { from: at('2026-12-01T22:30:00Z'), to: at('2026-12-02T01:15:00Z') };
    const { segments } = segmentsOf(period, ['hour'], 'UTC');
    expect(segments.map(hourOf)).toEqual([
      { hour: hoursSince1970('2026-12-01T22:00:00Z'), whole: false },
      { hour: hoursSince1970('2026-12-01T23:00:00Z'), whole: true },
      { hour: hoursSince1970('2026-12-02T00:00:00Z'), whole: true },
      { hour: hoursSince1970('2026-12-02T01:00:00Z'), whole: false },
    ]);
  });

  it('finds the UTC hours of the hours of a zone whose offset is whole hours, and none for an hour seen twice', () => {
    // Paris goes from UTC+1 to UTC+2 at 01:00 UTC on 2026-03-29: every local hour is still one UTC hour.
    const spring = { from: at('2026-03-28T22:00:00Z'), to: at('2026-03-29T04:00:00Z') };
    const hours = segmentsOf(spring, ['hour'], 'Europe/Paris').segments.map(hourOf);
    expect(hours).toEqual(
      [22, 23, 24, 25, 26, 27].map((h) => ({ hour: hoursSince1970('2026-03-28T00:00:00Z') + h, whole: true })),
    );
    // And back at 01:00 UTC on 2026-10-25: local 02:00-03:00 is two UTC hours, one bucket, read from the rows.
    const autumn = { from: at('2026-10-24T22:00:00Z'), to: at('2026-10-25T04:00:00Z') };
    const twice = segmentsOf(autumn, ['hour'], 'Europe/Paris').segments.map(hourOf);
    expect(twice.filter((hour) => hour === null)).toHaveLength(1);
    expect(twice.filter((hour) => hour?.whole)).toHaveLength(4);
  });

  it('finds none for the hours of a zone half an hour off UTC, nor for a bucket longer than an hour', () => {
    const period = { from: at('2026-12-01T00:00:00Z'), to: at('2026-12-01T06:00:00Z') };
    expect(segmentsOf(period, ['hour'], 'Asia/Kolkata').segments.map(hourOf)).not.toContainEqual(
      expect.objectContaining({ whole: true }),
    );
    expect(segmentsOf(period, ['hour'], 'Asia/Kolkata').segments.some((segment) => hourOf(segment) === null)).toBe(
      true,
    );
    expect(segmentsOf(period, ['day'], 'UTC').segments.map(hourOf)).toEqual([null]);
  });
});
