import { z } from 'zod';
import {
  DELIVERY_LOG_STATUSES,
  DELIVERY_STATUSES,
  EXCLUSION_REASONS,
  FAILURE_REASONS,
  FAILURE_TYPES,
} from '../../../shared/constants';
import { listQuerySchema } from './common';

export const deliveryListQuery = listQuerySchema(
  ['name', 'status', 'createdAt', 'updatedAt', 'scheduledAt', 'startedAt'],
  'createdAt:desc',
).extend({
  status: z.enum(DELIVERY_STATUSES).optional(),
});

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
