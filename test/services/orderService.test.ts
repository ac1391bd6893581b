import { readFileSync } from 'node:fs';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import type { Order } from '../../bot/domain/order';
import type { Result } from '../../bot/domain/refusal';
import type { ApproveOutcome, Requester } from '../../bot/services/orderService';
import {
  ADELE,
  ALEX,
  ISAIAH,
  MEGAN,
  PATTI,
  SUBSCRIPTIONS,
  TENANT_ID,
  type TeamsUser,
} from '../support/demoUsers';
import { DEMO_ACCESS_FILE, serviceHarness, type ServiceHarness } from '../support/services';

const as = (user: TeamsUser): Requester => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${result.refusal.code}`);
  return result.value;
}

describe('OrderService (real embedded database, sandbox provider, demo access)', () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await serviceHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** Approves a draft the way Approve does, without a provider call: the submission is the test's to run. */
  const approvedByRequester = (order: Order) =>
    h.repository.transition(
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

  const draft = async (
    user: TeamsUser,
    subscriptionId: string,
    seats: number,
    kind: 'increase' | 'decrease' = 'increase',
  ) => value(await h.orders.request(as(user), subscriptionId, kind, seats));

  describe('requesting (rules 1 and 2 at request time)', () => {
    it('makes a draft with the expected and target quantities and a price snapshot; nothing is ordered', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      expect(order).toMatchObject({
        state: 'draft',
        expectedQuantity: 25,
        targetQuantity: 30,
        pricePerSeat: { minor: 1250, currency: 'USD' },
        billingProfileName: 'Contoso HQ',
        requester: { id: ALEX.aadObjectId, name: 'Alex Wilber' },
        needsApprover: false,
      });
      expect(order.idempotencyKey).not.toBe(order.id);
      expect(await h.provider.appliedChanges()).toBe(0);
      expect(
        (await h.repository.auditTrail(order.id)).map((e) => [e.action, e.fromState, e.toState]),
      ).toEqual([['requested', null, 'draft']]);
    });

    it.each([
      [PATTI, SUBSCRIPTIONS.businessStandard, 'missing_licenses_manager'],
      [MEGAN, SUBSCRIPTIONS.businessStandard, 'missing_licenses_manager'],
      [ADELE, SUBSCRIPTIONS.businessStandard, 'not_in_billing_profile'],
      [ALEX, '00000000-0000-0000-0000-000000000000', 'subscription_not_found'],
    ])('refuses %s on %s: %s', async (user, subscriptionId, code) => {
      const result = await h.orders.request(as(user), subscriptionId, 'increase', 5);
      expect(result).toMatchObject({ ok: false, refusal: { code } });
    });

    it('lets Adele buy for Contoso EMEA, where she is Licenses Manager', async () => {
      expect((await draft(ADELE, SUBSCRIPTIONS.businessBasic, 2)).billingProfileName).toBe('Contoso EMEA');
    });
  });

  describe('the requester approves a draft within the limit', () => {
    it('submits once: completed, quantity 30, audit of every step', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      const outcome = value(await h.orders.approve(as(ALEX), order.id));
      expect(outcome.kind).toBe('submitting');
      await h.work.idle();
      expect((await h.orders.get(order.id))?.state).toBe('completed');
      expect((await h.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(30);
      expect(await h.provider.appliedChanges()).toBe(1);
      expect(
        (await h.repository.auditTrail(order.id)).map((e) => `${e.action}:${e.fromState}->${e.toState}`),
      ).toEqual([
        'requested:null->draft',
        'approved:draft->approved',
        'submission_started:approved->submitting',
        'submitted:submitting->completed',
      ]);
      // Every card copy is refreshed (one re-armed message); the requester's own Approve told them already.
      expect((await h.messages(order.id)).map((m) => [m.kind, m.generation])).toEqual([
        ['order.cards_refresh', 2],
      ]);
    });

    it('refuses anyone but the requester, and changes nothing', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      expect(await h.orders.approve(as(MEGAN), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'not_requester', requesterName: 'Alex Wilber' },
      });
      expect((await h.orders.get(order.id))?.state).toBe('draft');
    });

    it('submits exactly once when Approve is tapped 20 times at once', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => h.orders.approve(as(ALEX), order.id)),
      );
      await h.work.idle();
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      const losers = results.filter((r) => !r.ok);
      expect(losers).toHaveLength(19);
      for (const r of losers)
        expect(r).toMatchObject({ ok: false, refusal: { code: 'already_decided', by: 'Alex Wilber' } });
      expect(await h.provider.appliedChanges()).toBe(1);
      expect((await h.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(30);
    });

    it('does not apply a stale card: the quantity changed, so a fresh draft is offered', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      await h.provider.adjust(SUBSCRIPTIONS.businessStandard, { quantity: 27 });
      const outcome = value(await h.orders.approve(as(ALEX), order.id)) as Extract<
        ApproveOutcome,
        { kind: 'requoted' }
      >;
      expect(outcome.kind).toBe('requoted');
      expect(outcome.previous).toMatchObject({ state: 'expired', outcome: 'quantity_changed' });
      expect(value(outcome.fresh)).toMatchObject({
        state: 'draft',
        expectedQuantity: 27,
        targetQuantity: 32,
      });
      await h.work.idle();
      expect(await h.provider.appliedChanges()).toBe(0);
      expect((await h.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(27);
    });

    it('checks the permissions again when the draft is confirmed', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      const withoutAlex = withRoles(ALEX.aadObjectId, []);
      const result = await h.another({ directory: withoutAlex }).approve(as(ALEX), order.id);
      expect(result).toMatchObject({ ok: false, refusal: { code: 'missing_licenses_manager' } });
      expect((await h.orders.get(order.id))?.state).toBe('draft');
    });
  });

  describe('rule 2 again at submit time', () => {
    it('fails the order when the requester lost the permission after approving; nothing is ordered', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      await approvedByRequester(order);
      await h.another({ directory: withRoles(ALEX.aadObjectId, []) }).submit(order.id);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'failed', outcome: 'permission_lost' });
      expect(await h.provider.appliedChanges()).toBe(0);
    });
  });

  describe('orders above the approval limit', () => {
    const e3For30 = () => draft(ALEX, SUBSCRIPTIONS.e3, 30); // +690.00 a month

    it('wait for Megan Bowen or Isaiah Langer; the requester cannot approve it', async () => {
      const order = await e3For30();
      expect(order.needsApprover).toBe(true);
      const outcome = value(await h.orders.approve(as(ALEX), order.id)) as Extract<
        ApproveOutcome,
        { kind: 'awaiting_approver' }
      >;
      expect(outcome.kind).toBe('awaiting_approver');
      expect(outcome.approvers.map((a) => a.name)).toEqual(['Megan Bowen', 'Isaiah Langer']);
      expect(await h.orders.approve(as(ALEX), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'self_approval' },
      });
      expect(await h.orders.approve(as(ADELE), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'not_approver' },
      });
      expect(await h.orders.approve(as(PATTI), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'not_approver' },
      });
      expect((await h.orders.get(order.id))?.state).toBe('pending_approval');
      expect(await h.provider.appliedChanges()).toBe(0);
    });

    it('are submitted once when an approver approves, and the loser is told who won and when', async () => {
      const order = await e3For30();
      await h.orders.approve(as(ALEX), order.id);
      const [megan, isaiah] = await Promise.all([
        h.orders.approve(as(MEGAN), order.id),
        h.orders.approve(as(ISAIAH), order.id),
      ]);
      await h.work.idle();
      const winner = megan.ok ? 'Megan Bowen' : 'Isaiah Langer';
      const loser = megan.ok ? isaiah : megan;
      expect([megan.ok, isaiah.ok].filter(Boolean)).toHaveLength(1);
      expect(loser).toMatchObject({ ok: false, refusal: { code: 'already_decided', by: winner } });
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'completed', decidedBy: { name: winner } });
      expect((await h.provider.getSubscription(SUBSCRIPTIONS.e3))?.quantity).toBe(150);
      expect(await h.provider.appliedChanges()).toBe(1);
    });

    it('can be rejected with a reason (required), after which Approve says it was already rejected', async () => {
      const order = await e3For30();
      await h.orders.approve(as(ALEX), order.id);
      expect(await h.orders.reject(as(MEGAN), order.id, '  ')).toMatchObject({
        ok: false,
        refusal: { code: 'reason_required' },
      });
      expect(await h.orders.reject(as(ALEX), order.id, 'no')).toMatchObject({
        ok: false,
        refusal: { code: 'self_approval' },
      });
      const rejected = value(await h.orders.reject(as(MEGAN), order.id, 'Use the spare E5 seats first'));
      expect(rejected).toMatchObject({
        state: 'rejected',
        note: 'Use the spare E5 seats first',
        decidedBy: { name: 'Megan Bowen' },
      });
      expect(await h.orders.approve(as(ISAIAH), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'already_decided', state: 'rejected', by: 'Megan Bowen' },
      });
      expect(await h.provider.appliedChanges()).toBe(0);
    });

    it('can be cancelled by the requester only, while pending', async () => {
      const order = await e3For30();
      await h.orders.approve(as(ALEX), order.id);
      expect(await h.orders.cancel(as(MEGAN), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'not_requester' },
      });
      expect(value(await h.orders.cancel(as(ALEX), order.id)).state).toBe('cancelled');
      expect(await h.orders.approve(as(MEGAN), order.id)).toMatchObject({
        ok: false,
        refusal: { state: 'cancelled' },
      });
    });

    it('expire after the expiry period with nobody deciding; nothing is ordered', async () => {
      const order = await e3For30();
      await h.orders.approve(as(ALEX), order.id);
      h.clock.advance(6 * 24 * 60 * 60 * 1000);
      expect(await h.orders.expireOverdue()).toBe(0);
      h.clock.advance(2 * 24 * 60 * 60 * 1000);
      expect(await h.orders.expireOverdue()).toBe(1);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'expired', outcome: 'approval_timed_out' });
      expect(await h.orders.approve(as(MEGAN), order.id)).toMatchObject({
        ok: false,
        refusal: { state: 'expired' },
      });
    });

    it('are not placed when the quantity changed while waiting: the approver sees why', async () => {
      const order = await e3For30();
      await h.orders.approve(as(ALEX), order.id);
      await h.provider.adjust(SUBSCRIPTIONS.e3, { quantity: 125 });
      const outcome = value(await h.orders.approve(as(MEGAN), order.id));
      expect(outcome).toMatchObject({
        kind: 'stale',
        order: { state: 'expired', outcome: 'quantity_changed', note: '125' },
      });
      await h.work.idle();
      expect(await h.provider.appliedChanges()).toBe(0);
    });
  });

  describe('submission survives faults, exactly once', () => {
    it('a provider timeout after the change was applied: the retry uses the same key; the quantity changes once', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      h.provider.faults.failAfterApply = 1;
      await h.orders.approve(as(ALEX), order.id);
      await h.work.idle();
      expect((await h.orders.get(order.id))?.state).toBe('submitting');
      h.clock.advance(5_000);
      expect(await h.orders.resumeSubmissions()).toBe(1);
      expect((await h.orders.get(order.id))?.state).toBe('completed');
      expect(await h.provider.appliedChanges()).toBe(1);
      expect((await h.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(30);
    });

    it('a crash between "submitting" and the provider call: after restart the order completes once', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      await approvedByRequester(order);
      // The instance that claimed it died before calling the provider.
      expect(
        await h.repository.claimSubmission(
          order.id,
          'dead-instance',
          new Date(h.clock.now().getTime() + 120_000),
          h.clock.now(),
        ),
      ).toBeDefined();
      const restarted = h.another({ instanceId: 'restarted' });
      expect(await restarted.resumeSubmissions()).toBe(0); // the dead instance's lease still holds
      h.clock.advance(121_000);
      expect(await restarted.resumeSubmissions()).toBe(1);
      expect(await restarted.resumeSubmissions()).toBe(0);
      expect((await h.orders.get(order.id))?.state).toBe('completed');
      expect(await h.provider.appliedChanges()).toBe(1);
    });

    it('an unreachable provider: retried with backoff, then failed with a reason; nothing applied', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      h.provider.faults.failBeforeApply = 10;
      await h.orders.approve(as(ALEX), order.id);
      await h.work.idle();
      for (let i = 0; i < 5; i += 1) {
        h.clock.advance(60_000);
        await h.orders.resumeSubmissions();
      }
      expect(await h.orders.get(order.id)).toMatchObject({
        state: 'failed',
        outcome: 'provider_unavailable',
      });
      expect(await h.provider.appliedChanges()).toBe(0);
      const actions = (await h.repository.auditTrail(order.id)).map((e) => e.action);
      expect(actions.filter((a) => a === 'submission_started')).toHaveLength(3);
      expect(actions.filter((a) => a === 'submission_retry_scheduled')).toHaveLength(2);
      expect(actions.at(-1)).toBe('submission_failed');
    });

    it('the same submission called from two instances at once: one provider call', async () => {
      const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
      await approvedByRequester(order);
      const other = h.another();
      await Promise.all([
        h.orders.submit(order.id),
        other.submit(order.id),
        h.orders.submit(order.id),
        other.submit(order.id),
      ]);
      expect(await h.provider.appliedChanges()).toBe(1);
      expect(
        (await h.repository.auditTrail(order.id)).filter((e) => e.action === 'submission_started'),
      ).toHaveLength(1);
    });
  });

  it('an order of another tenant does not exist for its users', async () => {
    const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
    const elsewhere = { ...as(ALEX), tenantId: 'ffffffff-0000-0000-0000-000000000000' };
    expect(await h.orders.approve(elsewhere, order.id)).toEqual({
      ok: false,
      refusal: { code: 'order_not_found' },
    });
    expect(await h.orders.cancel(elsewhere, order.id)).toEqual({
      ok: false,
      refusal: { code: 'order_not_found' },
    });
    expect((await h.orders.get(order.id))?.state).toBe('draft');
  });

  it('a retry that finds the target quantity reached by someone else is not taken for this order: it fails', async () => {
    const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
    await approvedByRequester(order);
    // The first attempt's instance died; meanwhile an administrator elsewhere set the same quantity.
    await h.repository.claimSubmission(
      order.id,
      'dead',
      new Date(h.clock.now().getTime() + 1000),
      h.clock.now(),
    );
    await h.provider.adjust(SUBSCRIPTIONS.businessStandard, { quantity: 30 });
    h.clock.advance(2000);
    await h.orders.resumeSubmissions();
    // The provider's record of the order's key says it was never applied: the matching quantity is not ours.
    expect(await h.orders.get(order.id)).toMatchObject({
      state: 'failed',
      outcome: 'quantity_changed',
      note: '30',
    });
    expect(await h.provider.appliedChanges()).toBe(0);
  });

  it('a first attempt that finds the quantity changed fails with the reason; nothing is applied', async () => {
    const order = await draft(ALEX, SUBSCRIPTIONS.businessStandard, 5);
    await approvedByRequester(order);
    await h.provider.adjust(SUBSCRIPTIONS.businessStandard, { quantity: 30 });
    await h.orders.submit(order.id);
    expect(await h.orders.get(order.id)).toMatchObject({
      state: 'failed',
      outcome: 'quantity_changed',
      note: '30',
    });
  });

  it('refuses unknown and malformed order ids', async () => {
    for (const id of ['', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', "'; DROP TABLE orders; --"]) {
      expect(await h.orders.approve(as(ALEX), id)).toEqual({
        ok: false,
        refusal: { code: 'order_not_found' },
      });
      expect(await h.orders.cancel(as(ALEX), id)).toEqual({
        ok: false,
        refusal: { code: 'order_not_found' },
      });
    }
  });

  it('keeps every order in the audit log with every transition', async () => {
    const orders: Order[] = [];
    orders.push(await draft(ALEX, SUBSCRIPTIONS.businessStandard, 1));
    orders.push(await draft(ALEX, SUBSCRIPTIONS.e3, 30));
    await h.orders.approve(as(ALEX), orders[0].id);
    await h.orders.approve(as(ALEX), orders[1].id);
    await h.orders.reject(as(ISAIAH), orders[1].id, 'not now');
    await h.work.idle();
    for (const order of orders) {
      const trail = await h.repository.auditTrail(order.id);
      const current = await h.orders.get(order.id);
      expect(trail[0]).toMatchObject({ fromState: null, toState: 'draft' });
      expect(trail.at(-1)?.toState).toBe(current?.state);
      for (let i = 1; i < trail.length; i += 1) expect(trail[i].fromState).toBe(trail[i - 1].toState);
    }
  });
});

/** The demo directory with one user's roles replaced. */
function withRoles(aadObjectId: string, roles: Array<'LicensesManager' | 'Approver'>): JsonAccessDirectory {
  const json = JSON.parse(readFileSync(DEMO_ACCESS_FILE, 'utf8')) as {
    users: Array<{ aadObjectId: string; assignments: Array<{ billingProfile: string; roles: string[] }> }>;
  };
  for (const user of json.users) {
    if (user.aadObjectId === aadObjectId) user.assignments = user.assignments.map((a) => ({ ...a, roles }));
  }
  return JsonAccessDirectory.fromJson(json);
}
