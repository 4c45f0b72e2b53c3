// The message every sending benchmark sends (bench/send.js, bench/scale.js) and the recipients it is personalised
// for: a 20 KB newsletter with 10 links and personalisation in the greeting, the body and a footer note.
'use strict';

const PUBLIC_URL = 'https://news.example.test';
const TOKEN_KEY = 'bench-send-tracking-key-0123456789';
const FROM = { name: 'Bench News', email: 'news@bench.example.test' };
const SUBJECT = 'Spring news for you, {{firstName}}';
const CITIES = ['Lyon', 'Porto', 'Ghent', 'Turin'];

const messageHtml = () => {
  const paragraph =
    'Spring is here and so are our new collections. Every piece is made to last, shipped in recycled packaging, ' +
    'and covered by our two-year guarantee. Browse the selection below and tell us what you think. ';
  const parts = ['<!doctype html><html><head><meta charset="utf-8"><title>Spring news</title></head><body>'];
  parts.push('<h1>Hello {{firstName}} {{lastName}}</h1><p>Here is your spring selection for {{attributes.city}}.</p>');
  for (let i = 0; i < 10; i += 1) {
    parts.push(`<h2>Product ${i + 1}</h2><p>${paragraph.repeat(4)}</p>`);
    parts.push(
      `<p><a href="https://shop.example.test/products/${i + 1}?utm_source=newsletter&amp;utm_campaign=spring">See product ${i + 1}</a></p>`,
    );
  }
  parts.push(
    '<p>This message was sent to {{email}} because you subscribed to Bench News, {{firstName}}.</p></body></html>',
  );
  let html = parts.join('\n');
  while (Buffer.byteLength(html) < 20_000) html = html.replace('</body>', `<p>${paragraph}</p></body>`);
  return html;
};

/** Recipient i: the same address, names and city whether seeded row by row (send.js) or in SQL (scale.js). */
const contactFor = (i) => ({
  email: `recipient${i}@bench.example.test`,
  firstName: `First${i}`,
  lastName: `Last${i}`,
  attributes: { city: CITIES[i % 4] },
});

const mb = (kb) => Math.round(kb / 1024);

module.exports = { PUBLIC_URL, TOKEN_KEY, FROM, SUBJECT, CITIES, messageHtml, contactFor, mb };
