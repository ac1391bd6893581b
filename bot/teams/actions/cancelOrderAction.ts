import type { CardActionHandler } from './cardAction';
import { currentView, refusedView, type OrderActionDependencies } from './orderActionSupport';

/** Cancel: the requester withdraws a draft, or an order still waiting for an approver. */
export function cancelOrderAction(deps: OrderActionDependencies): CardActionHandler {
  return async (request) => {
    const result = await deps.orders.cancel(request.actor, request.orderId);
    return result.ok ? currentView(deps, request, result.value) : refusedView(deps, request, result);
  };
}
