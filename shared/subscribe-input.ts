// The body of the public sign-up route (POST /api/campaigns/subscribe), as JSON or as a plain HTML form post. The
// server validates with it (server/src/controllers/subscriptions.ts); the admin's form snippet names the same fields.
import { z } from 'zod';
import { CONTACT_FIELD_LIMITS } from './audience-input';

export const SUBSCRIBE_LIMITS = {
  /** Bytes of a request body; a sign-up is a few hundred. */
  bodyBytes: 16 * 1024,
  /** Fields of a body, counted at every depth (list ids and attributes included). */
  fields: 64,
  lists: 20,
  attributes: 20,
  attributeChars: 500,
  sourceChars: 500,
  consentChars: 2000,
} as const;

/** A list's documentId or its numeric id; a form post sends one value as a string and several as an array. */
const listRef = z.union([
  z
    .string()
    .trim()
    .regex(/^[a-z0-9]{1,64}$/, 'each list must be a list id'),
  z.number().int().positive(),
]);

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((value) => value || undefined);

const attributeValue = z.union([z.string().max(SUBSCRIBE_LIMITS.attributeChars), z.number(), z.boolean()]);

/** What a CAPTCHA widget adds to its form (Turnstile, reCAPTCHA, hCaptcha, or a script's own `captcha`): for the verifier. */
const captchaField = z.string().max(4096).optional();

export const subscribeBody = z
  .object({
    email: z.string().trim().min(1, 'email is required').max(254, 'email is longer than 254 characters'),
    firstName: optionalText(CONTACT_FIELD_LIMITS.nameChars),
    lastName: optionalText(CONTACT_FIELD_LIMITS.nameChars),
    locale: optionalText(CONTACT_FIELD_LIMITS.localeChars),
    lists: z.preprocess(
      (value) => (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]),
      z
        .array(listRef)
        .min(1, 'choose at least one list')
        .max(SUBSCRIBE_LIMITS.lists, `at most ${SUBSCRIBE_LIMITS.lists} lists`),
    ),
    attributes: z
      .record(attributeValue)
      .refine((value) => Object.keys(value).length <= SUBSCRIBE_LIMITS.attributes, {
        message: `at most ${SUBSCRIBE_LIMITS.attributes} attributes`,
      })
      .optional(),
    source: optionalText(SUBSCRIBE_LIMITS.sourceChars),
    consentText: optionalText(SUBSCRIBE_LIMITS.consentChars),
    captcha: captchaField,
    'cf-turnstile-response': captchaField,
    'g-recaptcha-response': captchaField,
    'h-captcha-response': captchaField,
  })
  .strict();

export type SubscribeInput = z.infer<typeof subscribeBody>;

/** Fields of a parsed body at every depth, stopping once past the limit (a hostile body may hold millions). */
export const countFields = (value: unknown, limit = SUBSCRIBE_LIMITS.fields): number => {
  let count = 0;
  const walk = (node: unknown) => {
    if (count > limit || node === null || typeof node !== 'object') return;
    for (const child of Object.values(node as Record<string, unknown>)) {
      count += 1;
      if (count > limit) return;
      walk(child);
    }
  };
  walk(value);
  return count;
};

/** The answer to every accepted sign-up, the same whether the address was known, subscribed or new (202). */
export interface SubscribeResponse {
  data: { accepted: true };
}
