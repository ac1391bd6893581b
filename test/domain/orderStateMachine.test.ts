import { canTransition, isFinal, ORDER_STATES, type OrderState } from '../../bot/domain/order';

describe('the order state machine', () => {
  const allowed: Array<[OrderState, OrderState]> = [
    ['draft', 'approved'],
    ['draft', 'pending_approval'],
    ['draft', 'cancelled'],
    ['draft', 'expired'],
    ['pending_approval', 'approved'],
    ['pending_approval', 'rejected'],
    ['pending_approval', 'cancelled'],
    ['pending_approval', 'expired'],
    ['approved', 'submitting'],
    ['submitting', 'submitting'],
    ['submitting', 'completed'],
    ['submitting', 'failed'],
  ];

  it('allows exactly the documented transitions', () => {
    for (const from of ORDER_STATES) {
      for (const to of ORDER_STATES) {
        const expected = allowed.some(([f, t]) => f === from && t === to);
        expect([from, to, canTransition(from, to)]).toEqual([from, to, expected]);
      }
    }
  });

  it('ends in completed, failed, rejected, cancelled or expired', () => {
    expect(ORDER_STATES.filter(isFinal)).toEqual(['completed', 'failed', 'rejected', 'cancelled', 'expired']);
  });

  it('never lets a submitted order be decided again', () => {
    expect(canTransition('approved', 'rejected')).toBe(false);
    expect(canTransition('submitting', 'cancelled')).toBe(false);
    expect(canTransition('completed', 'submitting')).toBe(false);
  });
});
