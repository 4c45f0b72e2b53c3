// The block editor: the message's blocks on the left, the selected block's settings beside them, undo and redo
// (buttons, and Ctrl or Cmd + Z / Shift + Z while the editor has the focus).
import { useState } from 'react';
import { Box, Flex, Grid, IconButton, Typography } from '@strapi/design-system';
import { ArrowClockwise, ArrowsCounterClockwise } from '@strapi/icons';
import { allBlocks, type BlockDocument, type ContentBlock } from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { blockLabel } from './block-defaults';
import { BlockList, renderNested } from './BlockList';
import { BlockSettings } from './BlockSettings';
import type { BlockProblems } from './fields';

interface Props {
  value: BlockDocument;
  /** The changed document, and `blockId.field` when the change is typing in one field. */
  onChange: (value: BlockDocument, path?: string) => void;
  problems: BlockProblems;
  disabled: boolean;
  undo: () => void;
  redo: () => void;
  canUndo: boolean;
  canRedo: boolean;
}

export const BlockEditor = ({ value, onChange, problems, disabled, undo, redo, canUndo, canRedo }: Props) => {
  const t = useT();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const setBlocks = (blocks: ContentBlock[], path?: string) => onChange({ ...value, blocks }, path);
  const selected = value.blocks.find((block) => block.id === selectedId) ?? null;
  const onKeyDown = (event: React.KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== 'z') return;
    // Inside the rich-text editor, its own undo handles the letters typed there.
    if ((event.target as HTMLElement).closest('.ProseMirror')) return;
    event.preventDefault();
    if (event.shiftKey) redo();
    else undo();
  };

  return (
    <Box onKeyDown={onKeyDown}>
      <Flex justifyContent="space-between" paddingBottom={2}>
        <Typography variant="pi" textColor="neutral600">
          {t('blocks.count', '{count, plural, =0 {No block} one {# block} other {# blocks}}', {
            count: allBlocks(value.blocks).length,
          })}
        </Typography>
        <Flex gap={1}>
          <IconButton
            label={t('blocks.undo', 'Undo')}
            onClick={undo}
            disabled={disabled || !canUndo}
            variant="tertiary"
          >
            <ArrowsCounterClockwise />
          </IconButton>
          <IconButton
            label={t('blocks.redo', 'Redo')}
            onClick={redo}
            disabled={disabled || !canRedo}
            variant="tertiary"
          >
            <ArrowClockwise />
          </IconButton>
        </Flex>
      </Flex>
      <Grid.Root gap={4}>
        <Grid.Item col={selected ? 6 : 12} s={12} direction="column" alignItems="stretch">
          <BlockList
            blocks={value.blocks}
            onChange={setBlocks}
            problems={problems}
            disabled={disabled}
            selected={selectedId}
            onSelect={setSelectedId}
          />
        </Grid.Item>
        {selected && (
          <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
            <Box
              padding={4}
              background="neutral100"
              hasRadius
              aria-label={t('blocks.settings', 'Settings of the {kind} block', { kind: blockLabel(selected.type, t) })}
              role="region"
            >
              <Flex direction="column" alignItems="stretch" gap={3}>
                <Typography variant="delta" tag="h3">
                  {blockLabel(selected.type, t)}
                </Typography>
                <BlockSettings
                  block={selected}
                  errors={problems[selected.id] ?? {}}
                  problems={problems}
                  disabled={disabled}
                  renderBlocks={renderNested}
                  onChange={(block, path) =>
                    setBlocks(
                      value.blocks.map((b) => (b.id === block.id ? block : b)),
                      path ? `${block.id}.${path}` : undefined,
                    )
                  }
                />
              </Flex>
            </Box>
          </Grid.Item>
        )}
      </Grid.Root>
    </Box>
  );
};
