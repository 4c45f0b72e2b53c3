// The sender of a delivery: from name and address, reply-to, and the send rate.
import { Field, Grid, NumberInput, TextInput } from '@strapi/design-system';
import { useT } from '../../hooks/useT';
import { Section } from '../Section';
import type { FormState, SetField } from './form';

interface Props {
  form: FormState;
  set: SetField;
  fieldError: (name: string) => string | undefined;
  editable: boolean;
}

export const SenderSection = ({ form, set, fieldError, editable }: Props) => {
  const t = useT();
  const disabled = !editable;
  return (
    <Section title={t('editor.section.sender', 'Sender')}>
      <Grid.Root gap={4}>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="fromName" error={fieldError('fromName')} width="100%">
            <Field.Label>{t('editor.fromName', 'From name')}</Field.Label>
            <TextInput
              value={form.fromName}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('fromName', e.target.value)}
              disabled={disabled}
            />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            name="fromEmail"
            error={fieldError('fromEmail')}
            width="100%"
            hint={t('editor.fromEmail.hint', 'Empty: the default sender of the settings')}
          >
            <Field.Label>{t('editor.fromEmail', 'From email')}</Field.Label>
            <TextInput
              type="email"
              value={form.fromEmail}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('fromEmail', e.target.value)}
              disabled={disabled}
            />
            <Field.Error />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root name="replyTo" error={fieldError('replyTo')} width="100%">
            <Field.Label>{t('editor.replyTo', 'Reply-to')}</Field.Label>
            <TextInput
              type="email"
              value={form.replyTo}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('replyTo', e.target.value)}
              disabled={disabled}
            />
            <Field.Error />
          </Field.Root>
        </Grid.Item>
        <Grid.Item col={6} s={12} direction="column" alignItems="stretch">
          <Field.Root
            name="sendRate"
            error={fieldError('sendRate')}
            width="100%"
            hint={t('editor.sendRate.hint', 'Messages per second; empty: as fast as the transport allows')}
          >
            <Field.Label>{t('editor.sendRate', 'Send rate')}</Field.Label>
            <NumberInput value={form.sendRate} onValueChange={(value) => set('sendRate', value)} disabled={disabled} />
            <Field.Error />
            <Field.Hint />
          </Field.Root>
        </Grid.Item>
      </Grid.Root>
    </Section>
  );
};
