// Query and body schemas of the indicators, timeline, alerts and settings routes.
import { z } from 'zod';
import { configSchema } from '../../../shared/config-schema';
import { ALERT_CRITERIA } from '../../../shared/constants';
import { settingsPatchSchema } from '../platform/settings-patch';
import { documentIdSchema } from './common';

const INCLUDABLE = ['bots', 'machine'] as const;

/** `include=bots,machine`: a comma-separated subset; anything else is a 400 that lists what is allowed. */
export const includeSchema = z
  .string()
  .max(100)
  .optional()
  .transform((value, ctx) => {
    const parts = (value ?? '')
      .split(',')
      .map((part) => part.trim().toLowerCase())
      .filter(Boolean);
    const unknown = parts.filter((part) => !(INCLUDABLE as readonly string[]).includes(part));
    if (unknown.length) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `unknown value(s) ${unknown.join(', ')}; use bots, machine or both (bots,machine)`,
      });
      return z.NEVER;
    }
    return { bots: parts.includes('bots'), machine: parts.includes('machine') };
  });

export const indicatorsQuery = z.object({ include: includeSchema }).strict();

const isoDate = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date or datetime')
  .transform((value) => new Date(value));

export const timelineQuery = z
  .object({
    bucket: z.enum(['hour', 'day']).default('hour'),
    include: includeSchema,
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['from'] });

export const alertListQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(25),
    criterion: z.enum(ALERT_CRITERIA).optional(),
    delivery: documentIdSchema.optional(),
  })
  .strict();

/** PUT /settings: any part of the editable sections, each value checked by the config schema's own rules. */
export const settingsBody = settingsPatchSchema(configSchema);

/** A POST that takes no options. */
export const emptyBody = z.object({}).strict();
