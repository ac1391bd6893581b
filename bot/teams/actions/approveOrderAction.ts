import { requotedText } from '../presenters/orderCardPresenter';
import { refusalText } from '../presenters/refusalText';
import type { CardActionHandler } from './cardAction';
import { currentView, refusedView, type OrderActionDependencies } from './orderActionSupport';

/**
 * Approve: the requester confirms a draft, or an approver approves a waiting order. The invoke is answered
 * with the tapper's new view at once; the provider call runs afterwards (OrderService.submit).
 */
export function approveOrderAction(deps: OrderActionDependencies): CardActionHandler {
  return async (request) => {
    const result = await deps.orders.approve(request.actor, request.orderId);
    if (!result.ok) return refusedView(deps, request, result);
    const outcome = result.value;
    switch (outcome.kind) {
      case 'submitting':
      case 'awaiting_approver':
      case 'partly_approved':
        return currentView(deps, request, outcome.order);
      case 'stale':
        return currentView(deps, request, outcome.order, {
          text: 'The quantity changed while this order waited, so it was not placed. The requester has been told.',
          style: 'warning',
        });
      case 'requoted': {
        const changed = requotedText(outcome.previous, outcome.fresh, request.audience);
        if (!outcome.fresh.ok) {
          return currentView(deps, request, outcome.previous, {
            text: `${changed} ${refusalText(outcome.fresh.refusal, request.audience)}`,
            style: 'attention',
          });
        }
        await deps.cards.recordActedOnCopy(
          request.context,
          outcome.fresh.value,
          deps.cards.audienceHere(request.context, 'requester'),
        );
        return currentView(deps, request, outcome.fresh.value, {
          text: `${changed} Check the new numbers, then Approve again.`,
          style: 'warning',
        });
      }
    }
  };
}
