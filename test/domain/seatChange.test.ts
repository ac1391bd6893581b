import { money } from '../../bot/domain/money';
import { maxRemovableSeats, planSeatChange } from '../../bot/domain/seatChange';
import type { Subscription } from '../../bot/domain/subscription';

const NOW = new Date('2026-11-30T12:00:00Z');

/** The sandbox's FLEXIBLE rule: a reseller console's (seats off at once, credit on next month's bill). */
const flexible: Subscription = {
  id: 'basic',
  product: 'Microsoft 365 Business Basic',
  domain: 'contoso.eu',
  plan: 'FLEXIBLE',
  quantity: 40,
  inUse: 12,
  pricePerSeat: money(600, 'USD'),
  renewalDate: '2027-01-01',
  status: 'active',
  autoRenew: true,
  trial: false,
  removal: 'anytime',
  refundable: [],
  scheduledQuantity: null,
};
/** Microsoft's rule, bought long ago: no window open. */
const annual: Subscription = {
  ...flexible,
  id: 'e3',
  product: 'Office 365 E3',
  plan: 'ANNUAL',
  renewalDate: '2027-04-01',
  removal: 'window',
};

describe('the rules for changing seats', () => {
  it('adds seats to any active plan, as an absolute target, now', () => {
    expect(planSeatChange(annual, 'increase', 30, 300, NOW)).toEqual({
      ok: true,
      value: {
        expectedQuantity: 40,
        targetQuantity: 70,
        timing: 'now',
        scheduledBefore: null,
        renewalDate: null,
      },
    });
  });

  it('refuses more than the per-order maximum', () => {
    expect(planSeatChange(flexible, 'increase', 301, 300, NOW)).toEqual({
      ok: false,
      refusal: { code: 'above_order_maximum', maximum: 300 },
    });
  });

  it('outside the window, a decrease on Microsoft’s rule is planned for the renewal date', () => {
    expect(planSeatChange(annual, 'decrease', 5, 300, NOW)).toEqual({
      ok: true,
      value: {
        expectedQuantity: 40,
        targetQuantity: 35,
        timing: 'at_renewal',
        scheduledBefore: null,
        renewalDate: '2027-04-01',
      },
    });
  });

  it('inside the window, the seats it covers go now; more than that go at renewal', () => {
    const added = {
      ...annual,
      quantity: 45,
      refundable: [{ quantity: 5, until: '2026-12-05T12:00:00.000Z' }],
    };
    expect(planSeatChange(added, 'decrease', 5, 300, NOW)).toMatchObject({
      ok: true,
      value: { timing: 'now', targetQuantity: 40 },
    });
    expect(planSeatChange(added, 'decrease', 6, 300, NOW)).toMatchObject({
      ok: true,
      value: { timing: 'at_renewal', targetQuantity: 39 },
    });
    expect(planSeatChange(added, 'decrease', 6, 300, NOW, 'now')).toMatchObject({
      ok: false,
      refusal: { code: 'decrease_too_many', nowMax: 5, renewalMax: 33 },
    });
  });

  it('without auto-renew and outside the window: neither, with both reasons', () => {
    expect(planSeatChange({ ...annual, autoRenew: false }, 'decrease', 1, 300, NOW)).toEqual({
      ok: false,
      refusal: {
        code: 'decrease_not_possible',
        product: 'Office 365 E3',
        now: 'window_closed',
        atRenewal: 'no_auto_renew',
        renewalDate: '2027-04-01',
      },
    });
  });

  it('more than the window allows, with no renewal possible: both numbers', () => {
    const added = {
      ...annual,
      autoRenew: false,
      quantity: 45,
      refundable: [{ quantity: 5, until: '2026-12-05T12:00:00.000Z' }],
    };
    expect(planSeatChange(added, 'decrease', 8, 300, NOW)).toEqual({
      ok: false,
      refusal: {
        code: 'decrease_too_many',
        product: 'Office 365 E3',
        requested: 8,
        nowMax: 5,
        nowUntil: new Date('2026-12-05T12:00:00.000Z'),
        renewalMax: 0,
        renewalDate: null,
        atRenewalReason: 'no_auto_renew',
      },
    });
  });

  it('refuses to go below the seats in use, saying how many may go', () => {
    expect(planSeatChange(flexible, 'decrease', 30, 300, NOW)).toEqual({
      ok: false,
      refusal: {
        code: 'below_in_use',
        product: 'Microsoft 365 Business Basic',
        quantity: 40,
        inUse: 12,
        maxRemovable: 28,
        requested: 30,
      },
    });
  });

  it('allows a decrease to exactly the seats in use, now under the console rule', () => {
    expect(planSeatChange(flexible, 'decrease', 28, 300, NOW)).toEqual({
      ok: true,
      value: {
        expectedQuantity: 40,
        targetQuantity: 12,
        timing: 'now',
        scheduledBefore: null,
        renewalDate: null,
      },
    });
    expect(maxRemovableSeats(flexible)).toBe(28);
  });

  it('refuses any change on a suspended subscription', () => {
    const suspended = { ...flexible, status: 'suspended' as const };
    expect(planSeatChange(suspended, 'increase', 1, 300, NOW)).toMatchObject({
      ok: false,
      refusal: { code: 'subscription_suspended' },
    });
  });

  it('never accepts a seat count that is not a positive whole number', () => {
    expect(() => planSeatChange(flexible, 'increase', 0, 300, NOW)).toThrow();
    expect(() => planSeatChange(flexible, 'increase', 1.5, 300, NOW)).toThrow();
  });
});
