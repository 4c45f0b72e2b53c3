// Collection types as newsletter shapes: the guess from field names, the URL of an entry's public page, an entry
// read through its shape.
import { fillUrlPattern, guessShape, viewOf, type CollectionTypeInfo } from '../../server/src/authoring/entry-shapes';

const article: CollectionTypeInfo = {
  uid: 'api::article.article',
  info: { displayName: 'Article', pluralName: 'articles' },
  options: { draftAndPublish: true },
  attributes: {
    headline: { type: 'string' },
    permalink: { type: 'uid' },
    summary: { type: 'text' },
    content: { type: 'richtext' },
    gallery: { type: 'media', multiple: true },
    thumbnail: { type: 'media', multiple: false, allowedTypes: ['images'] },
  },
};

describe('entry shapes', () => {
  it('guesses the fields by their names and kinds, and the URL from the uid field', () => {
    expect(guessShape(article, 'https://site.test')).toEqual({
      contentType: 'api::article.article',
      titleField: 'headline',
      bodyField: 'content',
      excerptField: 'summary',
      imageField: 'thumbnail',
      urlPattern: 'https://site.test/articles/{permalink}',
      localeUrlPatterns: {},
    });
  });

  it("reads an entry's URL from its locale's pattern, and from the main one for a locale without its own", () => {
    const shape = {
      ...guessShape(article, 'https://site.test'),
      localeUrlPatterns: { fr: 'https://exemple.test/{locale}/{permalink}' },
    };
    const entry = (locale: string) => ({ documentId: 'd1', headline: 'H', permalink: 'p', locale });
    expect(viewOf(entry('fr'), shape, article, 'https://site.test').url).toBe('https://exemple.test/fr/p');
    expect(viewOf(entry('de'), shape, article, 'https://site.test').url).toBe('https://site.test/articles/p');
  });

  it('fills a URL pattern, encoding each value, and gives null when a field is empty or missing', () => {
    const entry = { slug: 'a b/ç', documentId: 'x1', count: 3 };
    expect(fillUrlPattern('https://s.test/{locale}/{slug}?n={count}', entry, 'fr')).toBe(
      'https://s.test/fr/a%20b%2F%C3%A7?n=3',
    );
    expect(fillUrlPattern('https://s.test/{slug}/{documentId}', entry, null)).toBe('https://s.test/a%20b%2F%C3%A7/x1');
    expect(fillUrlPattern('https://s.test/{locale}/{slug}', entry, null)).toBeNull();
    expect(fillUrlPattern('https://s.test/{missing}', entry, null)).toBeNull();
  });

  it('reads an entry through its shape: Markdown body, excerpt from the body when none, relative picture made absolute', () => {
    const shape = { ...guessShape(article, 'https://site.test'), excerptField: null };
    const view = viewOf(
      {
        documentId: 'd1',
        headline: '<b>Hi</b>',
        permalink: 'hi',
        content: `# Title\n\n${'word '.repeat(100)}`,
        thumbnail: { url: '/uploads/t.png', alternativeText: null },
        publishedAt: '2026-11-30T10:00:00.000Z',
      },
      shape,
      article,
      'https://site.test',
    );
    expect(view).toMatchObject({
      title: '<b>Hi</b>',
      imageUrl: 'https://site.test/uploads/t.png',
      imageAlt: '<b>Hi</b>',
      url: 'https://site.test/articles/hi',
      body: { format: 'markdown' },
    });
    expect(view.excerpt.length).toBeLessThanOrEqual(241);
    expect(view.excerpt.endsWith('…')).toBe(true);
  });
});
