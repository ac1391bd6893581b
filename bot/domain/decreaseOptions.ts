import { times, type Money } from './money';
import type { Subscription } from './subscription';

/**
 * What removing seats from a subscription can be, from the facts its provider reports. The one place that
 * decides it (README: Removing seats):
 *
 * - **now**, for a credit: under Microsoft's rule only the seats still inside their cancellation window (168
 *   hours after they were bought, added or renewed; `refundable`), until the earliest open window closes; under
 *   a reseller console's rule (`removal: 'anytime'`, the sandbox's FLEXIBLE plans) any seat, credited on next
 *   month's bill;
 * - **at renewal**: a reduction scheduled for the renewal date, which needs auto-renew and a renewal date that
 *   is known and not in the past (a past date in provider data is treated as unknown, never as "now");
 * - **not at all**, with why: suspended, a trial, no auto-renew, every seat in use, the window closed.
 *
 * Never below the seats in use, either way. A scheduled reduction on top of one replaces it.
 */

/** Microsoft's cancellation window after a purchase, an increase or a renewal. */
export const CANCELLATION_WINDOW_HOURS = 168;

export type NotNowReason = 'suspended' | 'trial' | 'all_in_use' | 'window_closed';
export type NotAtRenewalReason =
  'suspended' | 'trial' | 'all_in_use' | 'no_auto_renew' | 'renewal_unknown' | 'console_rule';

export type RemoveNow =
  | {
      readonly possible: true;
      readonly maxSeats: number;
      /** When the earliest open window closes; null under the console's rule (no window). */
      readonly until: Date | null;
      readonly creditPerSeat: Money;
    }
  | { readonly possible: false; readonly reason: NotNowReason };

export type RemoveAtRenewal =
  | {
      readonly possible: true;
      readonly maxSeats: number;
      /** ISO date (YYYY-MM-DD). */
      readonly renewalDate: string;
      /** The quantity already scheduled for the renewal, which a new reduction replaces. */
      readonly scheduledQuantity: number | null;
    }
  | { readonly possible: false; readonly reason: NotAtRenewalReason };

export interface DecreaseOptions {
  readonly now: RemoveNow;
  readonly atRenewal: RemoveAtRenewal;
}

export function decreaseOptions(subscription: Subscription, at: Date): DecreaseOptions {
  const blocked = subscription.status !== 'active' ? 'suspended' : subscription.trial ? 'trial' : undefined;
  if (blocked)
    return { now: { possible: false, reason: blocked }, atRenewal: { possible: false, reason: blocked } };
  const spare = Math.max(0, subscription.quantity - subscription.inUse);
  return { now: removeNow(subscription, spare, at), atRenewal: removeAtRenewal(subscription, spare, at) };
}

function removeNow(subscription: Subscription, spare: number, at: Date): RemoveNow {
  if (spare === 0) return { possible: false, reason: 'all_in_use' };
  const creditPerSeat = subscription.pricePerSeat;
  if (subscription.removal === 'anytime')
    return { possible: true, maxSeats: spare, until: null, creditPerSeat };
  const open = subscription.refundable.filter(
    (batch) =>
      batch.quantity > 0 &&
      Number.isFinite(Date.parse(batch.until)) &&
      Date.parse(batch.until) > at.getTime(),
  );
  const refundable = open.reduce((sum, batch) => sum + batch.quantity, 0);
  if (refundable === 0) return { possible: false, reason: 'window_closed' };
  const until = new Date(Math.min(...open.map((batch) => Date.parse(batch.until))));
  return { possible: true, maxSeats: Math.min(spare, refundable), until, creditPerSeat };
}

function removeAtRenewal(subscription: Subscription, spare: number, at: Date): RemoveAtRenewal {
  // The console's rule removes seats at once and credits next month's bill: nothing to schedule.
  if (subscription.removal === 'anytime') return { possible: false, reason: 'console_rule' };
  const renewalDate = knownRenewalDate(subscription.renewalDate, at);
  if (!renewalDate) return { possible: false, reason: 'renewal_unknown' };
  if (!subscription.autoRenew) return { possible: false, reason: 'no_auto_renew' };
  if (spare === 0) return { possible: false, reason: 'all_in_use' };
  return { possible: true, maxSeats: spare, renewalDate, scheduledQuantity: subscription.scheduledQuantity };
}

/** The renewal date if it is a real date today or later (UTC); a past or malformed date is unknown. */
export function knownRenewalDate(renewalDate: string | null, at: Date): string | null {
  if (!renewalDate || !/^\d{4}-\d{2}-\d{2}$/.test(renewalDate)) return null;
  const time = Date.parse(`${renewalDate}T00:00:00Z`);
  if (!Number.isFinite(time)) return null;
  return renewalDate >= at.toISOString().slice(0, 10) ? renewalDate : null;
}

/** How a decrease of `seats` would happen: now when the window allows it, otherwise at renewal. */
export type DecreaseTiming = 'now' | 'at_renewal';

export function timingFor(options: DecreaseOptions, seats: number): DecreaseTiming | undefined {
  if (options.now.possible && seats <= options.now.maxSeats) return 'now';
  if (options.atRenewal.possible && seats <= options.atRenewal.maxSeats) return 'at_renewal';
  return undefined;
}

/** The credit for removing `seats` now. */
export function creditFor(option: Extract<RemoveNow, { possible: true }>, seats: number): Money {
  return times(option.creditPerSeat, seats);
}

/** Whether any decrease at all is possible (what lists offer a Remove button for). */
export function canDecrease(options: DecreaseOptions): boolean {
  return options.now.possible || options.atRenewal.possible;
}

/** The most seats one decrease could remove, either way (0: none). */
export function mostRemovable(options: DecreaseOptions): number {
  return Math.max(
    options.now.possible ? options.now.maxSeats : 0,
    options.atRenewal.possible ? options.atRenewal.maxSeats : 0,
  );
}
