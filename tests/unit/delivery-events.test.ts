// Which event a delivery's status change is announced as (sending/delivery-events.ts).
import { deliveryEventOf } from '../../server/src/sending/delivery-events';
import type { DeliveryStatus } from '../../shared/constants';

describe('the event of a delivery status change', () => {
  it.each<[DeliveryStatus, DeliveryStatus, string | null]>([
    ['draft', 'scheduled', 'campaigns.delivery.scheduled'],
    ['draft', 'preparing', 'campaigns.delivery.started'],
    ['scheduled', 'preparing', 'campaigns.delivery.started'],
    ['preparing', 'sending', 'campaigns.delivery.prepared'],
    ['sending', 'paused', 'campaigns.delivery.paused'],
    ['paused', 'sending', 'campaigns.delivery.resumed'],
    // Retrying the failed recipients of an ended delivery sends again: announced as resumed.
    ['sent', 'sending', 'campaigns.delivery.resumed'],
    ['failed', 'sending', 'campaigns.delivery.resumed'],
    ['sending', 'sent', 'campaigns.delivery.finished'],
    ['sending', 'failed', 'campaigns.delivery.failed'],
    ['preparing', 'failed', 'campaigns.delivery.failed'],
    ['paused', 'cancelled', 'campaigns.delivery.cancelled'],
    ['scheduled', 'cancelled', 'campaigns.delivery.cancelled'],
    // Unscheduling (pause on a scheduled delivery) is back to editing: no event.
    ['scheduled', 'draft', null],
  ])('%s -> %s is %s', (from, to, expected) => {
    expect(deliveryEventOf(from, to)).toBe(expected);
  });
});
