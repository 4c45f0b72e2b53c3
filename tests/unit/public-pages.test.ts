// The unsubscribe page: the right language, the right form for each state, and nothing unescaped.
import { UNSUBSCRIBE_STRINGS, pageLanguage, renderUnsubscribePage } from '../../server/src/tracking/public-pages';
import { LRUCache } from 'lru-cache';

describe('page language', () => {
  it.each([
    ['fr', 'fr'],
    ['fr-CA', 'fr'],
    ['DE_at', 'de'],
    ['es', 'es'],
    ['pt-BR', 'en'],
    ['', 'en'],
    [null, 'en'],
    [undefined, 'en'],
    ['__proto__', 'en'],
    ['constructor', 'en'],
  ])('%j -> %s', (locale, expected) => {
    expect(pageLanguage(locale as string | null | undefined)).toBe(expected);
  });

  it('every language has every string', () => {
    const keys = Object.keys(UNSUBSCRIBE_STRINGS.en).sort();
    for (const strings of Object.values(UNSUBSCRIBE_STRINGS)) expect(Object.keys(strings).sort()).toEqual(keys);
  });
});

describe('unsubscribe page', () => {
  const render = (state: 'confirm' | 'unsubscribed' | 'resubscribed', extra = {}) =>
    renderUnsubscribePage({ state, email: 'ada@example.com', action: '/api/campaigns/u/TOKEN', ...extra });

  it.each([
    ['confirm', 'Unsubscribe?', 'value="unsubscribe"'],
    ['unsubscribed', 'You are unsubscribed', 'value="resubscribe"'],
    ['resubscribed', 'You are subscribed again', 'value="unsubscribe"'],
  ] as const)('%s shows "%s" and a form with %s', (state, heading, action) => {
    const html = render(state);
    expect(html).toContain(`<h1>${heading}</h1>`);
    expect(html).toContain(action);
    expect(html).toContain('<form method="post" action="/api/campaigns/u/TOKEN">');
    expect(html).not.toMatch(/<script|javascript:|https?:\/\//);
  });

  it('escapes the address and the form action', () => {
    const html = renderUnsubscribePage({
      state: 'confirm',
      email: '<img src=x onerror=alert(1)>@x',
      action: '/u/"><script>',
      locale: 'en',
    });
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;@x');
    expect(html).toContain('action="/u/&quot;&gt;&lt;script&gt;"');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>');
  });

  it('says when it is a preview', () => {
    expect(render('confirm', { preview: true })).toContain('This is a preview');
    expect(render('confirm', { locale: 'de', preview: true })).toContain('Dies ist eine Vorschau');
  });
});

describe('LRU cache (lru-cache, as the tracking caches use it)', () => {
  it('forgets the least recently used entry first', () => {
    const cache = new LRUCache<number, string>({ max: 2 });
    cache.set(1, 'a');
    cache.set(2, 'b');
    expect(cache.get(1)).toBe('a'); // 1 is now the most recent
    cache.set(3, 'c');
    expect([cache.get(1), cache.get(2), cache.get(3)]).toEqual(['a', undefined, 'c']);
    expect(cache.size).toBe(2);
  });
});
