// Hot clicks drawn onto the message: heat colours, badges after each tracked anchor (escaped), and the text part's
// link occurrences told apart by occurrence.
import type { HotClickLink } from '../../shared/contracts/reports';
import {
  escapeHtml,
  formatShare,
  heatColour,
  heatOf,
  injectBadges,
  repeatedUrls,
  splitTextLinks,
} from '../../admin/src/components/dashboard/HotClicksBadges';

const link = (over: Partial<HotClickLink>): HotClickLink => ({
  linkId: 1,
  url: 'https://shop.example.com/',
  label: null,
  position: 0,
  occurrence: 1,
  part: 'html',
  blockId: null,
  entry: null,
  clicks: 0,
  uniqueClicks: 0,
  share: 0,
  ...over,
});
const title = { title: (l: HotClickLink) => `${l.clicks} clicks` };
const hueOf = (colour: string) => Number(/^hsl\((\d+),/.exec(colour)![1]);

describe('heat colours', () => {
  it.each([
    [0, 215],
    [0.5, 108],
    [1, 0],
    [-1, 215],
    [2, 0],
    [Number.NaN, 215],
  ])('heat %p has hue %p (cool blue to hot red)', (heat, hue) => {
    expect(hueOf(heatColour(heat))).toBe(hue);
  });

  it('makes the most clicked link the hottest, whatever its share', () => {
    expect(heatOf(0.3, 0.3)).toBe(1);
    expect(heatOf(0.15, 0.3)).toBe(0.5);
    expect(heatOf(0, 0)).toBe(0);
  });

  it.each([
    [0.75, '75 %'],
    [0.25, '25 %'],
    [1, '100 %'],
    [0, '0 %'],
    [0.0412, '4.1 %'],
  ])('shows share %p as %p', (share, text) => {
    expect(formatShare(share)).toBe(text);
  });
});

describe('badges in the HTML', () => {
  it('puts a badge after each tracked anchor with its share, coloured by heat, and the count as its title', () => {
    const html =
      '<p><a href="https://a.test" data-campaigns-link="7">A</a> and <a data-campaigns-link="8" href="https://b.test">B</a></p>';
    const out = injectBadges(
      html,
      [link({ linkId: 7, share: 0.75, clicks: 3 }), link({ linkId: 8, share: 0.25, clicks: 1 })],
      title,
    );
    expect(out).toContain(
      '<a href="https://a.test" data-campaigns-link="7">A</a><span class="campaigns-heat" data-campaigns-badge="7" title="3 clicks" style="background:hsl(0, 80%, 42%)">75 %</span>',
    );
    expect(out).toContain(
      'B</a><span class="campaigns-heat" data-campaigns-badge="8" title="1 clicks" style="background:hsl(143, 80%, 42%)">25 %</span></p>',
    );
    expect(out.startsWith('<style data-campaigns-heat>')).toBe(true);
  });

  it('puts the style into the head when the document has one', () => {
    const out = injectBadges(
      '<html><head><title>x</title></head><body><a data-campaigns-link="1">A</a></body></html>',
      [link({ share: 1 })],
      title,
    );
    expect(out).toMatch(/^<html><head><style data-campaigns-heat>[\s\S]*<\/style><title>x<\/title>/);
  });

  it('escapes what it writes: a title cannot close its attribute nor open a tag', () => {
    const out = injectBadges('<a data-campaigns-link="1">A</a>', [link({ share: 0.5 })], {
      title: () => '"><script>alert(1)</script>',
    });
    expect(out).not.toContain('<script>');
    expect(out).toContain('title="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(escapeHtml(`<a href='x'>&`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;');
  });

  it('reads anchors whose attributes hold ">" and ids in single quotes, and leaves unknown or untracked anchors alone', () => {
    const html = `<a title="a > b" data-campaigns-link='3'>X</a><a href="https://plain.test">plain</a><a data-campaigns-link="99">gone</a>`;
    const out = injectBadges(html, [link({ linkId: 3, share: 1 })], title);
    expect(out.match(/class="campaigns-heat"/g)).toHaveLength(1);
    expect(out).toContain(`data-campaigns-link='3'>X</a><span class="campaigns-heat" data-campaigns-badge="3"`);
    expect(out).toContain('<a href="https://plain.test">plain</a><a data-campaigns-link="99">gone</a>');
  });

  it('badges every occurrence of a repeated URL with its own share', () => {
    const html =
      '<a href="https://a.test" data-campaigns-link="1">top</a><a href="https://a.test" data-campaigns-link="2">bottom</a>';
    const out = injectBadges(
      html,
      [link({ linkId: 1, share: 0.6 }), link({ linkId: 2, position: 1, occurrence: 2, share: 0.4 })],
      title,
    );
    expect([...out.matchAll(/data-campaigns-badge="(\d)"[^>]*>([^<]+)</g)].map((m) => [m[1], m[2]])).toEqual([
      ['1', '60 %'],
      ['2', '40 %'],
    ]);
  });

  it('ignores the text part links when badging the HTML', () => {
    const out = injectBadges('<a data-campaigns-link="5">A</a>', [link({ linkId: 5, part: 'text', share: 1 })], title);
    expect(out).not.toContain('campaigns-badge');
  });
});

describe('links of the text part', () => {
  const a1 = link({ linkId: 11, part: 'text', url: 'https://a.test', position: 0, occurrence: 1, share: 0.5 });
  const a2 = link({ linkId: 12, part: 'text', url: 'https://a.test', position: 1, occurrence: 2, share: 0.2 });
  const ax = link({ linkId: 13, part: 'text', url: 'https://a.test/x', position: 2, occurrence: 1, share: 0.3 });

  it('tells repeated URLs apart by the order they appear in', () => {
    const runs = splitTextLinks('Go https://a.test now.\nAgain: https://a.test', [a1, a2]);
    expect(runs.map((r) => ('link' in r ? `[${r.link.linkId}]` : r.text))).toEqual([
      'Go ',
      '[11]',
      ' now.\nAgain: ',
      '[12]',
    ]);
  });

  it('prefers the longer URL where one starts another', () => {
    const runs = splitTextLinks('https://a.test/x then https://a.test', [a1, ax]);
    expect(runs.map((r) => ('link' in r ? `[${r.link.linkId}]` : r.text))).toEqual(['[13]', ' then ', '[11]']);
  });

  it('uses the HTML links when the text part shares them', () => {
    const html = link({ linkId: 21, url: 'https://a.test', share: 1 });
    const runs = splitTextLinks('See https://a.test', [html]);
    expect(runs).toEqual([{ text: 'See ' }, { text: 'https://a.test', link: html }]);
  });

  it('keeps the text whole when it has no link', () => {
    expect(splitTextLinks('Hello', [a1])).toEqual([{ text: 'Hello' }]);
  });

  it('knows which links share their URL within a part', () => {
    const repeated = repeatedUrls([a1, a2, ax, link({ linkId: 1, url: 'https://a.test' })]);
    expect([a1, a2, ax].map(repeated)).toEqual([true, true, false]);
  });
});
