import { ordersCard, type OrdersCardData, type OrdersCardEntry } from '../../../cards/ordersCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import { formatMoneyChange } from '../../domain/money';
import { monthlyChange, orderNumberText, seatDelta, type Order, type OrderState } from '../../domain/order';
import { cardTime, formatNumber, plainText, wordsFor, type Audience } from './format';
import type { UndeliveredNotice } from '../../services/orderQueries';
import { undeliveredText } from './deliveryText';
import { failureText } from './orderCardPresenter';
import { approvalProgressText } from './approvalText';

/** Orders per page of the orders card. */
export const ORDERS_PAGE_SIZE = 5;

const STATE_COLORS: Readonly<Record<OrderState, OrdersCardEntry['stateColor']>> = {
  draft: 'Default',
  pending_approval: 'Warning',
  approved: 'Accent',
  submitting: 'Accent',
  completed: 'Good',
  failed: 'Attention',
  rejected: 'Attention',
  cancelled: 'Default',
  expired: 'Default',
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
  const words = wordsFor(audience);
  const { t } = words;
  const n = (value: number) => formatNumber(value, audience);
  const first = (page - 1) * ORDERS_PAGE_SIZE + 1;
  const last = first + orders.length - 1;
  return {
    lang: words.lang,
    labels: {
      awaitingYou: t('cards.ordersAwaitingYou'),
      open: t('cards.ordersOpen'),
      older: t('cards.ordersOlder'),
    },
    title: t('cards.ordersTitle'),
    subtitle:
      total === 0
        ? t('cards.ordersNone')
        : t('cards.ordersSubtitle', { first: n(first), last: n(last), total }),
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
  const { t } = wordsFor(audience);
  const n = (value: number) => formatNumber(value, audience);
  const delta = seatDelta(order);
  const values = {
    product: order.product,
    count: Math.abs(delta),
    capital: forApprover ? 'no' : 'yes',
    at: order.timing === 'at_renewal' ? 'yes' : 'no',
  };
  const change =
    order.timing === 'cancel_scheduled'
      ? t('cards.ordersChangeCancelScheduled', values)
      : order.kind === 'increase'
        ? t('cards.ordersChangeAdd', values)
        : t('cards.ordersChangeRemove', values);
  return {
    orderId: order.id,
    headline: forApprover
      ? t('cards.ordersHeadlineForApprover', {
          number: orderNumberText(order),
          requester: plainText(order.requester.name),
          change,
        })
      : t('cards.ordersHeadline', { number: orderNumberText(order), change }),
    details: t('cards.ordersDetails', {
      from: n(order.expectedQuantity),
      to: n(order.targetQuantity),
      change: formatMoneyChange(monthlyChange(order), wordsFor(audience).locale),
      billingProfile: order.billingProfileName,
      at: cardTime(order.createdAt),
    }),
    state: t('cards.orderState', { state: order.state }),
    stateColor: STATE_COLORS[order.state],
    decision: decision(order, audience),
    undelivered: undeliveredText(undelivered, audience),
  };
}

function decision(order: Order, audience: Audience): string | null {
  const { t } = wordsFor(audience);
  if (order.state === 'failed') return t('cards.ordersNotPlaced', { reason: failureText(order, audience) });
  if (order.state === 'pending_approval') return approvalProgressText(order, audience);
  if (!order.decidedBy || !order.decidedAt) return null;
  if (order.state === 'expired') return null;
  const by = plainText(order.decidedBy.name);
  const at = cardTime(order.decidedAt);
  if (order.state === 'rejected' && order.note)
    return t('cards.ordersRejectedBecause', { by, at, reason: plainText(order.note) });
  return t('cards.decision', {
    decision:
      order.state === 'rejected' ? 'rejected' : order.state === 'cancelled' ? 'cancelled' : 'approved',
    by,
    at,
  });
}
