// The name of what the plugin keeps (a delivery, a list, a layout, a report): the one rule the API and the admin's
// forms check it by.
import { z } from 'zod';

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(255, 'at most 255 characters');
