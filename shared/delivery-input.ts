// What a delivery may be created or changed with: the rules the API checks a request body against
// (server/src/controllers/deliveries.ts) and the delivery editor checks the form against as the admin types.
import { z } from 'zod';
import { CONTACT_STATUSES } from './constants';
import { blockDocumentSchema, CONTENT_MODES } from './blocks';
import { documentIdSchema } from './document-id';
import { nameSchema } from './name';
import { utmDeliveryFields } from './utm';
import { abTestSchema } from './ab-test';

const isoDateTime = z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time' });

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
  /** documentId of an engagement segment (shared/segments.ts): the whole audience, instead of lists. */
  segment: documentIdSchema.nullable().optional(),
  audienceFilter: audienceFilterSchema.nullable().optional(),
  /** Segments of audience sources the app registered, besides the lists (checked against the registry by the service). */
  audienceSegments: z
    .array(z.object({ source: z.string().trim().min(1).max(64), segment: z.string().trim().min(1).max(200) }).strict())
    .max(50)
    .nullable()
    .optional(),
  scheduledAt: isoDateTime.nullable().optional(),
  trackOpens: z.boolean().optional(),
  trackLinks: z.boolean().optional(),
  ...utmDeliveryFields,
  linkTracking: z
    .record(z.string().regex(/^\d{1,6}$/, 'keys are link positions (0, 1, ...)'), z.boolean())
    .nullable()
    .optional(),
  sendRate: z.number().int().min(1).max(100_000).nullable().optional(),
  /** An A/B test of the subject (shared/ab-test.ts); none: everyone gets the subject. */
  abTest: abTestSchema.nullable().optional(),
};

export const deliveryCreateBody = z
  .object({
    name: nameSchema,
    subject: z.string().trim().min(1, 'subject is required').max(998),
    ...deliveryFields,
  })
  .strict();

export const deliveryUpdateBody = z
  .object({
    name: nameSchema.optional(),
    subject: z.string().trim().min(1).max(998).optional(),
    ...deliveryFields,
  })
  .strict();

/** Sending: now, or at scheduledAt (a time already past sends now). */
export const sendInput = z.object({ scheduledAt: isoDateTime.optional() }).strict();

/** A proof to a few addresses; without any, to the signed-in admin's own. */
export const testAddressesSchema = z
  .array(z.string().trim().email('must be an email address'))
  .min(1, 'give at least one address')
  .max(10, 'at most ten addresses');

export const testSendInput = z
  .object({ emails: testAddressesSchema.optional(), contact: documentIdSchema.optional() })
  .strict();
