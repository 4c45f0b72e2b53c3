// The once-per-delivery cost of a blocks newsletter: a 30-block document rendered to HTML with MJML
// (server/src/authoring/render.ts), then composed (links numbered and rewritten, text part derived) as preparation
// does. Used by bench/send.js; `node bench/render.js` prints the figures alone.
'use strict';
require('../tests/helpers/register-ts');
const { performance } = require('perf_hooks');
const { renderDocument } = require('../server/src/authoring/render.ts');
const { composeMessage } = require('../server/src/sending/compose.ts');
const { DEFAULT_LAYOUT_STYLE } = require('../shared/layouts.ts');

const RUNS = 20;
const paragraph = (text) => ({ type: 'paragraph', children: [{ type: 'text', text }] });
const story = (i) => [
  { id: `h${i}`, type: 'heading', text: `Story ${i} for {{firstName}}`, level: 2, align: 'left' },
  {
    id: `t${i}`,
    type: 'text',
    content: [
      paragraph('Spring is here and so are our new collections, made to last and shipped in recycled packaging.'),
      {
        type: 'paragraph',
        children: [
          { type: 'link', url: `https://shop.example.test/story/${i}`, children: [{ type: 'text', text: 'Read on' }] },
        ],
      },
    ],
  },
  {
    id: `i${i}`,
    type: 'image',
    media: { url: `/uploads/story-${i}.jpg`, width: 1200, height: 600 },
    alt: `Story ${i}`,
    href: `https://shop.example.test/story/${i}`,
    width: null,
    align: 'center',
  },
  {
    id: `b${i}`,
    type: 'button',
    label: 'Shop now',
    url: `https://shop.example.test/p/${i}`,
    backgroundColor: '#0c75af',
    textColor: '#ffffff',
    align: 'center',
  },
  { id: `d${i}`, type: 'divider', color: '#e4e4e7', thickness: 1 },
];
const BLOCKS = Array.from({ length: 6 }, (_, i) => story(i)).flat();
const LAYOUT = {
  style: DEFAULT_LAYOUT_STYLE,
  header: [],
  footer: [],
  postalAddress: 'Bench Ltd, 1 Main Street, Springfield',
  unsubscribeLabel: 'Unsubscribe',
};

async function measureRender() {
  const times = [];
  let bytes = 0;
  for (let run = 0; run < RUNS + 3; run += 1) {
    const start = performance.now();
    const { html } = await renderDocument(BLOCKS, LAYOUT, { publicUrl: 'https://news.example.test', entries: {} });
    const composed = composeMessage({ subject: 'Spring', html, trackOpens: true, trackLinks: true });
    const elapsed = performance.now() - start;
    bytes = Buffer.byteLength(composed.htmlSource);
    if (run >= 3) times.push(elapsed); // the first runs load and compile MJML's components
  }
  times.sort((a, b) => a - b);
  return {
    blocks: BLOCKS.length,
    medianMs: times[Math.floor(times.length / 2)],
    maxMs: times[times.length - 1],
    kb: bytes / 1024,
  };
}

module.exports = { measureRender };

if (require.main === module) {
  measureRender().then((r) =>
    console.log(
      `${r.blocks} blocks: render + compose median ${r.medianMs.toFixed(1)} ms, slowest ${r.maxMs.toFixed(1)} ms, HTML ${r.kb.toFixed(0)} KB`,
    ),
  );
}
