// The text block's editor (TipTap) and the stored rich text (Strapi's blocks format) say the same thing both ways.
import type { RichTextNode } from '../../shared/blocks';
import { fromTipTap, toTipTap } from '../../admin/src/utils/rich-text';

const sample: RichTextNode[] = [
  { type: 'heading', level: 2, children: [{ type: 'text', text: 'Title' }] },
  {
    type: 'paragraph',
    children: [
      { type: 'text', text: 'Plain, ' },
      { type: 'text', text: 'bold', bold: true },
      { type: 'text', text: ' and ' },
      { type: 'text', text: 'all', bold: true, italic: true, underline: true, strikethrough: true, code: true },
      { type: 'text', text: ' ' },
      {
        type: 'link',
        url: 'https://example.test/?a=1',
        children: [
          { type: 'text', text: 'a ' },
          { type: 'text', text: 'link', italic: true },
        ],
      },
      { type: 'text', text: ' for {{firstName}}' },
    ],
  },
  {
    type: 'list',
    format: 'ordered',
    children: [
      { type: 'list-item', children: [{ type: 'text', text: 'one' }] },
      {
        type: 'list',
        format: 'unordered',
        children: [{ type: 'list-item', children: [{ type: 'text', text: 'nested' }] }],
      },
      { type: 'list-item', children: [{ type: 'text', text: 'two' }] },
    ],
  },
  { type: 'quote', children: [{ type: 'text', text: 'Said\nonce' }] },
  { type: 'code', children: [{ type: 'text', text: 'npm test' }] },
];

describe('rich text between TipTap and Strapi blocks', () => {
  it('comes back the same after a round trip', () => {
    expect(fromTipTap(toTipTap(sample))).toEqual(sample);
  });

  it('makes a TipTap document TipTap accepts: no empty text node, line breaks as hard breaks', () => {
    const doc = toTipTap([{ type: 'paragraph', children: [{ type: 'text', text: '' }] }, ...sample]);
    const walk = (node: { type: string; text?: string; content?: unknown[] }): void => {
      if (node.type === 'text') expect(node.text).not.toBe('');
      (node.content as Array<typeof node> | undefined)?.forEach(walk);
    };
    walk(doc);
    expect(JSON.stringify(doc)).toContain('"hardBreak"');
    expect(toTipTap([])).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
  });

  it('reads what the TipTap editor writes: an empty paragraph, marks and links', () => {
    expect(
      fromTipTap({
        type: 'doc',
        content: [
          { type: 'paragraph' },
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'go ', marks: [{ type: 'bold' }] },
              { type: 'text', text: 'here', marks: [{ type: 'link', attrs: { href: 'https://x.test' } }] },
            ],
          },
        ],
      }),
    ).toEqual([
      { type: 'paragraph', children: [{ type: 'text', text: '' }] },
      {
        type: 'paragraph',
        children: [
          { type: 'text', text: 'go ', bold: true },
          { type: 'link', url: 'https://x.test', children: [{ type: 'text', text: 'here' }] },
        ],
      },
    ]);
  });
});
