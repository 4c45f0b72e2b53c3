import { z } from 'zod';
import { blockDocumentSchema, CONTENT_MODES } from '../../../shared/blocks';
import { layoutDescriptionSchema, layoutPartsSchema } from '../../../shared/layouts';
import { nameSchema } from '../../../shared/name';
import { documentIdSchema } from './common';

export const previewBody = z
  .object({
    contentMode: z.enum(CONTENT_MODES),
    content: blockDocumentSchema.nullable().optional(),
    html: z.string().max(2_000_000).nullable().optional(),
    text: z.string().max(1_000_000).nullable().optional(),
    layout: documentIdSchema.nullable().optional(),
    layoutParts: layoutPartsSchema.nullable().optional(),
    subject: z.string().max(998).nullable().optional(),
    lists: z.array(documentIdSchema).max(100).nullable().optional(),
    contact: documentIdSchema.nullable().optional(),
  })
  .strict();

// The parts themselves are checked whole by the layouts service (authoring/layouts.ts) with shared/layouts.ts.
const layoutFields = {
  description: layoutDescriptionSchema.nullable().optional(),
  content: z.unknown().optional(),
  style: z.unknown().optional(),
  header: z.unknown().optional(),
  footer: z.unknown().optional(),
  postalAddress: z.string().max(500).optional(),
  unsubscribeLabel: z.string().max(100).optional(),
  mirrorLabel: z.string().max(100).optional(),
  preferencesLabel: z.string().max(100).optional(),
};

export const layoutCreateBody = z.object({ name: nameSchema, ...layoutFields }).strict();

export const layoutUpdateBody = z.object({ name: nameSchema.optional(), ...layoutFields }).strict();

export const saveAsLayoutBody = z
  .object({
    name: nameSchema,
    description: z.string().trim().max(1000).nullable().optional(),
  })
  .strict();

const contentTypeUid = z.string().regex(/^api::[a-z0-9-]+\.[a-z0-9-]+$/, 'a collection type is named api::name.name');
const locale = z.string().trim().min(1).max(35).nullable().optional();

export const entryPageQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(10),
    search: z.string().trim().max(200).optional(),
    locale: z.string().trim().min(1).max(35).optional(),
  })
  .strict();

export const fromEntryBody = z
  .object({
    contentType: contentTypeUid,
    documentId: documentIdSchema,
    locale,
    layout: documentIdSchema.nullable().optional(),
    mode: z.enum(['full', 'excerpt']).default('full'),
  })
  .strict();

export const digestBody = z
  .object({
    contentType: contentTypeUid,
    documentIds: z
      .array(documentIdSchema)
      .min(1, 'pick at least one entry')
      .max(20, 'a digest holds at most 20 entries'),
    locale,
    layout: documentIdSchema.nullable().optional(),
    name: z.string().trim().max(255).optional(),
  })
  .strict();
