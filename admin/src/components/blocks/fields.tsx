// What block settings are made of: their props, and the block bound for the form kit. Each field names its path,
// shows the problem the preview found there and reports changes with that path, so typing in one field is one undo
// step.
import type { Align, ContentBlock } from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';
import { bindValue, type FieldBinding } from '../form/binding';
import { SelectField } from '../form/fields';

/** Problems of the message by block id, then by field path (`url`, `content.0.1.url`...). */
export type BlockProblems = Record<string, Record<string, string>>;

export interface SettingsProps<B extends ContentBlock = ContentBlock> {
  block: B;
  /** The changed block, and the field the change was made in. */
  onChange: (block: B, path?: string) => void;
  /** This block's problems by field path. */
  errors: Record<string, string>;
  /** Every block's: columns pass them on to the blocks they hold. */
  problems: BlockProblems;
  disabled: boolean;
  /** The block list, for the blocks a block holds (columns): passed down, so the list and columns need not import each other. */
  renderBlocks: (props: {
    blocks: ContentBlock[];
    onChange: (blocks: ContentBlock[], path?: string) => void;
    problems: BlockProblems;
    disabled: boolean;
  }) => React.ReactNode;
}

/** The block's fields for the form kit. */
export const blockFields = <B extends ContentBlock>({ block, onChange, errors, disabled }: SettingsProps<B>) =>
  bindValue(block, onChange, errors, disabled);

export const AlignField = ({ form }: { form: FieldBinding }) => {
  const t = useT();
  const options: Array<{ value: Align; label: string }> = [
    { value: 'left', label: t('blocks.align.left', 'Left') },
    { value: 'center', label: t('blocks.align.center', 'Centre') },
    { value: 'right', label: t('blocks.align.right', 'Right') },
  ];
  return <SelectField form={form} path="align" label={t('blocks.align', 'Alignment')} options={options} col={12} />;
};
