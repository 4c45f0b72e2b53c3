// Settings > Sign-up: what the public sign-up route accepts (the rules are shared/config-schema.ts's `subscribe`).
import { Grid } from '@strapi/design-system';
import { useT } from '../../hooks/useT';
import { Section } from '../Section';
import { ListField, NumberField, ToggleField } from '../form/fields';
import type { SchemaForm } from '../form/useSchemaForm';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the settings form's values are read by path
export const SubscribeSection = ({ form: fields }: { form: SchemaForm<any> }) => {
  const t = useT();
  return (
    <Section
      title={t('settings.subscribe', 'Sign-up')}
      description={t(
        'settings.subscribe.description',
        'The public sign-up route: what a form may set, how long a confirmation link lasts, and how often one address or one client may sign up.',
      )}
    >
      <Grid.Root gap={4}>
        <ListField
          form={fields}
          path="subscribe.attributes"
          col={8}
          label={t('settings.subscribe.attributes', 'Attributes a form may set')}
          hint={t('settings.subscribe.attributes.hint', 'Attribute keys, separated by commas; any other is refused')}
        />
        <ToggleField
          form={fields}
          path="subscribe.storeConsentIp"
          label={t('settings.subscribe.storeConsentIp', 'Keep the IP address in consent records')}
        />
        <NumberField
          form={fields}
          path="subscribe.confirmationHours"
          label={t('settings.subscribe.confirmationHours', 'Confirmation links last (hours)')}
        />
        <NumberField
          form={fields}
          path="subscribe.rateLimit.perAddress.max"
          label={t('settings.subscribe.perAddress', 'Sign-ups per address')}
        />
        <NumberField
          form={fields}
          path="subscribe.rateLimit.perAddress.windowSeconds"
          label={t('settings.subscribe.perAddressWindow', 'Address window (seconds)')}
        />
        <NumberField
          form={fields}
          path="subscribe.rateLimit.perIp.max"
          label={t('settings.subscribe.perIp', 'Sign-ups per client IP')}
        />
        <NumberField
          form={fields}
          path="subscribe.rateLimit.perIp.windowSeconds"
          label={t('settings.subscribe.perIpWindow', 'IP window (seconds)')}
        />
      </Grid.Root>
    </Section>
  );
};
