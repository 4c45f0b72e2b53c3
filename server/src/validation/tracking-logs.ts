import { z } from 'zod';
import { DEVICE_TYPES, TRACKING_EVENT_TYPES } from '../../../shared/constants';
import { documentIdSchema, listQuerySchema } from './common';

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const trackingLogQuery = listQuerySchema(['at', 'id'], 'at:desc')
  .omit({ search: true })
  .extend({
    type: z.enum(TRACKING_EVENT_TYPES).optional(),
    isBot: flag.optional(),
    isMachineOpen: flag.optional(),
    link: documentIdSchema.optional(),
    device: z.enum(DEVICE_TYPES).optional(),
    format: z.enum(['json', 'csv']).default('json'),
  })
  .strict();
