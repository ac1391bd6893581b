import { decreaseOptions, knownRenewalDate, timingFor } from '../../bot/domain/decreaseOptions';
import { money } from '../../bot/domain/money';
import type { Subscription } from '../../bot/domain/subscription';

const NOW = new Date('2026-11-30T12:00:00Z');
const HOUR = 3_600_000;

/** Office 365 E3 of the demo: ANNUAL, bought long ago, renewing April 1, 2027, on Microsoft's rule. */
const e3: Subscription = {
  id: 'e3',
  product: 'Office 365 E3',
  domain: 'contoso.com',
  plan: 'ANNUAL',
  quantity: 120,
  inUse: 110,
  pricePerSeat: money(2300, 'USD'),
  renewalDate: '2027-04-01',
  status: 'active',
  autoRenew: true,
  trial: false,
  removal: 'window',
  refundable: [],
  scheduledQuantity: null,
};

describe('what a decrease can be (bot/domain/decreaseOptions.ts)', () => {
  it('bought long ago: not now (window closed), at renewal on the renewal date', () => {
    expect(decreaseOptions(e3, NOW)).toEqual({
      now: { possible: false, reason: 'window_closed' },
      atRenewal: { possible: true, maxSeats: 10, renewalDate: '2027-04-01', scheduledQuantity: null },
    });
  });

  it('5 seats added an hour ago: those 5 now, for a credit, until 168 hours after the purchase', () => {
    const until = new Date(NOW.getTime() + 167 * HOUR);
    const options = decreaseOptions(
      { ...e3, quantity: 125, refundable: [{ quantity: 5, until: until.toISOString() }] },
      NOW,
    );
    expect(options.now).toEqual({ possible: true, maxSeats: 5, until, creditPerSeat: money(2300, 'USD') });
    expect(options.atRenewal).toMatchObject({ possible: true, maxSeats: 15 });
    expect(timingFor(options, 5)).toBe('now');
    expect(timingFor(options, 6)).toBe('at_renewal');
    expect(timingFor(options, 16)).toBeUndefined();
  });

  it('the window closes at its end, not a moment later; the earliest open window is the deadline', () => {
    const closing = new Date(NOW.getTime() + HOUR).toISOString();
    const later = new Date(NOW.getTime() + 100 * HOUR).toISOString();
    const withWindows = {
      ...e3,
      refundable: [
        { quantity: 2, until: closing },
        { quantity: 3, until: later },
        { quantity: 4, until: new Date(NOW.getTime() - 1).toISOString() },
      ],
    };
    expect(decreaseOptions(withWindows, NOW).now).toMatchObject({ maxSeats: 5, until: new Date(closing) });
    expect(decreaseOptions(withWindows, new Date(Date.parse(closing))).now).toMatchObject({
      maxSeats: 3,
      until: new Date(later),
    });
  });

  it('never below the seats in use, either way', () => {
    const full = { ...e3, inUse: 118, refundable: [{ quantity: 5, until: '2026-12-01T00:00:00Z' }] };
    const options = decreaseOptions(full, NOW);
    expect(options.now).toMatchObject({ maxSeats: 2 });
    expect(options.atRenewal).toMatchObject({ maxSeats: 2 });
    expect(decreaseOptions({ ...e3, inUse: 120 }, NOW)).toEqual({
      now: { possible: false, reason: 'all_in_use' },
      atRenewal: { possible: false, reason: 'all_in_use' },
    });
  });

  it('no auto-renew: nothing can be scheduled, and says so', () => {
    expect(decreaseOptions({ ...e3, autoRenew: false }, NOW).atRenewal).toEqual({
      possible: false,
      reason: 'no_auto_renew',
    });
  });

  it('a renewal date in the past is unknown, never "now"', () => {
    expect(knownRenewalDate('2026-11-29', NOW)).toBeNull();
    expect(knownRenewalDate('2026-11-30', NOW)).toBe('2026-11-30');
    expect(knownRenewalDate('soon', NOW)).toBeNull();
    expect(decreaseOptions({ ...e3, renewalDate: '2025-04-01' }, NOW)).toEqual({
      now: { possible: false, reason: 'window_closed' },
      atRenewal: { possible: false, reason: 'renewal_unknown' },
    });
  });

  it('suspended and trial subscriptions lose no seats', () => {
    expect(decreaseOptions({ ...e3, status: 'suspended' }, NOW).now).toEqual({
      possible: false,
      reason: 'suspended',
    });
    expect(decreaseOptions({ ...e3, trial: true }, NOW)).toEqual({
      now: { possible: false, reason: 'trial' },
      atRenewal: { possible: false, reason: 'trial' },
    });
  });

  it('a scheduled reduction is reported, to be replaced by a new one', () => {
    expect(decreaseOptions({ ...e3, scheduledQuantity: 115 }, NOW).atRenewal).toMatchObject({
      possible: true,
      scheduledQuantity: 115,
    });
  });

  it("the console's rule (the sandbox's FLEXIBLE plans): any spare seat now, no window, nothing to schedule", () => {
    const flexible = { ...e3, plan: 'FLEXIBLE' as const, removal: 'anytime' as const };
    expect(decreaseOptions(flexible, NOW)).toEqual({
      now: { possible: true, maxSeats: 10, until: null, creditPerSeat: money(2300, 'USD') },
      atRenewal: { possible: false, reason: 'console_rule' },
    });
  });
});
