// Maps the columns of a contacts CSV to contact fields; what is not a known field becomes an attribute.

export interface ContactRow {
  email: string;
  firstName?: string;
  lastName?: string;
  locale?: string;
  attributes: Record<string, string>;
}

const FIELD_ALIASES: Record<string, keyof Omit<ContactRow, 'attributes'>> = {
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

const ATTRIBUTE_KEY = /^[A-Za-z0-9_]+$/;

export type ColumnMapping = Array<{ field: keyof Omit<ContactRow, 'attributes'> } | { attribute: string } | null>;

/** Decides once, from the header row, where each column goes. Throws when no column holds the email. */
export const mapHeader = (header: string[]): ColumnMapping => {
  const mapping: ColumnMapping = header.map((raw) => {
    const name = raw.trim();
    const field = FIELD_ALIASES[name.toLowerCase()];
    if (field) return { field };
    const key = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    return key && ATTRIBUTE_KEY.test(key) ? { attribute: key } : null;
  });
  if (!mapping.some((m) => m && 'field' in m && m.field === 'email')) {
    throw new Error(`The CSV header has no "email" column (found: ${header.map((h) => `"${h}"`).join(', ') || 'nothing'}).`);
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
