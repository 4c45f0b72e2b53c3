// The report builder's options: the period (a preset, custom dates or all time), how the answer is shown, bots and
// machine opens in or out, and the comparison with the previous period.
import { Box, Field, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import type { Dispatch, SetStateAction } from 'react';
import type { ReportDefinition, ReportPeriod, ReportVisualisation } from '../../../../shared/contracts/reports';
import { useT } from '../../hooks/useT';
import { Switch } from '../Switch';
import { PERIOD_PRESETS, fromDateInput, periodChoice, toDateInput } from './definition';
import { useReportNames } from './useReportNames';

const DAY_MS = 24 * 3600_000;

export const ReportOptions = ({
  definition,
  onChange: setDefinition,
  visualisations,
}: {
  definition: ReportDefinition;
  onChange: Dispatch<SetStateAction<ReportDefinition>>;
  visualisations: ReportVisualisation[];
}) => {
  const t = useT();
  const names = useReportNames();
  const { period } = definition.query;
  const choice = periodChoice(period);
  const setQuery = (patch: Partial<ReportDefinition['query']>) =>
    setDefinition((d) => ({ ...d, query: { ...d.query, ...patch } }));
  const setPeriod = (value: string) => {
    if (value === 'all') return setQuery({ period: undefined, compare: false });
    if (value === 'custom') {
      const to = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS);
      return setQuery({ period: { from: new Date(to.getTime() - 30 * DAY_MS).toISOString(), to: to.toISOString() } });
    }
    setQuery({ period: { lastDays: Number(value) } });
  };
  const setBound = (bound: 'from' | 'to', value: string) => {
    const iso = fromDateInput(value, bound === 'to');
    if (!iso || !period || !('from' in period)) return;
    setQuery({ period: { ...period, [bound]: iso } as ReportPeriod });
  };

  return (
    <Box background="neutral0" padding={4} shadow="filterShadow" hasRadius>
      <Flex gap={4} wrap="wrap" alignItems="flex-end">
        <Box width="180px">
          <Field.Root name="period">
            <Field.Label>{t('reports.period', 'Period')}</Field.Label>
            <SingleSelect value={choice} onChange={(value) => setPeriod(String(value))}>
              {PERIOD_PRESETS.map((days) => (
                <SingleSelectOption key={days} value={String(days)}>
                  {t('reports.period.lastDays', 'Last {days} days', { days })}
                </SingleSelectOption>
              ))}
              <SingleSelectOption value="custom">{t('reports.period.custom', 'Custom')}</SingleSelectOption>
              <SingleSelectOption value="all">{t('reports.period.all', 'All time')}</SingleSelectOption>
            </SingleSelect>
          </Field.Root>
        </Box>
        {period && 'from' in period && (
          <>
            <Field.Root name="from">
              <Field.Label>{t('reports.period.from', 'From')}</Field.Label>
              <TextInput
                type="date"
                value={toDateInput(period.from)}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setBound('from', e.target.value)}
              />
            </Field.Root>
            <Field.Root name="to">
              <Field.Label>{t('reports.period.to', 'To (included)')}</Field.Label>
              <TextInput
                type="date"
                value={toDateInput(new Date(new Date(period.to).getTime() - DAY_MS).toISOString())}
                onChange={(e: React.ChangeEvent<HTMLInputElement>) => setBound('to', e.target.value)}
              />
            </Field.Root>
          </>
        )}
        <Box width="180px">
          <Field.Root name="visualisation">
            <Field.Label>{t('reports.visualisation', 'Shown as')}</Field.Label>
            <SingleSelect
              value={definition.visualisation}
              onChange={(value) => setDefinition((d) => ({ ...d, visualisation: value as ReportVisualisation }))}
            >
              {visualisations.map((v) => (
                <SingleSelectOption key={v} value={v}>
                  {names.visualisation(v)}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
        </Box>
        <Flex gap={2} paddingBottom={2}>
          <Switch
            aria-label={t('reports.includeBots', 'Include bots and machine opens')}
            checked={Boolean(definition.query.include?.bots)}
            onCheckedChange={(checked: boolean) => setQuery({ include: { bots: checked, machine: checked } })}
          />
          <Typography>{t('reports.includeBots', 'Include bots and machine opens')}</Typography>
        </Flex>
        <Flex gap={2} paddingBottom={2}>
          <Switch
            aria-label={t('reports.compare', 'Compare with the previous period')}
            checked={Boolean(definition.query.compare)}
            disabled={!period}
            onCheckedChange={(checked: boolean) => setQuery({ compare: checked })}
          />
          <Typography textColor={period ? 'neutral800' : 'neutral500'}>
            {t('reports.compare', 'Compare with the previous period')}
          </Typography>
        </Flex>
      </Flex>
    </Box>
  );
};
