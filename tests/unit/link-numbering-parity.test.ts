// The editor's links table (admin/src/utils/links.ts, the browser's parser) and the composer
// (server/src/sending/compose.ts, cheerio) number a message's links independently; per-link tracking choices and hot
// clicks are keyed by that number, so both must find the same links in the same order with the same URL and kind.
import { JSDOM } from 'jsdom';
import { findLinks, isLinkTracked } from '../../admin/src/utils/links';
import { composeMessage } from '../../server/src/sending/compose';

// The editor runs in a browser: jsdom's DOMParser stands in for it.
globalThis.DOMParser = new JSDOM('').window.DOMParser;

const article = (n: number) =>
  `<tr><td style="padding:12px"><a href="https://example.com/posts/${n}?utm_source=mail&amp;x=1"><img src="https://cdn.example.com/${n}.jpg" alt="Post ${n}"></a>` +
  `<h2><a href="https://example.com/posts/${n}">Post number ${n}</a></h2><p>Text with <a href="https://example.com/ref/${n}" data-track="false">a reference</a>.</p></td></tr>`;

const documentOf = (body: string, head = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>News</title>${head}</head><body>${body}</body></html>`;

const generated = Array.from({ length: 18 }, (_, index) => {
  const rows = Array.from({ length: 1 + (index % 6) }, (_, n) => article(index * 10 + n)).join('');
  const table = `<table role="presentation" width="100%">${rows}</table>`;
  const footer =
    index % 3 === 0
      ? '<p><a href="{{unsubscribeUrl}}">Unsubscribe</a> | <a href="{{ mirrorUrl }}">View online</a></p>'
      : '<p><a href="mailto:desk@example.com">Write to us</a> <a href="tel:+331234">Call</a></p>';
  const personal = index % 4 === 1 ? '<p><a href="https://example.com/u/{{attributes.city}}">Your city</a></p>' : '';
  const body = `<h1>Issue ${index}</h1>${personal}${table}${footer}`;
  return index % 2 === 0 ? documentOf(body, '<style>a{color:#4945ff}</style>') : body;
});

const tricky = [
  // Comments, Outlook conditional comments and a template hold no links.
  '<!-- <a href="https://example.com/hidden">x</a> --><p><a href="https://example.com/a">A</a></p>',
  documentOf(
    '<!--[if mso]><a href="https://example.com/mso">Outlook</a><![endif]--><a href="https://example.com/b">B</a>',
  ),
  '<template><a href="https://example.com/t">T</a></template><a href="https://example.com/after">After</a>',
  // Anchors without href, with an empty href, with whitespace and line breaks inside the URL.
  '<a name="top">Top</a><a href="">Empty</a><a href="  https://example.com/spaced  ">Spaced</a>',
  '<a href="https://example.com/\n  broken\tline">Broken</a><a href="https://example.com/c">C</a>',
  // Misnested markup the parser repairs: a nested anchor, an anchor in a table outside any cell, an unclosed anchor.
  '<a href="https://example.com/outer">Outer <a href="https://example.com/inner">Inner</a></a>',
  '<table><a href="https://example.com/fostered">Fostered</a><tr><td><a href="https://example.com/cell">Cell</a></td></tr></table>',
  '<p><a href="https://example.com/unclosed">Unclosed<p>Next <a href="https://example.com/d">D</a>',
  // Raw-text elements: what looks like an anchor inside them is text.
  '<textarea><a href="https://example.com/ta">x</a></textarea><title><a href="https://example.com/ti">y</a></title><a href="https://example.com/e">E</a>',
  '<noscript><a href="https://example.com/noscript">No script</a></noscript><a href="https://example.com/f">F</a>',
  // Entities, upper-case tags and attributes, an SVG anchor, relative and odd schemes.
  '<A HREF="https://example.com/g?a=1&amp;b=2">G</A><a href="&#104;ttps://example.com/h">H</a>',
  '<svg><a href="https://example.com/svg"><text>S</text></a></svg><a href="/relative">Rel</a><a href="javascript:void(0)">JS</a>',
  // An image map (its areas are not anchors on either side), a VML button for Outlook inside a conditional comment
  // beside the same link for every other client, and a mailto with a subject.
  '<img src="https://cdn.example.com/map.png" usemap="#m"><map name="m"><area href="https://example.com/area" coords="0,0,9,9"></map><a href="https://example.com/i">I</a>',
  documentOf(
    '<div><!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" href="https://example.com/buy" style="width:200px"><center>Buy</center></v:roundrect><![endif]-->' +
      '<!--[if !mso]><!-- --><a href="https://example.com/buy" style="display:inline-block">Buy</a><!--<![endif]--></div>',
  ),
  '<p><a href="mailto:desk@example.com?subject=Hello%20there&amp;body=Hi">Mail</a> <a href="#top">Top</a> <a href="https://example.com/buy">Again</a></p>',
];

const corpus = [...generated, ...tricky];

describe('link numbering: the editor and the composer agree', () => {
  it('has a corpus of at least 30 messages', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(30);
  });

  it.each(corpus.map((html, index) => [index, html]))('message %i', (_index, html) => {
    const composed = composeMessage({ subject: 'News', html: html as string, trackOpens: false, trackLinks: true });
    // The composer appends its footer after the editor's HTML when the message has no unsubscribe link: those
    // links come after every link the editor shows, so only the editor's own links are compared.
    // links come after every link the editor shows, so only the editor's own links are compared. The editor's kind
    // says whether a link can be tracked and `tracked` whether it will be (data-track="false" opts out).
    const editor = findLinks(html as string).map((link) => ({
      position: link.position,
      url: link.url,
      special: link.kind === 'unsubscribe' || link.kind === 'mirror' ? link.kind : null,
      tracked: isLinkTracked(link, true, null),
    }));
    const server = composed.links.slice(0, editor.length).map((link) => ({
      position: link.position,
      url: link.url,
      special: link.kind === 'unsubscribe' || link.kind === 'mirror' ? link.kind : null,
      tracked: link.tracked,
    }));
    expect(editor).toEqual(server);
    // The footer the composer adds when a message has no unsubscribe link: unsubscribe, preferences, mirror.
    expect(composed.links.length - editor.length).toBeLessThanOrEqual(3);
  });
});
