import type { SubscriptionRow } from './contract.js';
import { h, replaceChildren } from './dom.js';
import { times, type Formatter } from './format.js';
import type { Messages } from './i18n.js';
import { canAdd, canRemove, hasRemoveControl, type PendingChanges } from './pending.js';

export interface LicenseTableEvents {
  step(row: SubscriptionRow, direction: 1 | -1): void;
  reset(row: SubscriptionRow): void;
  /** "Cancel scheduled change": an order, confirmed like the others. */
  cancelScheduled(row: SubscriptionRow): void;
}

/**
 * The console's Office 365 list: one row per subscription with quantity, seats in use, free seats and monthly
 * cost, a + on every row and a − where seats can be removed (now or at renewal), the renewal facts and any
 * reduction scheduled for the renewal, with "Cancel scheduled change". The controls change a pending number of seats; nothing is
 * ordered until Apply and Approve.
 */
export class LicenseTable {
  private rows: readonly SubscriptionRow[] = [];

  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly pending: PendingChanges,
    private readonly format: Formatter,
    private readonly words: Messages,
    private readonly events: LicenseTableEvents,
  ) {
    body.addEventListener('click', (event) => this.clicked(event));
  }

  show(rows: readonly SubscriptionRow[]): void {
    this.rows = rows;
    this.render();
  }

  /** Redraws every row, keeping the keyboard focus on the control that had it. */
  render(): void {
    const focused = document.activeElement;
    const focusKey =
      focused instanceof HTMLElement && this.body.contains(focused) ? focused.dataset.key : undefined;
    replaceChildren(this.body, ...this.rows.map((row) => this.row(row)));
    if (focusKey) {
      const find = (key: string) => {
        const element = this.body.querySelector<HTMLElement>(`[data-key="${CSS.escape(key)}"]`);
        return element && !element.hasAttribute('disabled') ? element : null;
      };
      const rowId = focusKey.slice(0, focusKey.lastIndexOf(':'));
      (find(focusKey) ?? find(`${rowId}:add`) ?? find(`${rowId}:remove`))?.focus();
    }
  }

  private row(row: SubscriptionRow): HTMLTableRowElement {
    const f = this.format;
    const delta = this.pending.delta(row.id);
    const changed = delta !== 0;
    const nearlyFull = row.free < Math.max(1, row.quantity * 0.1);
    return h(
      'tr',
      { 'data-subscription-id': row.id, class: changed ? 'changed' : undefined },
      h(
        'th',
        { scope: 'row', class: 'product' },
        h('span', { class: 'product-name' }, row.product),
        row.active ? null : h('span', { class: 'badge badge-attention' }, this.words.t('suspended')),
        // Narrow tabs fold the domain and billing profile columns into this line.
        h('span', { class: 'product-meta', 'aria-hidden': 'true' }, `${row.domain} · ${row.billingProfile}`),
        h('span', { class: 'product-renewal', 'data-column': 'renewal' }, row.renewal),
        row.scheduled
          ? h(
              'span',
              { class: 'product-scheduled', 'data-column': 'scheduled' },
              row.scheduled,
              row.canCancelScheduled
                ? h(
                    'button',
                    {
                      type: 'button',
                      class: 'link-button',
                      'data-action': 'cancel-scheduled',
                      'data-key': `${row.id}:cancel-scheduled`,
                    },
                    this.words.t('cancelScheduled'),
                  )
                : null,
            )
          : null,
      ),
      h('td', { class: 'wide-only', 'data-column': 'domain' }, row.domain),
      h('td', { class: 'wide-only', 'data-column': 'billing-profile' }, row.billingProfile),
      h(
        'td',
        { 'data-column': 'plan' },
        h(
          'span',
          { class: `badge plan-${row.plan.toLowerCase()}`, title: row.restriction ?? undefined },
          row.plan,
        ),
      ),
      h('td', { class: 'quantity', 'data-column': 'quantity' }, this.stepper(row, delta)),
      h('td', { class: 'num', 'data-column': 'in-use' }, f.number(row.inUse)),
      h('td', { class: `num${nearlyFull ? ' nearly-full' : ''}`, 'data-column': 'free' }, f.number(row.free)),
      h(
        'td',
        { class: 'num', 'data-column': 'monthly-cost' },
        h('span', {}, f.money(row.monthlyCost)),
        changed
          ? h(
              'span',
              { class: `cost-change ${delta > 0 ? 'up' : 'down'}` },
              this.words.t('perMonth', { amount: f.moneyChange(times(row.pricePerSeat, delta)) }),
            )
          : null,
      ),
    );
  }

  private stepper(row: SubscriptionRow, delta: number): HTMLElement {
    const f = this.format;
    const target = row.quantity + delta;
    const remove = hasRemoveControl(row)
      ? h(
          'button',
          {
            type: 'button',
            class: 'step',
            'data-action': 'remove',
            'data-key': `${row.id}:remove`,
            'aria-label': this.words.t('removeSeatFrom', { product: row.product }),
            title: row.removeOffers ?? this.words.t('removeSeat'),
            disabled: !canRemove(row, delta),
          },
          '−',
        )
      : h('span', {
          class: 'step-placeholder',
          title: row.restriction ? row.restriction.replace(/\*\*/g, '') : undefined,
        });
    return h(
      'div',
      { class: 'stepper' },
      remove,
      h(
        'span',
        { class: 'qty' },
        delta === 0
          ? h('span', { class: 'qty-now' }, f.number(row.quantity))
          : h(
              'span',
              { class: 'qty-now' },
              h('span', { class: 'qty-before' }, f.number(row.quantity)),
              h('span', { class: 'arrow', 'aria-hidden': 'true' }, ' → '),
              h('span', { class: 'qty-after' }, f.number(target)),
            ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'step',
          'data-action': 'add',
          'data-key': `${row.id}:add`,
          'aria-label': this.words.t('addSeatTo', { product: row.product }),
          title: this.words.t('addSeat'),
          disabled: !canAdd(row, delta),
        },
        '+',
      ),
      delta === 0
        ? null
        : h(
            'span',
            { class: `delta ${delta > 0 ? 'up' : 'down'}` },
            f.seatChange(delta),
            h(
              'button',
              {
                type: 'button',
                class: 'undo',
                'data-action': 'reset',
                'data-key': `${row.id}:reset`,
                'aria-label': this.words.t('undoChange', { product: row.product }),
                title: this.words.t('undo'),
              },
              '×',
            ),
          ),
    );
  }

  private clicked(event: Event): void {
    const button = (event.target as Element).closest<HTMLButtonElement>('button[data-action]');
    if (!button || button.disabled) return;
    const id = button.closest('tr')?.dataset.subscriptionId;
    const row = this.rows.find((r) => r.id === id);
    if (!row) return;
    const action = button.dataset.action;
    if (action === 'reset') this.events.reset(row);
    else if (action === 'cancel-scheduled') this.events.cancelScheduled(row);
    else this.events.step(row, action === 'add' ? 1 : -1);
  }
}
