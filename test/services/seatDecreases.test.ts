import type { Order } from '../../bot/domain/order';
import type { Result } from '../../bot/domain/refusal';
import type { Subscription } from '../../bot/domain/subscription';
import type { Requester } from '../../bot/services/orderService';
import {
  ProviderUnavailableError,
  type ChangeRecord,
  type LicenseProvider,
  type QuantityChange,
  type QuantityChangeResult,
} from '../../bot/services/ports';
import { ALEX, SUBSCRIPTIONS, TENANT_ID } from '../support/demoUsers';
import { serviceHarness, type ServiceHarness } from '../support/services';

const alex: Requester = { id: ALEX.aadObjectId, name: ALEX.name, tenantId: TENANT_ID };
const E3 = SUBSCRIPTIONS.e3;
const HOUR = 3_600_000;

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${JSON.stringify(result.refusal)}`);
  return result.value;
}

/** The sandbox behind a provider whose scheduled changes can lose their answer once, or report other facts. */
class FaultyScheduling implements LicenseProvider {
  loseScheduleAnswer = 0;
  facts: ((s: Subscription) => Subscription) | undefined;
  readonly calls: QuantityChange[] = [];
  constructor(private readonly inner: LicenseProvider) {}
  listSubscriptions() {
    return this.inner.listSubscriptions();
  }
  async getSubscription(id: string) {
    const found = await this.inner.getSubscription(id);
    return found && this.facts ? this.facts(found) : found;
  }
  async changeQuantity(change: QuantityChange): Promise<QuantityChangeResult> {
    this.calls.push(change);
    const result = await this.inner.changeQuantity(change);
    if (change.timing === 'at_renewal' && this.loseScheduleAnswer > 0) {
      this.loseScheduleAnswer -= 1;
      throw new ProviderUnavailableError('the answer to the scheduled change was lost');
    }
    return result;
  }
  lookUpChange(change: QuantityChange): Promise<ChangeRecord> {
    return this.inner.lookUpChange(change);
  }
}

describe('seat decreases as Microsoft allows them (real embedded database, sandbox provider)', () => {
  let h: ServiceHarness;
  afterEach(async () => {
    await h.close();
  });

  /** Alex requests, confirms, and the submission runs to its end. */
  async function place(draft: Result<Order> | Promise<Result<Order>>): Promise<Order> {
    const order = value(await draft);
    const approved = value(await h.orders.approve(alex, order.id));
    if (approved.kind !== 'submitting') throw new Error(`expected a submission, got ${approved.kind}`);
    await h.work.idle();
    return (await h.orders.get(order.id)) as Order;
  }

  async function e3(): Promise<Subscription> {
    return (await h.provider.getSubscription(E3)) as Subscription;
  }

  it('E3, bought long ago: removing 2 is a reduction scheduled for the renewal on April 1, 2027', async () => {
    h = await serviceHarness();
    const draft = value(await h.orders.request(alex, E3, 'decrease', 2));
    expect(draft).toMatchObject({
      timing: 'at_renewal',
      renewalDate: '2027-04-01',
      expectedQuantity: 120,
      targetQuantity: 118,
      scheduledBefore: null,
    });
    const placed = await place({ ok: true, value: draft });
    expect(placed).toMatchObject({ state: 'completed', outcome: null });
    expect(await e3()).toMatchObject({ quantity: 120, scheduledQuantity: 118 });
    expect(await h.provider.appliedChanges(E3)).toBe(0); // nothing changed now
  });

  it('after Alex adds 5 seats to E3, those 5 can be removed now for 7 days; then only at renewal', async () => {
    h = await serviceHarness();
    await place(h.orders.request(alex, E3, 'increase', 5));
    expect((await e3()).refundable).toEqual([
      { quantity: 5, until: new Date(h.clock.now().getTime() + 168 * HOUR).toISOString() },
    ]);
    const now = value(await h.orders.request(alex, E3, 'decrease', 5));
    expect(now).toMatchObject({ timing: 'now', expectedQuantity: 125, targetQuantity: 120 });
    // A sixth seat only at renewal: the request for more than the window allows is offered as that.
    expect(value(await h.orders.request(alex, E3, 'decrease', 6))).toMatchObject({ timing: 'at_renewal' });
    value(await h.orders.cancel(alex, now.id));

    h.clock.advance(168 * HOUR - 1);
    expect(value(await h.orders.request(alex, E3, 'decrease', 5))).toMatchObject({ timing: 'now' });
    h.clock.advance(1);
    expect(value(await h.orders.request(alex, E3, 'decrease', 5))).toMatchObject({
      timing: 'at_renewal',
      renewalDate: '2027-04-01',
    });
  });

  it('the window closes between the card and the tap: Approve orders nothing and re-quotes at renewal', async () => {
    h = await serviceHarness();
    await place(h.orders.request(alex, E3, 'increase', 5));
    const card = value(await h.orders.request(alex, E3, 'decrease', 3));
    expect(card.timing).toBe('now');
    h.clock.advance(168 * HOUR);
    const tap = value(await h.orders.approve(alex, card.id));
    expect(tap.kind).toBe('requoted');
    if (tap.kind !== 'requoted') return;
    expect(tap.previous).toMatchObject({ state: 'expired' });
    expect(value(tap.fresh)).toMatchObject({ state: 'draft', timing: 'at_renewal', targetQuantity: 122 });
    expect((await e3()).quantity).toBe(125);
  });

  it('a removal now inside the window comes off at once, and the sandbox uses up the window', async () => {
    h = await serviceHarness();
    await place(h.orders.request(alex, E3, 'increase', 5));
    const removed = await place(h.orders.request(alex, E3, 'decrease', 5));
    expect(removed).toMatchObject({ state: 'completed', timing: 'now', targetQuantity: 120 });
    expect(await e3()).toMatchObject({ quantity: 120, refundable: [] });
  });

  it('a second scheduled change replaces the first, showing the old number; cancelling clears it (audited)', async () => {
    h = await serviceHarness();
    await place(h.orders.request(alex, E3, 'decrease', 2));
    const second = value(await h.orders.request(alex, E3, 'decrease', 1));
    expect(second).toMatchObject({ timing: 'at_renewal', scheduledBefore: 118, targetQuantity: 119 });
    await place({ ok: true, value: second });
    expect((await e3()).scheduledQuantity).toBe(119);

    const cancel = value(await h.orders.requestCancelScheduled(alex, E3));
    expect(cancel).toMatchObject({
      timing: 'cancel_scheduled',
      kind: 'increase',
      expectedQuantity: 119,
      targetQuantity: 120,
    });
    const cancelled = await place({ ok: true, value: cancel });
    expect(cancelled.state).toBe('completed');
    expect((await e3()).scheduledQuantity).toBeNull();
    const trail = await h.repository.auditTrail(cancel.id);
    expect(trail.map((e) => e.action)).toEqual(['requested', 'approved', 'submission_started', 'submitted']);
    expect(trail[0].detail).toMatchObject({ kind: 'cancel_scheduled', scheduled: 119 });
    expect(await h.orders.requestCancelScheduled(alex, E3)).toMatchObject({
      ok: false,
      refusal: { code: 'nothing_scheduled' },
    });
  });

  it('a change now deletes the scheduled one; the submission schedules it again, exactly once after a lost answer', async () => {
    h = await serviceHarness();
    await place(h.orders.request(alex, E3, 'decrease', 2)); // scheduled 120 -> 118
    const faulty = new FaultyScheduling(h.provider);
    faulty.loseScheduleAnswer = 1;
    const service = h.another({ instanceId: 'test-instance', provider: faulty });
    const add = value(await service.request(alex, E3, 'increase', 5));
    expect(add.scheduledBefore).toBe(118);
    value(await service.approve(alex, add.id));
    await h.work.idle();
    // The restore's answer was lost: the order waits for a retry, with the quantity in effect.
    expect(await h.orders.get(add.id)).toMatchObject({ state: 'submitting' });
    expect(await e3()).toMatchObject({ quantity: 125, scheduledQuantity: 118 });
    h.clock.advance(10_000);
    await service.resumeSubmissions();
    expect(await h.orders.get(add.id)).toMatchObject({ state: 'completed', outcome: 'scheduled_restored' });
    // Each key went to the provider once: the change now, and the restore (its retry asked the record first).
    expect(faulty.calls.map((c) => c.timing ?? 'now')).toEqual(['now', 'at_renewal']);
    expect(await e3()).toMatchObject({ quantity: 125, scheduledQuantity: 118 });
  });

  it('a restore that cannot be made is said on the order: completed, scheduled change not restored', async () => {
    h = await serviceHarness();
    await place(h.orders.request(alex, E3, 'decrease', 2)); // scheduled 120 -> 118
    const faulty = new FaultyScheduling(h.provider);
    const service = h.another({ instanceId: 'test-instance', provider: faulty });
    const add = value(await service.request(alex, E3, 'increase', 1));
    // Auto-renew turned off elsewhere while the order waited: the sandbox refuses to schedule again.
    await h.provider.adjust(E3, { autoRenew: false });
    value(await service.approve(alex, add.id));
    await h.work.idle();
    expect(await h.orders.get(add.id)).toMatchObject({
      state: 'completed',
      outcome: 'scheduled_not_restored',
      note: 'Auto-renew is off, so nothing can be scheduled for the renewal.',
    });
    const told = (await h.messages(add.id)).filter((m) => m.dedupe_key.endsWith(':outcome'));
    expect(told.length).toBe(1);
  });

  it('no auto-renew, outside the window: refused with both reasons; a past renewal date is unknown', async () => {
    h = await serviceHarness();
    await h.provider.adjust(E3, { autoRenew: false });
    expect(await h.orders.request(alex, E3, 'decrease', 1)).toMatchObject({
      ok: false,
      refusal: { code: 'decrease_not_possible', now: 'window_closed', atRenewal: 'no_auto_renew' },
    });
    await h.provider.adjust(E3, { autoRenew: true });
    const past = new FaultyScheduling(h.provider);
    past.facts = (s) => ({ ...s, renewalDate: '2026-04-01' });
    expect(await h.another({ provider: past }).request(alex, E3, 'decrease', 1)).toMatchObject({
      ok: false,
      refusal: { code: 'decrease_not_possible', atRenewal: 'renewal_unknown', renewalDate: '2026-04-01' },
    });
  });

  it('more than the window allows, with nothing possible at renewal: both numbers', async () => {
    h = await serviceHarness();
    await place(h.orders.request(alex, E3, 'increase', 5));
    await h.provider.adjust(E3, { autoRenew: false });
    expect(await h.orders.request(alex, E3, 'decrease', 6)).toMatchObject({
      ok: false,
      refusal: {
        code: 'decrease_too_many',
        requested: 6,
        nowMax: 5,
        renewalMax: 0,
        atRenewalReason: 'no_auto_renew',
      },
    });
  });

  it('Business Basic (FLEXIBLE) keeps the console rule: seats come off now', async () => {
    h = await serviceHarness();
    const removed = await place(h.orders.request(alex, SUBSCRIPTIONS.businessBasic, 'decrease', 5));
    expect(removed).toMatchObject({ state: 'completed', timing: 'now', targetQuantity: 35 });
  });
});
