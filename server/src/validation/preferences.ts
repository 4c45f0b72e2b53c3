// The preference centre's form (tracking/preference-page.ts): what it posts, as a browser encodes it.
import { z } from 'zod';

const listId = z.coerce.number().int().min(1);

export const preferencesForm = z.object({
  action: z.enum(['save', 'unsubscribe', 'resubscribe']),
  // One ticked box arrives as a string, several as an array, none as nothing.
  lists: z
    .union([listId, z.array(listId).max(500)])
    .optional()
    .transform((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value])),
});
