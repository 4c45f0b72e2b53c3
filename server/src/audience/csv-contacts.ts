// Maps the columns of a contacts CSV to contact fields; what is not a known field becomes an attribute. Checks each
// row against the limits below, so a bad row is refused with its line and never reaches the database.
import { emailProblem, normalizeEmail } from '../platform/email-address';
import { CONTACT_FIELD_LIMITS } from '../../../shared/audience-input';
import { ATTRIBUTE_PREFIX, columnFromHeader, type ImportField } from '../../../shared/import-columns';

/** What a contact may hold: names fit the varchar(255) columns of the contact content type; the API uses them too. */
export const CONTACT_LIMITS = {
  ...CONTACT_FIELD_LIMITS,
  attributes: 50,
  attributeChars: 1000,
  /** One line of an import file: enough for every field at its limit; a longer line is refused unread. */
  lineChars: 65_536,
} as const;

/** A problem with the file as a whole: its message is meant for the person importing it. */
export class ImportFileError extends Error {}

export interface ContactRow {
  email: string;
  firstName?: string;
  lastName?: string;
  locale?: string;
  attributes: Record<string, string>;
}

export type ColumnMapping = Array<{ field: keyof Omit<ContactRow, 'attributes'> } | { attribute: string } | null>;

/** Where each column goes (shared/import-columns.ts): the admin's mapping, or what the header's names say. */
const chosenMapping = (header: string[], columns: string[]): ColumnMapping => {
  if (columns.length !== header.length) {
    throw new ImportFileError(
      `The column mapping names ${columns.length} columns but the CSV header has ${header.length}.`,
    );
  }
  return columns.map((column) =>
    !column
      ? null
      : column.startsWith(ATTRIBUTE_PREFIX)
        ? { attribute: column.slice(ATTRIBUTE_PREFIX.length) }
        : { field: column as ImportField },
  );
};

/**
 * Decides once, from the header row or the admin's mapping, where each column goes. Throws when no column holds the
 * email.
 */
export const mapHeader = (header: string[], columns?: string[]): ColumnMapping => {
  const mapping = chosenMapping(header, columns ?? header.map(columnFromHeader));
  if (!mapping.some((m) => m && 'field' in m && m.field === 'email')) {
    throw new ImportFileError(
      `The CSV header has no "email" column (found: ${header.map((h) => `"${h}"`).join(', ') || 'nothing'}).`,
    );
  }
  const attributes = mapping.filter((m) => m && 'attribute' in m).length;
  if (attributes > CONTACT_LIMITS.attributes) {
    throw new ImportFileError(
      `The CSV header has ${attributes} attribute columns; a contact holds at most ${CONTACT_LIMITS.attributes}.`,
    );
  }
  return mapping;
};

export const toContactRow = (mapping: ColumnMapping, record: string[]): ContactRow => {
  const row: ContactRow = { email: '', attributes: {} };
  mapping.forEach((target, index) => {
    const value = (record[index] ?? '').trim();
    if (!target) return;
    if ('field' in target) {
      if (value) row[target.field] = value;
    } else if (value) {
      row.attributes[target.attribute] = value;
    }
  });
  return row;
};

const FIELD_LABELS: Record<keyof Omit<ContactRow, 'email' | 'attributes'>, [string, number]> = {
  firstName: ['first name', CONTACT_LIMITS.nameChars],
  lastName: ['last name', CONTACT_LIMITS.nameChars],
  locale: ['locale', CONTACT_LIMITS.localeChars],
};
// Tab aside, control characters are never meant in a contact, and PostgreSQL refuses U+0000 in text.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Why a row of values cannot be stored, or null. */
const rowProblem = (row: ContactRow): string | null => {
  for (const [field, [label, max]] of Object.entries(FIELD_LABELS) as Array<
    [keyof typeof FIELD_LABELS, [string, number]]
  >) {
    const value = row[field];
    if (value === undefined) continue;
    if (value.length > max) return `the ${label} has ${value.length} characters, at most ${max}`;
    if (CONTROL.test(value)) return `the ${label} holds a control character`;
  }
  for (const [key, value] of Object.entries(row.attributes)) {
    if (value.length > CONTACT_LIMITS.attributeChars)
      return `the value of "${key}" has ${value.length} characters, at most ${CONTACT_LIMITS.attributeChars}`;
    if (CONTROL.test(value)) return `the value of "${key}" holds a control character`;
  }
  return null;
};

/** One data line as a contact with a normalised email, or why it is refused (with the email as written, if any). */
export const readContactRow = (
  mapping: ColumnMapping,
  fields: string[],
): { row: ContactRow } | { problem: string; email: string | null } => {
  const row = toContactRow(mapping, fields);
  const written = row.email || null;
  if (fields.length !== mapping.length) {
    return {
      problem: `the line has ${fields.length} values, the header has ${mapping.length} (a value holding a comma needs quotes)`,
      email: written,
    };
  }
  const email = normalizeEmail(row.email);
  const problem = emailProblem(email) ?? rowProblem(row);
  return problem
    ? { problem, email: written && written.slice(0, CONTACT_LIMITS.nameChars) }
    : { row: { ...row, email } };
};
