// Settings > Alerts: each criterion switched on or off, with its threshold where it has one (the criteria and their
// defaults are shared/config-schema.ts's alertsSchema).
import { Box, Flex, NumberInput, Typography } from '@strapi/design-system';
import { useT } from '../../hooks/useT';
import { Switch } from '../Switch';
import type { SchemaForm } from '../form/useSchemaForm';

const CRITERIA: Array<{ key: string; label: string; threshold?: { key: string; label: string } }> = [
  { key: 'deliveryFailed', label: 'Delivery failed' },
  { key: 'preparationFailed', label: 'Preparation failed' },
  { key: 'softBounceRatio', label: 'Soft bounces above', threshold: { key: 'percent', label: '% of processed' } },
  { key: 'hardBounceRatio', label: 'Hard bounces above', threshold: { key: 'percent', label: '% of processed' } },
  {
    key: 'scheduledNotStarted',
    label: 'Scheduled delivery not started after',
    threshold: { key: 'delayMinutes', label: 'minutes' },
  },
  { key: 'throughputBelow', label: 'Throughput below', threshold: { key: 'perMinute', label: 'messages per minute' } },
  { key: 'deliveryStarted', label: 'Delivery started' },
  { key: 'deliveryFinished', label: 'Delivery finished (with a summary)' },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the settings form's values are read by path
export const AlertCriteria = ({ form }: { form: SchemaForm<any> }) => {
  const t = useT();
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      {CRITERIA.map((criterion) => {
        const threshold = criterion.threshold;
        const thresholdPath = threshold ? `alerts.criteria.${criterion.key}.${threshold.key}` : '';
        return (
          <Flex key={criterion.key} gap={4} alignItems="center">
            <Switch
              aria-label={t(`settings.alerts.criterion.${criterion.key}`, criterion.label)}
              checked={Boolean(form.get(`alerts.criteria.${criterion.key}.enabled`))}
              onCheckedChange={(checked: boolean) => form.set(`alerts.criteria.${criterion.key}.enabled`, checked)}
            />
            <Typography>{t(`settings.alerts.criterion.${criterion.key}`, criterion.label)}</Typography>
            {threshold && (
              <Flex gap={2} alignItems="center">
                <Box width="120px">
                  <NumberInput
                    aria-label={`${criterion.label} (${threshold.label})`}
                    value={(form.get(thresholdPath) as number | undefined) ?? undefined}
                    onValueChange={(value) => form.set(thresholdPath, value ?? 0)}
                    hasError={Boolean(form.errors[thresholdPath])}
                  />
                </Box>
                <Typography textColor="neutral600">
                  {t(`settings.alerts.unit.${threshold.key}`, threshold.label)}
                </Typography>
                {form.errors[thresholdPath] && (
                  <Typography variant="pi" textColor="danger600">
                    {form.errors[thresholdPath]}
                  </Typography>
                )}
              </Flex>
            )}
          </Flex>
        );
      })}
    </Flex>
  );
};
