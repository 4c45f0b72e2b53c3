// Settings > Sending, and what happens when the relay fails (the rules are shared/config-schema.ts's `sending`).
import { Grid } from '@strapi/design-system';
import { useT } from '../../hooks/useT';
import { Section } from '../Section';
import { NumberField, ToggleField } from '../form/fields';
import type { SchemaForm } from '../form/useSchemaForm';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the settings form's values are read by path
export const SendingSections = ({ form: fields }: { form: SchemaForm<any> }) => {
  const t = useT();
  return (
    <>
      <Section title={t('settings.sending', 'Sending')}>
        <Grid.Root gap={4}>
          <NumberField
            form={fields}
            path="sending.batchSize"
            label={t('settings.sending.batchSize', 'Recipients per batch')}
          />
          <NumberField
            form={fields}
            path="sending.maxAttempts"
            label={t('settings.sending.maxAttempts', 'Attempts for a soft failure')}
          />
          <NumberField
            form={fields}
            path="sending.retryBaseMs"
            label={t('settings.sending.retryBaseMs', 'First retry after (ms)')}
            hint={t('settings.sending.retryBaseMs.hint', 'Doubles at each attempt')}
          />
          <NumberField
            form={fields}
            path="sending.largeDeliveryThreshold"
            label={t('settings.sending.largeDeliveryThreshold', 'Large delivery above (recipients)')}
          />
          <NumberField
            form={fields}
            path="sending.staggerMinutes"
            label={t('settings.sending.staggerMinutes', 'Gap between large deliveries (minutes)')}
          />
        </Grid.Root>
      </Section>

      <Section
        title={t('settings.outage', 'When the relay fails')}
        description={t(
          'settings.outage.description',
          'Recipients keep their attempts while the relay is down, refuses the login or the sender: the delivery pauses and the relay is tried again.',
        )}
      >
        <Grid.Root gap={4}>
          <NumberField
            form={fields}
            path="sending.outage.pauseAfter"
            label={t('settings.outage.pauseAfter', 'Pause after (relay failures in a row)')}
          />
          <NumberField
            form={fields}
            path="sending.outage.probeFirstSeconds"
            label={t('settings.outage.probeFirstSeconds', 'First try again after (seconds)')}
          />
          <NumberField
            form={fields}
            path="sending.outage.probeMaxSeconds"
            label={t('settings.outage.probeMaxSeconds', 'Longest wait between tries (seconds)')}
          />
          <ToggleField
            form={fields}
            path="sending.outage.autoResume"
            label={t('settings.outage.autoResume', 'Resume by itself when the relay answers')}
          />
          <NumberField
            form={fields}
            path="sending.outage.failAfterHours"
            label={t('settings.outage.failAfterHours', 'Give up after (hours)')}
            hint={t(
              'settings.outage.failAfterHours.hint',
              'Then the delivery ends failed, its recipients still pending: retry it once the relay is fixed',
            )}
          />
        </Grid.Root>
      </Section>
    </>
  );
};
