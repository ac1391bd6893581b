import type { CardActionHandler } from './cardAction';
import { currentView, refusedView, type OrderActionDependencies } from './orderActionSupport';

/** Reject, with the reason typed on the card: only an approver of the order's billing profile. */
export function rejectOrderAction(deps: OrderActionDependencies): CardActionHandler {
  return async (request) => {
    const result = await deps.orders.reject(request.actor, request.orderId, request.reason);
    return result.ok ? currentView(deps, request, result.value) : refusedView(deps, request, result);
  };
}
