import { AccessPage } from './accessPage.js';
import { Api, DEFAULT_DEV_USER } from './api.js';
import { ConfirmDialog, type ApproveResult } from './confirmDialog.js';
import type { OrderView, StatusStyle, SubscriptionRow, SubscriptionsResponse } from './contract.js';
import { byId, h, replaceChildren, richText } from './dom.js';
import { Formatter, times, total } from './format.js';
import { loadMessages, type Messages } from './i18n.js';
import { LicenseTable } from './licenseTable.js';
import { renderOrders } from './ordersList.js';
import { renderAbsence } from './absenceForm.js';
import { renderApprovals, selectedOrders } from './approvalsList.js';
import { PendingChanges } from './pending.js';
import { asTheme, connectToHost, type Theme } from './teamsHost.js';

/** How often and how long the page asks for an approved order's outcome (the provider call runs afterwards). */
const POLL_INTERVAL_MS = 400;
const POLL_LIMIT_MS = 20_000;
const DEV_USER = /^[0-9A-Za-z-]{1,64}$/;

/** The Licenses tab: the console's Office 365 page in Teams. */
class LicensesPage {
  private rows: readonly SubscriptionRow[] = [];
  private readonly pending = new PendingChanges();
  private readonly table: LicenseTable;
  private readonly dialog: ConfirmDialog;
  private readonly main = byId<HTMLElement>('page');
  private readonly applyButton = byId<HTMLButtonElement>('apply');
  private readonly discardButton = byId<HTMLButtonElement>('discard');
  private readonly summary = byId<HTMLElement>('pending-summary');
  private readonly message = byId<HTMLElement>('message');
  private busy = false;

  constructor(
    private readonly api: Api,
    private readonly format: Formatter,
    private readonly words: Messages,
  ) {
    this.table = new LicenseTable(byId('subscription-rows'), this.pending, format, words, {
      step: (row, direction) => {
        if (this.pending.step(row, direction)) this.changed();
      },
      reset: (row) => {
        this.pending.reset(row.id);
        this.changed();
      },
      cancelScheduled: (row) => void this.cancelScheduled(row),
    });
    this.dialog = new ConfirmDialog(byId('confirm'), format, words);
    this.applyButton.addEventListener('click', () => void this.apply());
    byId('approve-selected').addEventListener('click', () => {
      const ids = selectedOrders(byId('approvals'));
      if (ids.length > 0) void this.approveOrders(ids);
    });
    this.discardButton.addEventListener('click', () => {
      this.pending.clear();
      this.changed();
    });
  }

  /** Loads the subscriptions and recent orders; false when the person could not be signed in. */
  async load(): Promise<boolean> {
    const [subscriptions, orders] = await Promise.all([this.api.subscriptions(), this.api.recentOrders()]);
    this.main.setAttribute('aria-busy', 'false');
    if (!subscriptions.ok) {
      this.rows = [];
      this.table.show([]);
      this.showMessage(subscriptions.error.error, 'attention');
      byId('subscriptions-card').hidden = true;
      byId('orders-card').hidden = true;
      return false;
    }
    this.showIdentity(subscriptions.value);
    this.rows = subscriptions.value.subscriptions;
    this.pending.reconcile(this.rows);
    this.table.show(this.rows);
    const notice = subscriptions.value.notice;
    byId('subscriptions-card').hidden = this.rows.length === 0;
    if (notice) this.showMessage(notice, 'warning');
    if (orders.ok) renderOrders(byId('orders'), orders.value.orders, this.format, this.words);
    await this.loadApprovals();
    this.changed();
    return true;
  }

