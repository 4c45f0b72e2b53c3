import { z } from 'zod';
import { nameSchema } from '../../../shared/name';
import { listQuerySchema } from './common';

export const listListQuery = listQuerySchema(['name', 'createdAt', 'updatedAt'], 'name:asc');

export const listCreateBody = z
  .object({
    name: nameSchema,
    description: z.string().max(10_000).nullable().optional(),
  })
  .strict();
export const listUpdateBody = listCreateBody.partial().strict();
