import { money } from '../../bot/domain/money';
import { maxRemovableSeats, planSeatChange } from '../../bot/domain/seatChange';
import type { Subscription } from '../../bot/domain/subscription';

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
};
const annual: Subscription = {
  ...flexible,
  id: 'e3',
  product: 'Office 365 E3',
  plan: 'ANNUAL',
  renewalDate: '2027-04-01',
};

describe('the rules for changing seats', () => {
  it('adds seats to any active plan, as an absolute target', () => {
    expect(planSeatChange(annual, 'increase', 30, 300)).toEqual({
      ok: true,
      value: { expectedQuantity: 40, targetQuantity: 70 },
    });
  });

  it('refuses more than the per-order maximum', () => {
    expect(planSeatChange(flexible, 'increase', 301, 300)).toEqual({
      ok: false,
      refusal: { code: 'above_order_maximum', maximum: 300 },
    });
  });

  it('refuses decreases on ANNUAL plans, with the renewal date', () => {
    expect(planSeatChange(annual, 'decrease', 1, 300)).toEqual({
      ok: false,
      refusal: { code: 'annual_decrease', product: 'Office 365 E3', renewalDate: '2027-04-01' },
    });
  });

  it('refuses to go below the seats in use, saying how many may go', () => {
    expect(planSeatChange(flexible, 'decrease', 30, 300)).toEqual({
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

  it('allows a decrease to exactly the seats in use', () => {
    expect(planSeatChange(flexible, 'decrease', 28, 300)).toEqual({
      ok: true,
      value: { expectedQuantity: 40, targetQuantity: 12 },
    });
    expect(maxRemovableSeats(flexible)).toBe(28);
  });

  it('refuses any change on a suspended subscription', () => {
    const suspended = { ...flexible, status: 'suspended' as const };
    expect(planSeatChange(suspended, 'increase', 1, 300)).toMatchObject({
      ok: false,
      refusal: { code: 'subscription_suspended' },
    });
  });

  it('never accepts a seat count that is not a positive whole number', () => {
    expect(() => planSeatChange(flexible, 'increase', 0, 300)).toThrow();
    expect(() => planSeatChange(flexible, 'increase', 1.5, 300)).toThrow();
  });
});
