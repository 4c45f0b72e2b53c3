// The documentId Strapi 5 gives every document: how the API and the admin name deliveries, lists, contacts...
import { z } from 'zod';

export const documentIdSchema = z.string().regex(/^[a-z0-9]{1,64}$/, 'must be a document id');
