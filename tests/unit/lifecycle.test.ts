// The delivery lifecycle (shared/lifecycle.ts): every move between two statuses, allowed or refused, and the groups.
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../shared/constants';
import * as lifecycle from '../../shared/lifecycle';

/** The moves the server makes, each with what makes it (sending/deliveries.ts, sending/sender.ts). */
const ALLOWED: Array<[DeliveryStatus, DeliveryStatus, string]> = [
  ['draft', 'preparing', 'send now'],
  ['draft', 'scheduled', 'schedule'],
  ['scheduled', 'preparing', 'its time came'],
  ['scheduled', 'draft', 'unschedule (pause)'],
  ['scheduled', 'cancelled', 'cancel'],
  ['preparing', 'sending', 'prepared'],
  ['preparing', 'failed', 'preparation error'],
  ['preparing', 'cancelled', 'cancel'],
  ['sending', 'sent', 'every recipient processed'],
  ['sending', 'failed', 'no message could be sent'],
  ['sending', 'paused', 'pause'],
  ['sending', 'cancelled', 'cancel'],
  ['paused', 'sending', 'resume'],
  ['paused', 'failed', 'the relay stayed down past the outage limit'],
  ['paused', 'cancelled', 'cancel'],
  ['sent', 'sending', 'retry the failed recipients'],
  ['failed', 'sending', 'retry the failed recipients'],
];
const allowed = new Set(ALLOWED.map(([from, to]) => `${from}>${to}`));
const everyPair = DELIVERY_STATUSES.flatMap((from) =>
  DELIVERY_STATUSES.map((to) => [from, to] as [DeliveryStatus, DeliveryStatus]),
);

describe('delivery lifecycle', () => {
  it('has a row for every status', () => {
    expect(Object.keys(lifecycle.TRANSITIONS).sort()).toEqual([...DELIVERY_STATUSES].sort());
  });

  it.each(ALLOWED)('allows %s -> %s (%s)', (from, to) => {
    expect(lifecycle.canMove(from, to)).toBe(true);
  });

  it.each(everyPair.filter(([from, to]) => !allowed.has(`${from}>${to}`)))('refuses %s -> %s', (from, to) => {
    expect(lifecycle.canMove(from, to)).toBe(false);
  });

  it('names where each move may start from', () => {
    expect(lifecycle.movesInto('cancelled')).toEqual(['scheduled', 'preparing', 'sending', 'paused']);
    expect(lifecycle.movesInto('sending')).toEqual(['preparing', 'paused', 'sent', 'failed']);
    expect(lifecycle.movesInto('preparing')).toEqual(['draft', 'scheduled']);
    expect(lifecycle.movesInto('draft')).toEqual(['scheduled']);
  });

  it('ends only in cancelled, and nothing leaves it', () => {
    expect(DELIVERY_STATUSES.filter((s) => lifecycle.TRANSITIONS[s].length === 0)).toEqual(['cancelled']);
  });

  it('groups the statuses as the server treats them', () => {
    expect(lifecycle.EDITABLE).toEqual(['draft']);
    expect(lifecycle.ACTIVE).toEqual(['scheduled', 'preparing', 'sending', 'paused']);
    expect(lifecycle.FINISHED).toEqual(['sent', 'failed', 'cancelled']);
    expect(lifecycle.PURGEABLE).toEqual(['failed', 'cancelled']);
    expect(lifecycle.SENDING).toEqual(['preparing', 'sending']);
    expect(lifecycle.MOVING).toEqual(['preparing', 'sending', 'paused']);
    expect(lifecycle.LIVE).toEqual(['preparing', 'sending', 'paused', 'sent']);
    expect(lifecycle.ADVANCING).toEqual(['scheduled', 'preparing', 'sending']);
    expect([...lifecycle.RETRYABLE].sort()).toEqual(['failed', 'paused', 'sending', 'sent']);
  });

  it('keeps the groups consistent with the moves', () => {
    // Active and finished split every status that left the draft.
    expect([...lifecycle.ACTIVE, ...lifecycle.FINISHED].sort()).toEqual(
      DELIVERY_STATUSES.filter((s) => s !== 'draft').sort(),
    );
    // Started is everything preparation reached: not draft, not scheduled.
    expect([...lifecycle.STARTED].sort()).toEqual(
      DELIVERY_STATUSES.filter((s) => s !== 'draft' && s !== 'scheduled').sort(),
    );
    // A finished delivery never advances by itself; an advancing one has somewhere to go.
    for (const s of lifecycle.ADVANCING) expect(lifecycle.isFinished(s)).toBe(false);
    // Purged statuses are finished ones that sent nothing worth keeping.
    for (const s of lifecycle.PURGEABLE) expect(lifecycle.isFinished(s)).toBe(true);
    // Counted: every started status but preparation, whose logs are still being written.
    expect([...lifecycle.COUNTED].sort()).toEqual(lifecycle.STARTED.filter((s) => s !== 'preparing').sort());
    // Live monitoring orders every status a delivery reaches once it left the draft, each once.
    expect([...lifecycle.BY_URGENCY].sort()).toEqual(DELIVERY_STATUSES.filter((s) => s !== 'draft').sort());
  });

  it('answers the status checks, unknown statuses included', () => {
    expect(lifecycle.isEditable('draft')).toBe(true);
    expect(lifecycle.isEditable('sent')).toBe(false);
    expect(lifecycle.isActive('paused')).toBe(true);
    expect(lifecycle.isLive('sent')).toBe(true);
    expect(lifecycle.isLive('failed')).toBe(false);
    expect(lifecycle.isMoving('no-such-status')).toBe(false);
  });
});
