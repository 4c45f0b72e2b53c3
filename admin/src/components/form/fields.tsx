// The form kit's fields: Strapi's Field with its label, hint and error under the input, bound to a path of a
// FieldBinding (a useSchemaForm state, or a value bound with bindValue). One way to write a form field in the plugin.
import { useState, type ReactNode } from 'react';
import {
  Checkbox,
  Field,
  Flex,
  Grid,
  NumberInput,
  Radio,
  SingleSelect,
  SingleSelectOption,
  Textarea,
  TextInput,
} from '@strapi/design-system';
import { fromLocalInput, toLocalInput } from '../../utils/format';
import { Switch } from '../Switch';
import type { FieldBinding } from './binding';
import { errorAt } from './useSchemaForm';

interface FieldProps {
  form: FieldBinding;
  path: string;
  label: string;
  hint?: string;
  /** Columns of Strapi's 12-column grid on a wide screen; a phone gives each field the whole row. */
  col?: number;
  required?: boolean;
  /** Read only, whatever the form says. */
  disabled?: boolean;
}

const isDisabled = (props: FieldProps) => Boolean(props.disabled ?? props.form.disabled);

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

type TextProps = FieldProps & {
  type?: 'text' | 'email' | 'password' | 'url';
  /** A text of several lines. */
  multiline?: boolean;
  /** Source code (HTML): several lines in a fixed-width font. */
  code?: boolean;
  autoFocus?: boolean;
  /** An empty field holds nothing (undefined), not an empty text. */
  optional?: boolean;
  placeholder?: string;
};

export const TextField = (props: TextProps) => {
  const value = String(props.form.get(props.path) ?? '');
  const onChange = (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    props.form.set(props.path, props.optional && !event.target.value ? undefined : event.target.value);
  return (
    <Cell {...props}>
      {props.multiline || props.code ? (
        <Textarea
          value={value}
          disabled={isDisabled(props)}
          onChange={onChange}
          style={props.code ? { fontFamily: 'monospace', fontSize: 13, minHeight: 200 } : undefined}
        />
      ) : (
        <TextInput
          type={props.type ?? 'text'}
          value={value}
          disabled={isDisabled(props)}
          onChange={onChange}
          autoFocus={props.autoFocus}
          placeholder={props.placeholder}
        />
      )}
    </Cell>
  );
};

/** `plain`: digits as typed, without grouping (a port is not a quantity). `nullable`: an empty field holds null. */
export const NumberField = (props: FieldProps & { plain?: boolean; nullable?: boolean }) => {
  const value = props.form.get(props.path) as number | null | undefined;
  const empty = props.nullable ? null : 0;
  return (
    <Cell col={4} {...props}>
      {props.plain ? (
        <TextInput
          type="number"
          value={value ?? ''}
          disabled={isDisabled(props)}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
            props.form.set(props.path, event.target.value === '' ? empty : Number(event.target.value))
          }
        />
      ) : (
        <NumberInput
          value={value ?? undefined}
          disabled={isDisabled(props)}
          onValueChange={(next) => props.form.set(props.path, next ?? empty)}
        />
      )}
    </Cell>
  );
};

export const ToggleField = (props: FieldProps) => (
  <Cell col={4} {...props}>
    <Switch
      aria-label={props.label}
      checked={Boolean(props.form.get(props.path))}
      disabled={isDisabled(props)}
      onCheckedChange={(checked: boolean) => props.form.set(props.path, checked)}
    />
  </Cell>
);

const splitList = (value: string) =>
  value
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter(Boolean);

const NO_ITEMS: string[] = [];

/**
 * A list of words or addresses, typed separated by commas, spaces or new lines. The text keeps what the admin types
 * (a separator just typed stays); the value is its items, and a value changed from outside (a reset) replaces the text.
 */
