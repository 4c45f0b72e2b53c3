// The sign-up form an admin copies from Settings > Campaigns: its options (checked by the admin's form kit) and the
// plain HTML it becomes. A plain form post, no script: it works from a static page on any site without CORS, and
// the subscribe route answers a form post with a small page of its own (server/src/controllers/subscriptions.ts).
// The field names are those of the route's body (shared/subscribe-input.ts).
import { z } from 'zod';
import { SUBSCRIBE_LIMITS } from './subscribe-input';

export const SIGNUP_FORM_LANGUAGES = ['en', 'fr', 'de', 'es'] as const;

export const signupFormOptions = z.object({
  /** Picked lists by documentId: true when offered. */
  lists: z.record(z.boolean()).refine((picked) => Object.values(picked).some(Boolean), 'choose at least one list'),
  firstName: z.boolean(),
  lastName: z.boolean(),
  /** Attribute keys (among those the settings accept) asked by the form. */
  attributes: z.record(z.boolean()),
  language: z.enum(SIGNUP_FORM_LANGUAGES),
  /** What the person agrees to; kept in their consent record. */
  consentText: z.string().trim().min(1, 'write what people agree to').max(SUBSCRIBE_LIMITS.consentChars),
  /** Which form it was, kept in the consent record (the page's address, the form's name). */
  source: z.string().trim().max(SUBSCRIBE_LIMITS.sourceChars),
  button: z.string().trim().min(1, 'name the button').max(100),
});

export type SignupFormOptions = z.infer<typeof signupFormOptions>;

const escape = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const LABELS: Record<(typeof SIGNUP_FORM_LANGUAGES)[number], { email: string; firstName: string; lastName: string }> = {
  en: { email: 'Email', firstName: 'First name', lastName: 'Last name' },
  fr: { email: 'E-mail', firstName: 'Prénom', lastName: 'Nom' },
  de: { email: 'E-Mail', firstName: 'Vorname', lastName: 'Nachname' },
  es: { email: 'Correo electrónico', firstName: 'Nombre', lastName: 'Apellidos' },
};

/** The HTML of the form. `action` is the subscribe route's absolute URL; `lists` the public lists, by documentId. */
export const signupFormHtml = (
  options: SignupFormOptions,
  action: string,
  lists: ReadonlyArray<{ documentId: string; name: string }>,
): string => {
  const labels = LABELS[options.language];
  const picked = lists.filter((list) => options.lists[list.documentId]);
  const line = (inner: string) => `  <p>${inner}</p>`;
  const input = (label: string, attributes: string) => line(`<label>${escape(label)}<br><input ${attributes}></label>`);
  const lines = [
    `<form method="post" action="${escape(action)}" accept-charset="utf-8">`,
    `  <input type="hidden" name="locale" value="${options.language}">`,
    `  <input type="hidden" name="source" value="${escape(options.source)}">`,
    `  <input type="hidden" name="consentText" value="${escape(options.consentText)}">`,
    input(labels.email, 'type="email" name="email" required maxlength="254" autocomplete="email"'),
  ];
  if (options.firstName) lines.push(input(labels.firstName, 'type="text" name="firstName" maxlength="255"'));
  if (options.lastName) lines.push(input(labels.lastName, 'type="text" name="lastName" maxlength="255"'));
  for (const [key, asked] of Object.entries(options.attributes)) {
    if (asked) lines.push(input(key, `type="text" name="attributes[${escape(key)}]" maxlength="500"`));
  }
  // One list: a hidden field; several: the person picks among them (all ticked).
  if (picked.length === 1) lines.push(`  <input type="hidden" name="lists" value="${escape(picked[0].documentId)}">`);
  else
    for (const list of picked) {
      lines.push(
        line(
          `<label><input type="checkbox" name="lists" value="${escape(list.documentId)}" checked> ${escape(list.name)}</label>`,
        ),
      );
    }
  lines.push(line(`<label><input type="checkbox" required> ${escape(options.consentText)}</label>`));
  lines.push(line(`<button type="submit">${escape(options.button)}</button>`));
  lines.push('</form>');
  return lines.join('\n');
};
