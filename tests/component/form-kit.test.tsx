// The admin's form kit (admin/src/components/form): fields checked as the admin types with the shared zod schema,
// every problem at once under its own field, the server's answer under the field it names until that field changes.
import { act, fireEvent, screen } from '@testing-library/react';
import { useMemo } from 'react';
import { Grid } from '@strapi/design-system';
import { z } from 'zod';
import { ListField, NumberField, TextField } from '../../admin/src/components/form/fields';
import { useSchemaForm, type SchemaForm } from '../../admin/src/components/form/useSchemaForm';
import { renderInAdmin } from './render';

const schema = z
  .object({
    sender: z.object({ email: z.string().email('must be an email address') }).strict(),
    port: z.number().int().min(1, 'at least 1').max(65535, 'at most 65535'),
    recipients: z.array(z.string().email('each recipient must be an email address')),
  })
  .strict();

type Values = z.infer<typeof schema>;
let current: SchemaForm<Values>;

const Form = ({ initial }: { initial: Values }) => {
  const stable = useMemo(() => initial, [initial]);
  const form = useSchemaForm(schema, stable);
  current = form;
  return (
    <Grid.Root>
      <TextField form={form} path="sender.email" label="From email" />
      <NumberField form={form} path="port" label="Port" plain />
      <ListField form={form} path="recipients" label="Recipients" multiline />
    </Grid.Root>
  );
};

const initial: Values = { sender: { email: 'news@example.test' }, port: 587, recipients: ['ops@example.test'] };
const input = (label: string) => screen.getByLabelText(label, { exact: false }) as HTMLInputElement;
const errorUnder = (label: string) => {
  const id = input(label).getAttribute('aria-describedby') ?? '';
  return id
    .split(' ')
    .map((part) => document.getElementById(part)?.textContent ?? '')
    .join(' ');
};

describe('the form kit', () => {
  it('starts clean, with the values given and no problem', () => {
    renderInAdmin(<Form initial={initial} />);
    expect(input('From email').value).toBe('news@example.test');
    expect(input('Port').value).toBe('587');
    expect(current.valid).toBe(true);
    expect(current.dirty).toBe(false);
    expect(screen.queryByText('must be an email address')).toBeNull();
  });

  it('shows every problem at once, under its own field, as the admin types', () => {
    renderInAdmin(<Form initial={initial} />);
    fireEvent.change(input('From email'), { target: { value: 'not an address' } });
    fireEvent.change(input('Port'), { target: { value: '70000' } });
    fireEvent.change(input('Recipients'), { target: { value: 'ops@example.test\nnobody' } });
    expect(errorUnder('From email')).toContain('must be an email address');
    expect(errorUnder('Port')).toContain('at most 65535');
    expect(screen.getByText('each recipient must be an email address')).toBeTruthy();
    expect(current.valid).toBe(false);
    expect(current.dirty).toBe(true);
    expect(current.values.recipients).toEqual(['ops@example.test', 'nobody']);

    fireEvent.change(input('Port'), { target: { value: '2525' } });
    expect(errorUnder('Port')).not.toContain('at most');
    expect(errorUnder('From email')).toContain('must be an email address');
  });

  it("shows the server's answer under the field it names, until that field changes", () => {
    renderInAdmin(<Form initial={initial} />);
    act(() => current.setServerErrors({ 'sender.email': 'the relay refuses this sender' }));
    expect(errorUnder('From email')).toContain('the relay refuses this sender');
    expect(current.valid).toBe(true); // the schema itself finds nothing wrong
    fireEvent.change(input('From email'), { target: { value: 'other@example.test' } });
    expect(screen.queryByText('the relay refuses this sender')).toBeNull();
  });

  it('keeps a separator the admin just typed in a list, and takes a value reset from outside', () => {
    renderInAdmin(<Form initial={initial} />);
    const recipients = input('Recipients');
    fireEvent.change(recipients, { target: { value: 'ops@example.test\n' } });
    expect(recipients.value).toBe('ops@example.test\n');
    expect(current.values.recipients).toEqual(['ops@example.test']);
    fireEvent.change(recipients, { target: { value: 'ops@example.test\nsales@example.test' } });
    expect(current.values.recipients).toEqual(['ops@example.test', 'sales@example.test']);

    act(() => current.set('recipients', ['audit@example.test']));
    expect(recipients.value).toBe('audit@example.test');
  });
});
