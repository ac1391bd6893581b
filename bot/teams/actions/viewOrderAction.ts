import { noticeCard } from '../../../cards/noticeCard';
import { translator } from '../../i18n';
import { replies } from '../presenters/replies';
import type { CardActionHandler } from './cardAction';
import { currentView, type OrderActionDependencies } from './orderActionSupport';

/**
 * Universal Actions refresh: answers with the viewer's own view of the order and nothing else, to those who may
 * see it (bot/domain/orderVisibility.ts); anyone else, and an order that does not exist, get a short card that
 * says it is not available. It never sends or updates a card, and changes nothing.
 */
export function viewOrderAction(deps: OrderActionDependencies): CardActionHandler {
  return async (request) => {
    const order = await deps.visibility.visibleOrder(
      request.actor,
      request.orderId,
      deps.cards.postedWhereAsked(request.context),
    );
    return order
      ? currentView(deps, request, order)
      : {
          card: noticeCard({
            text: replies.orderNotAvailableIn(request.audience),
            lang: translator(request.audience.locale).lang,
          }),
        };
  };
}
