// Addresses an admin puts on the suppression list by hand: the rule the API checks the request by
// (server/src/controllers/suppressions.ts) and the admin's form checks it by as the admin types.
import { z } from 'zod';

export const MAX_SUPPRESSIONS_AT_ONCE = 10_000;

export const suppressionAddInput = z
  .object({
    emails: z
      .array(z.string().trim().email('each address must be an email address'))
      .min(1, 'give at least one address')
      .max(MAX_SUPPRESSIONS_AT_ONCE, `at most ${MAX_SUPPRESSIONS_AT_ONCE.toLocaleString('en')} addresses at once`),
    note: z.string().trim().max(500, 'at most 500 characters').optional(),
  })
  .strict();

export type SuppressionAddInput = z.infer<typeof suppressionAddInput>;

/** What adding or importing answers. */
export interface SuppressionAddResult {
  added: number;
  alreadySuppressed: number;
  /** Contacts with these addresses that were reachable and are now unsubscribed. */
  contactsUnsubscribed: number;
  /** Lines of an imported file that were not taken, with why. */
  rejected: Array<{ line: number; problem: string }>;
}
