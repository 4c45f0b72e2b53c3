import { z } from 'zod';
import { CONTACT_STATUSES } from '../../../shared/constants';
import { CONTACT_LIMITS } from '../audience/csv-contacts';
import { TEXT_ENCODINGS } from '../audience/text-encoding';
import { documentIdSchema, listQuerySchema } from './common';

export const contactListQuery = listQuerySchema(
  ['email', 'firstName', 'lastName', 'status', 'createdAt', 'updatedAt'],
  'createdAt:desc',
).extend({
  status: z.enum(CONTACT_STATUSES).optional(),
  list: documentIdSchema.optional(),
});

const contactFields = {
  firstName: z.string().trim().max(CONTACT_LIMITS.nameChars).nullable().optional(),
  lastName: z.string().trim().max(CONTACT_LIMITS.nameChars).nullable().optional(),
  locale: z.string().trim().max(CONTACT_LIMITS.localeChars).nullable().optional(),
  attributes: z.record(z.unknown()).nullable().optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  lists: z.array(documentIdSchema).max(1000).optional(),
};

export const contactCreateBody = z.object({ email: z.string().min(1, 'email is required'), ...contactFields }).strict();
export const contactUpdateBody = z.object({ email: z.string().min(1).optional(), ...contactFields }).strict();

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
