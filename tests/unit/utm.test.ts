// UTM tags on tracked links: the URL rule (shared/utm.ts) and where composition applies it (sending/compose.ts).
import { appendUtm, campaignSlug, utmTagsOf, type UtmTags } from '../../shared/utm';
import { composeMessage } from '../../server/src/sending/compose';

const TAGS: UtmTags = { source: 'newsletter', medium: 'email', campaign: 'spring-sale' };

describe('appendUtm', () => {
  it('adds the three tags to a URL without a query', () => {
    expect(appendUtm('https://shop.example.test/spring', TAGS)).toBe(
      'https://shop.example.test/spring?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
    );
  });

  it('keeps the query as written and puts the tags after it', () => {
    expect(appendUtm('https://shop.example.test/?q=a%20b&tag=x+y&empty=', TAGS)).toBe(
      'https://shop.example.test/?q=a%20b&tag=x+y&empty=&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
    );
    expect(appendUtm('https://shop.example.test/?', TAGS)).toBe(
      'https://shop.example.test/?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale',
    );
  });

  it('never replaces a tag the link already has, and adds only the missing ones', () => {
    expect(appendUtm('https://shop.example.test/?utm_source=partner&x=1', TAGS)).toBe(
      'https://shop.example.test/?utm_source=partner&x=1&utm_medium=email&utm_campaign=spring-sale',
    );
    const complete = 'https://shop.example.test/?utm_campaign=c&utm_medium=m&utm_source=s';
    expect(appendUtm(complete, TAGS)).toBe(complete);
  });

  it('keeps the fragment after the query', () => {
    expect(appendUtm('https://shop.example.test/page?x=1#offers', TAGS)).toBe(
      'https://shop.example.test/page?x=1&utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale#offers',
    );
    expect(appendUtm('https://shop.example.test/#top?not=query', TAGS)).toBe(
      'https://shop.example.test/?utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale#top?not=query',
    );
  });

  it('encodes the values', () => {
    const url = appendUtm('https://shop.example.test/', {
      source: 'news & co',
      medium: 'e-mail/html',
      campaign: 'été #1',
    });
    expect(url).toBe(
      'https://shop.example.test/?utm_source=news%20%26%20co&utm_medium=e-mail%2Fhtml&utm_campaign=%C3%A9t%C3%A9%20%231',
    );
    const params = new URL(url).searchParams;
    expect([params.get('utm_source'), params.get('utm_medium'), params.get('utm_campaign')]).toEqual([
      'news & co',
      'e-mail/html',
      'été #1',
    ]);
  });

  it('leaves mailto:, tel:, relative and personalised links alone, and adds nothing without tags', () => {
    for (const url of ['mailto:a@example.test', 'tel:+331234', '/relative', '{{mirrorUrl}}', 'ftp://x.test/'])
      expect(appendUtm(url, TAGS)).toBe(url);
    expect(appendUtm('https://shop.example.test/', null)).toBe('https://shop.example.test/');
  });
});

describe('the tags of a delivery', () => {
  it('are none unless the delivery asks, and its own values win over the defaults', () => {
    expect(utmTagsOf({ name: 'Spring', utmTags: false })).toBeNull();
    expect(utmTagsOf({ name: 'Spring Sale – 20%!', utmTags: true })).toEqual({
      source: 'newsletter',
      medium: 'email',
      campaign: 'spring-sale-20',
    });
    expect(
      utmTagsOf(
        { name: 'Spring', utmTags: true, utmSource: 'weekly', utmCampaign: ' ' },
        { source: 'news', medium: 'mail', campaign: 'always' },
      ),
    ).toEqual({ source: 'weekly', medium: 'mail', campaign: 'always' });
  });

  it('slugs a name into lower-case letters, digits and dashes', () => {
    expect(campaignSlug('  Été: Les Soldes  ')).toBe('ete-les-soldes');
    expect(campaignSlug('***')).toBe('');
  });
});

describe('composition with UTM tags', () => {
  const html = `<a href="https://shop.example.test/?utm_source=partner#top">Shop</a>
<a href="mailto:help@example.test">Mail us</a> <a href="tel:+331234">Call</a>
<a href="{{unsubscribeUrl}}">Unsubscribe</a> <a href="{{mirrorUrl}}">Mirror</a>
<a href="https://blog.example.test/post" data-track="false">Blog</a>`;

  it('stores the tracked links with the tags, and no other link', () => {
    const composed = composeMessage({ subject: 'S', html, trackOpens: false, trackLinks: true, utm: TAGS });
    expect(composed.links.map((link) => [link.kind, link.url])).toEqual([
      ['tracked', 'https://shop.example.test/?utm_source=partner&utm_medium=email&utm_campaign=spring-sale#top'],
      ['untracked', 'mailto:help@example.test'],
      ['untracked', 'tel:+331234'],
      ['unsubscribe', '{{unsubscribeUrl}}'],
      ['mirror', '{{mirrorUrl}}'],
      ['untracked', 'https://blog.example.test/post'],
    ]);
    expect(composed.htmlSource).toContain('href="mailto:help@example.test"');
    expect(composed.htmlSource).not.toContain('utm_');
  });
});
