// The message's content: written in blocks (in a layout) or as raw HTML, the editor's choice; blocks for a new
// delivery. Switching a written HTML message to blocks asks first, and keeps the HTML as an HTML block.
import { useState } from 'react';
import { Button, Dialog, Field, Flex, SingleSelect, SingleSelectOption, Tabs, Textarea } from '@strapi/design-system';
import type { BlockDocument, ContentMode } from '../../../../shared/blocks';
import { useLayouts } from '../../api/layouts';
import { useT } from '../../hooks/useT';
import { BlockEditor } from '../blocks/BlockEditor';
import { newBlockId } from '../blocks/block-defaults';
import type { BlockProblems } from '../blocks/fields';
import { PersonalisationHelp } from '../editor/PersonalisationHelp';
import { Section } from '../Section';
import type { FormState, SetField } from './form';

interface Props {
  form: FormState;
  set: SetField;
  fieldError: (name: string) => string | undefined;
  editable: boolean;
  content: BlockDocument;
  setContent: (content: BlockDocument, path?: string) => void;
  history: { undo: () => void; redo: () => void; canUndo: boolean; canRedo: boolean };
  problems: BlockProblems;
}

export const ContentSection = ({ form, set, fieldError, editable, content, setContent, history, problems }: Props) => {
  const t = useT();
  const layouts = useLayouts();
  const [confirming, setConfirming] = useState(false);
  const switchTo = (mode: ContentMode) => {
    if (mode === form.contentMode) return;
    if (mode === 'blocks' && form.html.trim() && !content.blocks.length) setConfirming(true);
    else set('contentMode', mode);
  };
  const keepHtmlAsBlock = () => {
    setContent({ ...content, blocks: [{ id: newBlockId(), type: 'html', html: form.html }] });
    set('contentMode', 'blocks');
    setConfirming(false);
  };

  return (
    <Section title={t('editor.section.content', 'Content')}>
      <Tabs.Root value={form.contentMode} onValueChange={(value) => switchTo(value as ContentMode)} variant="simple">
        <Tabs.List aria-label={t('editor.mode', 'How the message is written')}>
          <Tabs.Trigger value="blocks" disabled={!editable}>
            {t('editor.mode.blocks', 'Blocks')}
          </Tabs.Trigger>
          <Tabs.Trigger value="html" disabled={!editable}>
            {t('editor.mode.html', 'HTML')}
          </Tabs.Trigger>
        </Tabs.List>
      </Tabs.Root>
      {form.contentMode === 'blocks' ? (
        <Flex direction="column" alignItems="stretch" gap={4}>
          <Field.Root
            name="layout"
            error={fieldError('layout')}
            hint={t('editor.layout.hint', 'Its look, header and footer.')}
          >
            <Field.Label>{t('editor.layout', 'Layout')}</Field.Label>
            <SingleSelect
              value={form.layout ?? ''}
              disabled={!editable || layouts.isLoading}
              placeholder={t('editor.layout.default', 'The first layout')}
              onChange={(value: string | number) => set('layout', value ? String(value) : null)}
            >
              {(layouts.data ?? []).map((layout) => (
                <SingleSelectOption key={layout.documentId} value={layout.documentId}>
                  {layout.name}
                </SingleSelectOption>
              ))}
            </SingleSelect>
            <Field.Hint />
            <Field.Error />
          </Field.Root>
          <BlockEditor value={content} onChange={setContent} problems={problems} disabled={!editable} {...history} />
        </Flex>
      ) : (
        <>
          <Field.Root
            name="html"
            error={fieldError('html')}
            hint={t('editor.html.hint', 'The message as HTML. Links are found and tracked when sending.')}
          >
            <Field.Label>{t('editor.html', 'HTML')}</Field.Label>
            <Textarea
              value={form.html}
              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set('html', e.target.value)}
              disabled={!editable}
              style={{ fontFamily: 'monospace', fontSize: 13, minHeight: 280 }}
            />
            <Field.Error />
            <Field.Hint />
          </Field.Root>
          <Field.Root
            name="text"
            error={fieldError('text')}
            hint={t('editor.text.hint', 'Empty: derived from the HTML.')}
          >
            <Field.Label>{t('editor.text', 'Text part')}</Field.Label>
            <Textarea
              value={form.text}
              onChange={(e: React.ChangeEvent<HTMLTextAreaElement>) => set('text', e.target.value)}
              disabled={!editable}
              style={{ fontFamily: 'monospace', fontSize: 13 }}
            />
            <Field.Error />
            <Field.Hint />
          </Field.Root>
        </>
      )}
      <PersonalisationHelp />
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Content>
          <Dialog.Header>{t('editor.mode.confirm.title', 'Write this message in blocks?')}</Dialog.Header>
          <Dialog.Body>
            {t(
              'editor.mode.confirm.body',
              'The HTML written so far becomes one HTML block, which you can keep or delete.',
            )}
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button variant="tertiary">{t('editor.mode.confirm.stay', 'Stay in HTML')}</Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button onClick={keepHtmlAsBlock}>{t('editor.mode.confirm.go', 'Switch to blocks')}</Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </Section>
  );
};
