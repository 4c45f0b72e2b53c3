// Columns: two or three, side by side on a wide screen and stacked on a phone; each column's blocks are edited
// with the same block list as the message (columns inside columns excepted).
import { Box, Flex, Typography } from '@strapi/design-system';
import type { ColumnsBlock, ContentBlock } from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { bindValue } from '../form/binding';
import { SelectField } from '../form/fields';
import type { SettingsProps } from './fields';
import { newBlock } from './block-defaults';

export const ColumnsSettings = ({ block, onChange, problems, disabled, renderBlocks }: SettingsProps<ColumnsBlock>) => {
  const t = useT();
  const setCount = (count: number) =>
    onChange({
      ...block,
      columns: count > block.columns.length ? [...block.columns, [newBlock('text')]] : block.columns.slice(0, count),
    });
  const count = bindValue({ count: block.columns.length }, (next) => setCount(next.count), {}, disabled);
  const setColumn = (index: number, blocks: ContentBlock[], path?: string) =>
    onChange({ ...block, columns: block.columns.map((column, i) => (i === index ? blocks : column)) }, path);
  return (
    <>
      <SelectField
        form={count}
        path="count"
        label={t('blocks.columns.count', 'Columns')}
        col={12}
        options={[
          { value: 2, label: t('blocks.columns.two', 'Two') },
          { value: 3, label: t('blocks.columns.three', 'Three') },
        ]}
      />
      <Flex direction="column" alignItems="stretch" gap={3}>
        {block.columns.map((column, index) => (
          <Box key={index} padding={3} hasRadius borderColor="neutral200">
            <Typography variant="sigma" textColor="neutral600">
              {t('blocks.columns.column', 'Column {n}', { n: index + 1 })}
            </Typography>
            {renderBlocks({
              blocks: column,
              problems,
              disabled,
              onChange: (blocks, path) => setColumn(index, blocks, path),
            })}
          </Box>
        ))}
      </Flex>
    </>
  );
};
