import { ordersCard, type OrdersCardData, type OrdersCardEntry } from '../../../cards/ordersCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import { formatMoneyChange } from '../../domain/money';
import { monthlyChange, orderNumberText, seatDelta, type Order, type OrderState } from '../../domain/order';
import { cardTime, formatNumber, plainText, plural, type Audience } from './format';
import type { UndeliveredNotice } from '../../services/orderQueries';
import { undeliveredText } from './deliveryText';
import { failureText } from './orderCardPresenter';
import { approvalProgressText } from './approvalText';

/** Orders per page of the orders card. */
export const ORDERS_PAGE_SIZE = 5;

const STATE_LABELS: Readonly<Record<OrderState, [string, OrdersCardEntry['stateColor']]>> = {
  draft: ['Not confirmed', 'Default'],
  pending_approval: ['Waiting for approval', 'Warning'],
  approved: ['Approved', 'Accent'],
  submitting: ['Being placed', 'Accent'],
  completed: ['Completed', 'Good'],
  failed: ['Failed', 'Attention'],
  rejected: ['Rejected', 'Attention'],
  cancelled: ['Cancelled', 'Default'],
  expired: ['Expired', 'Default'],
};

export interface OrdersPage {
  readonly orders: readonly Order[];
  readonly total: number;
  readonly page: number;
  readonly awaitingYou: readonly Order[];
  /** Messages about these orders that could not be delivered, by order id. */
  readonly undelivered?: ReadonlyMap<string, readonly UndeliveredNotice[]>;
}

export function ordersCardFor(page: OrdersPage, audience: Audience): AdaptiveCardJson {
  return ordersCard(ordersCardData(page, audience));
}

export function ordersCardData(
  { orders, total, page, awaitingYou, undelivered }: OrdersPage,
  audience: Audience,
): OrdersCardData {
  const n = (value: number) => formatNumber(value, audience);
  const first = (page - 1) * ORDERS_PAGE_SIZE + 1;
  const last = first + orders.length - 1;
  return {
    title: 'Your orders',
    subtitle:
      total === 0
        ? 'You have not ordered anything yet.'
        : `${n(first)}–${n(last)} of ${n(total)} ${plural(total, 'order', 'orders')}, newest first`,
    awaitingYou: awaitingYou.map((order) => entry(order, audience, true, undefined)),
    orders: orders.map((order) => entry(order, audience, false, undelivered?.get(order.id))),
    nextPage: last < total ? page + 1 : null,
  };
}

function entry(
  order: Order,
  audience: Audience,
  forApprover: boolean,
  undelivered: readonly UndeliveredNotice[] | undefined,
): OrdersCardEntry {
  const n = (value: number) => formatNumber(value, audience);
  const delta = seatDelta(order);
  const change =
    order.timing === 'cancel_scheduled'
      ? `cancel the scheduled change to ${order.product}`
      : order.kind === 'increase'
        ? `add ${n(delta)} seats to ${order.product}`
        : `remove ${n(-delta)} seats from ${order.product}${order.timing === 'at_renewal' ? ' at renewal' : ''}`;
  const [state, stateColor] = STATE_LABELS[order.state];
  return {
    orderId: order.id,
    headline: forApprover
      ? `${orderNumberText(order)} · ${plainText(order.requester.name)}: ${change}`
      : `${orderNumberText(order)} · ${change.charAt(0).toUpperCase()}${change.slice(1)}`,
    details:
      `${n(order.expectedQuantity)} → ${n(order.targetQuantity)} seats · ` +
      `${formatMoneyChange(monthlyChange(order), audience.locale)} a month · ${order.billingProfileName} · ${cardTime(order.createdAt)}`,
    state,
    stateColor,
    decision: decision(order, audience),
    undelivered: undeliveredText(undelivered),
  };
}

function decision(order: Order, audience: Audience): string | null {
  if (order.state === 'failed') return `Not placed: ${failureText(order, audience)}`;
  if (order.state === 'pending_approval') return approvalProgressText(order);
  if (!order.decidedBy || !order.decidedAt) return null;
  if (order.state === 'rejected') {
    return `Rejected by ${plainText(order.decidedBy.name)} on ${cardTime(order.decidedAt)}${order.note ? `: ${plainText(order.note)}` : ''}`;
  }
  if (order.state === 'cancelled')
    return `Cancelled by ${plainText(order.decidedBy.name)} on ${cardTime(order.decidedAt)}`;
  if (order.state === 'expired') return null;
  return `Approved by ${plainText(order.decidedBy.name)} on ${cardTime(order.decidedAt)}`;
}
