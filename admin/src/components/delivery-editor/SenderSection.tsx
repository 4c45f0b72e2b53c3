// The sender of a delivery: from name and address, reply-to, and the send rate.
import { Grid } from '@strapi/design-system';
import { useT } from '../../hooks/useT';
import type { FieldBinding } from '../form/binding';
import { NumberField, TextField } from '../form/fields';
import { Section } from '../Section';

export const SenderSection = ({ fields }: { fields: FieldBinding }) => {
  const t = useT();
  return (
    <Section title={t('editor.section.sender', 'Sender')}>
      <Grid.Root gap={4}>
        <TextField form={fields} path="fromName" label={t('editor.fromName', 'From name')} />
        <TextField
          form={fields}
          path="fromEmail"
          type="email"
          label={t('editor.fromEmail', 'From email')}
          hint={t('editor.fromEmail.hint', 'Empty: the default sender of the settings')}
        />
        <TextField form={fields} path="replyTo" type="email" label={t('editor.replyTo', 'Reply-to')} />
        <NumberField
          form={fields}
          path="sendRate"
          label={t('editor.sendRate', 'Send rate')}
          hint={t('editor.sendRate.hint', 'Messages per second; empty: as fast as the transport allows')}
          col={6}
          nullable
        />
      </Grid.Root>
    </Section>
  );
};
