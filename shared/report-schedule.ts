// When a saved report is emailed (daily, weekly or monthly, at an hour of the server's time zone) and to whom: the
// rule of the schedule form and of PUT /campaigns/reports/:id/schedule, and the next send time, in one place.
import { z } from 'zod';

export const REPORT_FREQUENCIES = ['daily', 'weekly', 'monthly'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];
export const MAX_REPORT_RECIPIENTS = 20;

export const reportScheduleInput = z
  .object({
    frequency: z.enum(REPORT_FREQUENCIES),
    /** 0 to 23, in the server's time zone. */
    hour: z.number().int().min(0, 'an hour from 0 to 23').max(23, 'an hour from 0 to 23'),
    /** Weekly: 0 (Sunday) to 6 (Saturday). */
    weekday: z.number().int().min(0).max(6).optional(),
    /** Monthly: 1 to 28, so that every month has it. */
    dayOfMonth: z.number().int().min(1, 'a day from 1 to 28').max(28, 'a day from 1 to 28').optional(),
    recipients: z
      .array(z.string().trim().email('each recipient must be an email address'))
      .min(1, 'give at least one recipient')
      .max(MAX_REPORT_RECIPIENTS, `at most ${MAX_REPORT_RECIPIENTS} recipients`),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.frequency === 'weekly' && value.weekday === undefined)
      ctx.addIssue({ code: 'custom', path: ['weekday'], message: 'choose the day of the week' });
    if (value.frequency === 'monthly' && value.dayOfMonth === undefined)
      ctx.addIssue({ code: 'custom', path: ['dayOfMonth'], message: 'choose the day of the month' });
  });

export type ReportScheduleInput = z.infer<typeof reportScheduleInput>;

/** The first send time strictly after `after`, in the time zone of the process (the server's). */
export const nextSendTime = (
  schedule: Pick<ReportScheduleInput, 'frequency' | 'hour' | 'weekday' | 'dayOfMonth'>,
  after: Date,
): Date => {
  const at = new Date(after.getTime());
  at.setMinutes(0, 0, 0);
  at.setHours(schedule.hour);
  if (schedule.frequency === 'monthly') {
    at.setDate(schedule.dayOfMonth ?? 1);
    if (at <= after) at.setMonth(at.getMonth() + 1, schedule.dayOfMonth ?? 1);
    return at;
  }
  if (schedule.frequency === 'weekly') {
    const days = ((schedule.weekday ?? 1) - at.getDay() + 7) % 7;
    at.setDate(at.getDate() + days);
    if (at <= after) at.setDate(at.getDate() + 7);
    return at;
  }
  if (at <= after) at.setDate(at.getDate() + 1);
  return at;
};
