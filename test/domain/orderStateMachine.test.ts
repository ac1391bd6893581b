import {
  assertTransition,
  canTransition,
  IllegalTransitionError,
  isFinal,
  ORDER_STATES,
  statesLeadingTo,
  type OrderState,
} from '../../bot/domain/order';

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

  it('is executable: a transition outside the table throws before anything is written', () => {
    expect(() => assertTransition('draft', 'approved')).not.toThrow();
    expect(() => assertTransition('pending_approval', 'completed')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('completed', 'failed')).toThrow(
      'an order cannot go from completed to failed',
    );
  });

  it('answers which states may lead to a state (what a submission may claim)', () => {
    expect(statesLeadingTo('submitting')).toEqual(['approved', 'submitting']);
    expect(statesLeadingTo('expired')).toEqual(['draft', 'pending_approval']);
  });
});