export const ListField = (props: FieldProps & { multiline?: boolean }) => {
  const items = (props.form.get(props.path) as string[] | undefined) ?? NO_ITEMS;
  const separator = props.multiline ? '\n' : ', ';
  const [text, setText] = useState(() => items.join(separator));
  const [seen, setSeen] = useState(items);
  if (seen !== items) {
    setSeen(items);
    if (splitList(text).join('\n') !== items.join('\n')) setText(items.join(separator));
  }
  const onChange = (event: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
    setText(event.target.value);
    props.form.set(props.path, splitList(event.target.value));
  };
  return (
    <Cell {...props}>
      {props.multiline ? (
        <Textarea value={text} disabled={isDisabled(props)} onChange={onChange} />
      ) : (
        <TextInput value={text} disabled={isDisabled(props)} onChange={onChange} />
      )}
    </Cell>
  );
};

/** One of the options; a number option stays a number in the value. */
export const SelectField = (
  props: FieldProps & { options: ReadonlyArray<{ value: string | number; label: string }>; placeholder?: string },
) => (
  <Cell col={4} {...props}>
    <SingleSelect
      value={String(props.form.get(props.path) ?? '')}
      placeholder={props.placeholder}
      disabled={isDisabled(props)}
      onChange={(value: string | number) =>
        props.form.set(
          props.path,
          props.options.find((option) => String(option.value) === String(value))?.value ?? String(value),
        )
      }
    >
      {props.options.map((option) => (
        <SingleSelectOption key={String(option.value)} value={String(option.value)}>
          {option.label}
        </SingleSelectOption>
      ))}
    </SingleSelect>
  </Cell>
);

/** A yes or no with its label beside the box (one of a few choices shown together). */
export const CheckboxField = (props: Omit<FieldProps, 'hint' | 'col' | 'required'>) => (
  <Checkbox
    checked={Boolean(props.form.get(props.path))}
    disabled={isDisabled(props)}
    onCheckedChange={(checked) => props.form.set(props.path, checked === true)}
  >
    {props.label}
  </Checkbox>
);

/** One of a few options, all in sight. */
export const RadioField = (props: FieldProps & { options: ReadonlyArray<{ value: string; label: string }> }) => (
  <Cell col={12} {...props}>
    <Radio.Group
      aria-label={props.label}
      value={String(props.form.get(props.path) ?? '')}
      disabled={isDisabled(props)}
      onValueChange={(value: string) => props.form.set(props.path, value)}
    >
      {props.options.map((option) => (
        <Radio.Item key={option.value} value={option.value}>
          {option.label}
        </Radio.Item>
      ))}
    </Radio.Group>
  </Cell>
);

/** A #rrggbb colour as text, with the browser's colour picker beside it as a mouse shortcut. */
export const ColourField = (props: FieldProps) => {
  const value = String(props.form.get(props.path) ?? '');
  const set = (event: React.ChangeEvent<HTMLInputElement>) => props.form.set(props.path, event.target.value);
  return (
    <Cell {...props}>
      <Flex gap={2}>
        <input
          type="color"
          // A mouse shortcut beside the text field, which is the field assistive technologies use.
          aria-hidden
          tabIndex={-1}
          value={/^#[0-9a-fA-F]{6}$/.test(value) ? value : '#000000'}
          disabled={isDisabled(props)}
          onChange={set}
          style={{ width: 40, height: 40, border: 0, padding: 0, background: 'none' }}
        />
        <TextInput value={value} disabled={isDisabled(props)} onChange={set} />
      </Flex>
    </Cell>
  );
};

/** A moment typed in the admin's local time, held as an ISO 8601 date-time (what the API takes). */
export const DateTimeField = (props: FieldProps) => (
  <Cell {...props}>
    <TextInput
      type="datetime-local"
      value={toLocalInput((props.form.get(props.path) as string | null | undefined) ?? null)}
      disabled={isDisabled(props)}
      onChange={(event: React.ChangeEvent<HTMLInputElement>) =>
        props.form.set(props.path, fromLocalInput(event.target.value))
      }
    />
  </Cell>
);
