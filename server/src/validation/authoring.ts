import { z } from 'zod';
import { blockDocumentSchema, CONTENT_MODES } from '../../../shared/blocks';
import { layoutPartsSchema } from '../../../shared/layouts';
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
  description: z.string().trim().max(1000).nullable().optional(),
  content: z.unknown().optional(),
  style: z.unknown().optional(),
  header: z.unknown().optional(),
  footer: z.unknown().optional(),
  postalAddress: z.string().max(500).optional(),
  unsubscribeLabel: z.string().max(100).optional(),
  mirrorLabel: z.string().max(100).optional(),
};

export const layoutCreateBody = z
  .object({ name: z.string().trim().min(1, 'name is required').max(255), ...layoutFields })
  .strict();

export const layoutUpdateBody = z
  .object({ name: z.string().trim().min(1, 'name is required').max(255).optional(), ...layoutFields })
  .strict();

export const saveAsLayoutBody = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(255),
    description: z.string().trim().max(1000).nullable().optional(),
  })
  .strict();
