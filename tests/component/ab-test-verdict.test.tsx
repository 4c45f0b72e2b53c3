// The note above an A/B test's variants (admin/src/components/dashboard/AbTestVerdict.tsx): a tie names the variant
// that would win it, a lead without a significant difference says it may be chance, a significant one says nothing.
import { screen } from '@testing-library/react';
import type { AbTestResults, VariantResult } from '../../shared/contracts/ab-tests';
import { AbTestVerdict } from '../../admin/src/components/dashboard/AbTestVerdict';
import { renderInAdmin } from './render';

const variant = (index: number, rate: number, extra: Partial<VariantResult> = {}): VariantResult => ({
  variant: index,
  subject: `Subject ${index}`,
  recipients: 100,
  sent: 100,
  pending: 0,
  opened: 0,
  clicked: Math.round(rate * 100),
  rate,
  confidence: null,
  significant: false,
  ...extra,
});

const results = (variants: VariantResult[], leader = 0): AbTestResults => ({
  test: { subjects: ['Other'], share: 40, metric: 'clicks', waitMinutes: 60, autoSend: false },
  variants,
  leader,
  winner: null,
  winnerAt: null,
  rest: 600,
  testSentAt: null,
  decidesAt: null,
});

describe('the A/B test verdict', () => {
  it('says the variants are tied, and which one a send now would pick', () => {
    renderInAdmin(<AbTestVerdict results={results([variant(0, 0), variant(1, 0)])} />);
    expect(screen.getByTestId('ab-tied').textContent).toBe(
      'The variants are tied so far: the winner sent now would be variant A.',
    );
    expect(screen.queryByTestId('ab-not-significant')).toBeNull();
  });

  it('warns that a lead under 95% confidence may be chance', () => {
    renderInAdmin(<AbTestVerdict results={results([variant(0, 0.02), variant(1, 0.03, { confidence: 0.6 })], 1)} />);
    expect(screen.getByTestId('ab-not-significant').textContent).toMatch(/may be ahead by chance/);
    expect(screen.queryByTestId('ab-tied')).toBeNull();
  });

  it('says nothing once a difference is significant, or before anything is sent', () => {
    const { container, unmount } = renderInAdmin(
      <AbTestVerdict
        results={results([variant(0, 0.02), variant(1, 0.09, { confidence: 0.99, significant: true })], 1)}
      />,
    );
    expect(container.textContent).toBe('');
    unmount();
    const unsent = renderInAdmin(
      <AbTestVerdict results={results([variant(0, 0, { sent: 0 }), variant(1, 0, { sent: 0 })])} />,
    );
    expect(unsent.container.textContent).toBe('');
  });

  it('speaks French in a French admin', () => {
    renderInAdmin(<AbTestVerdict results={results([variant(0, 0), variant(1, 0)])} />, 'fr');
    expect(screen.getByTestId('ab-tied').textContent).toMatch(/à égalité.*variante A/);
  });
});