  /** The Access page, offered only to Access Admins (the server says who is one). */
  async loadAccess(): Promise<void> {
    const access = new AccessPage(byId('access-view'), this.api, this.format, this.words, (text, style) =>
      this.showMessage(text, style),
    );
    if (!(await access.load())) return;
    const licenses = byId<HTMLButtonElement>('show-licenses');
    const accessTab = byId<HTMLButtonElement>('show-access');
    const show = (which: 'licenses' | 'access') => {
      byId('licenses-view').hidden = which !== 'licenses';
      byId('access-view').hidden = which !== 'access';
      for (const [button, name] of [
        [licenses, 'licenses'],
        [accessTab, 'access'],
      ] as const) {
        if (name === which) button.setAttribute('aria-current', 'page');
        else button.removeAttribute('aria-current');
      }
      this.hideMessage();
    };
    licenses.addEventListener('click', () => show('licenses'));
    accessTab.addEventListener('click', () => show('access'));
    byId('views').hidden = false;
    if (new URLSearchParams(window.location.search).get('view') === 'access') show('access');
  }

  /** The Approvals page: shown to whoever has orders waiting for them, or approves orders (to set an absence). */
  private async loadApprovals(): Promise<void> {
    const waiting = await this.api.approvals();
    const orders = waiting.ok ? waiting.value.orders : [];
    const absence = waiting.ok ? waiting.value.absence : { approves: false, away: null, delegates: [] };
    byId('approvals-card').hidden =
      orders.length === 0 && this.approvalAnswers.size === 0 && !absence.approves && absence.away === null;
    byId('approve-selected').hidden = orders.length === 0;
    renderApprovals(
      byId('approvals'),
      orders,
      this.approvalAnswers,
      this.format,
      this.words,
      {
        approve: (ids) => void this.approveOrders(ids),
        reject: (id, reason) => void this.rejectOrder(id, reason),
        reassign: (id, personId) => void this.reassignOrder(id, personId),
      },
      waiting.ok ? waiting.value.reassign : {},
    );
    renderAbsence(byId('absence'), absence, this.absenceAnswer, this.format, this.words, {
      away: (until, delegate) => void this.setAway(until, delegate),
      back: () => void this.setBack(),
    });
  }

  private readonly approvalAnswers = new Map<string, string>();
  /** The server's refusal of the last absence asked for, with what was typed. */
  private absenceAnswer: { error: string; until: string; delegate: string } | undefined;

