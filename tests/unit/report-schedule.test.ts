// When a scheduled report goes out next (shared/report-schedule.ts), in the process's time zone.
import { nextSendTime, reportScheduleInput } from '../../shared/report-schedule';

const local = (y: number, m: number, d: number, h = 0, min = 0) => new Date(y, m - 1, d, h, min);

describe('report schedules', () => {
  it('daily: today at the hour if it is still ahead, else tomorrow', () => {
    expect(nextSendTime({ frequency: 'daily', hour: 8 }, local(2026, 12, 4, 7, 59))).toEqual(local(2026, 12, 4, 8));
    expect(nextSendTime({ frequency: 'daily', hour: 8 }, local(2026, 12, 4, 8, 0))).toEqual(local(2026, 12, 5, 8));
    expect(nextSendTime({ frequency: 'daily', hour: 0 }, local(2026, 12, 31, 23))).toEqual(local(2027, 1, 1, 0));
  });

  it('weekly: the next such weekday at the hour', () => {
    // 2026-12-04 is a Friday (5).
    expect(nextSendTime({ frequency: 'weekly', hour: 9, weekday: 1 }, local(2026, 12, 4, 10))).toEqual(
      local(2026, 12, 7, 9),
    );
    expect(nextSendTime({ frequency: 'weekly', hour: 9, weekday: 5 }, local(2026, 12, 4, 8))).toEqual(
      local(2026, 12, 4, 9),
    );
    expect(nextSendTime({ frequency: 'weekly', hour: 9, weekday: 5 }, local(2026, 12, 4, 9))).toEqual(
      local(2026, 12, 11, 9),
    );
  });

  it('monthly: the day of this month if ahead, else of the next', () => {
    expect(nextSendTime({ frequency: 'monthly', hour: 6, dayOfMonth: 28 }, local(2026, 12, 4))).toEqual(
      local(2026, 12, 28, 6),
    );
    expect(nextSendTime({ frequency: 'monthly', hour: 6, dayOfMonth: 1 }, local(2026, 12, 4))).toEqual(
      local(2027, 1, 1, 6),
    );
    expect(nextSendTime({ frequency: 'monthly', hour: 6, dayOfMonth: 28 }, local(2027, 1, 30))).toEqual(
      local(2027, 2, 28, 6),
    );
  });

  it('asks for the day a weekly or monthly schedule needs, and for valid recipients', () => {
    const result = reportScheduleInput.safeParse({ frequency: 'weekly', hour: 25, recipients: ['not-an-address'] });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['hour', 'an hour from 0 to 23'],
      ['recipients.0', 'each recipient must be an email address'],
      ['weekday', 'choose the day of the week'],
    ]);
    const weekly = reportScheduleInput.safeParse({ frequency: 'weekly', hour: 8, recipients: ['a@example.test'] });
    expect(weekly.error?.issues.map((issue) => issue.message)).toEqual(['choose the day of the week']);
  });
});
