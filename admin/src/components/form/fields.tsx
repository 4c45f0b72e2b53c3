// The form kit's fields: Strapi's Field with its label, hint and error under the input, bound to a path of a
// useSchemaForm state. One way to write a form field in the plugin.
import type { ReactNode } from 'react';
import { Field, Grid, NumberInput, SingleSelect, SingleSelectOption, Textarea, TextInput } from '@strapi/design-system';
import { Switch } from '../Switch';
import { errorAt, type SchemaForm } from './useSchemaForm';

interface FieldProps {
  // The kit binds fields of any form: values are read and written by path.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  form: SchemaForm<any>;
  path: string;
  label: string;
  hint?: string;
  /** Columns of Strapi's 12-column grid on a wide screen; a phone gives each field the whole row. */
  col?: number;
  required?: boolean;
}

const Cell = ({ form, path, label, hint, col = 6, required, children }: FieldProps & { children: ReactNode }) => (
  <Grid.Item col={col} s={12} direction="column" alignItems="stretch">
    <Field.Root name={path} error={errorAt(form.errors, path)} hint={hint} required={required} width="100%">
      <Field.Label>{label}</Field.Label>
      {children}
      <Field.Error />
      <Field.Hint />
    </Field.Root>
  </Grid.Item>
);

export const TextField = (props: FieldProps & { type?: 'text' | 'email' | 'password' | 'url' }) => (
  <Cell {...props}>
    <TextInput
      type={props.type ?? 'text'}
      value={String(props.form.get(props.path) ?? '')}
      onChange={(event: React.ChangeEvent<HTMLInputElement>) => props.form.set(props.path, event.target.value)}
    />
  </Cell>
);

/** `plain`: digits as typed, without grouping (a port is not a quantity). */
export const NumberField = (props: FieldProps & { plain?: boolean }) => {
  const value = props.form.get(props.path) as number | undefined;
  return (
    <Cell col={4} {...props}>
      {props.plain ? (
        <TextInput
          type="number"
          value={value ?? ''}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
            props.form.set(props.path, event.target.value === '' ? 0 : Number(event.target.value))
          }
        />
      ) : (
        <NumberInput value={value ?? undefined} onValueChange={(next) => props.form.set(props.path, next ?? 0)} />
      )}
    </Cell>
  );
};

export const ToggleField = (props: FieldProps) => (
  <Cell col={4} {...props}>
    <Switch
      aria-label={props.label}
      checked={Boolean(props.form.get(props.path))}
      onCheckedChange={(checked: boolean) => props.form.set(props.path, checked)}
    />
  </Cell>
);

const splitList = (value: string) =>
  value
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/** A list of words or addresses, typed separated by commas, spaces or new lines. */
export const ListField = (props: FieldProps & { multiline?: boolean }) => {
  const items = (props.form.get(props.path) as string[] | undefined) ?? [];
  const onChange = (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    props.form.set(props.path, splitList(event.target.value));
  return (
    <Cell {...props}>
      {props.multiline ? (
        <Textarea value={items.join('\n')} onChange={onChange} />
      ) : (
        <TextInput value={items.join(', ')} onChange={onChange} />
      )}
    </Cell>
  );
};

export const SelectField = (props: FieldProps & { options: Array<{ value: string; label: string }> }) => (
  <Cell col={4} {...props}>
    <SingleSelect
      value={String(props.form.get(props.path) ?? '')}
      onChange={(value: string | number) => props.form.set(props.path, String(value))}
    >
      {props.options.map((option) => (
        <SingleSelectOption key={option.value} value={option.value}>
          {option.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  </Cell>
);
