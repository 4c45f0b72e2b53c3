// The A/B test of a delivery's subject: the other subjects (variant A is the subject above), the share of the audience
// the test goes to, the winning metric, the wait before the winner goes to the rest, and whether it goes by itself.
import { Grid } from '@strapi/design-system';
import { AB_METRICS, type AbTest } from '../../../../shared/ab-test';
import { useT } from '../../hooks/useT';
import type { FieldBinding } from '../form/binding';
import { NumberField, SelectField, TextField, ToggleField } from '../form/fields';
import { Section } from '../Section';

/** A new test: one other subject, 20% of the audience, decided on opens after four hours. */
export const NEW_AB_TEST: AbTest = { subjects: [''], share: 20, metric: 'opens', waitMinutes: 240, autoSend: true };

export const AbTestSection = ({ fields, abTest }: { fields: FieldBinding; abTest: AbTest | null }) => {
  const t = useT();
  const toggle: FieldBinding = {
    ...fields,
    get: () => abTest !== null,
    set: (_path, on) => fields.set('abTest', on ? NEW_AB_TEST : null),
  };
  // One subject per line (a subject may hold commas and spaces), the first problem of any shown under the field.
  const subjects: FieldBinding = {
    ...fields,
    get: () => abTest?.subjects.join('\n') ?? '',
    set: (_path, text) => fields.set('abTest.subjects', String(text ?? '').split('\n')),
    errors: {
      'abTest.subjects': Object.entries(fields.errors).find(([path]) => path.startsWith('abTest.subjects'))?.[1] ?? '',
    },
  };
  const metricLabels: Record<(typeof AB_METRICS)[number], string> = {
    opens: t('abTest.metric.opens', 'Unique human opens'),
    clicks: t('abTest.metric.clicks', 'Unique clicks'),
    clicksPerOpen: t('abTest.metric.clicksPerOpen', 'Clicks per open'),
  };
  return (
    <Section
      title={t('abTest.title', 'A/B test')}
      description={t(
        'abTest.description',
        'Send 2 to 4 subjects to a share of the audience, then the best one to the rest.',
      )}
    >
      <Grid.Root gap={4}>
        <ToggleField form={toggle} path="abTest.on" label={t('abTest.enabled', 'Test subjects')} col={12} />
        {abTest && (
          <>
            <TextField
              form={subjects}
              path="abTest.subjects"
              multiline
              label={t('abTest.subjects', 'Other subjects (B, C, D)')}
              hint={t('abTest.subjects.hint', 'One per line; variant A is the subject above')}
              col={12}
            />
            <NumberField
              form={fields}
              path="abTest.share"
              label={t('abTest.share', 'Test share (%)')}
              hint={t('abTest.share.hint', 'Of the audience, split evenly between the variants')}
            />
            <SelectField
              form={fields}
              path="abTest.metric"
              label={t('abTest.metric', 'Winning metric')}
              options={AB_METRICS.map((metric) => ({ value: metric, label: metricLabels[metric] }))}
            />
            <NumberField
              form={fields}
              path="abTest.waitMinutes"
              label={t('abTest.waitMinutes', 'Wait (minutes)')}
              hint={t('abTest.waitMinutes.hint', 'After the test is sent')}
            />
            <ToggleField
              form={fields}
              path="abTest.autoSend"
              label={t('abTest.autoSend', 'Send the winner by itself')}
              hint={t('abTest.autoSend.hint', 'Off: an editor picks it on the dashboard')}
              col={12}
            />
          </>
        )}
      </Grid.Root>
    </Section>
  );
};
