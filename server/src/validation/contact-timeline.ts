// The query of GET /contacts/:id/timeline: a page of the contact's history.
import { z } from 'zod';

export const contactTimelineQuery = z
  .object({
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .strict();
