// A colour as #rrggbb text, with the browser's colour picker beside it as a mouse shortcut.
import { Field, Flex, TextInput } from '@strapi/design-system';

export const ColourField = (props: {
  name: string;
  label: string;
  value: string;
  error?: string;
  hint?: string;
  disabled: boolean;
  onChange: (value: string) => void;
}) => (
  <Field.Root name={props.name} error={props.error} hint={props.hint}>
    <Field.Label>{props.label}</Field.Label>
    <Flex gap={2}>
      <input
        type="color"
        // A mouse shortcut beside the text field, which is the field assistive technologies use.
        aria-hidden
        tabIndex={-1}
        value={/^#[0-9a-fA-F]{6}$/.test(props.value) ? props.value : '#000000'}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.target.value)}
        style={{ width: 40, height: 40, border: 0, padding: 0, background: 'none' }}
      />
      <TextInput
        value={props.value}
        disabled={props.disabled}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => props.onChange(event.target.value)}
      />
    </Flex>
    <Field.Hint />
    <Field.Error />
  </Field.Root>
);
