import { z } from 'zod';
import { SUPPRESSION_REASONS } from '../../../shared/constants';
import { listQuerySchema } from './common';

export const suppressionListQuery = listQuerySchema(['email', 'reason', 'createdAt'], 'createdAt:desc').extend({
  reason: z.enum(SUPPRESSION_REASONS).optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

/** multipart/form-data fields beside the file. */
export const suppressionImportFields = z
  .object({ note: z.string().trim().max(500, 'at most 500 characters').optional() })
  .strict();
