// The fields of a contact's profile, the same in the new-contact dialog and on the contact's page.
import { Grid } from '@strapi/design-system';
import { SelectField, TextField } from '../form/fields';
import type { SchemaForm } from '../form/useSchemaForm';
import { useT } from '../../hooks/useT';
import type { ContactFormValues } from './contact-form';
import { useContactStatusOptions } from './contact-status';

export const ContactProfileFields = ({ form }: { form: SchemaForm<ContactFormValues> }) => {
  const t = useT();
  const statuses = useContactStatusOptions();
  return (
    <Grid.Root gap={4}>
      <TextField form={form} path="email" type="email" label={t('contacts.field.email', 'Email')} required />
      <SelectField
        form={form}
        path="status"
        col={6}
        label={t('contacts.field.status', 'Status')}
        hint={t(
          'contacts.field.status.hint',
          'An address that unsubscribed or bounced stays so: it cannot be subscribed again here.',
        )}
        options={statuses}
      />
      <TextField form={form} path="firstName" label={t('contacts.field.firstName', 'First name')} />
      <TextField form={form} path="lastName" label={t('contacts.field.lastName', 'Last name')} />
      <TextField
        form={form}
        path="locale"
        label={t('contacts.field.locale', 'Language')}
        hint={t('contacts.field.locale.hint', 'For example en or fr-CA')}
      />
    </Grid.Root>
  );
};