  private async reassignOrder(id: string, personId: string): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    try {
      const answer = await this.api.reassignOrder(id, personId);
      this.approvalAnswers.clear();
      if (!answer.ok) this.approvalAnswers.set(id, answer.error.error);
      else this.showMessage(`${answer.value.order.number}: ${answer.value.message}`, 'good');
      await this.loadApprovals();
    } finally {
      this.setBusy(false);
    }
  }

  private async setAway(until: string, delegate: string): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    try {
      const answer = await this.api.away(until, delegate);
      this.absenceAnswer = answer.ok ? undefined : { error: answer.error.error, until, delegate };
      if (answer.ok) this.showMessage(answer.value.message, 'good');
      await this.loadApprovals();
    } finally {
      this.setBusy(false);
    }
  }

  private async setBack(): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    try {
      const answer = await this.api.back();
      this.absenceAnswer = undefined;
      this.showMessage(
        answer.ok ? answer.value.message : answer.error.error,
        answer.ok ? 'good' : 'attention',
      );
      await this.loadApprovals();
    } finally {
      this.setBusy(false);
    }
  }

  /** Approve one or several: each order answered on its own (a refusal stays next to it). */
  private async approveOrders(ids: string[]): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    try {
      const answer = await this.api.approveOrders(ids);
      this.approvalAnswers.clear();
      if (!answer.ok) this.showMessage(answer.error.error, 'attention');
      else
        for (const result of answer.value.results)
          if (result.error) this.approvalAnswers.set(result.orderId, result.error);
      const approved = answer.ok ? answer.value.results.filter((r) => r.error === null).length : 0;
      if (approved > 0) this.showMessage(this.words.t('approvedOrders', { count: approved }), 'good');
      await this.loadApprovals();
    } finally {
      this.setBusy(false);
    }
  }

  private async rejectOrder(id: string, reason: string): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    try {
      const answer = await this.api.rejectOrder(id, reason);
      this.approvalAnswers.clear();
      if (!answer.ok) this.approvalAnswers.set(id, answer.error.error);
      else this.showMessage(this.words.t('rejectedOrder', { order: answer.value.order.number }), 'good');
      await this.loadApprovals();
    } finally {
      this.setBusy(false);
    }
  }

  private showIdentity({ user, mode }: SubscriptionsResponse): void {
    showWho(user.name);
    const banner = byId('banner');
    banner.hidden = mode !== 'development';
    if (mode === 'development') {
      replaceChildren(banner, richText(this.words.t('devBanner', { name: user.name })));
    }
  }

  /** Apply: one draft order per changed subscription, then the confirmation with the cost change. */
  private async apply(): Promise<void> {
    if (this.busy || this.pending.size === 0) return;
    this.setBusy(true);
    this.hideMessage();
    try {
      const quotes: OrderView[] = [];
      for (const change of this.pending.changes()) {
        const row = this.rows.find((r) => r.id === change.id);
        if (!row) continue;
        const requested = await this.api.requestOrder({
          subscriptionId: row.id,
          kind: change.delta > 0 ? 'increase' : 'decrease',
          seats: Math.abs(change.delta),
        });
        if (!requested.ok) {
          await this.cancelAll(quotes);
          await this.reload();
          const why = requested.error.error;
          this.showMessage(why.includes(row.product) ? why : `${row.product}: ${why}`, 'attention');
          return;
        }
        quotes.push(requested.value.order);
      }
      if (quotes.length > 0) await this.confirm(quotes, []);
    } finally {
      this.setBusy(false);
    }
  }

  /** Cancel scheduled change: a draft order that renews the subscription as it is, then the confirmation. */
  private async cancelScheduled(row: SubscriptionRow): Promise<void> {
    if (this.busy) return;
    this.setBusy(true);
    this.hideMessage();
    try {
      const requested = await this.api.requestOrder({
        subscriptionId: row.id,
        kind: 'cancel_scheduled',
        seats: 0,
      });
      if (!requested.ok) {
        await this.reload();
        this.showMessage(requested.error.error, 'attention');
        return;
      }
      await this.confirm([requested.value.order], []);
    } finally {
      this.setBusy(false);
    }
  }

  private async confirm(quotes: readonly OrderView[], alerts: readonly string[]): Promise<void> {
    const choice = await this.dialog.confirm(quotes, alerts);
    if (choice === 'cancel') {
      this.dialog.working(this.words.t('cancelling'));
      await this.cancelAll(quotes);
      this.dialog.close();
      this.showMessage(this.words.t('cancelledNothingOrdered'), 'default');
      await this.reload();
      return;
    }
    this.dialog.working(this.words.t('placingOrders', { count: quotes.length }));
    const results: Promise<ApproveResult>[] = [];
    const fresh: OrderView[] = [];
    const freshAlerts: string[] = [];
    for (const quote of quotes) {
      const approved = await this.api.approve(quote.id);
      if (approved.ok) {
        this.pending.reset(quote.subscriptionId);
        results.push(this.outcome(quote.product, approved.value.order));
      } else if (approved.error.order) {
        fresh.push(approved.error.order);
        freshAlerts.push(approved.error.error);
      } else {
        results.push(Promise.resolve({ product: quote.product, error: approved.error.error }));
      }
    }
    const settled = await Promise.all(results);
    await this.reload();
    if (fresh.length > 0) {
      const placed = settled.map((r) =>
        'error' in r ? `${r.product}: ${r.error}` : (r.order.status?.text ?? ''),
      );
      return this.confirm(fresh, [...freshAlerts, ...placed.filter((text) => text !== '')]);
    }
    await this.dialog.results(settled);
  }

  /** Waits (a little) for an approved order to be placed, so the person sees the outcome, not just "approved". */
  private async outcome(product: string, approved: OrderView): Promise<ApproveResult> {
    let order = approved;
    const deadline = Date.now() + POLL_LIMIT_MS;
    while (!order.final && order.state !== 'pending_approval' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      const latest = await this.api.order(order.id);
      if (!latest.ok) break;
      order = latest.value.order;
    }
    return { product, order };
  }

  private async cancelAll(quotes: readonly OrderView[]): Promise<void> {
    await Promise.all(quotes.map((quote) => this.api.cancel(quote.id)));
  }

  private async reload(): Promise<void> {
    const [subscriptions, orders] = await Promise.all([this.api.subscriptions(), this.api.recentOrders()]);
    if (subscriptions.ok) {
      this.rows = subscriptions.value.subscriptions;
      this.pending.reconcile(this.rows);
      this.table.show(this.rows);
    }
    if (orders.ok) renderOrders(byId('orders'), orders.value.orders, this.format, this.words);
    this.changed();
  }

  /** After every + or −: the row, the summary next to Apply, and whether Apply can be pressed. */
  private changed(): void {
    this.table.render();
    const changes = this.pending.changes();
    this.applyButton.disabled = this.busy || changes.length === 0;
    this.discardButton.disabled = this.busy || changes.length === 0;
    if (changes.length === 0) {
      replaceChildren(this.summary, this.words.t('summaryIdle'));
      return;
    }
    const parts = changes.flatMap((change) => {
      const row = this.rows.find((r) => r.id === change.id);
      return row ? [{ row, delta: change.delta }] : [];
    });
    const cost = total(parts.map(({ row, delta }) => times(row.pricePerSeat, delta)));
    replaceChildren(
      this.summary,
      h(
        'strong',
        {},
        parts.map(({ row, delta }) => `${row.product} ${this.format.seatChange(delta)}`).join(', '),
      ),
      cost ? ` · ${this.words.t('summaryCost', { cost: this.format.moneyChange(cost) })}` : null,
    );
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    this.main.setAttribute('aria-busy', String(busy));
    this.changed();
  }

  private showMessage(text: string, style: StatusStyle): void {
    this.message.className = `message status status-${style}`;
    replaceChildren(this.message, richText(text));
    this.message.hidden = false;
  }

  private hideMessage(): void {
    this.message.hidden = true;
  }
}

