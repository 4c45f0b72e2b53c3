import { mapHeader, toContactRow } from '../../server/src/lib/csv-contacts';

describe('mapping CSV columns to contact fields', () => {
  it('recognises common spellings of the contact fields and keeps other columns as attributes', () => {
    const mapping = mapHeader(['E-mail', 'First Name', 'surname', 'Language', 'Company Name', '!!!']);
    const row = toContactRow(mapping, [' ada@example.com ', 'Ada', 'Lovelace', 'en', 'Analytical Engines', 'ignored']);
    expect(row).toEqual({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      locale: 'en',
      attributes: { Company_Name: 'Analytical Engines' },
    });
  });

  it('leaves empty cells out rather than erasing values with blanks', () => {
    const row = toContactRow(mapHeader(['email', 'firstName', 'city']), ['a@b.io', '', '']);
    expect(row).toEqual({ email: 'a@b.io', attributes: {} });
  });

  it('refuses a header without an email column and lists what it found', () => {
    expect(() => mapHeader(['name', 'phone'])).toThrow('The CSV header has no "email" column (found: "name", "phone").');
  });
});
