// Between TipTap's document (what the text block's editor edits) and Strapi's `blocks` rich text (what a delivery
// stores and the server renders, authoring/rich-text.ts). Both directions keep what both sides can say: paragraphs,
// headings, quotes, code blocks, nested lists, links and the bold / italic / underline / strike / code marks.
import type {
  RichTextInline,
  RichTextLeaf,
  RichTextList,
  RichTextListItem,
  RichTextNode,
} from '../../../shared/blocks';

export interface TipTapMark {
  type: string;
  attrs?: Record<string, unknown>;
}
export interface TipTapNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: TipTapNode[];
  text?: string;
  marks?: TipTapMark[];
}

const MARKS: Array<[keyof RichTextLeaf, string]> = [
  ['bold', 'bold'],
  ['italic', 'italic'],
  ['underline', 'underline'],
  ['strikethrough', 'strike'],
  ['code', 'code'],
];

// ---- TipTap -> Strapi ----

const leafOf = (node: TipTapNode): RichTextLeaf => {
  const leaf: RichTextLeaf = { type: 'text', text: node.text ?? '' };
  for (const [key, mark] of MARKS) if (node.marks?.some((m) => m.type === mark)) (leaf[key] as boolean) = true;
  return leaf;
};

const sameMarks = (a: RichTextLeaf, b: RichTextLeaf) => MARKS.every(([key]) => Boolean(a[key]) === Boolean(b[key]));

/** Inline content: consecutive texts with the same link become one Strapi link. */
const inlinesOf = (nodes: TipTapNode[] | undefined): RichTextInline[] => {
  const result: RichTextInline[] = [];
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') {
      const last = result[result.length - 1];
      if (last?.type === 'text') last.text += '\n';
      else result.push({ type: 'text', text: '\n' });
      continue;
    }
    if (node.type !== 'text') continue;
    const href = node.marks?.find((m) => m.type === 'link')?.attrs?.href;
    const leaf = leafOf(node);
    const last = result[result.length - 1];
    if (typeof href === 'string') {
      if (last?.type === 'link' && last.url === href) last.children.push(leaf);
      else result.push({ type: 'link', url: href, children: [leaf] });
    } else if (last?.type === 'text' && sameMarks(last, leaf)) last.text += leaf.text;
    else result.push(leaf);
  }
  return result.length ? result : [{ type: 'text', text: '' }];
};

const listOf = (node: TipTapNode): RichTextList => {
  const children: Array<RichTextListItem | RichTextList> = [];
  for (const item of node.content ?? []) {
    for (const part of item.content ?? []) {
      if (part.type === 'bulletList' || part.type === 'orderedList') children.push(listOf(part));
      else children.push({ type: 'list-item', children: inlinesOf(part.content) });
    }
  }
  return { type: 'list', format: node.type === 'orderedList' ? 'ordered' : 'unordered', children };
};

export const fromTipTap = (doc: TipTapNode): RichTextNode[] =>
  (doc.content ?? []).flatMap((node): RichTextNode[] => {
    switch (node.type) {
      case 'paragraph':
        return [{ type: 'paragraph', children: inlinesOf(node.content) }];
      case 'heading':
        return [
          {
            type: 'heading',
            level: Number(node.attrs?.level ?? 2) as 1 | 2 | 3 | 4 | 5 | 6,
            children: inlinesOf(node.content),
          },
        ];
      case 'blockquote':
        // Strapi's quote holds inlines: the quote's paragraphs join with line breaks.
        return [
          {
            type: 'quote',
            children: (node.content ?? []).flatMap((p, i) => [
              ...(i > 0 ? [{ type: 'text' as const, text: '\n' }] : []),
              ...inlinesOf(p.content),
            ]),
          },
        ];
      case 'codeBlock':
        return [
          { type: 'code', children: [{ type: 'text', text: (node.content ?? []).map((t) => t.text ?? '').join('') }] },
        ];
      case 'bulletList':
      case 'orderedList':
        return [listOf(node)];
      default:
        return [];
    }
  });

// ---- Strapi -> TipTap ----

const textNodeOf = (leaf: RichTextLeaf, link?: string): TipTapNode => {
  const marks: TipTapMark[] = MARKS.filter(([key]) => leaf[key]).map(([, type]) => ({ type }));
  if (link) marks.push({ type: 'link', attrs: { href: link } });
  return { type: 'text', text: leaf.text, ...(marks.length ? { marks } : {}) };
};

const inlineNodes = (children: RichTextInline[] | undefined): TipTapNode[] =>
  (children ?? []).flatMap((child) => {
    const leaves = child.type === 'link' ? child.children : [child];
    const link = child.type === 'link' ? child.url : undefined;
    // An empty text node is not allowed in TipTap; a line break becomes a hard break.
    return leaves.flatMap((leaf) =>
      leaf.text
        .split('\n')
        .flatMap((part, i) => [
          ...(i > 0 ? [{ type: 'hardBreak' }] : []),
          ...(part ? [textNodeOf({ ...leaf, text: part }, link)] : []),
        ]),
    );
  });

const paragraph = (children: RichTextInline[] | undefined): TipTapNode => {
  const content = inlineNodes(children);
  return { type: 'paragraph', ...(content.length ? { content } : {}) };
};

const listNode = (list: RichTextList): TipTapNode => {
  const items: TipTapNode[] = [];
  for (const child of list.children) {
    if (child.type === 'list') {
      // A nested list belongs to the item before it (or to an empty one when it comes first).
      if (!items.length) items.push({ type: 'listItem', content: [{ type: 'paragraph' }] });
      const previous = items[items.length - 1];
      previous.content = [...(previous.content ?? []), listNode(child)];
    } else items.push({ type: 'listItem', content: [paragraph(child.children)] });
  }
  return { type: list.format === 'ordered' ? 'orderedList' : 'bulletList', content: items };
};

export const toTipTap = (nodes: RichTextNode[] | null | undefined): TipTapNode => {
  const content = (nodes ?? []).flatMap((node): TipTapNode[] => {
    switch (node.type) {
      case 'paragraph':
        return [paragraph(node.children)];
      case 'heading':
        return [{ ...paragraph(node.children), type: 'heading', attrs: { level: node.level } }];
      case 'quote':
        return [{ type: 'blockquote', content: [paragraph(node.children)] }];
      case 'code': {
        const text = node.children.map((child) => (child.type === 'text' ? child.text : '')).join('');
        return [{ type: 'codeBlock', ...(text ? { content: [{ type: 'text', text }] } : {}) }];
      }
      case 'list':
        return [listNode(node)];
      default:
        return [];
    }
  });
  return { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] };
};
