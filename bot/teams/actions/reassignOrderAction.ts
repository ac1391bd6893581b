import { reassignedText } from '../presenters/approvalText';
import type { CardActionHandler } from './cardAction';
import { currentView, refusedView, type OrderActionDependencies } from './orderActionSupport';

/**
 * Reassign, with the approver chosen on the card: an Access Admin of the order's billing profile sends an
 * escalated order to another approver (bot/domain/approvalPolicy.ts). The tapper sees to whom it went.
 */
export function reassignOrderAction(deps: OrderActionDependencies): CardActionHandler {
  return async (request) => {
    const result = await deps.orders.reassign(request.actor, request.orderId, request.personId ?? '');
    if (!result.ok) return refusedView(deps, request, result);
    const { order, to, recipient } = result.value;
    return currentView(deps, request, order, { text: reassignedText(to, recipient), style: 'good' });
  };
}
