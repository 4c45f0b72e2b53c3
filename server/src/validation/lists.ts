import { z } from 'zod';
import { listQuerySchema } from './common';

export const listListQuery = listQuerySchema(['name', 'createdAt', 'updatedAt'], 'name:asc');

export const listCreateBody = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(255),
    description: z.string().max(10_000).nullable().optional(),
  })
  .strict();
export const listUpdateBody = listCreateBody.partial().strict();
