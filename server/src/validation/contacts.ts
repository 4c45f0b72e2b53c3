import { z } from 'zod';
import { CONTACT_STATUSES } from '../../../shared/constants';
import { TEXT_ENCODINGS } from '../audience/text-encoding';
import { documentIdSchema, listQuerySchema } from './common';

export const contactListQuery = listQuerySchema(
  ['email', 'firstName', 'lastName', 'status', 'createdAt', 'updatedAt'],
  'createdAt:desc',
).extend({
  status: z.enum(CONTACT_STATUSES).optional(),
  list: documentIdSchema.optional(),
});

export { contactBulkDeleteBody, contactCreateBody, contactUpdateBody } from '../../../shared/audience-input';

export const contactImportFields = z
  .object({
    list: documentIdSchema.optional(),
    newList: z.string().trim().min(1).max(255).optional(),
    updateExisting: z.enum(['true', 'false']).default('true'),
    encoding: z
      .preprocess((value) => (typeof value === 'string' ? value.trim().toLowerCase() : value), z.enum(TEXT_ENCODINGS))
      .optional(),
  })
  .strict();
