import { mapHeader, readContactRow, toContactRow } from '../../server/src/audience/csv-contacts';

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
    expect(() => mapHeader(['name', 'phone'])).toThrow(
      'The CSV header has no "email" column (found: "name", "phone").',
    );
  });

  it('refuses a header with more attribute columns than a contact holds', () => {
    const header = ['email', ...Array.from({ length: 51 }, (_, i) => `a${i}`)];
    expect(() => mapHeader(header)).toThrow('The CSV header has 51 attribute columns; a contact holds at most 50.');
  });

  it('checks each row against the limits and normalises its email', () => {
    const mapping = mapHeader(['email', 'firstName', 'locale', 'city']);
    expect(readContactRow(mapping, [' Ada@Example.com', 'Ada', 'en', 'London'])).toEqual({
      row: { email: 'ada@example.com', firstName: 'Ada', locale: 'en', attributes: { city: 'London' } },
    });
    expect(readContactRow(mapping, ['ada@example.com', 'A'.repeat(256), '', ''])).toEqual({
      problem: 'the first name has 256 characters, at most 255',
      email: 'ada@example.com',
    });
    expect(readContactRow(mapping, ['ada@example.com', '', 'x'.repeat(36), ''])).toEqual({
      problem: 'the locale has 36 characters, at most 35',
      email: 'ada@example.com',
    });
    expect(readContactRow(mapping, ['ada@example.com', '', '', 'c'.repeat(1001)])).toEqual({
      problem: 'the value of "city" has 1001 characters, at most 1000',
      email: 'ada@example.com',
    });
    expect(readContactRow(mapping, ['ada@example.com', 'A\u0000da', '', ''])).toEqual({
      problem: 'the first name holds a control character',
      email: 'ada@example.com',
    });
    expect(readContactRow(mapping, ['ada@example.com', 'Ada'])).toEqual({
      problem: 'the line has 2 values, the header has 4 (a value holding a comma needs quotes)',
      email: 'ada@example.com',
    });
    expect(readContactRow(mapping, ['nope', '', '', ''])).toMatchObject({
      problem: expect.stringMatching(/is not an email address/),
      email: 'nope',
    });
  });
});