/** The signed-in person's name and initials, top right. */
function showWho(name: string): void {
  const initials = name
    .split(/\s+/)
    .map((part) => part.charAt(0))
    .join('')
    .slice(0, 2)
    .toUpperCase();
  replaceChildren(
    byId('who'),
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials),
    h('span', { class: 'who-name' }, name),
  );
}

/** Brings the order a deep link named into view, marked, with the focus on it (if this person's lists show it). */
function showOrder(orderId: string): void {
  const item = document.querySelector<HTMLElement>(`[data-order-id="${CSS.escape(orderId)}"]`);
  if (!item) return;
  item.classList.add('linked');
  item.tabIndex = -1;
  item.scrollIntoView({ block: 'center' });
  item.focus();
}

function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

async function main(): Promise<void> {
  const query = new URLSearchParams(window.location.search);
  applyTheme(asTheme(query.get('theme')));
  const host = await connectToHost(query);
  applyTheme(host.theme);
  host.onThemeChange(applyTheme);
  if (host.userName) showWho(host.userName);
  // The language: Teams' locale (app.locale), outside Teams ?locale= or the browser's (README: Languages).
  const words = await loadMessages(host.locale);
  document.documentElement.lang = words.lang;
  words.translatePage(document);
  const format = new Formatter(words.locale);
  const devUser = query.get('devUser') ?? '';
  const api = new Api(
    host,
    host.locale && /^[\w-]{1,35}$/.test(host.locale) ? host.locale : format.locale,
    words,
    DEV_USER.test(devUser) ? devUser : DEFAULT_DEV_USER,
  );
  const page = new LicensesPage(api, format, words);
  if (await page.load()) await page.loadAccess();
  if (host.orderId) showOrder(host.orderId);
  host.loaded();
}

main().catch((error: unknown) => {
  // The one sentence in English only: without its words (they did not load) the page cannot say it otherwise.
  const message = byId('message');
  message.className = 'message status status-attention';
  message.textContent = `The page could not start: ${error instanceof Error ? error.message : String(error)}`;
  message.hidden = false;
});
