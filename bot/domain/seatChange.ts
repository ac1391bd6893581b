import { ok, refuse, type Result } from './refusal';
import type { SeatChangeKind } from './order';
import type { Subscription } from './subscription';

export interface SeatChangePlan {
  readonly expectedQuantity: number;
  readonly targetQuantity: number;
}

/**
 * The product's rules for changing a subscription's seats: a per-order maximum; decreases only on
 * FLEXIBLE plans; never below the seats in use; nothing on a suspended subscription.
 */
export function planSeatChange(
  subscription: Subscription,
  kind: SeatChangeKind,
  seats: number,
  maxSeatsPerOrder: number,
): Result<SeatChangePlan> {
  if (!Number.isSafeInteger(seats) || seats < 1)
    throw new Error(`seats must be a positive whole number, got ${seats}`);
  if (subscription.status !== 'active') {
    return refuse({ code: 'subscription_suspended', product: subscription.product });
  }
  if (seats > maxSeatsPerOrder) return refuse({ code: 'above_order_maximum', maximum: maxSeatsPerOrder });
  if (kind === 'increase') {
    return ok({ expectedQuantity: subscription.quantity, targetQuantity: subscription.quantity + seats });
  }
  const decreaseRefusal = decreaseRefusalFor(subscription);
  if (decreaseRefusal) return refuse(decreaseRefusal);
  const maxRemovable = maxRemovableSeats(subscription);
  if (seats > maxRemovable) {
    return refuse({
      code: 'below_in_use',
      product: subscription.product,
      quantity: subscription.quantity,
      inUse: subscription.inUse,
      maxRemovable,
      requested: seats,
    });
  }
  return ok({ expectedQuantity: subscription.quantity, targetQuantity: subscription.quantity - seats });
}

/** Seats that can go without dropping below the seats in use. */
export function maxRemovableSeats(subscription: Subscription): number {
  return Math.max(0, subscription.quantity - subscription.inUse);
}

/** Why seats cannot be removed from this subscription at all, if they cannot. */
export function decreaseRefusalFor(subscription: Subscription) {
  if (subscription.plan !== 'FLEXIBLE') {
    return {
      code: 'annual_decrease',
      product: subscription.product,
      renewalDate: subscription.renewalDate,
    } as const;
  }
  if (maxRemovableSeats(subscription) === 0) {
    return {
      code: 'below_in_use',
      product: subscription.product,
      quantity: subscription.quantity,
      inUse: subscription.inUse,
      maxRemovable: 0,
    } as const;
  }
  return undefined;
}
