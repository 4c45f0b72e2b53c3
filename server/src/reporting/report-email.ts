// A saved report as an email: its figures as an HTML table (and plain text) in the body, the same rows as a CSV
// attachment, and a link to the report in the admin. Pure: the schedules service (report-schedules.ts) runs the
// query and sends.
import type { ReportQuery, ReportResult, ReportMetric } from '../../../shared/contracts/reports';
import { csvFilename, csvLine } from '../../../shared/csv';
import { escapeHtml } from '../sending/template';
import { metricKind } from './report-metrics';

const words = (id: string) => {
  const spaced = id.replace(/([A-Z])/g, ' $1').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
};

const formatMetric = (metric: ReportMetric, value: number | undefined) => {
  if (value === undefined || value === null) return '';
  return metricKind(metric) === 'rate' ? `${(value * 100).toFixed(1)}%` : value.toLocaleString('en');
};

export interface ReportEmail {
  subject: string;
  html: string;
  text: string;
  csv: { filename: string; content: string };
}

export const reportEmail = (input: {
  name: string;
  query: ReportQuery;
  result: ReportResult;
  period: { from: string; to: string } | null;
  link: string;
  truncated: boolean;
}): ReportEmail => {
  const { name, query, result, period, link } = input;
  const header = [...query.dimensions.map(words), ...query.metrics.map(words)];
  const rows = result.rows.map((row) => [
    ...row.dimensions.map((value) => value.label),
    ...query.metrics.map((metric) => formatMetric(metric, row.metrics[metric])),
  ]);
  const totals = [
    ...query.dimensions.map((_, index) => (index === 0 ? 'Total' : '')),
    ...query.metrics.map((metric) => formatMetric(metric, result.totals[metric])),
  ];
  const periodText = period ? `${period.from.slice(0, 10)} to ${period.to.slice(0, 10)}` : 'all time';
  const note = input.truncated ? ' (the first rows only: open the report for all of them)' : '';

  const cell = (value: string, tag: 'td' | 'th', right: boolean) =>
    `<${tag} style="padding:6px 10px;border-bottom:1px solid #dcdce4;text-align:${right ? 'right' : 'left'}">${escapeHtml(value)}</${tag}>`;
  const line = (cells: string[], tag: 'td' | 'th') =>
    `<tr>${cells.map((value, index) => cell(value, tag, index >= query.dimensions.length)).join('')}</tr>`;
  const html = [
    '<div style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#32324d">',
    `<h1 style="font-size:18px">${escapeHtml(name)}</h1>`,
    `<p style="color:#666687">${escapeHtml(`Period: ${periodText}. ${result.rows.length} rows${note}.`)}</p>`,
    '<table style="border-collapse:collapse;font-size:13px">',
    line(header, 'th'),
    ...rows.map((row) => line(row, 'td')),
    line(totals, 'th'),
    '</table>',
    `<p><a href="${escapeHtml(link)}">Open the report</a> · the figures are attached as CSV.</p>`,
    '</div>',
  ].join('\n');
  const text = [
    name,
    `Period: ${periodText}. ${result.rows.length} rows${note}.`,
    '',
    ...[header, ...rows, totals].map((cells) => cells.join(' | ')),
    '',
    `Open the report: ${link}`,
  ].join('\n');
  const csvRows = result.rows.map((row) => [
    ...row.dimensions.map((value) => value.label),
    ...query.metrics.map((metric) => row.metrics[metric] ?? ''),
  ]);
  return {
    subject: `${name}: ${periodText}`,
    html,
    text,
    csv: {
      filename: csvFilename(name, 'report'),
      content: [header, ...csvRows].map(csvLine).join(''),
    },
  };
};
