import { licensesManagerRefusal, type BillingProfile, type UserAccess } from './access';
import { seatDelta, type Order, type OrderOutcomeCode } from './order';
import { planSeatChange } from './seatChange';
import type { Subscription } from './subscription';

/** What the world looks like when an approved order is about to be placed. */
export interface SubmissionFacts {
  /** The requester as the access directory knows them now. */
  readonly requester: UserAccess | undefined;
  /** The order's billing profile as it is configured now. */
  readonly billingProfile: BillingProfile | undefined;
  /** The subscription as the provider reports it now; undefined when it no longer exists. */
  readonly subscription: Subscription | undefined;
  readonly maxSeatsPerOrder: number;
  /** Now: cancellation windows close and renewal dates pass. */
  readonly at: Date;
}

/** Why an approved order must not be placed after all: an outcome code and the value it refers to. */
export interface SubmissionBlock {
  readonly outcome: OrderOutcomeCode;
  readonly note?: string;
}

/**
 * The rules checked when the order was made, checked again just before it is placed (time passes between an
 * approval and a submission, and more between retries): the requester still holds Licenses Manager on the
 * billing profile, the subscription still exists and is active, the plan still allows the change, a decrease
 * still leaves every seat in use, the order is within the per-order maximum, and the quantity is still the one
 * the order expects. The same seat rules as at request time (planSeatChange), so they live in one place: a
 * decrease now still fits its cancellation window, one at renewal still has auto-renew and a renewal ahead, and
 * the reduction scheduled for the renewal is still the one the order saw (it replaces or cancels that one).
 */
export function submissionBlock(order: Order, facts: SubmissionFacts): SubmissionBlock | undefined {
  if (!facts.billingProfile || licensesManagerRefusal(facts.requester, facts.billingProfile))
    return { outcome: 'permission_lost' };
  const { subscription } = facts;
  if (!subscription) return { outcome: 'subscription_gone' };
  if (order.timing === 'cancel_scheduled') {
    if (subscription.status !== 'active') return { outcome: 'subscription_suspended' };
    if (subscription.quantity !== order.targetQuantity)
      return { outcome: 'quantity_changed', note: String(subscription.quantity) };
    if (subscription.scheduledQuantity !== order.expectedQuantity) return { outcome: 'scheduled_changed' };
    return undefined;
  }
  const timing = order.kind === 'decrease' ? order.timing : undefined;
  const plan = planSeatChange(
    subscription,
    order.kind,
    Math.abs(seatDelta(order)),
    facts.maxSeatsPerOrder,
    facts.at,
    timing,
  );
  if (!plan.ok) {
    const refusal = plan.refusal;
    switch (refusal.code) {
      case 'subscription_suspended':
        return { outcome: 'subscription_suspended' };
      case 'decrease_too_many':
        return order.timing === 'now' ? { outcome: 'window_closed' } : { outcome: 'decrease_not_allowed' };
      case 'decrease_not_possible':
        return order.timing === 'now' && refusal.now === 'window_closed'
          ? { outcome: 'window_closed' }
          : {
              outcome: 'decrease_not_allowed',
              note: order.timing === 'now' ? refusal.now : refusal.atRenewal,
            };
      case 'below_in_use':
        return { outcome: 'below_in_use', note: String(refusal.inUse) };
      case 'above_order_maximum':
        return { outcome: 'above_order_maximum', note: String(refusal.maximum) };
      default:
        return { outcome: 'rules_changed', note: refusal.code };
    }
  }
  if (subscription.quantity !== order.expectedQuantity)
    return { outcome: 'quantity_changed', note: String(subscription.quantity) };
  // A change at renewal replaces the scheduled reduction the card showed; a change now restores it afterwards.
  if (subscription.scheduledQuantity !== order.scheduledBefore) return { outcome: 'scheduled_changed' };
  return undefined;
}
