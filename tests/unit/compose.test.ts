// Preparing a delivery's message: link discovery and rewriting, open pixel, footer, text part, per-recipient rendering.

import * as cheerio from 'cheerio';
import * as htmlToText from 'html-to-text';
import { composeMessage, renderMessage, validateMessage, type ComposeInput } from '../../server/src/sending/compose';
import { TemplateError, type RenderContext } from '../../server/src/sending/template';

// cheerio's exports are read-only getters, so the parse counters wrap the real functions through a module mock.
jest.mock('cheerio', () => {
  const actual = jest.requireActual('cheerio');
  return { ...actual, load: jest.fn(actual.load) };
});
jest.mock('html-to-text', () => {
  const actual = jest.requireActual('html-to-text');
  return { ...actual, convert: jest.fn(actual.convert) };
});

const input = (overrides: Partial<ComposeInput> = {}): ComposeInput => ({
  subject: 'News for {{firstName}}',
  html: '<p>Hello {{firstName}}</p><p><a href="{{unsubscribeUrl}}">Unsubscribe</a></p>',
  trackOpens: false,
  trackLinks: true,
  ...overrides,
});

const context = (contact: Partial<RenderContext['contact']> = {}, token = 'tok'): RenderContext => ({
  contact: { email: 'ada@example.com', firstName: 'Ada', ...contact },
  urls: {
    unsubscribe: `https://t.example.com/u/${token}`,
    mirror: `https://t.example.com/m/${token}`,
    open: `https://t.example.com/o/${token}`,
    link: (position) => `https://t.example.com/c/${token}.${position}`,
  },
});

