import { z } from 'zod';
import { SUPPRESSION_REASONS } from '../../../shared/constants';
import { listQuerySchema } from './common';

export const suppressionListQuery = listQuerySchema(['email', 'reason', 'createdAt'], 'createdAt:desc').extend({
  reason: z.enum(SUPPRESSION_REASONS).optional(),
});
