// The fields block settings are made of: each names its path, shows the problem the preview found there (or the
// schema's, as the editor types) and reports changes with that path, so typing in one field is one undo step.
import { Field, SingleSelect, SingleSelectOption, TextInput, Textarea } from '@strapi/design-system';
import type { Align, ContentBlock } from '../../../../shared/blocks';
import { useT } from '../../hooks/useT';

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

export const TextRow = (props: {
  name: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  disabled: boolean;
  multiline?: boolean;
  required?: boolean;
}) => (
  <Field.Root name={props.name} error={props.error} hint={props.hint} required={props.required}>
    <Field.Label>{props.label}</Field.Label>
    {props.multiline ? (
      <Textarea
        value={props.value}
        disabled={props.disabled}
        onChange={(event: React.ChangeEvent<HTMLTextAreaElement>) => props.onChange(event.target.value)}
        style={{ fontFamily: 'monospace', fontSize: 13, minHeight: 200 }}
      />
    ) : (
      <TextInput
        value={props.value}
        disabled={props.disabled}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => props.onChange(event.target.value)}
      />
    )}
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);

export const SelectRow = <V extends string | number>(props: {
  name: string;
  label: string;
  value: V;
  options: Array<[V, string]>;
  onChange: (value: V) => void;
  disabled: boolean;
  error?: string;
}) => (
  <Field.Root name={props.name} error={props.error}>
    <Field.Label>{props.label}</Field.Label>
    <SingleSelect
      value={String(props.value)}
      disabled={props.disabled}
      onChange={(value: string | number) =>
        props.onChange((props.options.find(([option]) => String(option) === String(value))?.[0] ?? props.value) as V)
      }
    >
      {props.options.map(([value, label]) => (
        <SingleSelectOption key={String(value)} value={String(value)}>
          {label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
    <Field.Error />
  </Field.Root>
);

export const AlignRow = (props: { value: Align; onChange: (value: Align) => void; disabled: boolean }) => {
  const t = useT();
  return (
    <SelectRow<Align>
      name="align"
      label={t('blocks.align', 'Alignment')}
      value={props.value}
      disabled={props.disabled}
      onChange={props.onChange}
      options={[
        ['left', t('blocks.align.left', 'Left')],
        ['center', t('blocks.align.center', 'Centre')],
        ['right', t('blocks.align.right', 'Right')],
      ]}
    />
  );
};
