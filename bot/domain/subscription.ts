import { times, type Money } from './money';

/**
 * FLEXIBLE: a monthly term; ANNUAL: a yearly term. When seats can be removed is not the plan's to say: it is
 * bot/domain/decreaseOptions.ts's, from the facts below.
 */
export type Plan = 'FLEXIBLE' | 'ANNUAL';
export const PLANS: readonly Plan[] = ['FLEXIBLE', 'ANNUAL'];

export type SubscriptionStatus = 'active' | 'suspended';

/** A Microsoft 365 subscription as the license provider reports it. */
export interface Subscription {
  readonly id: string;
  readonly product: string;
  readonly domain: string;
  readonly plan: Plan;
  /** Purchased seats (Graph prepaidUnits.enabled). */
  readonly quantity: number;
  /** Assigned seats (Graph consumedUnits). */
  readonly inUse: number;
  readonly pricePerSeat: Money;
  /** ISO date (YYYY-MM-DD) of the next renewal, when the provider knows it. */
  readonly renewalDate: string | null;
  readonly status: SubscriptionStatus;
  /** The subscription renews by itself at the end of its term (needed for a reduction scheduled at renewal). */
  readonly autoRenew: boolean;
  /** A trial: seats cannot be removed (it converts or ends). */
  readonly trial: boolean;
  /**
   * How seats may be removed before renewal. `window`: Microsoft's rule, only seats still inside their
   * cancellation window (`refundable`); `anytime`: a reseller console's rule, any seat, credited on next
   * month's bill.
   */
  readonly removal: 'window' | 'anytime';
  /** Seats bought, added or renewed recently, each batch removable until its window closes. */
  readonly refundable: readonly RefundableSeats[];
  /** The quantity a reduction already scheduled for the renewal sets; null when none is scheduled. */
  readonly scheduledQuantity: number | null;
}

/** Seats that can still be removed for a refund, and until when (Partner Center's refundableQuantity). */
export interface RefundableSeats {
  readonly quantity: number;
  /** ISO date-time at which the window closes. */
  readonly until: string;
}

export function freeSeats(subscription: Subscription): number {
  return Math.max(0, subscription.quantity - subscription.inUse);
}

export function monthlyCost(subscription: Subscription): Money {
  return times(subscription.pricePerSeat, subscription.quantity);
}

/** Full, or less than 10% of the seats free: worth a warning in lists. */
export function isNearlyFull(subscription: Subscription): boolean {
  return freeSeats(subscription) < Math.max(1, subscription.quantity * 0.1);
}
