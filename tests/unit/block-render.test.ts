// Blocks -> MJML -> HTML: every block type shows its content, escaped; personalisation survives; phones get stacked
// columns, Outlook its conditional tables, dark mode its colours; and the checks name the block at fault.
import * as cheerio from 'cheerio';
import type { ContentBlock } from '../../shared/blocks';
import type { EntryView } from '../../shared/entries';
import { DEFAULT_LAYOUT_STYLE, type LayoutParts } from '../../shared/layouts';
import { renderDocument, attributeLinks } from '../../server/src/authoring/render';
import { checkDocument, checkSize, GMAIL_CLIP_BYTES } from '../../server/src/authoring/checks';
import { markdownToHtml, richTextToHtml } from '../../server/src/authoring/rich-text';
import { composeMessage } from '../../server/src/sending/compose';

const SCRIPT = '<script>alert(1)</script>';
const layout: LayoutParts = {
  style: DEFAULT_LAYOUT_STYLE,
  header: [],
  footer: [],
  postalAddress: 'Acme, 1 Main Street\nSpringfield',
  unsubscribeLabel: 'Leave this list',
};
const entry = (title: string, n = 1): EntryView => ({
  contentType: 'api::article.article',
  documentId: `doc${n}`,
  locale: null,
  title,
  excerpt: `Excerpt ${n} ${SCRIPT}`,
  imageUrl: `https://cdn.example.test/cover-${n}.png`,
  imageAlt: `Cover ${n}`,
  url: `https://blog.example.test/articles/${n}`,
  body: null,
  publishedAt: '2026-11-30T10:00:00.000Z',
});

const everyBlock: ContentBlock[] = [
  { id: 'h', type: 'heading', text: `Hello {{firstName}} ${SCRIPT}`, level: 1, align: 'left' },
  {
    id: 't',
    type: 'text',
    content: [
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'Bold ', bold: true },
          { type: 'link', url: 'https://example.test/read?a=1&b=2', children: [{ type: 'text', text: 'read on' }] },
          { type: 'link', url: 'javascript:alert(1)', children: [{ type: 'text', text: 'not a link' }] },
        ],
      },
      {
        type: 'list',
        format: 'unordered',
        children: [{ type: 'list-item', children: [{ type: 'text', text: SCRIPT }] }],
      },
      { type: 'quote', children: [{ type: 'text', text: 'A quote', italic: true }] },
    ],
  },
  {
    id: 'i',
    type: 'image',
    media: { id: 1, url: '/uploads/photo.png', width: 800, height: 400 },
    alt: `"Photo" ${SCRIPT}`,
    href: 'https://example.test/photo',
    width: 300,
    align: 'center',
  },
  {
    id: 'b',
    type: 'button',
    label: `Buy ${SCRIPT}`,
    url: 'https://shop.example.test/',
    backgroundColor: '#112233',
    textColor: '#ffffff',
    align: 'center',
  },
  { id: 'd', type: 'divider', color: '#cccccc', thickness: 2 },
  { id: 's', type: 'spacer', height: 40 },
  {
    id: 'c',
    type: 'columns',
    columns: [
      [{ id: 'c1', type: 'heading', text: 'Left', level: 2, align: 'left' }],
      [{ id: 'c2', type: 'heading', text: 'Right', level: 2, align: 'left' }],
    ],
  },
  {
    id: 'e',
    type: 'entry-card',
    contentType: 'api::article.article',
    documentId: 'doc1',
    locale: null,
    showImage: true,
    showExcerpt: true,
    buttonLabel: 'Read more',
  },
  {
    id: 'l',
    type: 'entry-list',
    contentType: 'api::article.article',
    locale: null,
    limit: 2,
    publishedWithinDays: null,
    where: null,
    showImage: false,
    showExcerpt: true,
    buttonLabel: '',
  },
  {
    id: 'so',
    type: 'social',
    links: [{ network: 'mastodon', url: 'https://social.example.test/@acme' }],
    align: 'center',
  },
  { id: 'x', type: 'html', html: '<p class="raw">Raw <b>HTML</b></p>' },
];
const entries = { e: [entry(SCRIPT, 1)], l: [entry('Second', 2), entry('Third', 3)] };
const ctx = { publicUrl: 'https://app.example.test', entries };

