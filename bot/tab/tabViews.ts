import type { MoneyView, OrderView, SubscriptionRow } from '../../tab/src/contract';
import type { Money } from '../domain/money';
import { isFinal, monthlyChange, orderNumberText, type Order } from '../domain/order';
import { decreaseOptions, mostRemovable } from '../domain/decreaseOptions';
import { decreaseRefusalFor } from '../domain/seatChange';
import { freeSeats, monthlyCost } from '../domain/subscription';
import type { ManagedSubscription } from '../services/licenseService';
import type { UndeliveredNotice } from '../services/orderQueries';
import { undeliveredText } from '../teams/presenters/deliveryText';
import type { Audience } from '../teams/presenters/format';
import { decreaseSummary, renewalFacts, scheduledText } from '../teams/presenters/decreaseText';
import { orderCardData } from '../teams/presenters/orderCardPresenter';
import { refusalText } from '../teams/presenters/refusalText';

/**
 * Domain values as the tab's API shows them. The sentences come from the bot's presenters, so the tab and the
 * bot say the same thing.
 */
export function subscriptionRow(
  { subscription, billingProfile }: ManagedSubscription,
  maxSeatsPerOrder: number,
  audience: Audience,
  at: Date,
): SubscriptionRow {
  const active = subscription.status === 'active';
  const options = decreaseOptions(subscription, at);
  const decreaseRefusal = active
    ? decreaseRefusalFor(subscription, at, options)
    : ({ code: 'subscription_suspended', product: subscription.product } as const);
  const scheduled = scheduledText(subscription, audience);
  return {
    id: subscription.id,
    product: subscription.product,
    domain: subscription.domain,
    billingProfile: billingProfile.name,
    plan: subscription.plan,
    active,
    quantity: subscription.quantity,
    inUse: subscription.inUse,
    free: freeSeats(subscription),
    pricePerSeat: moneyView(subscription.pricePerSeat),
    monthlyCost: moneyView(monthlyCost(subscription)),
    maxAdd: active ? maxSeatsPerOrder : 0,
    maxRemove: decreaseRefusal ? 0 : Math.min(maxSeatsPerOrder, mostRemovable(options)),
    restriction: decreaseRefusal ? refusalText(decreaseRefusal, audience) : null,
    removeOffers: decreaseRefusal ? null : decreaseSummary(subscription, audience, at),
    renewal: renewalFacts(subscription, audience, at),
    scheduled,
    canCancelScheduled: active && scheduled !== null,
  };
}

/** An order as its requester (or another who may see it) sees it; `approverNames` for one waiting for approval. */
export function orderView(
  order: Order,
  audience: Audience,
  approverNames: readonly string[] = [],
  viewer: 'requester' | 'other' = 'requester',
  undelivered: readonly UndeliveredNotice[] = [],
): OrderView {
  const card = orderCardData(order, { audience, viewer, approverNames });
  return {
    id: order.id,
    number: orderNumberText(order),
    title: card.title,
    state: order.state,
    final: isFinal(order.state),
    kind: order.kind,
    timing: order.timing,
    subscriptionId: order.subscriptionId,
    product: order.product,
    domain: order.domain,
    billingProfile: order.billingProfileName,
    plan: order.plan,
    expectedQuantity: order.expectedQuantity,
    targetQuantity: order.targetQuantity,
    pricePerSeat: moneyView(order.pricePerSeat),
    monthlyChange: moneyView(monthlyChange(order)),
    needsApprover: order.needsApprover,
    facts: card.facts.map(({ title, value }) => ({ title, value })),
    billingNote: card.note ?? '',
    status: card.status,
    undelivered: undeliveredText(undelivered),
    createdAt: order.createdAt.toISOString(),
  };
}

function moneyView(amount: Money): MoneyView {
  return { minor: amount.minor, currency: amount.currency };
}
