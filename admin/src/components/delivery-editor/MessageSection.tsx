// The delivery's name (for the team) and subject (for the recipients, personalisation allowed).
import { Field, TextInput } from '@strapi/design-system';
import { useT } from '../../hooks/useT';
import { Section } from '../Section';
import type { FormState, SetField } from './form';

interface Props {
  form: FormState;
  set: SetField;
  fieldError: (name: string) => string | undefined;
  editable: boolean;
}

export const MessageSection = ({ form, set, fieldError, editable }: Props) => {
  const t = useT();
  return (
    <Section title={t('editor.section.message', 'Message')}>
      <Field.Root name="name" error={fieldError('name')} required>
        <Field.Label>{t('editor.name', 'Name')}</Field.Label>
        <TextInput
          value={form.name}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('name', e.target.value)}
          disabled={!editable}
        />
        <Field.Error />
      </Field.Root>
      <Field.Root
        name="subject"
        error={fieldError('subject')}
        required
        hint={t('editor.subject.hint', 'Variables work here too, e.g. Hello {{firstName}}')}
      >
        <Field.Label>{t('editor.subject', 'Subject')}</Field.Label>
        <TextInput
          value={form.subject}
          onChange={(e: React.ChangeEvent<HTMLInputElement>) => set('subject', e.target.value)}
          disabled={!editable}
        />
        <Field.Error />
        <Field.Hint />
      </Field.Root>
    </Section>
  );
};
