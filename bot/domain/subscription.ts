import { times, type Money } from './money';

/** FLEXIBLE plans bill monthly and allow decreases; ANNUAL plans can only grow until renewal. */
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
