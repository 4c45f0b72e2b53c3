// A text block's rich text, edited with TipTap (docs/ARCHITECTURE.md says why) and stored in Strapi's blocks format
// (utils/rich-text.ts converts both ways): bold, italic, underline, links, lists and quotes.
import { useEffect, useRef } from 'react';
import { Box, Field, Flex, IconButton } from '@strapi/design-system';
import { Bold, BulletList, Italic, Link as LinkIcon, NumberList, Quotes, Underline } from '@strapi/icons';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import type { TextBlock } from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { fromTipTap, toTipTap, type TipTapNode } from '../../utils/rich-text';
import type { SettingsProps } from './fields';

export const TextSettings = ({ block, onChange, errors, disabled }: SettingsProps<TextBlock>) => {
  const t = useT();
  // The latest block and callback, for TipTap's update handler (made once with the editor).
  const latest = useRef({ block, onChange });
  latest.current = { block, onChange };
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true } })],
    content: toTipTap(block.content),
    editable: !disabled,
    onUpdate: ({ editor: current }) =>
      latest.current.onChange(
        { ...latest.current.block, content: fromTipTap(current.getJSON() as TipTapNode) },
        'content',
      ),
  });
  // Undo, redo or another block selected: the editor shows the stored content again.
  useEffect(() => {
    if (!editor) return;
    const shown = JSON.stringify(fromTipTap(editor.getJSON() as TipTapNode));
    if (shown !== JSON.stringify(block.content))
      editor.commands.setContent(toTipTap(block.content), { emitUpdate: false });
  }, [editor, block.content]);

  const linkProblem = Object.entries(errors).find(([path]) => path.startsWith('content'))?.[1];
  const setLink = () => {
    if (!editor) return;
    const previous = (editor.getAttributes('link').href as string | undefined) ?? 'https://';
    const url = window.prompt(t('blocks.text.linkPrompt', 'Link address (empty to remove the link)'), previous);
    if (url === null) return;
    if (!url.trim()) editor.chain().focus().extendMarkRange('link').unsetLink().run();
    else editor.chain().focus().extendMarkRange('link').setLink({ href: url.trim() }).run();
  };
  const tool = (label: string, icon: React.ReactNode, active: boolean, run: () => void) => (
    <IconButton label={label} onClick={run} disabled={disabled || !editor} variant={active ? 'secondary' : 'tertiary'}>
      {icon}
    </IconButton>
  );

  return (
    <Field.Root name="content" error={linkProblem}>
      <Field.Label>{t('blocks.text.label', 'Text')}</Field.Label>
      <Flex gap={1} paddingBottom={1} wrap="wrap">
        {tool(t('blocks.text.bold', 'Bold'), <Bold />, Boolean(editor?.isActive('bold')), () =>
          editor?.chain().focus().toggleBold().run(),
        )}
        {tool(t('blocks.text.italic', 'Italic'), <Italic />, Boolean(editor?.isActive('italic')), () =>
          editor?.chain().focus().toggleItalic().run(),
        )}
        {tool(t('blocks.text.underline', 'Underline'), <Underline />, Boolean(editor?.isActive('underline')), () =>
          editor?.chain().focus().toggleUnderline().run(),
        )}
        {tool(t('blocks.text.link', 'Link'), <LinkIcon />, Boolean(editor?.isActive('link')), setLink)}
        {tool(t('blocks.text.bullets', 'Bulleted list'), <BulletList />, Boolean(editor?.isActive('bulletList')), () =>
          editor?.chain().focus().toggleBulletList().run(),
        )}
        {tool(t('blocks.text.numbers', 'Numbered list'), <NumberList />, Boolean(editor?.isActive('orderedList')), () =>
          editor?.chain().focus().toggleOrderedList().run(),
        )}
        {tool(t('blocks.text.quote', 'Quote'), <Quotes />, Boolean(editor?.isActive('blockquote')), () =>
          editor?.chain().focus().toggleBlockquote().run(),
        )}
      </Flex>
      <Box
        padding={3}
        hasRadius
        borderColor="neutral200"
        background="neutral0"
        style={{ minHeight: 140 }}
        className="campaigns-rich-text"
        aria-label={t('blocks.text.label', 'Text')}
      >
        <EditorContent editor={editor} />
      </Box>
      <Field.Error />
    </Field.Root>
  );
};
