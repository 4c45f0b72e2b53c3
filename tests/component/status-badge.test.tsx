// The delivery status badge (admin/src/components/DeliveryStatusBadge.tsx): a readable label for every status, in
// the admin's language.
import { screen } from '@testing-library/react';
import { DELIVERY_STATUSES } from '../../shared/constants';
import { DeliveryStatusBadge } from '../../admin/src/components/DeliveryStatusBadge';
import { renderInAdmin } from './render';

describe('the delivery status badge', () => {
  it.each([
    ['draft', 'Draft'],
    ['scheduled', 'Scheduled'],
    ['preparing', 'Preparing'],
    ['sending', 'Sending'],
    ['paused', 'Paused'],
    ['sent', 'Sent'],
    ['failed', 'Failed'],
    ['cancelled', 'Cancelled'],
  ] as const)('shows %s as "%s"', (status, label) => {
    renderInAdmin(<DeliveryStatusBadge status={status} />);
    expect(screen.getByText(label)).toBeTruthy();
  });

  it('covers every status the lifecycle knows', () => {
    for (const status of DELIVERY_STATUSES) {
      const { container, unmount } = renderInAdmin(<DeliveryStatusBadge status={status} />);
      expect(container.textContent).not.toBe(status);
      expect(container.textContent?.trim()).not.toBe('');
      unmount();
    }
  });

  it('speaks French in a French admin', () => {
    renderInAdmin(<DeliveryStatusBadge status="paused" />, 'fr');
    expect(screen.getByText('En pause')).toBeTruthy();
  });
});