const thrown = (run: () => unknown): TemplateError => {
  try {
    run();
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error('expected a TemplateError');
};

const hrefs = (html: string) =>
  cheerio
    .load(
      html,
      null,
      false,
    )('a')
    .map((_, a) => a.attribs.href)
    .get();

describe('link discovery', () => {
  it('registers every link in document order with its position and label, telling apart two links to one URL', () => {
    const { links } = composeMessage(
      input({
        html:
          '<p>Read <a href="https://example.com/news">our\n   latest   news</a></p>' +
          '<a href="https://example.com/news"><img src="banner.png" alt="Spring banner"></a>' +
          '<a href=" https://example.com/x?a=1&amp;b=2 "><img src="logo.png"></a>' +
          '<a href="{{unsubscribeUrl}}">Leave</a> <a href="{{ mirrorUrl }}">Web version</a>',
      }),
    );

    expect(links).toEqual([
      { position: 0, url: 'https://example.com/news', label: 'our latest news', kind: 'tracked', tracked: true },
      { position: 1, url: 'https://example.com/news', label: 'Spring banner', kind: 'tracked', tracked: true },
      {
        position: 2,
        url: 'https://example.com/x?a=1&b=2',
        label: 'https://example.com/x?a=1&b=2',
        kind: 'tracked',
        tracked: true,
      },
      { position: 3, url: '{{unsubscribeUrl}}', label: 'Leave', kind: 'unsubscribe', tracked: false },
      { position: 4, url: '{{ mirrorUrl }}', label: 'Web version', kind: 'mirror', tracked: false },
    ]);
  });

  it('rewrites each tracked link to its own click slot and leaves unsubscribe and mirror links to rendering', () => {
    const { htmlSource } = composeMessage(
      input({
        html: '<a href="https://example.com/a">a</a><a href="https://example.com/a">again</a><a href="{{unsubscribeUrl}}">u</a><a href="{{mirrorUrl}}">m</a>',
      }),
    );

    expect(hrefs(htmlSource)).toEqual(['{{__link.0}}', '{{__link.1}}', '{{unsubscribeUrl}}', '{{mirrorUrl}}']);
  });

  it.each([
    ['an email link', 'mailto:ada@example.com'],
    ['a phone link', 'tel:+33123456789'],
    ['a text-message link', 'sms:+33123456789'],
    ['a script link', 'javascript:void(0)'],
    ['a data link', 'data:text/plain,hello'],
    ['an in-page anchor', '#top'],
    ['an empty link', ''],
    ['a relative link', '/pricing'],
    ['a protocol-relative link', '//example.com/a'],
    ['a personalised link', 'https://example.com/profile?email={{email}}'],
    ['an ftp link', 'ftp://example.com/file'],
  ])('leaves %s untouched and records it as untracked', (_, href) => {
    const composed = composeMessage(input({ html: `<a href="${href}">link</a><a href="{{unsubscribeUrl}}">u</a>` }));

    expect(hrefs(composed.htmlSource)[0]).toBe(href);
    expect(composed.links[0]).toEqual({ position: 0, url: href, label: 'link', kind: 'untracked', tracked: false });
  });

  it('leaves a link marked data-track="false" untracked and drops the marker from the message', () => {
    const composed = composeMessage(
      input({ html: '<a href="https://example.com/a" data-track="false">a</a><a href="https://example.com/b">b</a>' }),
    );

    // The footer's preference-centre link is personal ({{preferencesUrl}}), so it is not tracked.
    expect(composed.links.map(({ kind }) => kind)).toEqual([
      'untracked',
      'tracked',
      'unsubscribe',
      'untracked',
      'mirror',
    ]);
    expect(composed.htmlSource).toContain('<a href="https://example.com/a">a</a>');
    expect(composed.htmlSource).not.toContain('data-track');
  });

  it('tracks no link when link tracking is off, but still knows the unsubscribe and mirror links', () => {
    const composed = composeMessage(
      input({ trackLinks: false, html: '<a href="https://example.com/a">a</a><a href="{{unsubscribeUrl}}">u</a>' }),
    );

    expect(composed.links.map(({ kind, tracked }) => [kind, tracked])).toEqual([
      ['untracked', false],
      ['unsubscribe', false],
    ]);
    expect(hrefs(composed.htmlSource)).toEqual(['https://example.com/a', '{{unsubscribeUrl}}']);
  });

  it.each<[string, Partial<ComposeInput>, string, boolean[]]>([
    ['turns tracking off for one link', { linkTracking: { 1: false } }, '', [true, false, true]],
    [
      'turns tracking on for one link when link tracking is off',
      { trackLinks: false, linkTracking: { 2: true } },
      '',
      [false, false, true],
    ],
    ['wins over data-track="false"', { linkTracking: { 0: true } }, ' data-track="false"', [true, true, true]],
    ['cannot track a link that is not http(s)', { linkTracking: { 3: true } }, '', [true, true, true, false]],
  ])('a per-position choice %s', (_, overrides, firstAttribute, expected) => {
    const composed = composeMessage(
      input({
        html:
          `<a href="https://example.com/a"${firstAttribute}>a</a><a href="https://example.com/b">b</a>` +
          '<a href="https://example.com/c">c</a><a href="mailto:x@example.com">x</a><a href="{{unsubscribeUrl}}">u</a>',
        ...overrides,
      }),
    );

    expect(composed.links.slice(0, expected.length).map(({ tracked }) => tracked)).toEqual(expected);
  });

  it('does not let an editor write a click or open slot themselves', () => {
    const error = thrown(() => composeMessage(input({ html: '<a href="{{__link.0}}">x</a>' })));

    expect(error).toMatchObject({ part: 'html', variable: '__link.0', code: 'unknown_variable' });
  });

  it('does not let an editor reach a slot through HTML entities either', () => {
    const error = thrown(() => composeMessage(input({ html: '<img src="&#123;&#123;__open}}">' })));

    expect(error).toMatchObject({ part: 'html', variable: '__open', code: 'unknown_variable' });
  });
});

describe('open pixel', () => {
  it.each([
    ['adds a 1x1 pixel at the end of the body when opens are tracked', true, 1],
    ['adds no pixel when opens are not tracked', false, 0],
  ])('%s', (_, trackOpens, count) => {
    const { htmlSource } = composeMessage(input({ trackOpens, html: '<html><body><p>Hi</p></body></html>' }));
    const $ = cheerio.load(htmlSource);

    expect($('img[src="{{__open}}"]')).toHaveLength(count);
    if (count) {
      expect($('body').children().last().is('img[src="{{__open}}"][width="1"][height="1"][alt=""]')).toBe(true);
    }
  });

  it('fills the pixel with the recipient’s open URL', () => {
    const composed = composeMessage(input({ trackOpens: true }));

    expect(renderMessage(composed, context({}, 'r1')).html).toContain(
      '<img src="https://t.example.com/o/r1" width="1" height="1"',
    );
  });
});

describe('footer', () => {
  it('adds unsubscribe, preferences and mirror links when the message has no unsubscribe link', () => {
    const composed = composeMessage(input({ html: '<p>Hi</p><a href="https://example.com">site</a>' }));

    expect(hrefs(composed.htmlSource)).toEqual([
      '{{__link.0}}',
      '{{unsubscribeUrl}}',
      '{{preferencesUrl}}',
      '{{mirrorUrl}}',
    ]);
    expect(composed.links.slice(1)).toEqual([
      { position: 1, url: '{{unsubscribeUrl}}', label: 'Unsubscribe', kind: 'unsubscribe', tracked: false },
      { position: 2, url: '{{preferencesUrl}}', label: 'Email preferences', kind: 'untracked', tracked: false },
      { position: 3, url: '{{mirrorUrl}}', label: 'View in your browser', kind: 'mirror', tracked: false },
    ]);
  });

  it('uses the configured labels and line, escaped', () => {
    const composed = composeMessage(
      input({
        html: '<p>Hi</p>',
        footer: {
          unsubscribeLabel: 'Se désabonner',
          mirrorLabel: 'Version <web>',
          text: 'Vous recevez ce message & plus',
        },
      }),
    );

    expect(composed.htmlSource).toContain('Vous recevez ce message &amp; plus<br>');
    expect(composed.htmlSource).toContain(
      '<a href="{{unsubscribeUrl}}">Se désabonner</a> | <a href="{{preferencesUrl}}">Email preferences</a> | ' +
        '<a href="{{mirrorUrl}}">Version &lt;web&gt;</a>',
    );
  });

  it.each([
    ['in a link', '<a href="{{unsubscribeUrl}}">Leave</a>'],
    ['written as text', '<p>Leave: {{ unsubscribeUrl }}</p>'],
  ])('adds no footer when the message already has its unsubscribe URL %s', (_, html) => {
    const composed = composeMessage(input({ html }));

    expect(composed.htmlSource).not.toContain('{{mirrorUrl}}');
    expect(composed.htmlSource.match(/unsubscribeUrl/g)).toHaveLength(1);
  });
});

describe('text part', () => {
  it('is derived from the HTML with each link as "label [url]", tracked links through their click slot', () => {
    const composed = composeMessage(
      input({
        html:
          '<h1>Hello {{firstName}}</h1><p>Read <a href="https://example.com/news">the news</a> or ' +
          '<a href="mailto:help@example.com">write to us</a>.</p><img src="x.png" alt="Logo">',
      }),
    );

    expect(composed.textSource).toBe(
      'HELLO {{firstName}}\n\n' +
        'Read the news [{{__link.0}}] or write to us [help@example.com].\n\n' +
        'Unsubscribe [{{unsubscribeUrl}}] | Email preferences [{{preferencesUrl}}] | View in your browser ' +
        '[{{mirrorUrl}}]',
    );
  });

  it('sends text clicks through the tracking route too', () => {
    const composed = composeMessage(input({ html: '<p><a href="https://example.com/news">news</a></p>' }));

    expect(renderMessage(composed, context({}, 'r1')).text).toContain('news [https://t.example.com/c/r1.0]');
  });

  it('keeps braces that only meet in the text as literal text', () => {
    const composed = composeMessage(input({ html: '<p>{<b></b>{__open}} {{firstName}}</p>' }));

    expect(composed.textSource.split('\n')[0]).toBe('{ {__open}} {{firstName}}');
    expect(renderMessage(composed, context()).text.split('\n')[0]).toBe('{ {__open}} Ada');
  });

  it('leaves the open pixel out of the derived text', () => {
    const composed = composeMessage(input({ trackOpens: true }));

    expect(composed.textSource).not.toContain('__open');
  });

  it('uses the editor’s text as written and appends an unsubscribe line when it has none', () => {
    const composed = composeMessage(input({ text: 'Hi {{firstName}},\nsee https://example.com\n\n' }));

    expect(composed.textSource).toBe(
      'Hi {{firstName}},\nsee https://example.com\n\nUnsubscribe: {{unsubscribeUrl}}\nEmail preferences: {{preferencesUrl}}\n',
    );
  });

  it('keeps the editor’s text as it is when it already has its unsubscribe URL', () => {
    const text = 'Hi {{firstName}}\nLeave: {{unsubscribeUrl}}';

    expect(composeMessage(input({ text })).textSource).toBe(text);
  });
});

describe('fragments and documents', () => {
  it('keeps a fragment a fragment', () => {
    const { htmlSource } = composeMessage(input({ trackOpens: true, html: '<table><tr><td>Hi</td></tr></table>' }));

    expect(htmlSource).not.toMatch(/<html|<head|<body/);
    expect(htmlSource.startsWith('<table>')).toBe(true);
    expect(
      htmlSource.endsWith(
        '<img src="{{__open}}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">',
      ),
    ).toBe(true);
  });

  it('keeps a document a document, with its head', () => {
    const { htmlSource } = composeMessage(
      input({ html: '<!DOCTYPE html><html><head><title>{{firstName}}</title></head><body><p>Hi</p></body></html>' }),
    );

    expect(htmlSource).toMatch(
      /^<!DOCTYPE html><html><head><title>{{firstName}}<\/title><\/head><body><p>Hi<\/p>.*<\/body><\/html>$/,
    );
  });
});

describe('rendering', () => {
  it('renders the same composed message into two personalised messages', () => {
    const composed = composeMessage(
      input({ html: '<p>Dear {{firstName}}, <a href="https://example.com">visit</a></p>', trackOpens: true }),
    );

    const ada = renderMessage(composed, context({ firstName: 'Ada' }, 'r1'));
    const grace = renderMessage(composed, context({ firstName: 'Grace', email: 'grace@example.com' }, 'r2'));

    expect(ada.subject).toBe('News for Ada');
    expect(grace.subject).toBe('News for Grace');
    expect(ada.html).toContain('<p>Dear Ada, <a href="https://t.example.com/c/r1.0">visit</a></p>');
    expect(grace.html).toContain('<p>Dear Grace, <a href="https://t.example.com/c/r2.0">visit</a></p>');
    expect(grace.html).toContain('https://t.example.com/u/r2');
    expect(ada.html).not.toContain('r2');
  });

  it('escapes a markup-like first name in the HTML and keeps it raw in the text and subject', () => {
    const composed = composeMessage(input({ html: '<p>Dear {{firstName}}</p>' }));

    const message = renderMessage(composed, context({ firstName: '<script>' }));

    expect(message.html).toContain('<p>Dear &lt;script&gt;</p>');
    expect(message.text).toContain('Dear <script>');
    expect(message.subject).toBe('News for <script>');
  });

  it('keeps a subject on one line whatever a personalised value holds', () => {
    const composed = composeMessage(input());

    expect(renderMessage(composed, context({ firstName: 'Ada\r\nBcc: x@example.com' })).subject).toBe(
      'News for Ada Bcc: x@example.com',
    );
  });

  it('parses the message once when composing and never while rendering', () => {
    const load = cheerio.load as jest.Mock;
    const convert = htmlToText.convert as jest.Mock;
    load.mockClear();
    convert.mockClear();

    const composed = composeMessage(
      input({ html: '<p>Hi {{firstName}} <a href="https://example.com">x</a></p>', trackOpens: true }),
    );
    expect([load.mock.calls.length, convert.mock.calls.length]).toEqual([1, 1]);

    for (let i = 0; i < 1000; i++) renderMessage(composed, context({ firstName: `n${i}` }, `r${i}`));
    expect([load.mock.calls.length, convert.mock.calls.length]).toEqual([1, 1]);
  });
});

describe('template errors by part', () => {
  it.each<[string, Partial<ComposeInput>, string, number, number]>([
    ['subject', { subject: 'Hi {{frstName}}' }, 'frstName', 1, 4],
    ['html', { html: '<p>\n  {{ nope }}</p>' }, 'nope', 2, 3],
    ['text', { text: 'Hi\n{{attributes}}' }, 'attributes', 2, 1],
  ])('names the %s as the part with the problem', (part, overrides, variable, line, column) => {
    const error = thrown(() => composeMessage(input(overrides)));

    expect(error).toMatchObject({ part, variable, line, column });
  });

  it('lists every problem of every part for a validation answer', () => {
    const errors = validateMessage({ subject: '{{a}}', html: '<p>{{b}} {{}}</p>', text: '{{c' });

    expect(errors.map(({ part, code }) => [part, code])).toEqual([
      ['subject', 'unknown_variable'],
      ['html', 'unknown_variable'],
      ['html', 'empty'],
      ['text', 'unclosed'],
    ]);
  });

  it("accepts a developer's extra variables in every part", () => {
    const composed = composeMessage(
      input({ subject: '{{shop}}', html: '<p>{{shop}}</p>', text: '{{shop}}', extraVariables: ['shop'] }),
    );

    expect(renderMessage(composed, { ...context(), extra: { shop: 'Tea & Co' } })).toMatchObject({
      subject: 'Tea & Co',
      text: expect.stringMatching(/^Tea & Co/),
      html: expect.stringContaining('<p>Tea &amp; Co</p>'),
    });
  });
});

describe('hrefs written over several lines', () => {
  it('stores the link without its tabs and line breaks, as a browser would follow it', () => {
    const composed = composeMessage({
      subject: 's',
      html: '<p><a href="https://example.com/long\n  /path?a=1\t&b=2">Read</a></p>',
      trackOpens: false,
      trackLinks: true,
    });
    expect(composed.links[0]).toMatchObject({ url: 'https://example.com/long  /path?a=1&b=2', kind: 'tracked' });
  });
});
