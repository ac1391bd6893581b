import { orderNumberText, type Order, type OrderState } from '../../domain/order';
import { completedText, failureText } from './orderCardPresenter';
import { formatNumber, orList, plainText, type Audience } from './format';

/**
 * The message the requester gets when an order ends (or waits) without them watching its card. Undefined
 * when the card they tapped already told them (they approved it themselves and it completed, they cancelled).
 */
export function outcomeText(order: Order, previous: OrderState, audience: Audience): string | undefined {
  const number = orderNumberText(order);
  const byOther = order.decidedBy !== null && order.decidedBy.id !== order.requester.id;
  switch (order.state) {
    case 'completed':
      if (order.timing === 'now' && order.outcome !== 'scheduled_not_restored')
        return byOther
          ? `Order ${number} is complete: ${approvers(order)} approved it and **${order.product}** now has ${formatNumber(order.targetQuantity, audience)} seats.`
          : undefined;
      // A scheduled change, its cancellation, or a scheduled reduction that could not come back: always said.
      return byOther || order.outcome === 'scheduled_not_restored'
        ? `Order ${number}: ${completedText(order, audience)}`
        : undefined;
    case 'failed':
      return order.outcome === 'could_not_confirm'
        ? `Order ${number} for **${order.product}** could not be confirmed: ${failureText(order, audience)}`
        : `Order ${number} for **${order.product}** was not placed: ${failureText(order, audience)} Nothing was ordered.`;
    case 'rejected':
      return `${order.decidedBy ? plainText(order.decidedBy.name) : 'An approver'} rejected order ${number} for **${order.product}**${order.note ? `: "${plainText(order.note)}"` : '.'} Nothing was ordered.`;
    case 'expired':
      if (previous !== 'pending_approval') return undefined;
      return order.outcome === 'quantity_changed'
        ? `Order ${number} for **${order.product}** was not placed: the subscription's quantity changed while it waited for approval. Nothing was ordered; order again if you still need the change.`
        : `Order ${number} for **${order.product}** expired: no approver decided in time. Nothing was ordered.`;
    default:
      return undefined;
  }
}

export function approvalRoutedText(order: Order, reached: readonly string[], channel: boolean): string {
  const number = orderNumberText(order);
  if (reached.length > 0) return `Order ${number} waits for approval; I sent it to ${orList(reached)}.`;
  if (channel) {
    return `None of the approvers of ${order.billingProfileName} has a chat with me yet, so I posted order ${number} in the approvals channel.`;
  }
  return `Order ${number} waits for approval, but I can't reach any approver of ${order.billingProfileName} in Teams yet. Ask them to open License Desk once; they will find it under **orders**.`;
}

/** Who approved: the approver, or both when the order needed two. */
function approvers(order: Order): string {
  if (order.approvals.length > 1) return order.approvals.map((a) => plainText(a.name)).join(' and ');
  return plainText(order.decidedBy?.name ?? 'an approver');
}
