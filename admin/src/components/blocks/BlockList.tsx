// A column of blocks: added from a menu, selected to edit, moved by drag and drop or from the keyboard (the drag
// handle takes Space and the arrow keys; "Move up" / "Move down" are buttons too), duplicated and deleted. The top
// level shows the selected block's settings beside the list (BlockEditor); a column shows them under the block.
import { useState } from 'react';
import { Badge, Box, Flex, IconButton, MenuItem, SimpleMenu, Typography } from '@strapi/design-system';
import { ArrowDown, ArrowUp, Drag, Duplicate, Plus, Trash } from '@strapi/icons';
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  closestCenter,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  SortableContext,
  arrayMove,
  sortableKeyboardCoordinates,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { BLOCK_TYPES, type BlockType, type ContentBlock } from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { blockLabel, blockSummary, copyBlock, newBlock } from './block-defaults';
import { BlockSettings } from './BlockSettings';
import type { BlockProblems, SettingsProps } from './fields';

interface Props {
  blocks: ContentBlock[];
  /** The changed list, and the changed block's id and field (one undo step per field being typed in). */
  onChange: (blocks: ContentBlock[], path?: string) => void;
  problems: BlockProblems;
  disabled: boolean;
  /** Inside a column: no columns in the add menu, settings under the selected block. */
  nested?: boolean;
  selected?: string | null;
  onSelect?: (id: string | null) => void;
}

const Row = (props: {
  block: ContentBlock;
  index: number;
  count: number;
  selected: boolean;
  problemCount: number;
  disabled: boolean;
  onSelect: () => void;
  onMove: (to: number) => void;
  onDuplicate: () => void;
  onDelete: () => void;
}) => {
  const t = useT();
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: props.block.id });
  const label = blockLabel(props.block.type, t);
  const summary = blockSummary(props.block).trim();
  const name = summary ? `${label}: ${summary.slice(0, 40)}` : label;
  return (
    <Box
      ref={setNodeRef}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1 }}
      padding={2}
      hasRadius
      background={props.selected ? 'primary100' : 'neutral0'}
      borderColor={props.selected ? 'primary600' : 'neutral200'}
      data-block-id={props.block.id}
    >
      <Flex gap={2}>
        {/* A plain button: dnd-kit's keyboard sensor listens to its keys (Space picks up, arrows move, Space drops). */}
        <button
          type="button"
          aria-label={t('blocks.drag', 'Drag {name}', { name })}
          disabled={props.disabled}
          style={{
            background: 'none',
            border: 0,
            padding: 4,
            cursor: props.disabled ? 'default' : 'grab',
            display: 'flex',
          }}
          {...attributes}
          {...listeners}
        >
          <Drag aria-hidden />
        </button>
        <Box
          tag="button"
          type="button"
          onClick={props.onSelect}
          aria-pressed={props.selected}
          style={{ flex: 1, textAlign: 'left', background: 'none', border: 0, cursor: 'pointer', minWidth: 0 }}
        >
          <Typography variant="omega" fontWeight="bold">
            {label}
          </Typography>{' '}
          <Typography variant="pi" textColor="neutral600" ellipsis>
            {summary}
          </Typography>
        </Box>
        {props.problemCount > 0 && (
          <Badge backgroundColor="danger100" textColor="danger700">
            {props.problemCount}
          </Badge>
        )}
        <IconButton
          label={t('blocks.up', 'Move {name} up', { name })}
          variant="ghost"
          disabled={props.disabled || props.index === 0}
          onClick={() => props.onMove(props.index - 1)}
        >
          <ArrowUp />
        </IconButton>
        <IconButton
          label={t('blocks.down', 'Move {name} down', { name })}
          variant="ghost"
          disabled={props.disabled || props.index === props.count - 1}
          onClick={() => props.onMove(props.index + 1)}
        >
          <ArrowDown />
        </IconButton>
        <IconButton
          label={t('blocks.duplicate', 'Duplicate {name}', { name })}
          variant="ghost"
          disabled={props.disabled}
          onClick={props.onDuplicate}
        >
          <Duplicate />
        </IconButton>
        <IconButton
          label={t('blocks.delete', 'Delete {name}', { name })}
          variant="ghost"
          disabled={props.disabled}
          onClick={props.onDelete}
        >
          <Trash />
        </IconButton>
      </Flex>
    </Box>
  );
};

/** The list inside a column: the same list, without columns in its menu. */
export const renderNested: SettingsProps['renderBlocks'] = (props) => <BlockList {...props} nested />;

export const BlockList = ({
  blocks,
  onChange,
  problems,
  disabled,
  nested,
  selected: selectedProp,
  onSelect,
}: Props) => {
  const t = useT();
  const [ownSelection, setOwnSelection] = useState<string | null>(null);
  const selected = selectedProp !== undefined ? selectedProp : ownSelection;
  const select = onSelect ?? setOwnSelection;
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const move = (from: number, to: number) => onChange(arrayMove(blocks, from, to));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    move(
      blocks.findIndex((b) => b.id === active.id),
      blocks.findIndex((b) => b.id === over.id),
    );
  };
  const add = (type: BlockType) => {
    const block = newBlock(type);
    onChange([...blocks, block]);
    select(block.id);
  };
  const replace = (block: ContentBlock, path?: string) =>
    onChange(
      blocks.map((b) => (b.id === block.id ? block : b)),
      path ? `${block.id}.${path}` : undefined,
    );
  const types = BLOCK_TYPES.filter((type) => !nested || type !== 'columns');

  return (
    <Flex direction="column" alignItems="stretch" gap={2} paddingTop={2}>
      {!blocks.length && (
        <Typography textColor="neutral600">{t('blocks.empty', 'No block yet: add one to start writing.')}</Typography>
      )}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={blocks.map((b) => b.id)} strategy={verticalListSortingStrategy}>
          {blocks.map((block, index) => (
            <Flex key={block.id} direction="column" alignItems="stretch" gap={2}>
              <Row
                block={block}
                index={index}
                count={blocks.length}
                selected={selected === block.id}
                problemCount={Object.keys(problems[block.id] ?? {}).length}
                disabled={disabled}
                onSelect={() => select(selected === block.id ? null : block.id)}
                onMove={(to) => move(index, to)}
                onDuplicate={() => {
                  const copy = copyBlock(block);
                  onChange([...blocks.slice(0, index + 1), copy, ...blocks.slice(index + 1)]);
                  select(copy.id);
                }}
                onDelete={() => {
                  onChange(blocks.filter((b) => b.id !== block.id));
                  if (selected === block.id) select(null);
                }}
              />
              {nested && selected === block.id && (
                <Box padding={3} background="neutral100" hasRadius>
                  <Flex direction="column" alignItems="stretch" gap={3}>
                    <BlockSettings
                      block={block}
                      onChange={replace}
                      errors={problems[block.id] ?? {}}
                      problems={problems}
                      disabled={disabled}
                      renderBlocks={renderNested}
                    />
                  </Flex>
                </Box>
              )}
            </Flex>
          ))}
        </SortableContext>
      </DndContext>
      {!disabled && (
        <Box>
          <SimpleMenu label={t('blocks.add', 'Add a block')} variant="secondary" startIcon={<Plus />}>
            {types.map((type) => (
              <MenuItem key={type} onSelect={() => add(type)}>
                {blockLabel(type, t)}
              </MenuItem>
            ))}
          </SimpleMenu>
        </Box>
      )}
    </Flex>
  );
};
