// A follow-up: a copy of a sent delivery's message, with its own subject, to the parent's recipients who did not
// open it (or did not click), people only (machine opens and bots do not count). The rules of the request that
// creates one, read by the server's validation and the dashboard's dialog.
import { z } from 'zod';

export const FOLLOW_UP_KINDS = ['not_opened', 'not_clicked'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** At most a month after the parent: later, a follow-up is a new delivery. */
export const MAX_FOLLOW_UP_DELAY_HOURS = 720;

export const followUpCreateBody = z
  .object({
    kind: z.enum(FOLLOW_UP_KINDS),
    subject: z.string().trim().min(1, 'subject is required').max(998),
    /** Hours from now until it is sent; 0 sends it as soon as it is created (when `schedule`). */
    delayHours: z.number().int().min(0).max(MAX_FOLLOW_UP_DELAY_HOURS),
    /** false: created as a draft (scheduledAt set), to edit before sending it. */
    schedule: z.boolean().default(true),
  })
  .strict();

export type FollowUpCreateInput = z.infer<typeof followUpCreateBody>;
