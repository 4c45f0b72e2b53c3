// The report builder's pure parts: what dropping, moving and removing items in the zones does to the definition, the
// query it runs, the rows pivoted into chart series, and the CSV export.
import type { ReportDefinition, ReportResult } from '../../shared/contracts/reports';
import {
  accepts,
  addTo,
  emptyDefinition,
  fromDateInput,
  moveWithin,
  periodChoice,
  removeFrom,
  runnableQuery,
  setFilterValues,
  zonesOf,
} from '../../admin/src/components/reports/definition';
import { changeOf, pivot, reportCsv, reportFilename } from '../../admin/src/components/reports/pivot';

const dim = (id: any) => ({ kind: 'dimension' as const, id });
const met = (id: any) => ({ kind: 'metric' as const, id });
const build = (...steps: Array<(d: ReportDefinition) => ReportDefinition>) =>
  steps.reduce((d, step) => step(d), emptyDefinition());

describe('the builder zones', () => {
  it('puts dimensions into rows or columns, metrics into metrics, and keeps the query dimensions rows first', () => {
    const d = build(
      (x) => addTo(x, 'rows', dim('day')),
      (x) => addTo(x, 'columns', dim('device')),
      (x) => addTo(x, 'rows', dim('delivery')),
      (x) => addTo(x, 'metrics', met('uniqueOpens')),
    );
    expect(zonesOf(d)).toMatchObject({ rows: ['day', 'delivery'], columns: ['device'], metrics: ['uniqueOpens'] });
    expect(d.query.dimensions).toEqual(['day', 'delivery', 'device']);
    expect(d.columns).toEqual(['device']);
  });

  it('moves a dimension from rows to columns instead of placing it twice', () => {
    const d = build(
      (x) => addTo(x, 'rows', dim('day')),
      (x) => addTo(x, 'columns', dim('day')),
    );
    expect(zonesOf(d)).toMatchObject({ rows: [], columns: ['day'] });
    expect(d.query.dimensions).toEqual(['day']);
  });

  it.each([
    ['metrics', dim('day'), false],
    ['rows', met('clicks'), false],
    ['filters', dim('day'), false],
    ['filters', dim('domain'), true],
    ['columns', dim('os'), true],
  ] as const)('zone %s accepts %p: %p', (zone, item, ok) => {
    expect(accepts(zone, item, emptyDefinition())).toBe(ok);
    if (!ok) expect(addTo(emptyDefinition(), zone, item)).toEqual(emptyDefinition());
  });

  it('refuses a fourth dimension', () => {
    const d = build(...['day', 'device', 'os'].map((id) => (x: ReportDefinition) => addTo(x, 'rows', dim(id))));
    expect(accepts('rows', dim('client'), d)).toBe(false);
    expect(addTo(d, 'columns', dim('client')).query.dimensions).toEqual(['day', 'device', 'os']);
    // Moving one already placed is still allowed.
    expect(addTo(d, 'columns', dim('day')).columns).toEqual(['day']);
  });

  it('reorders and removes items, at the ends too', () => {
    let d = build(
      (x) => addTo(x, 'metrics', met('opens')),
      (x) => addTo(x, 'metrics', met('clicks')),
      (x) => addTo(x, 'metrics', met('openRate')),
    );
    d = moveWithin(d, 'metrics', 'openRate', -1);
    expect(d.query.metrics).toEqual(['opens', 'openRate', 'clicks']);
    expect(moveWithin(d, 'metrics', 'opens', -1).query.metrics).toEqual(['opens', 'openRate', 'clicks']);
    expect(moveWithin(d, 'metrics', 'clicks', 1).query.metrics).toEqual(['opens', 'openRate', 'clicks']);
    expect(removeFrom(d, 'metrics', 'openRate').query.metrics).toEqual(['opens', 'clicks']);
    const rows = build(
      (x) => addTo(x, 'rows', dim('day')),
      (x) => addTo(x, 'rows', dim('os')),
    );
    expect(moveWithin(rows, 'rows', 'os', -1).query.dimensions).toEqual(['os', 'day']);
    expect(removeFrom(rows, 'rows', 'day').query.dimensions).toEqual(['os']);
  });

  it('adds a filter empty, sets its values, runs without the empty ones, and removes it', () => {
    let d = build(
      (x) => addTo(x, 'metrics', met('clicks')),
      (x) => addTo(x, 'filters', dim('domain')),
      (x) => addTo(x, 'filters', dim('delivery')),
    );
    expect(zonesOf(d).filters).toEqual(['delivery', 'domain']);
    d = setFilterValues(d, 'domains', ['example.com']);
    expect(runnableQuery(d)!.filters).toEqual({ domains: ['example.com'] });
    d = removeFrom(d, 'filters', 'domain');
    expect(runnableQuery(d)!.filters).toBeUndefined();
    expect(zonesOf(d).filters).toEqual(['delivery']);
  });

  it('runs nothing without a metric, and compares only over a period', () => {
    expect(runnableQuery(emptyDefinition())).toBeNull();
    const d = build((x) => addTo(x, 'metrics', met('clicks')));
    expect(runnableQuery({ ...d, query: { ...d.query, compare: true } })!.compare).toBe(true);
    expect(runnableQuery({ ...d, query: { ...d.query, compare: true, period: undefined } })!.compare).toBe(false);
  });

  it('reads the period picker choice and date inputs', () => {
    expect(periodChoice({ lastDays: 7 })).toBe('7');
    expect(periodChoice({ lastDays: 12 })).toBe('custom');
    expect(periodChoice({ from: 'a', to: 'b' })).toBe('custom');
    expect(periodChoice(undefined)).toBe('all');
    expect(fromDateInput('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(fromDateInput('2026-03-01', true)).toBe('2026-03-02T00:00:00.000Z');
    expect(fromDateInput('nope')).toBeNull();
  });
});

describe('pivoting rows into chart series', () => {
  const names = { metric: (id: string) => id.toUpperCase(), allLabel: 'All' };
  const v = (key: string) => ({ key, label: `L-${key}` });
  const result: ReportResult = {
    rows: [
      { dimensions: [v('d1'), v('mobile')], metrics: { opens: 3, clicks: 1 } },
      { dimensions: [v('d1'), v('desktop')], metrics: { opens: 5, clicks: 2 } },
      { dimensions: [v('d2'), v('desktop')], metrics: { opens: 7, clicks: 0 } },
    ],
    totals: { opens: 15, clicks: 3 },
  };
  const definition = (columns: any[], metrics: any[] = ['opens']): ReportDefinition => ({
    query: { dimensions: ['day', 'device'], metrics },
    visualisation: 'bar',
    columns,
  });

  it('makes one series per metric when nothing is in columns, joining the row dimensions in labels', () => {
    expect(pivot(result, definition([], ['opens', 'clicks']), names)).toEqual({
      labels: ['L-d1 · L-mobile', 'L-d1 · L-desktop', 'L-d2 · L-desktop'],
      series: [
        { label: 'OPENS', metric: 'opens', data: [3, 5, 7] },
        { label: 'CLICKS', metric: 'clicks', data: [1, 2, 0] },
      ],
    });
  });

  it('makes one series per column value, with null where a combination has no row', () => {
    expect(pivot(result, definition(['device']), names)).toEqual({
      labels: ['L-d1', 'L-d2'],
      series: [
        { label: 'L-mobile', metric: 'opens', data: [3, null] },
        { label: 'L-desktop', metric: 'opens', data: [5, 7] },
      ],
    });
  });

  it('names series by column value and metric when there are several metrics', () => {
    expect(pivot(result, definition(['device'], ['opens', 'clicks']), names).series.map((s) => s.label)).toEqual([
      'L-mobile · OPENS',
      'L-mobile · CLICKS',
      'L-desktop · OPENS',
      'L-desktop · CLICKS',
    ]);
  });

  it('has a single label when every dimension is a column, or there is none', () => {
    expect(
      pivot(
        { rows: [{ dimensions: [], metrics: { opens: 4 } }], totals: { opens: 4 } },
        { query: { dimensions: [], metrics: ['opens'] }, visualisation: 'kpi' },
        names,
      ),
    ).toEqual({
      labels: ['All'],
      series: [{ label: 'OPENS', metric: 'opens', data: [4] }],
    });
  });

  it('computes the change from the previous period, or none', () => {
    expect(changeOf(15, 10)).toBe(0.5);
    expect(changeOf(5, 10)).toBe(-0.5);
    expect(changeOf(5, 0)).toBeNull();
    expect(changeOf(undefined, 3)).toBeNull();
  });
});

describe('the CSV export', () => {
  const names = { dimension: (id: string) => `D:${id}`, metric: (id: string) => `M:${id}`, total: 'Total' };

  it('writes a header, one line per row and the totals, with rates as ratios', () => {
    const csv = reportCsv(
      {
        rows: [
          { dimensions: [{ key: 'a', label: 'gmail.com' }], metrics: { uniqueOpens: 3, openRate: 0.75 } },
          { dimensions: [{ key: 'b', label: 'Shop, "spring"' }], metrics: { uniqueOpens: 1 } },
        ],
        totals: { uniqueOpens: 4, openRate: 0.5 },
      },
      { query: { dimensions: ['domain'], metrics: ['uniqueOpens', 'openRate'] }, visualisation: 'table' },
      names,
    );
    expect(csv).toBe(
      'D:domain,M:uniqueOpens,M:openRate\r\ngmail.com,3,0.75\r\n"Shop, ""spring""",1,\r\nTotal,4,0.5\r\n',
    );
  });

  it('neutralises cells a spreadsheet would run as a formula', () => {
    const csv = reportCsv(
      {
        rows: ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)'].map((label) => ({
          dimensions: [{ key: label, label }],
          metrics: { clicks: -1 },
        })),
        totals: { clicks: -4 },
      },
      { query: { dimensions: ['link'], metrics: ['clicks'] }, visualisation: 'table' },
      names,
    );
    expect(csv.split('\r\n').slice(1, 5)).toEqual([`"'=HYPERLINK(""x"")",-1`, "'+1,-1", "'-2,-1", "'@SUM(A1),-1"]);
  });

  it('names files after the report', () => {
    expect(reportFilename('Opens by day / 2026', 'csv')).toBe('Opens-by-day-2026.csv');
    expect(reportFilename('***', 'png')).toBe('report.png');
  });
});
