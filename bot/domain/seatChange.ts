import {
  decreaseOptions,
  mostRemovable,
  timingFor,
  type DecreaseOptions,
  type DecreaseTiming,
} from './decreaseOptions';
import { ok, refuse, type Refusal, type Result } from './refusal';
import type { SeatChangeKind } from './order';
import type { Subscription } from './subscription';

export interface SeatChangePlan {
  readonly expectedQuantity: number;
  /** For a change at renewal: the quantity the subscription renews with. */
  readonly targetQuantity: number;
  readonly timing: DecreaseTiming;
  /** The reduction already scheduled for the renewal (its quantity), which a change at renewal replaces. */
  readonly scheduledBefore: number | null;
  /** When a change at renewal takes effect (ISO date); null for a change now. */
  readonly renewalDate: string | null;
}

/**
 * The product's rules for changing a subscription's seats: a per-order maximum; nothing on a suspended
 * subscription; a decrease as bot/domain/decreaseOptions.ts allows it: now when the seats fit what can be removed
 * now, otherwise at renewal (or only the `timing` asked for); never below the seats in use.
 */
export function planSeatChange(
  subscription: Subscription,
  kind: SeatChangeKind,
  seats: number,
  maxSeatsPerOrder: number,
  at: Date,
  timing?: DecreaseTiming,
): Result<SeatChangePlan> {
  if (!Number.isSafeInteger(seats) || seats < 1)
    throw new Error(`seats must be a positive whole number, got ${seats}`);
  if (subscription.status !== 'active') {
    return refuse({ code: 'subscription_suspended', product: subscription.product });
  }
  if (seats > maxSeatsPerOrder) return refuse({ code: 'above_order_maximum', maximum: maxSeatsPerOrder });
  if (kind === 'increase') {
    return ok({
      expectedQuantity: subscription.quantity,
      targetQuantity: subscription.quantity + seats,
      timing: 'now',
      scheduledBefore: subscription.scheduledQuantity,
      renewalDate: null,
    });
  }
  const options = decreaseOptions(subscription, at);
  const notAtAll = decreaseRefusalFor(subscription, at, options);
  if (notAtAll) return refuse(notAtAll);
  const chosen = timing
    ? (timing === 'now' ? options.now : options.atRenewal).possible && seats <= maxFor(options, timing)
      ? timing
      : undefined
    : timingFor(options, seats);
  if (!chosen) return refuse(tooMany(subscription, options, seats, timing));
  const target = subscription.quantity - seats;
  return ok({
    expectedQuantity: subscription.quantity,
    targetQuantity: target,
    timing: chosen,
    scheduledBefore: subscription.scheduledQuantity,
    renewalDate: options.atRenewal.possible && chosen === 'at_renewal' ? options.atRenewal.renewalDate : null,
  });
}

function maxFor(options: DecreaseOptions, timing: DecreaseTiming): number {
  const option = timing === 'now' ? options.now : options.atRenewal;
  return option.possible ? option.maxSeats : 0;
}

/** More seats than any way allows: the seats in use bind (say so), or the window does (both numbers). */
function tooMany(
  subscription: Subscription,
  options: DecreaseOptions,
  seats: number,
  timing: DecreaseTiming | undefined,
): Refusal {
  const spare = maxRemovableSeats(subscription);
  const most = timing ? maxFor(options, timing) : mostRemovable(options);
  if (most >= spare) {
    return {
      code: 'below_in_use',
      product: subscription.product,
      quantity: subscription.quantity,
      inUse: subscription.inUse,
      maxRemovable: spare,
      requested: seats,
    };
  }
  return {
    code: 'decrease_too_many',
    product: subscription.product,
    requested: seats,
    nowMax: options.now.possible ? options.now.maxSeats : 0,
    nowUntil: options.now.possible ? options.now.until : null,
    renewalMax: options.atRenewal.possible ? options.atRenewal.maxSeats : 0,
    renewalDate: options.atRenewal.possible ? options.atRenewal.renewalDate : null,
    atRenewalReason: options.atRenewal.possible ? null : options.atRenewal.reason,
  };
}

/** Seats that can go without dropping below the seats in use. */
export function maxRemovableSeats(subscription: Subscription): number {
  return Math.max(0, subscription.quantity - subscription.inUse);
}

/** Why seats cannot be removed from this subscription at all (neither now nor at renewal), if they cannot. */
export function decreaseRefusalFor(
  subscription: Subscription,
  at: Date,
  options: DecreaseOptions = decreaseOptions(subscription, at),
): Refusal | undefined {
  if (options.now.possible || options.atRenewal.possible) return undefined;
  if (options.now.reason === 'suspended')
    return { code: 'subscription_suspended', product: subscription.product };
  if (maxRemovableSeats(subscription) === 0) {
    return {
      code: 'below_in_use',
      product: subscription.product,
      quantity: subscription.quantity,
      inUse: subscription.inUse,
      maxRemovable: 0,
    };
  }
  return {
    code: 'decrease_not_possible',
    product: subscription.product,
    now: options.now.reason,
    atRenewal: options.atRenewal.reason,
    renewalDate: subscription.renewalDate,
  };
}
