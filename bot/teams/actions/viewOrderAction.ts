import type { CardActionHandler } from './cardAction';
import { currentView, refusedView, type OrderActionDependencies } from './orderActionSupport';

/**
 * Universal Actions refresh: answers with the viewer's own view of the order and nothing else. It never
 * sends or updates a card, and changes nothing.
 */
export function viewOrderAction(deps: OrderActionDependencies): CardActionHandler {
  return async (request) => {
    const order = await deps.orders.orderFor(request.actor, request.orderId);
    return order
      ? currentView(deps, request, order)
      : refusedView(deps, request, { refusal: { code: 'order_not_found' } });
  };
}
