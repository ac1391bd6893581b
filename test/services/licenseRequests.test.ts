import { randomUUID } from 'node:crypto';
import { SqlLicenseRequestStore } from '../../bot/infrastructure/requests/sqlLicenseRequestStore';
import { LicenseRequests } from '../../bot/services/licenseRequests';
import { ADELE, ALEX, LYNNE, MEGAN, PATTI, SUBSCRIPTIONS } from '../support/demoUsers';
import { DEFAULT_SETTINGS, serviceHarness, type ServiceHarness } from '../support/services';
import { silentLog } from '../support/testApp';

const DAY = 24 * 60 * 60 * 1000;
const person = (u: { aadObjectId: string; name: string }) => ({
  id: u.aadObjectId,
  name: u.name,
  tenantId: 't',
});

describe('license requests (embedded PostgreSQL)', () => {
  let h: ServiceHarness;
  let requests: LicenseRequests;
  beforeEach(async () => {
    h = await serviceHarness();
    requests = new LicenseRequests({
      store: new SqlLicenseRequestStore(h.db),
      licenses: h.licenses,
      orders: h.orders,
      directory: h.directory,
      clock: h.clock,
      log: silentLog,
      newId: randomUUID,
      settings: {
        maxSeatsPerOrder: 300,
        expiryMs: DEFAULT_SETTINGS.orderExpiryMs,
        notificationGiveUpMs: DAY,
      },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  async function sent(subscriptionId: string, who = PATTI) {
    const draft = await requests.draft(person(who), subscriptionId, 4);
    if (!draft.ok) throw new Error(draft.refusal.code);
    const done = await requests.send(person(who), draft.value.id, undefined);
    if (!done.ok) throw new Error(done.refusal.code);
    return done.value;
  }

  it("a sent request's card goes to each Licenses Manager of its profile, through the outbox", async () => {
    const request = await sent(SUBSCRIPTIONS.businessBasic);
    const rows = (await h.messages()).filter((m) => m.kind === 'request.card');
    expect(rows.map((m) => [m.recipient, m.payload])).toEqual([
      [ALEX.aadObjectId, { requestId: request.id, state: 'waiting' }],
      [ADELE.aadObjectId, { requestId: request.id, state: 'waiting' }],
    ]);
  });

  it('two Licenses Managers ordering at once: one order, the other is told who did', async () => {
    const request = await sent(SUBSCRIPTIONS.businessBasic);
    const results = await Promise.all([
      requests.order(person(ALEX), request.id),
      requests.order(person(ADELE), request.id),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const lost = results.find((r) => !r.ok);
    expect(lost && !lost.ok && lost.refusal).toMatchObject({
      code: 'request_already_decided',
      state: 'ordered',
    });
  });

  it('requests expire like orders: a waiting one tells its requester, a draft nobody sent just ends', async () => {
    const waiting = await sent(SUBSCRIPTIONS.businessStandard);
    const draft = await requests.draft(person(LYNNE), SUBSCRIPTIONS.e3, 2);
    h.clock.advance(DEFAULT_SETTINGS.orderExpiryMs - 1000);
    expect(await requests.expireOverdue()).toBe(0);
    h.clock.advance(2000);
    expect(await requests.expireOverdue()).toBe(2);
    expect((await requests.get(waiting.id))?.state).toBe('expired');
    expect(draft.ok && (await requests.get(draft.value.id))?.state).toBe('expired');
    const outcomes = (await h.messages()).filter((m) => m.kind === 'request.outcome');
    expect(outcomes.map((m) => [m.recipient, m.payload.requestId])).toEqual([
      [PATTI.aadObjectId, waiting.id],
    ]);
    // An expired request cannot be ordered any more.
    const late = await requests.order(person(ALEX), waiting.id);
    expect(!late.ok && late.refusal.code).toBe('request_already_decided');
  });

  it('a reason over 500 characters is refused and nothing is sent', async () => {
    const draft = await requests.draft(person(PATTI), SUBSCRIPTIONS.businessStandard, 4);
    const result = draft.ok ? await requests.send(person(PATTI), draft.value.id, 'z'.repeat(501)) : draft;
    expect(!result.ok && result.refusal.code).toBe('reason_too_long');
    expect((await h.messages()).filter((m) => m.kind === 'request.card')).toEqual([]);
  });

  describe('the requester is told once how the order made from the request ended', () => {
    const orderOutcomes = async () => (await h.messages()).filter((m) => m.kind === 'request.order_outcome');

    async function ordered(subscriptionId: string, seats = 4) {
      const draft = await requests.draft(person(PATTI), subscriptionId, seats);
      if (!draft.ok) throw new Error(draft.refusal.code);
      const sentRequest = await requests.send(person(PATTI), draft.value.id, undefined);
      if (!sentRequest.ok) throw new Error(sentRequest.refusal.code);
      const done = await requests.order(person(ALEX), draft.value.id);
      if (!done.ok) throw new Error(done.refusal.code);
      return done.value;
    }

    it('the order records the request; completed: one message to the requester, none to the manager', async () => {
      const { request, order } = await ordered(SUBSCRIPTIONS.businessBasic);
      expect(order.licenseRequest).toEqual({ id: request.id, requesterId: PATTI.aadObjectId });
      expect((await h.orders.get(order.id))?.licenseRequest).toEqual(order.licenseRequest);
      expect(await orderOutcomes()).toEqual([]);
      const approved = await h.orders.approve(person(ALEX), order.id);
      expect(approved.ok).toBe(true);
      await h.work.idle();
      expect((await h.orders.get(order.id))?.state).toBe('completed');
      // Nothing further queues it again (maintenance, a second run).
      await h.orders.resumeSubmissions();
      await h.orders.expireOverdue();
      expect((await orderOutcomes()).map((m) => [m.recipient, m.payload, m.order_id])).toEqual([
        [PATTI.aadObjectId, { requestId: request.id, orderId: order.id, state: 'completed' }, null],
      ]);
    });

    it('rejected by an approver: told once', async () => {
      // 30 seats of E3 are above Contoso HQ's approval limit: Megan or Isaiah decides.
      const { request, order } = await ordered(SUBSCRIPTIONS.e3, 30);
      const confirmed = await h.orders.approve(person(ALEX), order.id);
      expect(confirmed.ok && (await h.orders.get(order.id))?.state).toBe('pending_approval');
      const rejected = await h.orders.reject(person(MEGAN), order.id, 'Not this quarter');
      expect(rejected.ok).toBe(true);
      expect((await orderOutcomes()).map((m) => [m.recipient, m.payload])).toEqual([
        [PATTI.aadObjectId, { requestId: request.id, orderId: order.id, state: 'rejected' }],
      ]);
    });

    it('failed at the provider: told once', async () => {
      const { order } = await ordered(SUBSCRIPTIONS.businessBasic);
      h.provider.faults.failBeforeApply = 10;
      await h.orders.approve(person(ALEX), order.id);
      await h.work.idle();
      for (let i = 0; i < 5; i += 1) {
        h.clock.advance(60_000);
        await h.orders.resumeSubmissions();
      }
      expect((await h.orders.get(order.id))?.state).toBe('failed');
      expect((await orderOutcomes()).map((m) => m.payload.state)).toEqual(['failed']);
    });

    it("the manager's draft expires unconfirmed, or is cancelled: told once; a plain order tells nobody else", async () => {
      const first = await ordered(SUBSCRIPTIONS.businessBasic);
      const second = await ordered(SUBSCRIPTIONS.businessStandard);
      const plain = await h.orders.request(person(ALEX), SUBSCRIPTIONS.businessStandard, 'increase', 1);
      expect(plain.ok && plain.value.licenseRequest).toBeNull();
      expect((await h.orders.cancel(person(ALEX), second.order.id)).ok).toBe(true);
      h.clock.advance(DEFAULT_SETTINGS.orderExpiryMs + 1000);
      await h.orders.expireOverdue();
      await h.orders.expireOverdue();
      expect((await orderOutcomes()).map((m) => [m.payload.requestId, m.payload.state])).toEqual([
        [second.request.id, 'cancelled'],
        [first.request.id, 'expired'],
      ]);
    });
  });
});
