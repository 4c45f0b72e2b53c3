import { z } from 'zod';
import {
  CONTACT_STATUSES,
  DELIVERY_LOG_STATUSES,
  DELIVERY_STATUSES,
  EXCLUSION_REASONS,
  FAILURE_REASONS,
  FAILURE_TYPES,
} from '../../../shared/constants';
import { blockDocumentSchema, CONTENT_MODES } from '../../../shared/blocks';
import { documentIdSchema, listQuerySchema } from './common';

export const deliveryListQuery = listQuerySchema(
  ['name', 'status', 'createdAt', 'updatedAt', 'scheduledAt', 'startedAt'],
  'createdAt:desc',
).extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
});

const attributeKey = z
  .string()
  .regex(/^[A-Za-z0-9_]{1,64}$/, 'an attribute key uses letters, digits and "_" (at most 64)');

export const audienceFilterSchema = z
  .object({
    status: z.enum(CONTACT_STATUSES).optional(),
    locale: z.string().trim().min(1).max(35).optional(),
    attributes: z
      .record(attributeKey, z.union([z.string().max(1000), z.number(), z.boolean()]))
      .refine((value) => Object.keys(value).length <= 20, 'at most 20 attribute conditions')
      .optional(),
  })
  .strict();

const optionalEmail = z.string().trim().email('must be an email address').max(254).nullable().optional();

const deliveryFields = {
  fromName: z.string().trim().max(255).nullable().optional(),
  fromEmail: optionalEmail,
  replyTo: optionalEmail,
  contentMode: z.enum(CONTENT_MODES).optional(),
  content: blockDocumentSchema.nullable().optional(),
  /** documentId of a layout; none: the default layout. */
  layout: documentIdSchema.nullable().optional(),
  html: z.string().max(2_000_000).nullable().optional(),
  text: z.string().max(1_000_000).nullable().optional(),
  lists: z.array(documentIdSchema).max(100).optional(),
  audienceFilter: audienceFilterSchema.nullable().optional(),
  /** Segments of audience sources the app registered, besides the lists (checked against the registry by the service). */
  audienceSegments: z
    .array(z.object({ source: z.string().trim().min(1).max(64), segment: z.string().trim().min(1).max(200) }).strict())
    .max(50)
    .nullable()
    .optional(),
  scheduledAt: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).nullable().optional(),
  trackOpens: z.boolean().optional(),
  trackLinks: z.boolean().optional(),
  linkTracking: z
    .record(z.string().regex(/^\d{1,6}$/, 'keys are link positions (0, 1, ...)'), z.boolean())
    .nullable()
    .optional(),
  sendRate: z.number().int().min(1).max(100_000).nullable().optional(),
};

export const deliveryCreateBody = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(255),
    subject: z.string().trim().min(1, 'subject is required').max(998),
    ...deliveryFields,
  })
  .strict();

export const deliveryUpdateBody = z
  .object({
    name: z.string().trim().min(1).max(255).optional(),
    subject: z.string().trim().min(1).max(998).optional(),
    ...deliveryFields,
  })
  .strict();

export const sendBody = z
  .object({ scheduledAt: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional() })
  .strict();

export const testSendBody = z
  .object({
    /** Default: the signed-in admin's own address. */
    emails: z
      .array(z.string().trim().email('must be an email address'))
      .min(1, 'give at least one address')
      .max(10)
      .optional(),
    contact: documentIdSchema.optional(),
  })
  .strict();

export const retryFailedBody = z
  .object({
    failureType: z.enum(['hard', 'soft']).optional(),
    failureReason: z.enum(FAILURE_REASONS).optional(),
    /** Also the recipients whose outcome is unknown (in flight at a crash): they may get the message twice. */
    includeUnknown: z.boolean().optional(),
  })
  .strict();

export const deliveryLogQuery = listQuerySchema(
  ['id', 'email', 'status', 'sentAt', 'attempts', 'opens', 'clicks'],
  'id:asc',
).extend({
  status: z.enum(DELIVERY_LOG_STATUSES).optional(),
  failureType: z.enum(FAILURE_TYPES).optional(),
  failureReason: z.enum(FAILURE_REASONS).optional(),
  exclusionReason: z.enum(EXCLUSION_REASONS).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
