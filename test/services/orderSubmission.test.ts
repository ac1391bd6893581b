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
import { ALEX, MEGAN, SUBSCRIPTIONS, TENANT_ID, type TeamsUser } from '../support/demoUsers';
import { serviceHarness, type ServiceHarness } from '../support/services';

const as = (user: TeamsUser): Requester => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${result.refusal.code}`);
  return result.value;
}

/** A provider in front of the sandbox whose calls a test can hold, break or answer itself. */
class ScriptedProvider implements LicenseProvider {
  /** While set, quantity changes wait for it before reaching the sandbox. */
  gate: Promise<void> | undefined;
  changeCalls = 0;
  changeFault: ((change: QuantityChange) => Error | undefined) | undefined;
  lookUp: ((change: QuantityChange) => ChangeRecord | undefined) | undefined;
  subscription: ((s: Subscription) => Subscription) | undefined;
  entered: () => void = () => undefined;

  constructor(private readonly inner: LicenseProvider) {}

  listSubscriptions() {
    return this.inner.listSubscriptions();
  }
  async getSubscription(id: string) {
    const found = await this.inner.getSubscription(id);
    return found && this.subscription ? this.subscription(found) : found;
  }
  async changeQuantity(change: QuantityChange): Promise<QuantityChangeResult> {
    this.changeCalls += 1;
    this.entered();
    if (this.gate) await this.gate;
    const fault = this.changeFault?.(change);
    if (fault) throw fault;
    return this.inner.changeQuantity(change);
  }
  async lookUpChange(change: QuantityChange): Promise<ChangeRecord> {
    return this.lookUp?.(change) ?? this.inner.lookUpChange(change);
  }
}

describe('submitting an order (real embedded database, sandbox provider)', () => {
  let h: ServiceHarness;
  afterEach(async () => {
    await h.close();
  });

  /** An order of Alex's for Business Standard (within the limit), approved by Alex and not yet submitted. */
  async function approved(seats = 5, kind: 'increase' | 'decrease' = 'increase'): Promise<Order> {
    const subscription = kind === 'increase' ? SUBSCRIPTIONS.businessStandard : SUBSCRIPTIONS.businessBasic;
    const order = value(await h.orders.request(as(ALEX), subscription, kind, seats));
    const moved = await h.repository.transition(
      order.id,
      'draft',
      'approved',
      { at: h.clock.now(), decidedBy: { id: ALEX.aadObjectId, name: ALEX.name } },
      {
        orderId: order.id,
        actor: { id: ALEX.aadObjectId, name: ALEX.name },
        action: 'approved',
        fromState: 'draft',
        toState: 'approved',
        at: h.clock.now(),
      },
    );
    if (!moved) throw new Error('not approved');
    return moved;
  }
  const trail = async (orderId: string) =>
    (await h.repository.auditTrail(orderId)).map((e) => ({ action: e.action, detail: e.detail }));

  describe('fencing: a paused instance that wakes up late changes nothing', () => {
    it('A holds the submission past its lease; B takes over and completes; A’s late answer is refused and audited', async () => {
      h = await serviceHarness({ submissionLeaseMs: 60_000 });
      const order = await approved();
      const paused = new ScriptedProvider(h.provider);
      let release: () => void = () => undefined;
      paused.gate = new Promise((resolve) => (release = resolve));
      const inCall = new Promise<void>((resolve) => (paused.entered = resolve));
      const a = h.another({ instanceId: 'instance-a', provider: paused });
      const b = h.another({ instanceId: 'instance-b' });

      const aDone = a.submit(order.id);
      await inCall; // A claimed the order and is waiting for the provider
      h.clock.advance(61_000); // ...past its lease (it could not renew it: it was paused)
      await b.submit(order.id);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'completed' });

      release();
      await aDone;
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'completed', outcome: null });
      expect(await h.provider.appliedChanges()).toBe(1);
      const events = await trail(order.id);
      expect(events.map((e) => e.action)).toEqual([
        'requested',
        'approved',
        'submission_started',
        'submission_started',
        'submitted',
        'late_answer_refused',
      ]);
      expect(events[4].detail).toMatchObject({ instance: 'instance-b', fence: 2 });
      expect(events[5].detail).toMatchObject({ instance: 'instance-a', fence: 1, answer: 'completed' });
    });

    it('A’s late failure arrives while B is still placing the order: refused, so B’s success decides', async () => {
      h = await serviceHarness({ submissionLeaseMs: 60_000, maxSubmissionAttempts: 1 });
      const order = await approved();
      const timingOut = new ScriptedProvider(h.provider);
      let releaseA: () => void = () => undefined;
      timingOut.gate = new Promise((resolve) => (releaseA = resolve));
      timingOut.changeFault = () => new ProviderUnavailableError('no answer within 30000 ms');
      const aInCall = new Promise<void>((resolve) => (timingOut.entered = resolve));
      const slow = new ScriptedProvider(h.provider);
      let releaseB: () => void = () => undefined;
      slow.gate = new Promise((resolve) => (releaseB = resolve));
      const bInCall = new Promise<void>((resolve) => (slow.entered = resolve));
      const a = h.another({ instanceId: 'instance-a', provider: timingOut });
      const b = h.another({ instanceId: 'instance-b', provider: slow });

      const aDone = a.submit(order.id);
      await aInCall;
      h.clock.advance(61_000);
      const bDone = b.submit(order.id);
      await bInCall;
      releaseA(); // A wakes up: its call failed, and it is out of attempts
      await aDone;
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'submitting' });
      releaseB();
      await bDone;
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'completed' });
      expect(await h.provider.appliedChanges()).toBe(1);
      expect((await trail(order.id)).filter((e) => e.action === 'late_answer_refused')).toEqual([
        {
          action: 'late_answer_refused',
          detail: expect.objectContaining({ instance: 'instance-a', answer: 'failed' }),
        },
      ]);
    });

    it('the lease is renewed while the provider works: nobody takes over a live submission', async () => {
      h = await serviceHarness({ submissionLeaseMs: 300 });
      const order = await approved();
      const slow = new ScriptedProvider(h.provider);
      let release: () => void = () => undefined;
      slow.gate = new Promise((resolve) => (release = resolve));
      const inCall = new Promise<void>((resolve) => (slow.entered = resolve));
      const a = h.another({ instanceId: 'instance-a', provider: slow });
      const b = h.another({ instanceId: 'instance-b' });

      const aDone = a.submit(order.id);
      await inCall;
      h.clock.advance(10_000);
      // A's renewal (every third of the lease) moves its lease past the clock's new time.
      const renewed = async () =>
        (
          await h.db.query<{ until: Date }>('SELECT lease_until AS until FROM orders WHERE id = $1', [
            order.id,
          ])
        ).rows[0].until.getTime() > h.clock.now().getTime();
      for (let i = 0; i < 1200 && !(await renewed()); i += 1) await new Promise((r) => setTimeout(r, 25));
      expect(await renewed()).toBe(true);
      await b.submit(order.id);
      expect((await trail(order.id)).filter((e) => e.action === 'submission_started')).toHaveLength(1);

      release();
      await aDone;
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'completed' });
      expect(await h.provider.appliedChanges()).toBe(1);
    });
  });

  describe('bounded, isolated retries', () => {
    it('every error counts as an attempt: after the cap the order fails with a reason, nothing applied', async () => {
      h = await serviceHarness({ maxSubmissionAttempts: 3 });
      const order = await approved();
      const broken = new ScriptedProvider(h.provider);
      broken.changeFault = () => new TypeError('a bug in a provider');
      const service = h.another({ instanceId: 'test-instance', provider: broken });
      await service.submit(order.id);
      for (let i = 0; i < 5; i += 1) {
        h.clock.advance(60_000);
        await service.resumeSubmissions();
      }
      expect(broken.changeCalls).toBe(3);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'failed', outcome: 'submission_failed' });
      expect(await h.provider.appliedChanges()).toBe(0);
      const events = await trail(order.id);
      expect(events.filter((e) => e.action === 'submission_retry_scheduled').map((e) => e.detail)).toEqual([
        expect.objectContaining({ attempt: 1, cause: 'unexpected_error' }),
        expect.objectContaining({ attempt: 2, cause: 'unexpected_error' }),
      ]);
      // The requester is told why, in words they can act on (made when the message is delivered).
      expect((await h.messages(order.id)).map((m) => m.kind)).toContain('order.outcome');
    });

    it('one order that keeps failing never stops the others in a maintenance batch', async () => {
      h = await serviceHarness({ maxSubmissionAttempts: 3 });
      const bad = await approved(5);
      const good = await approved(3, 'decrease');
      const picky = new ScriptedProvider(h.provider);
      picky.changeFault = (change) =>
        change.idempotencyKey === bad.idempotencyKey ? new RangeError('cannot place this one') : undefined;
      const service = h.another({ instanceId: 'test-instance', provider: picky });
      expect(await service.resumeSubmissions()).toBe(2);
      expect(await h.orders.get(good.id)).toMatchObject({ state: 'completed' });
      expect(await h.orders.get(bad.id)).toMatchObject({ state: 'submitting' });
    });

    it('waits at least the Retry-After the provider asked for', async () => {
      h = await serviceHarness();
      const order = await approved();
      const throttled = new ScriptedProvider(h.provider);
      throttled.changeFault = () => new ProviderUnavailableError('throttled', 45_000);
      await h.another({ instanceId: 'test-instance', provider: throttled }).submit(order.id);
      const scheduled = (await trail(order.id)).find((e) => e.action === 'submission_retry_scheduled');
      expect(scheduled?.detail).toMatchObject({ retryInMs: 45_000 });
    });
  });

  describe('outcomes confirmed, never inferred', () => {
    it('after a lost answer, the provider’s record of the key says applied: completed, without a second change', async () => {
      h = await serviceHarness();
      const order = await approved();
      h.provider.faults.failAfterApply = 1;
      await h.orders.submit(order.id);
      h.clock.advance(5_000);
      await h.orders.resumeSubmissions();
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'completed' });
      expect((await trail(order.id)).at(-1)).toMatchObject({
        action: 'submitted',
        detail: { confirmedBy: 'provider_record', quantity: 30 },
      });
      expect(await h.provider.appliedChanges()).toBe(1);
    });

    it('when the provider cannot tell, the order fails as "could not confirm", with a note for the administrator', async () => {
      h = await serviceHarness();
      const order = await approved();
      const unsure = new ScriptedProvider(h.provider);
      unsure.changeFault = () => new ProviderUnavailableError('no answer within 30000 ms');
      unsure.lookUp = () => ({ status: 'unknown', detail: 'partner_center_http_400_code_2055' });
      const service = h.another({ instanceId: 'test-instance', provider: unsure });
      await service.submit(order.id);
      h.clock.advance(5_000);
      await service.resumeSubmissions();
      expect(await h.orders.get(order.id)).toMatchObject({
        state: 'failed',
        outcome: 'could_not_confirm',
        note: 'partner_center_http_400_code_2055',
      });
    });

    it('out of attempts, an order the provider’s record shows applied is completed, not failed', async () => {
      h = await serviceHarness({ maxSubmissionAttempts: 1 });
      const order = await approved();
      h.provider.faults.failAfterApply = 1;
      await h.orders.submit(order.id);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'completed' });
      expect(await h.provider.appliedChanges()).toBe(1);
    });
  });

  describe('rules checked again at submission', () => {
    it.each([
      ['a suspended subscription', { status: 'suspended' as const }, 'subscription_suspended', null],
      ['more seats in use than the decrease leaves', { inUse: 39 }, 'below_in_use', '39'],
      ['a quantity changed meanwhile', { quantity: 41 }, 'quantity_changed', '41'],
    ])('%s: failed, nothing applied', async (_, change, outcome, note) => {
      h = await serviceHarness();
      const order = await approved(3, 'decrease'); // Business Basic 40 -> 37, 12 in use
      await h.provider.adjust(SUBSCRIPTIONS.businessBasic, change);
      await h.orders.submit(order.id);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'failed', outcome, note });
      expect(await h.provider.appliedChanges()).toBe(0);
    });

    it('a decrease now whose cancellation window closed meanwhile: failed, nothing applied', async () => {
      h = await serviceHarness();
      const order = await approved(3, 'decrease');
      const closed = new ScriptedProvider(h.provider);
      closed.subscription = (s) => ({ ...s, removal: 'window', refundable: [] });
      await h.another({ instanceId: 'test-instance', provider: closed }).submit(order.id);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'failed', outcome: 'window_closed' });
      expect(closed.changeCalls).toBe(0);
    });

    it('a per-order maximum lowered since: failed, nothing applied', async () => {
      h = await serviceHarness();
      const order = await approved(5);
      await h.another({ instanceId: 'test-instance', settings: { maxSeatsPerOrder: 4 } }).submit(order.id);
      expect(await h.orders.get(order.id)).toMatchObject({
        state: 'failed',
        outcome: 'above_order_maximum',
        note: '4',
      });
    });
  });

  it('the approving instance submits at once; another instance waits for its hold to run out', async () => {
    h = await serviceHarness({ submissionLeaseMs: 60_000 });
    const e3 = value(await h.orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30));
    await h.orders.approve(as(ALEX), e3.id);
    const other = h.another({ instanceId: 'instance-b' });
    await h.orders.approve(as(MEGAN), e3.id);
    // Before the approving instance's background submission runs, the other instance finds nothing to do.
    expect(await other.resumeSubmissions()).toBe(0);
    await h.work.idle();
    expect(await h.orders.get(e3.id)).toMatchObject({ state: 'completed' });
  });
});
