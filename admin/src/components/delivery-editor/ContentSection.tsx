// The message's content: written in blocks (in a layout) or as raw HTML, the editor's choice; blocks for a new
// delivery. Switching a written HTML message to blocks asks first, and keeps the HTML as an HTML block.
import { useState } from 'react';
import { Button, Dialog, Flex, Grid, Tabs } from '@strapi/design-system';
import type { BlockDocument, ContentMode } from '../../../../shared/blocks';
import { useLayouts } from '../../api/layouts';
import { useT } from '../../hooks/useT';
import { BlockEditor } from '../blocks/BlockEditor';
import { newBlockId } from '../blocks/block-defaults';
import type { BlockProblems } from '../blocks/fields';
import { PersonalisationHelp } from '../editor/PersonalisationHelp';
import { Section } from '../Section';
import type { FieldBinding } from '../form/binding';
import { SelectField, TextField } from '../form/fields';
import type { FormState } from './form';

interface Props {
  form: FormState;
  fields: FieldBinding;
  content: BlockDocument;
  setContent: (content: BlockDocument, path?: string) => void;
  history: { undo: () => void; redo: () => void; canUndo: boolean; canRedo: boolean };
  problems: BlockProblems;
}

export const ContentSection = ({ form, fields, content, setContent, history, problems }: Props) => {
  const t = useT();
  const editable = !fields.disabled;
  const layouts = useLayouts();
  const [confirming, setConfirming] = useState(false);
  const switchTo = (mode: ContentMode) => {
    if (mode === form.contentMode) return;
    if (mode === 'blocks' && form.html.trim() && !content.blocks.length) setConfirming(true);
    else fields.set('contentMode', mode);
  };
  const keepHtmlAsBlock = () => {
    setContent({ ...content, blocks: [{ id: newBlockId(), type: 'html', html: form.html }] });
    fields.set('contentMode', 'blocks');
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
          <Grid.Root>
            <SelectField
              form={fields}
              path="layout"
              label={t('editor.layout', 'Layout')}
              hint={t('editor.layout.hint', 'Its look, header and footer.')}
              placeholder={t('editor.layout.default', 'The first layout')}
              disabled={fields.disabled || layouts.isLoading}
              options={(layouts.data ?? []).map((layout) => ({ value: layout.documentId, label: layout.name }))}
              col={12}
            />
          </Grid.Root>
          <BlockEditor value={content} onChange={setContent} problems={problems} disabled={!editable} {...history} />
        </Flex>
      ) : (
        <Grid.Root gap={4}>
          <TextField
            form={fields}
            path="html"
            label={t('editor.html', 'HTML')}
            hint={t('editor.html.hint', 'The message as HTML. Links are found and tracked when sending.')}
            col={12}
            code
          />
          <TextField
            form={fields}
            path="text"
            label={t('editor.text', 'Text part')}
            hint={t('editor.text.hint', 'Empty: derived from the HTML.')}
            col={12}
            code
          />
        </Grid.Root>
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
