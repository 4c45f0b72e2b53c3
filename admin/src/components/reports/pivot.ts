// A report's answer reshaped for people: rows pivoted into chart labels and series (one series per metric, or per
// column value and metric), and the rows as a CSV file. Pure: the chart, the table and the export all read this.
import { csvLine } from '../../../../shared/csv';
import type { ReportDefinition, ReportMetric, ReportResult } from '../../../../shared/contracts/reports';

export interface PivotSeries {
  /** The column values (joined) and the metric, as shown in the legend. */
  label: string;
  metric: ReportMetric;
  /** One value per label; null where no row has that combination. */
  data: Array<number | null>;
}

export interface Pivot {
  /** The row dimensions' values, joined with " · ", in the order the rows came. */
  labels: string[];
  series: PivotSeries[];
}

const JOIN = ' · ';

/**
 * Splits each row's dimension values into the row part (labels) and the column part (series): the query's dimensions
 * in `definition.columns` become series, the others labels. With no row dimension there is one label, `allLabel`.
 */
export const pivot = (
  result: ReportResult,
  definition: ReportDefinition,
  names: { metric: (id: ReportMetric) => string; allLabel: string },
): Pivot => {
  const dimensions = definition.query.dimensions;
  const metrics = definition.query.metrics;
  const columns = new Set(definition.columns ?? []);
  const rowIndexes = dimensions.map((d, i) => (columns.has(d) ? -1 : i)).filter((i) => i >= 0);
  const columnIndexes = dimensions.map((d, i) => (columns.has(d) ? i : -1)).filter((i) => i >= 0);

  const labels: string[] = [];
  const labelAt = new Map<string, number>();
  const columnKeys: Array<{ key: string; label: string }> = [];
  const columnSeen = new Set<string>();
  const cells = new Map<string, Partial<Record<ReportMetric, number>>>();

  for (const row of result.rows) {
    const rowKey = rowIndexes.map((i) => row.dimensions[i]?.key ?? '').join('\u0000');
    const rowLabel = rowIndexes.length
      ? rowIndexes.map((i) => row.dimensions[i]?.label ?? '').join(JOIN)
      : names.allLabel;
    if (!labelAt.has(rowKey)) {
      labelAt.set(rowKey, labels.length);
      labels.push(rowLabel);
    }
    const columnKey = columnIndexes.map((i) => row.dimensions[i]?.key ?? '').join('\u0000');
    if (!columnSeen.has(columnKey)) {
      columnSeen.add(columnKey);
      columnKeys.push({ key: columnKey, label: columnIndexes.map((i) => row.dimensions[i]?.label ?? '').join(JOIN) });
    }
    cells.set(`${rowKey}\u0001${columnKey}`, row.metrics);
  }

  const rowKeys = [...labelAt.keys()];
  const series: PivotSeries[] = [];
  for (const column of columnIndexes.length ? columnKeys : [{ key: '', label: '' }]) {
    for (const metric of metrics) {
      const label = !columnIndexes.length
        ? names.metric(metric)
        : metrics.length > 1
          ? `${column.label}${JOIN}${names.metric(metric)}`
          : column.label;
      series.push({
        label,
        metric,
        data: rowKeys.map((rowKey) => cells.get(`${rowKey}\u0001${column.key}`)?.[metric] ?? null),
      });
    }
  }
  return { labels, series };
};

/**
 * The answer as CSV: one line per row with the dimension labels then the metrics, and a totals line. Rates stay
 * ratios (0.4215); text cells that a spreadsheet would run as a formula get a leading quote.
 */
export const reportCsv = (
  result: ReportResult,
  definition: ReportDefinition,
  names: { dimension: (id: string) => string; metric: (id: ReportMetric) => string; total: string },
): string => {
  const { dimensions, metrics } = definition.query;
  const lines = [csvLine([...dimensions.map(names.dimension), ...metrics.map(names.metric)])];
  for (const row of result.rows) {
    lines.push(
      csvLine([
        ...dimensions.map((_, i) => row.dimensions[i]?.label ?? ''),
        ...metrics.map((m) => row.metrics[m] ?? ''),
      ]),
    );
  }
  lines.push(
    csvLine([...dimensions.map((_, i) => (i === 0 ? names.total : '')), ...metrics.map((m) => result.totals[m] ?? '')]),
  );
  return lines.join('');
};

/** A file name made of the report's name: letters, digits, - and _ only. */
export const reportFilename = (name: string, extension: 'csv' | 'png') =>
  `${
    name
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'report'
  }.${extension}`;

/** The change from the previous period, as a ratio of the previous value; null when there is nothing to compare. */
export const changeOf = (current: number | undefined, previous: number | undefined): number | null =>
  current == null || previous == null || previous === 0 ? null : (current - previous) / previous;
