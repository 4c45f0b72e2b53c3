// Report queries, saved report bodies and the hot clicks query: every id comes from a fixed list, and a wrong one is
// a 400 that lists the allowed ones.
import { z } from 'zod';
import {
  REPORT_DIMENSIONS,
  REPORT_FILTERS,
  REPORT_METRICS,
  REPORT_VISUALISATIONS,
} from '../../../shared/contracts/reports';
import { TRACKING_EVENT_TYPES } from '../../../shared/constants';
import { nameSchema } from '../../../shared/name';
import { isTimeZone } from '../reporting/report-time';
import { documentIdSchema } from './common';
import { includeSchema } from './monitoring';

export const MAX_REPORT_ROWS = 10_000;
export const DEFAULT_REPORT_ROWS = 1000;
/** Periods longer than this are refused: a report over decades is a mistake, and bounds the time zone work. */
const MAX_PERIOD_DAYS = 3660;

/** One of a fixed list; anything else is an error naming the list (zod's enum message quotes every option too). */
const oneOf = <T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.string().refine((value): value is T[number] => (values as readonly string[]).includes(value), {
    message: `unknown ${what}; allowed: ${values.join(', ')}`,
  }) as unknown as z.ZodType<T[number]>;

const isoInstant = z
  .string()
  .max(40)
  .refine(
    (value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)),
    'must be an ISO 8601 date or date-time',
  );

const bothDates = (p: { from: string; to: string }) =>
  !Number.isNaN(Date.parse(p.from)) && !Number.isNaN(Date.parse(p.to));

const periodSchema = z.union(
  [
    z
      .object({ from: isoInstant, to: isoInstant })
      .strict()
      // Each rule speaks only when both dates read: a bad date is reported once, by isoInstant.
      .refine((p) => !bothDates(p) || Date.parse(p.from) < Date.parse(p.to), {
        message: 'from must be before to',
        path: ['from'],
      })
      .refine((p) => !bothDates(p) || Date.parse(p.to) - Date.parse(p.from) <= MAX_PERIOD_DAYS * 86_400_000, {
        message: `a period spans at most ${MAX_PERIOD_DAYS} days`,
        path: ['to'],
      }),
    z.object({ lastDays: z.number().int('must be a whole number of days').min(1).max(MAX_PERIOD_DAYS) }).strict(),
  ],
  { errorMap: () => ({ message: `must be { from, to } (ISO 8601) or { lastDays } (1 to ${MAX_PERIOD_DAYS})` }) },
);

const filtersSchema = z
  .object({
    deliveries: z.array(documentIdSchema).max(500).optional(),
    lists: z.array(documentIdSchema).max(500).optional(),
    domains: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9.-]{1,253}$/, 'must be a domain name such as example.com'),
      )
      .max(500)
      .optional(),
    eventTypes: z.array(oneOf(TRACKING_EVENT_TYPES, 'event type')).max(TRACKING_EVENT_TYPES.length).optional(),
  })
  .strict();

const sortable = [...REPORT_DIMENSIONS, ...REPORT_METRICS] as readonly string[];

export const reportQuerySchema = z
  .object({
    dimensions: z.array(oneOf(REPORT_DIMENSIONS, 'dimension')).max(3, 'at most 3 dimensions').default([]),
    metrics: z.array(oneOf(REPORT_METRICS, 'metric')).min(1, 'name at least one metric').max(REPORT_METRICS.length),
    // Checked below, so an unknown filter's message lists the allowed ones (.strict() alone only says "unknown").
    filters: z.unknown().optional(),
    period: periodSchema.optional(),
    include: z.object({ bots: z.boolean().optional(), machine: z.boolean().optional() }).strict().optional(),
    compare: z.boolean().optional(),
    timeZone: z
      .string()
      .max(64)
      .refine(isTimeZone, 'unknown time zone; use an IANA name such as Europe/Paris or UTC')
      .optional(),
    sort: z
      .string()
      .max(64)
      .refine(
        (value) => sortable.includes(value.replace(/^-/, '')),
        'must be a dimension or metric of the query, with an optional leading "-" for descending',
      )
      .optional(),
    limit: z.number().int('must be a whole number').min(1).max(MAX_REPORT_ROWS).optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    const dimensions = query.dimensions as string[];
    dimensions.forEach((dimension, index) => {
      if (dimensions.indexOf(dimension) !== index)
        ctx.addIssue({ code: 'custom', path: ['dimensions', index], message: `${dimension} is named twice` });
    });
    if (query.compare && !query.period)
      ctx.addIssue({ code: 'custom', path: ['compare'], message: 'needs a period to compare with' });
    if (query.sort) {
      const id = query.sort.replace(/^-/, '');
      if (sortable.includes(id) && !dimensions.includes(id) && !(query.metrics as string[]).includes(id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['sort'],
          message: `${id} is not among the query's dimensions or metrics`,
        });
      }
    }
    if (query.filters === undefined || query.filters === null) return;
    if (typeof query.filters !== 'object' || Array.isArray(query.filters)) {
      ctx.addIssue({
        code: 'custom',
        path: ['filters'],
        message: `must be an object with ${REPORT_FILTERS.join(', ')}`,
      });
      return;
    }
    const unknown = Object.keys(query.filters).filter((key) => !(REPORT_FILTERS as readonly string[]).includes(key));
    if (unknown.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['filters'],
        message: `unknown filter(s) ${unknown.join(', ')}; allowed: ${REPORT_FILTERS.join(', ')}`,
      });
      return;
    }
    const parsed = filtersSchema.safeParse(query.filters);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ ...issue, path: ['filters', ...issue.path] } as z.IssueData);
    }
  })
  .transform((query) => ({ ...query, filters: query.filters ? filtersSchema.parse(query.filters) : {} }));

export type ParsedReportQuery = z.infer<typeof reportQuerySchema>;

export const reportDefinitionSchema = z
  .object({
    query: z.unknown(),
    visualisation: oneOf(REPORT_VISUALISATIONS, 'visualisation'),
    columns: z.array(oneOf(REPORT_DIMENSIONS, 'dimension')).max(3).optional(),
  })
  .strict()
  .superRefine((definition, ctx) => {
    const parsed = reportQuerySchema.safeParse(definition.query);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ ...issue, path: ['query', ...issue.path] } as z.IssueData);
      return;
    }
    for (const column of definition.columns ?? []) {
      if (!(parsed.data.dimensions as string[]).includes(column)) {
        ctx.addIssue({ code: 'custom', path: ['columns'], message: `${column} must also be one of query.dimensions` });
      }
    }
  });

export const savedReportBody = z
  .object({
    name: nameSchema,
    description: z.string().max(2000).nullable().optional(),
    definition: reportDefinitionSchema,
  })
  .strict();

/** PUT: any part; the definition, when given, whole. */
export const savedReportUpdateBody = savedReportBody.partial().strict();

export const duplicateBody = z.object({ name: nameSchema.optional() }).strict();

export const hotClicksQuery = z
  .object({
    mode: z.enum(['total', 'unique'], { errorMap: () => ({ message: 'must be total or unique' }) }).default('total'),
    include: includeSchema,
  })
  .strict();

export { documentIdSchema };
