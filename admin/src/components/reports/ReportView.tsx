// A report's answer shown as the chosen visualisation: a pivot table, a chart (line, area, bar, stacked bar, donut)
// or KPI cards, with the totals (and their change from the previous period when compared) above.
import { Box, Flex, Grid, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { ReportDefinition, ReportMetric, ReportQueryResponse } from '../../../../shared/contracts/reports';
import { formatNumber, formatPercent } from '../../utils/format';
import { Chart, type ChartType } from '../Chart';
import { IndicatorCard } from '../dashboard/IndicatorCard';
import { isRate } from './definition';
import { changeOf, pivot, type Pivot } from './pivot';
import { useReportNames } from './useReportNames';
import { useT } from '../../hooks/useT';

export const formatMetric = (metric: string, value: number | null | undefined) =>
  isRate(metric) ? formatPercent(value) : formatNumber(value);

/** The pivot as a table of strings: the header (row dimensions, then one column per series) and one line per label. */
export const pivotTable = (data: Pivot, rowHeader: string) => ({
  header: [rowHeader, ...data.series.map((s) => s.label)],
  rows: data.labels.map((label, i) => [label, ...data.series.map((s) => formatMetric(s.metric, s.data[i]))]),
});

const CHART_TYPES: Record<string, ChartType> = {
  line: 'line',
  area: 'area',
  bar: 'bar',
  stackedBar: 'stackedBar',
  donut: 'donut',
};

export const useReportPivot = (definition: ReportDefinition, response: ReportQueryResponse | undefined) => {
  const t = useT();
  const names = useReportNames();
  if (!response) return null;
  const data = pivot(response.data, definition, {
    metric: names.metric,
    allLabel: t('reports.all', 'All'),
  });
  const rowDimensions = definition.query.dimensions.filter((d) => !(definition.columns ?? []).includes(d));
  const rowHeader = rowDimensions.map(names.dimension).join(' · ') || t('reports.all', 'All');
  return { data, rowHeader, table: pivotTable(data, rowHeader) };
};

const Totals = ({
  definition,
  response,
  large,
}: {
  definition: ReportDefinition;
  response: ReportQueryResponse;
  large: boolean;
}) => {
  const t = useT();
  const names = useReportNames();
  const previous = response.data.previous;
  return (
    <Grid.Root gap={3}>
      {definition.query.metrics.map((metric: ReportMetric) => {
        const value = response.data.totals[metric];
        const change = previous ? changeOf(value, previous.totals[metric]) : null;
        const detail = previous
          ? change === null
            ? t('reports.previous.value', 'Previous period: {value}', {
                value: formatMetric(metric, previous.totals[metric]),
              })
            : t('reports.previous.change', '{change} vs previous period ({value})', {
                change: `${change >= 0 ? '+' : ''}${formatPercent(change)}`,
                value: formatMetric(metric, previous.totals[metric]),
              })
          : undefined;
        return (
          <Grid.Item key={metric} col={large ? 4 : 3} s={6} xs={12} direction="column" alignItems="stretch">
            <IndicatorCard
              label={names.metric(metric)}
              value={formatMetric(metric, value)}
              detail={detail}
              tone={change === null ? 'neutral' : change >= 0 ? 'success' : 'danger'}
              testId={`report-total-${metric}`}
            />
          </Grid.Item>
        );
      })}
    </Grid.Root>
  );
};

export const ReportView = ({
  definition,
  response,
  title,
}: {
  definition: ReportDefinition;
  response: ReportQueryResponse;
  title: string;
}) => {
  const t = useT();
  const view = useReportPivot(definition, response);
  const { visualisation } = definition;
  if (!view) return null;
  if (visualisation === 'kpi') return <Totals definition={definition} response={response} large />;

  const empty = response.data.rows.length === 0;
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Totals definition={definition} response={response} large={false} />
      {empty ? (
        <Box padding={6}>
          <Typography textColor="neutral600">{t('reports.result.empty', 'No event in this period.')}</Typography>
        </Box>
      ) : visualisation === 'table' ? (
        <Box overflow="auto">
          <Table colCount={view.table.header.length} rowCount={view.table.rows.length + 1} data-testid="report-table">
            <Thead>
              <Tr>
                {view.table.header.map((cell, i) => (
                  <Th key={i}>
                    <Typography variant="sigma">{cell}</Typography>
                  </Th>
                ))}
              </Tr>
            </Thead>
            <Tbody>
              {view.table.rows.map((row, r) => (
                <Tr key={r}>
                  {row.map((cell, i) => (
                    <Td key={i}>
                      <Typography fontWeight={i === 0 ? 'semiBold' : undefined}>{cell}</Typography>
                    </Td>
                  ))}
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      ) : (
        <Chart
          type={CHART_TYPES[visualisation] ?? 'bar'}
          ariaLabel={title}
          height={340}
          labels={view.data.labels}
          series={view.data.series.map((s) => ({ label: s.label, data: s.data, percent: isRate(s.metric) }))}
        />
      )}
      {response.meta.truncated && (
        <Typography variant="pi" textColor="warning600">
          {t('reports.result.truncated', 'Only the first rows are shown; the totals cover every row.')}
        </Typography>
      )}
    </Flex>
  );
};
