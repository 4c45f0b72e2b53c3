// The report builder's pivot as the admin shows it (admin/src/components/reports/ReportView.tsx over pivot.ts): row
// dimensions down the side, one column per column value and metric, rates as percentages, totals above.
import { screen, within } from '@testing-library/react';
import type { ReportDefinition, ReportQueryResponse } from '../../shared/contracts/reports';
import { ReportView } from '../../admin/src/components/reports/ReportView';
import { renderInAdmin } from './render';

const response = (rows: ReportQueryResponse['data']['rows'], totals: Record<string, number>): ReportQueryResponse => ({
  data: { rows, totals },
  meta: {
    query: { dimensions: [], metrics: [] },
    period: null,
    truncated: false,
    computedAt: '2026-01-01T00:00:00.000Z',
    tookMs: 1,
  },
});

const cells = () =>
  within(screen.getByTestId('report-table'))
    .getAllByRole('row')
    .map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));

describe('the report pivot table', () => {
  it('puts row dimensions down the side and metrics across, with rates as percentages', () => {
    const definition: ReportDefinition = {
      query: { dimensions: ['domain'], metrics: ['uniqueOpens', 'openRate'] },
      visualisation: 'table',
    };
    renderInAdmin(
      <ReportView
        title="Opens by domain"
        definition={definition}
        response={response(
          [
            { dimensions: [{ key: 'gmail.com', label: 'gmail.com' }], metrics: { uniqueOpens: 3, openRate: 0.75 } },
            { dimensions: [{ key: 'example.org', label: 'example.org' }], metrics: { uniqueOpens: 1, openRate: 0.25 } },
          ],
          { uniqueOpens: 4, openRate: 0.5 },
        )}
      />,
    );
    expect(cells()).toEqual([
      ['Recipient domain', 'Unique opens', 'Open rate'],
      ['gmail.com', '3', '75.0 %'],
      ['example.org', '1', '25.0 %'],
    ]);
    expect(screen.getByTestId('report-total-uniqueOpens').textContent).toContain('4');
  });

  it('makes one column per column value, leaving a combination with no row empty', () => {
    const definition: ReportDefinition = {
      query: { dimensions: ['domain', 'device'], metrics: ['opens'] },
      columns: ['device'],
      visualisation: 'table',
    };
    renderInAdmin(
      <ReportView
        title="Opens by domain and device"
        definition={definition}
        response={response(
          [
            {
              dimensions: [
                { key: 'gmail.com', label: 'gmail.com' },
                { key: 'mobile', label: 'mobile' },
              ],
              metrics: { opens: 3 },
            },
            {
              dimensions: [
                { key: 'gmail.com', label: 'gmail.com' },
                { key: 'desktop', label: 'desktop' },
              ],
              metrics: { opens: 5 },
            },
            {
              dimensions: [
                { key: 'example.org', label: 'example.org' },
                { key: 'desktop', label: 'desktop' },
              ],
              metrics: { opens: 7 },
            },
          ],
          { opens: 15 },
        )}
      />,
    );
    const table = cells();
    expect(table[0]).toEqual(['Recipient domain', 'mobile', 'desktop']);
    expect(table[1]).toEqual(['gmail.com', '3', '5']);
    expect(table[2][0]).toBe('example.org');
    expect(table[2][2]).toBe('7');
    expect(table[2][1]).not.toBe('0');
  });

  it('says so when the period has no event', () => {
    const definition: ReportDefinition = {
      query: { dimensions: ['domain'], metrics: ['opens'] },
      visualisation: 'table',
    };
    renderInAdmin(<ReportView title="Empty" definition={definition} response={response([], { opens: 0 })} />);
    expect(screen.getByText('No event in this period.')).toBeTruthy();
  });
});
