import type { OrderView } from './contract.js';
import { h, replaceChildren, richText } from './dom.js';
import type { Formatter } from './format.js';
import type { Messages } from './i18n.js';

export interface ApprovalHandlers {
  approve(orderIds: string[]): void;
  reject(orderId: string, reason: string): void;
  reassign(orderId: string, personId: string): void;
}

type ReassignChoices = Readonly<Record<string, readonly { readonly id: string; readonly name: string }[]>>;

/**
 * The Approvals page: the orders waiting for this person's approval, each with Approve and Reject (a reason is
 * asked for), and a check box for approving several at once. `answers` holds the last answer per order (a refusal
 * in the bot's words, shown under that order). An Access Admin of an escalated order also gets Reassign, with the
 * approvers it can go to (`reassign`, from the server).
 */
export function renderApprovals(
  list: HTMLElement,
  orders: readonly OrderView[],
  answers: ReadonlyMap<string, string>,
  format: Formatter,
  words: Messages,
  handlers: ApprovalHandlers,
  reassign: ReassignChoices = {},
): void {
  if (orders.length === 0) {
    replaceChildren(list, h('li', { class: 'empty' }, words.t('approvalsEmpty')));
    return;
  }
  replaceChildren(
    list,
    ...orders.map((order) => {
      const reason = h('input', {
        type: 'text',
        class: 'reject-reason',
        maxlength: '500',
        placeholder: words.t('rejectPlaceholder'),
        'aria-label': words.t('rejectReasonFor', { order: order.number }),
      });
      const rejectRow = h(
        'div',
        { class: 'reject-row', hidden: true },
        reason,
        h(
          'button',
          { type: 'button', class: 'button secondary', 'data-action': 'confirm-reject' },
          words.t('reject'),
        ),
      );
      const choices = reassign[order.id] ?? [];
      const person = h(
        'select',
        { class: 'reassign-person', 'aria-label': words.t('reassignTo', { order: order.number }) },
        ...choices.map((p) => h('option', { value: p.id }, p.name)),
      );
      const reassignRow = h(
        'div',
        { class: 'reassign-row', hidden: true },
        person,
        h(
          'button',
          { type: 'button', class: 'button secondary', 'data-action': 'confirm-reassign' },
          words.t('reassign'),
        ),
      );
      const item = h(
        'li',
        { class: 'order-item', 'data-order-id': order.id, 'data-state': order.state },
        h(
          'div',
          { class: 'order-line' },
          h(
            'label',
            { class: 'order-title' },
            h('input', { type: 'checkbox', class: 'select-order', value: order.id }),
            ` ${order.title}`,
          ),
          h('span', { class: 'order-when' }, `${order.number} · ${format.dateTime(order.createdAt)}`),
        ),
        h(
          'p',
          { class: 'status-line' },
          `${order.billingProfile} · ${words.t('perMonth', { amount: format.moneyChange(order.monthlyChange) })}`,
        ),
        order.status
          ? h('p', { class: `status-line status-text-${order.status.style}` }, richText(order.status.text))
          : null,
        answers.has(order.id)
          ? h('p', { class: 'status-line status-text-attention' }, answers.get(order.id) ?? '')
          : null,
        h(
          'div',
          { class: 'order-actions' },
          h(
            'button',
            { type: 'button', class: 'button primary', 'data-action': 'approve' },
            words.t('approve'),
          ),
          h(
            'button',
            { type: 'button', class: 'button secondary', 'data-action': 'reject' },
            words.t('rejectOpen'),
          ),
          choices.length > 0
            ? h(
                'button',
                { type: 'button', class: 'button secondary', 'data-action': 'reassign' },
                words.t('reassignOpen'),
              )
            : null,
        ),
        rejectRow,
        choices.length > 0 ? reassignRow : null,
      );
      item.addEventListener('click', (event) => {
        const action = (event.target as HTMLElement).getAttribute('data-action');
        if (action === 'approve') handlers.approve([order.id]);
        if (action === 'reject') {
          rejectRow.hidden = false;
          reason.focus();
        }
        if (action === 'confirm-reject') handlers.reject(order.id, reason.value);
        if (action === 'reassign') {
          reassignRow.hidden = false;
          person.focus();
        }
        if (action === 'confirm-reassign') handlers.reassign(order.id, person.value);
      });
      return item;
    }),
  );
}

/** The orders whose check box is ticked. */
export function selectedOrders(list: HTMLElement): string[] {
  return [...list.querySelectorAll<HTMLInputElement>('input.select-order:checked')].map((box) => box.value);
}
