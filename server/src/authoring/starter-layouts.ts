// The layouts a new install starts with. An admin edits or deletes them like any other; they are created once
// (authoring/layouts.ts remembers that it did), so a deleted starter does not come back.
import { textBlock, type BlockDocument, type ContentBlock } from '../../../shared/blocks';
import { DEFAULT_LAYOUT_STYLE, type LayoutParts } from '../../../shared/layouts';

export interface StarterLayout extends LayoutParts {
  key: 'newsletter' | 'announcement' | 'digest';
  name: string;
  description: string;
  /** The blocks a delivery made from it starts with. */
  content: BlockDocument;
}

/** Shown until an admin writes theirs; the checks before sending point at it. */
export const PLACEHOLDER_ADDRESS = 'Your organisation · Street and number · Postcode and town · Country';

const doc = (...blocks: ContentBlock[]): BlockDocument => ({ version: 1, blocks });
// Buttons take the layout's accent colour, so they follow a change of look.
const button = (id: string, label: string): ContentBlock => ({
  id,
  type: 'button',
  label,
  url: '',
  backgroundColor: '',
  textColor: '',
  align: 'left',
});

export const STARTER_LAYOUTS: StarterLayout[] = [
  {
    key: 'newsletter',
    name: 'Newsletter',
    description: 'A light page with a title bar: for regular news.',
    style: DEFAULT_LAYOUT_STYLE,
    header: [{ id: 'header-title', type: 'heading', text: 'Our newsletter', level: 1, align: 'left' }],
    footer: [
      { id: 'footer-divider', type: 'divider', color: '#e4e4e7', thickness: 1 },
      textBlock('footer-note', 'You receive this newsletter because you subscribed to it.'),
    ],
    postalAddress: PLACEHOLDER_ADDRESS,
    unsubscribeLabel: 'Unsubscribe',
    content: doc(
      { id: 'title', type: 'heading', text: 'Hello {{firstName}}', level: 2, align: 'left' },
      textBlock('intro', 'What is new this month, in a few lines.'),
      button('more', 'Read more'),
    ),
  },
  {
    key: 'announcement',
    name: 'Announcement',
    description: 'Centred and bold, with a strong accent colour: for one piece of news.',
    style: {
      ...DEFAULT_LAYOUT_STYLE,
      width: 560,
      accentColor: '#d02b20',
      linkColor: '#d02b20',
      headingFontFamily: "Georgia, 'Times New Roman', serif",
    },
    header: [],
    footer: [{ id: 'footer-spacer', type: 'spacer', height: 16 }],
    postalAddress: PLACEHOLDER_ADDRESS,
    unsubscribeLabel: 'Unsubscribe',
    content: doc(
      { id: 'title', type: 'heading', text: 'Big news', level: 1, align: 'center' },
      textBlock('intro', 'One thing to tell, said simply.'),
      { ...button('cta', 'Find out more'), align: 'center' } as ContentBlock,
    ),
  },
  {
    key: 'digest',
    name: 'Digest',
    description: 'A wide page for a list of articles: for the weekly digest.',
    style: {
      ...DEFAULT_LAYOUT_STYLE,
      width: 680,
      backgroundColor: '#eef0f4',
      accentColor: '#0c75af',
      linkColor: '#0c75af',
    },
    header: [{ id: 'header-title', type: 'heading', text: 'This week', level: 1, align: 'center' }],
    footer: [textBlock('footer-note', 'The latest from us, once a week.')],
    postalAddress: PLACEHOLDER_ADDRESS,
    unsubscribeLabel: 'Unsubscribe from the digest',
    // The entry list is added in the editor, where the app's collection types are known.
    content: doc(textBlock('intro', 'Hello {{firstName}}, here is what we published this week.')),
  },
];