describe('rendering a block document', () => {
  let html: string;
  let $: cheerio.CheerioAPI;
  beforeAll(async () => {
    ({ html } = await renderDocument(everyBlock, layout, ctx));
    $ = cheerio.load(html);
  });

  it('shows every block, with every user string escaped', () => {
    expect(html).not.toContain('<script>');
    expect($('h1').text()).toContain(`Hello {{firstName}} ${SCRIPT}`);
    expect($('strong').text()).toBe('Bold ');
    expect($('a[href="https://example.test/read?a=1&b=2"]').text()).toBe('read on');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('not a link');
    expect($('li').first().text()).toBe(SCRIPT);
    expect($('blockquote em').text()).toBe('A quote');
    const img = $('img[src="https://app.example.test/uploads/photo.png"]');
    expect(img.attr('alt')).toBe(`"Photo" ${SCRIPT}`);
    expect(img.closest('a').attr('href')).toBe('https://example.test/photo');
    expect($('a[href="https://shop.example.test/"]').text().trim()).toBe(`Buy ${SCRIPT}`);
    expect(html).toMatch(/border-top:\s*solid 2px #cccccc/);
    expect(
      $('h2')
        .map((_, el) => $(el).text())
        .get(),
    ).toEqual(expect.arrayContaining(['Left', 'Right']));
    expect($('h3').first().text()).toBe(SCRIPT);
    expect($('img[src="https://cdn.example.test/cover-1.png"]').attr('alt')).toBe('Cover 1');
    expect(html).toContain(`Excerpt 1 ${SCRIPT.replace(/</g, '&lt;').replace(/>/g, '&gt;')}`);
    expect($('a[href="https://blog.example.test/articles/2"]').length).toBeGreaterThan(0);
    expect($('a[href="https://blog.example.test/articles/3"]').length).toBeGreaterThan(0);
    expect($('img[src="https://cdn.example.test/cover-2.png"]').length).toBe(0);
    expect($('a[href="https://social.example.test/@acme"]').text()).toBe('Mastodon');
    expect($('p.raw b').text()).toBe('HTML');
  });

  it("gives a button without colours of its own the layout's accent", async () => {
    const button: ContentBlock = {
      id: 'plain',
      type: 'button',
      label: 'Plain',
      url: 'https://example.test/',
      backgroundColor: '',
      textColor: '',
      align: 'left',
    };
    const accent = '#d02b20';
    const { html: plain } = await renderDocument(
      [button],
      { ...layout, style: { ...layout.style, accentColor: accent } },
      ctx,
    );
    expect(cheerio.load(plain)('a[href="https://example.test/"]').closest('td').attr('style')).toContain(accent);
  });

  it('ends with the postal address and the unsubscribe, preferences and web-version links', async () => {
    expect(html).toContain('Acme, 1 Main Street<br');
    expect($('a[href="{{unsubscribeUrl}}"]').text()).toBe('Leave this list');
    expect($('a[href="{{preferencesUrl}}"]').text()).toBe('Email preferences');
    expect($('a[href="{{mirrorUrl}}"]').text()).toBe('View in your browser');
    const { html: labelled } = await renderDocument([], { ...layout, preferencesLabel: 'Mes <préférences>' }, ctx);
    expect(cheerio.load(labelled)('a[href="{{preferencesUrl}}"]').text()).toBe('Mes <préférences>');
  });

  it('stacks columns on phones, writes Outlook tables, and declares dark colours', () => {
    // Side by side from 480 px; below it, a column takes the whole width.
    expect(html).toMatch(/@media only screen and \(min-width:480px\)[^@]*\.mj-column-per-50 \{ width:50% !important/);
    expect(html).toContain('<!--[if mso | IE]>');
    expect(html).toContain('<meta name="color-scheme" content="light dark"');
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(html).toContain(DEFAULT_LAYOUT_STYLE.dark.backgroundColor);
    // Inlined where clients drop <style>: a rich-text link carries the layout's link colour itself.
    expect($('a[href="https://example.test/read?a=1&b=2"]').attr('style')).toContain(DEFAULT_LAYOUT_STYLE.linkColor);
  });

  it('goes through the composer: links numbered, attributed to their block, personalisation kept', () => {
    const composed = composeMessage({ subject: 's', html, trackOpens: true, trackLinks: true });
    const urls = composed.links.map((link) => link.url);
    expect(urls).toContain('https://shop.example.test/');
    expect(composed.links.find((link) => link.url === '{{unsubscribeUrl}}')?.kind).toBe('unsubscribe');
    expect(composed.htmlSource).toContain('Hello {{firstName}}');
    expect(composed.textSource).toMatch(/hello \{\{firstName\}\}/i);
    expect(composed.textSource).toContain('Leave this list [{{unsubscribeUrl}}]');
  });

  it('says which block each link comes from', async () => {
    const rendered = await renderDocument(everyBlock, layout, ctx);
    const composed = composeMessage({ subject: 's', html: rendered.html, trackOpens: false, trackLinks: true });
    const attributed = attributeLinks(composed.links, rendered.links);
    expect(attributed.find((link) => link.url === 'https://shop.example.test/')?.blockId).toBe('b');
    expect(attributed.find((link) => link.url === 'https://example.test/photo')?.blockId).toBe('i');
    expect(
      attributed.filter((link) => link.url === 'https://blog.example.test/articles/1').map((l) => l.blockId),
    ).toEqual(['e', 'e', 'e']); // the picture, the title and the button of the card
    // Every link of an entry card or list names its entry: clicks are counted per entry.
    const entryLinks = attributed.filter((link) => link.url.startsWith('https://blog.example.test/articles/'));
    expect(entryLinks.length).toBe(3 + 2); // the card's three links, and one title link per listed entry
    for (const link of entryLinks) expect(link.entry).toBe(`api::article.article:doc${link.url.slice(-1)}`);
    expect(attributed.find((link) => link.url === 'https://shop.example.test/')?.entry).toBeNull();
  });

  it("keeps a 30-block newsletter under Gmail's 102 KB clip", async () => {
    const blocks: ContentBlock[] = Array.from(
      { length: 30 },
      (_, i) => ({ ...everyBlock[i % 4], id: `b${i}` }) as ContentBlock,
    );
    const rendered = await renderDocument(blocks, layout, ctx);
    const composed = composeMessage({ subject: 's', html: rendered.html, trackOpens: true, trackLinks: true });
    const asSent = Buffer.byteLength(composed.htmlSource) + composed.links.length * 150;
    expect(asSent).toBeLessThan(GMAIL_CLIP_BYTES);
  });
});

describe('rich text', () => {
  it('escapes HTML written in Markdown and drops unsafe links', () => {
    const html = markdownToHtml(
      `# Title\n\n${SCRIPT} [x](javascript:alert(1)) ![p](/uploads/a.png)`,
      'https://app.test',
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('src="https://app.test/uploads/a.png"');
  });

  it('renders nested lists and images of Strapi blocks', () => {
    const html = richTextToHtml(
      [
        {
          type: 'list',
          format: 'ordered',
          children: [
            { type: 'list-item', children: [{ type: 'text', text: 'one' }] },
            {
              type: 'list',
              format: 'unordered',
              children: [{ type: 'list-item', children: [{ type: 'text', text: 'a' }] }],
            },
          ],
        },
        { type: 'image', image: { url: '/uploads/x.png', alternativeText: 'X "y"' } },
      ],
      'https://app.test',
    );
    expect(html).toContain('<ol><li>one</li><li class="cb-nested"><ul><li>a</li></ul></li></ol>');
    expect(html).toContain('src="https://app.test/uploads/x.png" alt="X &quot;y&quot;"');
  });
});

describe('checks before sending', () => {
  it('names the block and field of each problem', () => {
    const blocks: ContentBlock[] = [
      { id: 'h', type: 'heading', text: 'Hi {{fristName}}', level: 1, align: 'left' },
      { id: 'i', type: 'image', media: { url: '/uploads/p.png' }, alt: '', href: '', width: null, align: 'center' },
      {
        id: 'b',
        type: 'button',
        label: 'Go',
        url: '',
        backgroundColor: '#000000',
        textColor: '#ffffff',
        align: 'left',
      },
      {
        id: 'p',
        type: 'button',
        label: 'Go',
        url: '#',
        backgroundColor: '#000000',
        textColor: '#ffffff',
        align: 'left',
      },
      {
        id: 'e',
        type: 'entry-card',
        contentType: 'api::article.article',
        documentId: 'gone',
        locale: null,
        showImage: true,
        showExcerpt: true,
        buttonLabel: 'Read',
      },
    ];
    const { problems, warnings } = checkDocument(blocks, layout, {}, []);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ blockId: 'h', path: 'text', message: expect.stringContaining('fristName') }),
        expect.objectContaining({ blockId: 'b', path: 'url', message: 'This link has no URL yet.' }),
        expect.objectContaining({ blockId: 'e', path: 'documentId' }),
      ]),
    );
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ blockId: 'i', path: 'alt' }),
        expect.objectContaining({ blockId: 'p', path: 'url', message: expect.stringContaining('placeholder') }),
      ]),
    );
    expect(checkDocument([], layout, {}, []).problems[0].message).toContain('no content');
    expect(checkSize(GMAIL_CLIP_BYTES + 1)[0].message).toContain('Gmail clips');
  });
});
