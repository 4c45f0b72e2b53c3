// An erasure's typed confirmation: the contact's address, as the admin typed it (audience/contact-erasure.ts).
import { z } from 'zod';
import type { ContactEraseInput } from '../../../shared/contracts/contact-data';

export const contactEraseBody = z
  .object({ email: z.string().trim().min(1, 'type the contact’s email address').max(320) })
  .strict() as z.ZodType<ContactEraseInput>;
