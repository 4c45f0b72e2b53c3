import { z } from 'zod';
import { CONTACT_STATUSES } from '../../../shared/constants';
import { ATTRIBUTE_NAME, importColumnsSchema } from '../../../shared/import-columns';
import { TEXT_ENCODINGS } from '../audience/text-encoding';
import { documentIdSchema, listQuerySchema } from './common';

const attributeFilter = {
  attribute: z.string().regex(ATTRIBUTE_NAME, 'an attribute name is letters, digits and _').max(100).optional(),
  attributeValue: z.string().max(1000).optional(),
};

export const contactListQuery = listQuerySchema(
  ['email', 'firstName', 'lastName', 'status', 'createdAt', 'updatedAt'],
  'createdAt:desc',
).extend({
  status: z.enum(CONTACT_STATUSES).optional(),
  list: documentIdSchema.optional(),
  ...attributeFilter,
});

export const contactExportQuery = z
  .object({
    search: z.string().trim().max(200).optional(),
    status: z.enum(CONTACT_STATUSES).optional(),
    list: documentIdSchema.optional(),
    ...attributeFilter,
  })
  .strict();

export { contactBulkDeleteBody, contactCreateBody, contactUpdateBody } from '../../../shared/audience-input';

export const contactImportFields = z
  .object({
    list: documentIdSchema.optional(),
    newList: z.string().trim().min(1).max(255).optional(),
    updateExisting: z.enum(['true', 'false']).default('true'),
    encoding: z
      .preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(TEXT_ENCODINGS))
      .optional(),
    /** JSON: where each column goes (shared/import-columns.ts); without it, the header's names decide. */
    columns: z
      .string()
      .max(50_000)
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'columns must be a JSON array' });
          return z.NEVER;
        }
      })
      .pipe(importColumnsSchema)
      .optional(),
  })
  .strict();
