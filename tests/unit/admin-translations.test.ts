// Every string of the admin goes through formatMessage with an id and an English default; en.json is the source, so
// each id used with a default must be in en.json with that same text.
import fs from 'fs';
import path from 'path';
import en from '../../admin/src/translations/en.json';

const ADMIN_SRC = path.resolve(__dirname, '..', '..', 'admin', 'src');
const TRANSLATIONS = path.join(ADMIN_SRC, 'translations');
const translations = en as Record<string, string>;
const languages = fs
  .readdirSync(TRANSLATIONS)
  .filter((name) => name.endsWith('.json') && name !== 'en.json')
  .map(
    (name) =>
      [name, JSON.parse(fs.readFileSync(path.join(TRANSLATIONS, name), 'utf8')) as Record<string, string>] as const,
  );

/** The {names} a message fills in, plural and select arguments included (`{count, plural, ...}` gives count). */
const placeholders = (message: string) =>
  [...message.matchAll(/\{\s*([A-Za-z_]\w*)\s*(?:,|\})/g)]
    .map((m) => m[1])
    .filter((v, i, all) => all.indexOf(v) === i)
    .sort();

const sourceFiles = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });

// formatMessage({ id: getTranslation('x'), defaultMessage: '...' }) and the pages' t('x', '...') shorthand.
const USES = [
  /getTranslation\('([^']+)'\),\s*defaultMessage:\s*'((?:[^'\\]|\\.)*)'/g,
  /\bt\(\s*'([^']+)',\s*'((?:[^'\\]|\\.)*)'/g,
];

const uses = sourceFiles(ADMIN_SRC).flatMap((file) => {
  const source = fs.readFileSync(file, 'utf8');
  return USES.flatMap((pattern) =>
    [...source.matchAll(pattern)].map((match) => ({
      file: path.relative(ADMIN_SRC, file),
      id: match[1],
      text: match[2].replace(/\\'/g, "'"),
    })),
  );
});

describe('admin translations', () => {
  it('finds the strings of the admin pages', () => {
    expect(uses.length).toBeGreaterThan(200);
  });

  it('has every id the admin uses in en.json, with the same English text', () => {
    const wrong = uses
      .filter(({ id, text }) => translations[id] !== text)
      .map(
        ({ file, id, text }) =>
          `${file}: ${id} is ${JSON.stringify(translations[id])} in en.json, ${JSON.stringify(text)} in the code`,
      );
    expect(wrong).toEqual([]);
  });

  it('gives each id one text only', () => {
    const texts = new Map<string, Set<string>>();
    for (const { id, text } of uses) texts.set(id, (texts.get(id) ?? new Set()).add(text));
    expect([...texts].filter(([, set]) => set.size > 1).map(([id, set]) => `${id}: ${[...set].join(' | ')}`)).toEqual(
      [],
    );
  });

  it('has a French translation', () => {
    expect(languages.map(([name]) => name)).toContain('fr.json');
  });

  it.each(languages)('%s has exactly the keys of en.json', (_name, messages) => {
    const keys = Object.keys(translations);
    expect(keys.filter((key) => !(key in messages))).toEqual([]);
    expect(Object.keys(messages).filter((key) => !(key in translations))).toEqual([]);
  });

  it.each(languages)('%s fills in the same values as en.json, and translates', (_name, messages) => {
    const wrong = Object.entries(translations)
      .filter(
        ([key, english]) => key in messages && placeholders(messages[key]).join() !== placeholders(english).join(),
      )
      .map(([key]) => `${key}: ${messages[key]}`);
    expect(wrong).toEqual([]);
    expect(Object.values(messages).every((text) => typeof text === 'string' && text.trim() !== '')).toBe(true);
  });
});
