import type { OrderView } from './contract.js';
import { h, replaceChildren, richText } from './dom.js';
import type { Formatter } from './format.js';
import type { Messages } from './i18n.js';

/** The person's latest orders and where each stands, as the bot's `orders` command lists them. */
export function renderOrders(
  list: HTMLElement,
  orders: readonly OrderView[],
  format: Formatter,
  words: Messages,
): void {
  if (orders.length === 0) {
    replaceChildren(list, h('li', { class: 'empty' }, words.t('ordersEmpty')));
    return;
  }
  replaceChildren(
    list,
    ...orders.map((order) =>
      h(
        'li',
        { class: 'order-item', 'data-order-id': order.id, 'data-state': order.state },
        h(
          'div',
          { class: 'order-line' },
          h(
            'span',
            { class: 'order-title' },
            order.title.replace(/^Confirm: (.)/, (_, c: string) => c.toUpperCase()),
          ),
          h('span', { class: 'order-when' }, `${order.number} · ${format.dateTime(order.createdAt)}`),
        ),
        order.state === 'draft'
          ? h('p', { class: 'status-line' }, words.t('draftNotApproved'))
          : order.status
            ? h('p', { class: `status-line status-text-${order.status.style}` }, richText(order.status.text))
            : null,
        order.undelivered ? h('p', { class: 'status-line status-text-attention' }, order.undelivered) : null,
      ),
    ),
  );
}
