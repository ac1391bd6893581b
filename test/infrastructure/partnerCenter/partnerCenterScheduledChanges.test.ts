import { randomUUID } from 'node:crypto';
import type { Order } from '../../../bot/domain/order';
import type { Result } from '../../../bot/domain/refusal';
import type { OrderService, Requester } from '../../../bot/services/orderService';
import type { FakeSubscription } from '../../support/fakePartnerCenter';
import { ALEX, TENANT_ID } from '../../support/demoUsers';
import { serviceHarness, type ServiceHarness } from '../../support/services';
import { IDS, startFixture, type Fixture } from './partnerCenterFixture';

const alex: Requester = { id: ALEX.aadObjectId, name: ALEX.name, tenantId: TENANT_ID };
const HOUR = 3_600_000;
const E3_PRODUCT = {
  productId: 'CFQ7TTC0LFK5',
  skuId: '0001',
  availabilityId: 'CFQ7TTC0KDN5',
  billingCycle: 'monthly',
  termDuration: 'P1Y',
};

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${JSON.stringify(result.refusal)}`);
  return result.value;
}

/**
 * The seat-decrease flows through the real order services (embedded database) with the Partner Center provider
 * against the fake Partner Center, which enforces Microsoft's rules: the 7-day window, auto-renew for a scheduled
 * change, and the deletion of scheduled changes by a change now.
 */
describe('seat decreases against the fake Partner Center', () => {
  let h: ServiceHarness;
  let t: Fixture;
  let orders: OrderService;

  beforeEach(async () => {
    h = await serviceHarness();
    t = await startFixture({}, { now: () => h.clock.now() });
    // E3 on NCE: bought long ago (no window open), renewing after March 31, 2027, auto-renew on. 117 in use.
    const e3 = t.fake.subscriptions.get(IDS.e3) as FakeSubscription;
    t.fake.subscriptions.set(IDS.e3, {
      ...e3,
      commitmentEndDate: '2027-03-31T00:00:00Z',
      refundableQuantity: { totalQuantity: 0, details: [] },
      scheduledNextTermInstructions: null,
    });
    orders = h.another({ instanceId: 'test-instance', provider: t.provider });
  });
  afterEach(async () => {
    await h.close();
    await t.stop();
  });

  async function place(draft: Result<Order> | Promise<Result<Order>>): Promise<Order> {
    const order = value(await draft);
    value(await orders.approve(alex, order.id));
    await h.work.idle();
    return (await orders.get(order.id)) as Order;
  }
  const resource = () => t.fake.subscriptions.get(IDS.e3) as FakeSubscription;

  it('reads the renewal facts: refundable seats, renewal date, auto-renew, the scheduled quantity', async () => {
    t.fake.subscriptions.set(IDS.e3, {
      ...resource(),
      refundableQuantity: {
        totalQuantity: 5,
        details: [{ quantity: 5, allowedUntilDateTime: '2026-12-01T10:00:00Z' }],
      },
      scheduledNextTermInstructions: { product: E3_PRODUCT, quantity: 118 },
    });
    expect(await t.provider.getSubscription(IDS.e3)).toMatchObject({
      renewalDate: '2027-03-31',
      autoRenew: true,
      trial: false,
      removal: 'window',
      refundable: [{ quantity: 5, until: '2026-12-01T10:00:00.000Z' }],
      scheduledQuantity: 118,
    });
  });

  it('outside the window: a reduction scheduled by PATCHing scheduledNextTermInstructions, quantity only', async () => {
    const placed = await place(orders.request(alex, IDS.e3, 'decrease', 2));
    expect(placed).toMatchObject({ state: 'completed', timing: 'at_renewal', renewalDate: '2027-03-31' });
    const patch = t.fake.partnerCenterRequests('PATCH').at(-1);
    expect(patch?.headers['ms-requestid']).toBe(placed.idempotencyKey);
    expect(patch?.body).toMatchObject({
      quantity: 120,
      scheduledNextTermInstructions: { product: E3_PRODUCT, quantity: 118 },
    });
    expect(resource()).toMatchObject({ quantity: 120, scheduledNextTermInstructions: { quantity: 118 } });
    expect(t.fake.applied).toEqual([]);

    const cancelled = await place(orders.requestCancelScheduled(alex, IDS.e3));
    expect(cancelled).toMatchObject({ state: 'completed', timing: 'cancel_scheduled' });
    expect(resource().scheduledNextTermInstructions).toBeNull();
    expect(t.fake.scheduled.map((s) => s.quantity)).toEqual([118, null]);
  });

  it('a change now deletes the scheduled change at Microsoft; the bot schedules it again once', async () => {
    await place(orders.request(alex, IDS.e3, 'decrease', 1)); // 120 -> 119 at renewal
    const added = await place(orders.request(alex, IDS.e3, 'increase', 5));
    expect(added).toMatchObject({ state: 'completed', scheduledBefore: 119, outcome: 'scheduled_restored' });
    expect(t.fake.deletedSchedules).toEqual([{ subscriptionId: IDS.e3, quantity: 119 }]);
    expect(t.fake.scheduled.map((s) => [s.quantity, s.requestId])).toEqual([
      [119, expect.any(String)],
      [119, added.restoreKey],
    ]);
    expect(resource()).toMatchObject({ quantity: 125, scheduledNextTermInstructions: { quantity: 119 } });
  });

  it('the 5 seats added can be removed now for 7 days (the fake enforces the window); later only at renewal', async () => {
    await place(orders.request(alex, IDS.e3, 'increase', 5));
    expect(resource().refundableQuantity?.totalQuantity).toBe(5);
    const removed = await place(orders.request(alex, IDS.e3, 'decrease', 3));
    expect(removed).toMatchObject({ state: 'completed', timing: 'now', targetQuantity: 122 });
    expect(resource()).toMatchObject({ quantity: 122, refundableQuantity: { totalQuantity: 2 } });
    h.clock.advance(168 * HOUR);
    expect(value(await orders.request(alex, IDS.e3, 'decrease', 2))).toMatchObject({ timing: 'at_renewal' });
    // Asked directly for a decrease now outside the window, Microsoft refuses: 800090, in words.
    const refused = await t.provider.changeQuantity({
      subscriptionId: IDS.e3,
      expectedQuantity: 122,
      targetQuantity: 121,
      idempotencyKey: randomUUID(),
    });
    expect(refused).toEqual({
      status: 'rejected',
      reason: expect.stringContaining('seats can only be removed within 7 days of buying them'),
    });
  });

  it('without auto-renew nothing is scheduled: refused with the reason, and the provider never PATCHes', async () => {
    t.fake.subscriptions.set(IDS.e3, { ...resource(), autoRenewEnabled: false });
    expect(await orders.request(alex, IDS.e3, 'decrease', 1)).toMatchObject({
      ok: false,
      refusal: { code: 'decrease_not_possible', now: 'window_closed', atRenewal: 'no_auto_renew' },
    });
    const direct = await t.provider.changeQuantity({
      subscriptionId: IDS.e3,
      expectedQuantity: 120,
      targetQuantity: 119,
      idempotencyKey: randomUUID(),
      timing: 'at_renewal',
      expectedScheduled: null,
    });
    expect(direct).toEqual({ status: 'rejected', reason: expect.stringContaining('Auto-renew is off') });
    expect(t.fake.partnerCenterRequests('PATCH')).toEqual([]);
  });

  it('a scheduled change whose answer was lost is confirmed from Partner Center’s record of the request id', async () => {
    t.fake.faults.hangAfterApply = 999; // every retry of the PATCH (same MS-RequestId) loses its answer too
    const change = {
      subscriptionId: IDS.e3,
      expectedQuantity: 120,
      targetQuantity: 118,
      idempotencyKey: randomUUID(),
      timing: 'at_renewal' as const,
      expectedScheduled: null,
    };
    await expect(t.provider.changeQuantity(change)).rejects.toThrow();
    t.fake.faults.hangAfterApply = 0;
    expect(await t.provider.lookUpChange(change)).toEqual({ status: 'applied', quantity: 118 });
    expect(t.fake.scheduled).toHaveLength(1);
    // Someone else's schedule with the same number is not this request's: unknown, never "applied".
    expect(await t.provider.lookUpChange({ ...change, idempotencyKey: randomUUID() })).toMatchObject({
      status: 'unknown',
    });
  });

  it('a scheduled change that changed meanwhile is not overwritten', async () => {
    t.fake.subscriptions.set(IDS.e3, {
      ...resource(),
      scheduledNextTermInstructions: { product: E3_PRODUCT, quantity: 119 },
    });
    expect(
      await t.provider.changeQuantity({
        subscriptionId: IDS.e3,
        expectedQuantity: 120,
        targetQuantity: 118,
        idempotencyKey: randomUUID(),
        timing: 'at_renewal',
        expectedScheduled: null,
      }),
    ).toEqual({ status: 'scheduled_conflict', actualScheduled: 119 });
  });
});
