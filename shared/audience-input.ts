// The rules of a contact's and a list's fields, checked by the admin's forms as the admin types and by the server's
// validation (server/src/validation/contacts.ts, lists.ts).
import { z } from 'zod';
import { CONTACT_STATUSES } from './constants';
import { documentIdSchema } from './document-id';
import { nameSchema } from './name';

export const CONTACT_FIELD_LIMITS = { nameChars: 255, localeChars: 35 } as const;

/** Bulk actions on contacts take at most this many ids at once. */
export const CONTACT_BULK_IDS = 1000;

export const contactFields = {
  firstName: z.string().trim().max(CONTACT_FIELD_LIMITS.nameChars).nullable().optional(),
  lastName: z.string().trim().max(CONTACT_FIELD_LIMITS.nameChars).nullable().optional(),
  locale: z.string().trim().max(CONTACT_FIELD_LIMITS.localeChars).nullable().optional(),
  attributes: z.record(z.unknown()).nullable().optional(),
  status: z.enum(CONTACT_STATUSES).optional(),
  lists: z.array(documentIdSchema).max(1000).optional(),
};

export const contactCreateBody = z
  .object({ email: z.string().trim().min(1, 'email is required'), ...contactFields })
  .strict();
export const contactUpdateBody = z
  .object({ email: z.string().trim().min(1, 'email is required').optional(), ...contactFields })
  .strict();

export const contactBulkDeleteBody = z
  .object({ documentIds: z.array(documentIdSchema).min(1, 'choose at least one contact').max(CONTACT_BULK_IDS) })
  .strict();

export const listCreateBody = z
  .object({
    name: nameSchema,
    description: z.string().max(10_000).nullable().optional(),
    /** Offered on public sign-up forms (POST /api/campaigns/subscribe). */
    public: z.boolean().optional(),
    /** Sign-ups from a form join it only once the person confirmed from the email sent to them. */
    doubleOptIn: z.boolean().optional(),
  })
  .strict();
export const listUpdateBody = listCreateBody.partial().strict();

/** The bulk sync route (POST /api/campaigns/contacts/sync) takes at most this many contacts per request. */
export const CONTACT_SYNC_MAX = 10_000;
const SYNC_ATTRIBUTES = 50;

/** One contact of a sync request: checked on its own, so that one bad item is answered as such and the rest written. */
export const contactSyncItem = z
  .object({
    email: z.string().trim().min(1, 'email is required'),
    firstName: contactFields.firstName,
    lastName: contactFields.lastName,
    locale: contactFields.locale,
    attributes: z
      .record(z.unknown())
      .refine((value) => Object.keys(value).length <= SYNC_ATTRIBUTES, `at most ${SYNC_ATTRIBUTES} attributes`)
      .optional(),
    lists: z.array(documentIdSchema).max(100).optional(),
  })
  .strict();

export const contactSyncBody = z
  .object({
    contacts: z
      .array(z.unknown())
      .min(1, 'give at least one contact')
      .max(CONTACT_SYNC_MAX, `at most ${CONTACT_SYNC_MAX.toLocaleString('en')} contacts per request`),
    /** false: existing contacts keep their fields (they are still linked to the lists named). */
    updateExisting: z.boolean().optional(),
  })
  .strict();
