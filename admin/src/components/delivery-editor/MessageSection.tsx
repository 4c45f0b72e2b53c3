// The delivery's name (for the team) and subject (for the recipients, personalisation allowed).
import { Grid } from '@strapi/design-system';
import { useT } from '../../hooks/useT';
import type { FieldBinding } from '../form/binding';
import { TextField } from '../form/fields';
import { Section } from '../Section';

export const MessageSection = ({ fields }: { fields: FieldBinding }) => {
  const t = useT();
  return (
    <Section title={t('editor.section.message', 'Message')}>
      <Grid.Root gap={4}>
        <TextField form={fields} path="name" label={t('editor.name', 'Name')} col={12} required />
        <TextField
          form={fields}
          path="subject"
          label={t('editor.subject', 'Subject')}
          hint={t('editor.subject.hint', 'Variables work here too, e.g. Hello {{firstName}}')}
          col={12}
          required
        />
      </Grid.Root>
    </Section>
  );
};
