import type { OrderView, StatusStyle } from './contract.js';
import { h, replaceChildren, richText } from './dom.js';
import { total, type Formatter } from './format.js';
import type { Messages } from './i18n.js';

/** What Approve led to for one order: where it stands now, or why it was refused. */
export type ApproveResult =
  | { readonly product: string; readonly order: OrderView }
  | { readonly product: string; readonly error: string };

/**
 * The confirmation the console shows after Apply: for each order the current and new quantity, the monthly cost
 * change and what happens to the bill, then Approve or Cancel; after Approve, what became of each order.
 */
export class ConfirmDialog {
  private readonly title: HTMLElement;
  private readonly content: HTMLElement;
  private readonly footer: HTMLElement;
  private onDismiss: (() => void) | undefined;

  constructor(
    private readonly dialog: HTMLDialogElement,
    private readonly format: Formatter,
    private readonly words: Messages,
  ) {
    this.title = h('h2', { id: 'confirm-title', class: 'dialog-title' });
    this.content = h('div', { class: 'dialog-body' });
    this.footer = h('div', { class: 'dialog-footer' });
    replaceChildren(dialog, this.title, this.content, this.footer);
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    // Escape: the same as the dismissing button of the current step; ignored while working.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      this.onDismiss?.();
    });
  }

  /** Shows the orders to confirm; resolves with the person's choice. */
  confirm(quotes: readonly OrderView[], alerts: readonly string[]): Promise<'approve' | 'cancel'> {
    this.title.textContent =
      quotes.length === 1 ? quotes[0].title : this.words.t('confirmChanges', { count: quotes.length });
    const sum = total(quotes.map((q) => q.monthlyChange));
    // The status of an order within the approval limit is the same hint for each: said once, under them all.
    const hints = new Set(quotes.flatMap((q) => (q.status && !q.needsApprover ? [q.status.text] : [])));
    replaceChildren(
      this.content,
      ...alerts.map((text) => h('p', { class: 'status status-warning', role: 'alert' }, richText(text))),
      ...quotes.map((quote) => this.quote(quote)),
      quotes.length > 1 && sum
        ? h(
            'p',
            { class: 'total' },
            `${this.words.t('totalChange')} `,
            h('strong', {}, this.format.moneyChange(sum)),
          )
        : null,
      ...[...hints].map((text) => h('p', { class: 'hint' }, richText(text))),
    );
    return new Promise((resolve) => {
      const approve = h(
        'button',
        { type: 'button', class: 'button primary', 'data-action': 'approve' },
        this.words.t('approve'),
      );
      const cancel = h(
        'button',
        { type: 'button', class: 'button secondary', 'data-action': 'cancel' },
        this.words.t('cancel'),
      );
      const choose = (choice: 'approve' | 'cancel') => {
        this.onDismiss = undefined;
        resolve(choice);
      };
      approve.addEventListener('click', () => choose('approve'));
      cancel.addEventListener('click', () => choose('cancel'));
      this.onDismiss = () => choose('cancel');
      replaceChildren(this.footer, cancel, approve);
      this.open();
      approve.focus();
    });
  }

  /** Between Approve and the outcome: no button, so nothing is sent twice. */
  working(text: string): void {
    this.onDismiss = undefined;
    replaceChildren(
      this.footer,
      h('span', { class: 'working', role: 'status' }, h('span', { class: 'spinner' }), text),
    );
    this.footer.querySelectorAll('button').forEach((b) => (b.disabled = true));
  }

  /** What became of each order; resolves when the person closes the dialog. */
  results(results: readonly ApproveResult[]): Promise<void> {
    this.title.textContent = this.words.t('yourOrders', { count: results.length });
    replaceChildren(this.content, ...results.map((result) => this.result(result)));
    return new Promise((resolve) => {
      const done = h(
        'button',
        { type: 'button', class: 'button primary', 'data-action': 'done' },
        this.words.t('done'),
      );
      const close = () => {
        this.onDismiss = undefined;
        this.close();
        resolve();
      };
      done.addEventListener('click', close);
      this.onDismiss = close;
      replaceChildren(this.footer, done);
      this.open();
      done.focus();
    });
  }

  close(): void {
    if (this.dialog.open) this.dialog.close();
  }

  private open(): void {
    if (!this.dialog.open) this.dialog.showModal();
  }

  private quote(quote: OrderView): HTMLElement {
    const heading = new Set([quote.product, quote.domain, quote.billingProfile, quote.plan]);
    return h(
      'article',
      { class: 'order', 'data-order-id': quote.id },
      h('h3', { class: 'order-product' }, quote.product),
      h('p', { class: 'order-meta' }, `${quote.domain} · ${quote.billingProfile} · ${quote.plan}`),
      h(
        'dl',
        { class: 'facts' },
        // Facts the heading already says (product, domain, billing profile, plan), whatever their titles' language.
        ...quote.facts
          .filter((fact) => !heading.has(fact.value))
          .flatMap((fact) => [h('dt', {}, fact.title), h('dd', {}, fact.value)]),
      ),
      h('p', { class: `billing-note ${quote.kind}` }, quote.billingNote),
      quote.status && quote.needsApprover ? this.status(quote.status) : null,
    );
  }

  private result(result: ApproveResult): HTMLElement {
    if ('error' in result) {
      return h(
        'article',
        { class: 'order result' },
        h('h3', { class: 'order-product' }, result.product),
        this.status({ text: result.error, style: 'attention' }),
      );
    }
    const { order } = result;
    return h(
      'article',
      { class: 'order result', 'data-order-id': order.id, 'data-state': order.state },
      h('h3', { class: 'order-product' }, order.product),
      h(
        'p',
        { class: 'order-meta' },
        this.words.t('orderMeta', { number: order.number, title: order.title }),
      ),
      order.status ? this.status(order.status) : null,
      order.state === 'pending_approval'
        ? h('p', { class: 'hint' }, this.words.t('pendingHint'))
        : order.final
          ? null
          : h('p', { class: 'hint' }, this.words.t('placedHint')),
    );
  }

  private status(status: { text: string; style: StatusStyle }): HTMLElement {
    return h('p', { class: `status status-${status.style}`, role: 'status' }, richText(status.text));
  }
}
