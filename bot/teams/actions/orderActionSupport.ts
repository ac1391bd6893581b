import type { CardStyle } from '../../../cards/orderCard';
import type { Order } from '../../domain/order';
import type { Refusal } from '../../domain/refusal';
import type { OrderService } from '../../services/orderService';
import type { OrderVisibility } from '../../services/orderVisibility';
import type { OrderCards } from '../orderCards';
import { refusalText } from '../presenters/refusalText';
import type { CardActionReply, CardActionRequest } from './cardAction';

/** What every order action needs. */
export interface OrderActionDependencies {
  readonly orders: OrderService;
  readonly cards: OrderCards;
  /** Who may see an order (bot/domain/orderVisibility.ts). */
  readonly visibility: OrderVisibility;
}

/** The tapper's own view of the order as it is now, with an optional line on top. */
export async function currentView(
  deps: OrderActionDependencies,
  request: CardActionRequest,
  order: Order,
  alert?: { text: string; style: CardStyle },
): Promise<CardActionReply> {
  const viewer = await deps.cards.viewerRole(request.actor.id, order);
  return {
    card: await deps.cards.render(order, viewer, request.audience, alert ? { alert } : {}, request.actor.id),
  };
}

/** A refusal shown on top of the order's current card (or as a message when there is no order to show). */
export async function refusedView(
  deps: OrderActionDependencies,
  request: CardActionRequest,
  refused: { refusal: Refusal; current?: Order },
): Promise<CardActionReply> {
  const { refusal } = refused;
  const text = refusalText(refusal, request.audience);
  // "Not found" may mean "of another tenant": show nothing of the order then.
  const order =
    refusal.code === 'order_not_found'
      ? undefined
      : (refused.current ?? (await deps.orders.orderFor(request.actor, request.orderId)));
  if (!order) return { message: text };
  // Someone who may not see the order learns nothing of it, not even why they cannot act on it.
  const seen = await deps.visibility.ground(
    request.actor,
    order,
    deps.cards.postedWhereAsked(request.context),
  );
  if (!seen) return { message: refusalText({ code: 'order_not_found' }, request.audience) };
  return currentView(deps, request, order, {
    text,
    style: refusal.code === 'already_decided' ? 'warning' : 'attention',
  });
}
