// Where each column of an imported CSV goes, as the admin's mapping step chooses it and the import reads it
// (server/src/audience/csv-contacts.ts): a contact field, an attribute named `attribute:<name>`, or '' to skip it.
import { z } from 'zod';

export const IMPORT_FIELDS = ['email', 'firstName', 'lastName', 'locale'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export const ATTRIBUTE_PREFIX = 'attribute:';
export const ATTRIBUTE_NAME = /^[A-Za-z0-9_]+$/;

export const importColumnSchema = z.union([
  z.enum(IMPORT_FIELDS),
  z.literal(''),
  z.string().regex(new RegExp(`^${ATTRIBUTE_PREFIX}[A-Za-z0-9_]+$`), 'an attribute name is letters, digits and _'),
]);

/** One entry per column of the header, with exactly one email column. */
export const importColumnsSchema = z
  .array(importColumnSchema)
  .min(1)
  .max(500)
  .refine((columns) => columns.filter((column) => column === 'email').length === 1, 'choose one email column')
  .refine((columns) => {
    const used = columns.filter(Boolean);
    return new Set(used).size === used.length;
  }, 'each field and attribute can take one column only');

const FIELD_ALIASES: Record<string, ImportField> = {
  email: 'email',
  'e-mail': 'email',
  emailaddress: 'email',
  firstname: 'firstName',
  first_name: 'firstName',
  'first name': 'firstName',
  givenname: 'firstName',
  lastname: 'lastName',
  last_name: 'lastName',
  'last name': 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  locale: 'locale',
  language: 'locale',
};

/** Where a column goes when only its header name says: a known field, else an attribute of that name, else nowhere. */
export const columnFromHeader = (raw: string): string => {
  const name = raw.trim();
  const field = FIELD_ALIASES[name.toLowerCase()];
  if (field) return field;
  const key = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return key && ATTRIBUTE_NAME.test(key) ? `${ATTRIBUTE_PREFIX}${key}` : '';
};
