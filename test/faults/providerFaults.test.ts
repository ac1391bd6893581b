import type { Order } from '../../bot/domain/order';
import type { Result } from '../../bot/domain/refusal';
import type { Requester } from '../../bot/services/orderService';
import type { LicenseProvider } from '../../bot/services/ports';
import { IDS, startFixture, type Fixture } from '../infrastructure/partnerCenter/partnerCenterFixture';
import { ALEX, MEGAN, SUBSCRIPTIONS, TENANT_ID, type TeamsUser } from '../support/demoUsers';
import { serviceHarness, type ServiceHarness } from '../support/services';
import { describeOnBothDatabases, type TestDatabase } from './support/databases';

/**
 * Fault matrix, the provider's cells (README: Reliability): answers that time out after the change was applied,
 * 429 storms, 5xx storms that end and storms that outlast every attempt, for the sandbox and for Partner Center
 * (a local fake following Microsoft's documented behaviour), on both databases. The real order services; time
 * is a test clock and the Partner Center client's waits are recorded, not slept. Every cell: the order ends
 * the way the provider's own record says (0 lost), the quantity changes at most once (0 duplicates), and the
 * requester's outcome message is queued exactly once (0 lost notifications). The same cells for a reduction
 * scheduled for the renewal (Partner Center: a PATCH of scheduledNextTermInstructions): scheduled at most once.
 */

const as = (user: TeamsUser): Requester => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${result.refusal.code}`);
  return result.value;
}

/** The provider under test, its faults, and how many changes it applied. */
interface ProviderUnderTest {
  readonly provider: LicenseProvider;
  /** A subscription and a seat count whose order needs an approver (over 500.00 a month). */
  readonly order: { subscriptionId: string; seats: number };
  /** A subscription whose seats can be removed only at renewal (outside its window, auto-renew on). */
  readonly renewal: { subscriptionId: string; seats: number };
  /** Scheduled changes the provider made. */
  scheduled(): Promise<number>;
  timeoutAfterSuccess(on: boolean): void;
  /**
   * Change calls fail (throttled with Retry-After: 1 s, or 503), nothing applied: for fewer calls than the
   * order's attempts absorb (`passes`), or for longer than all of them (`outlasts`).
   */
  storm(kind: '429' | '5xx', length: 'passes' | 'outlasts'): void;
  applied(): Promise<number>;
  /** Waits the provider's HTTP client asked for (Partner Center only). */
  waits(): number[];
  stop(): Promise<void>;
}

const PROVIDERS: Record<string, (h: ServiceHarness) => Promise<ProviderUnderTest>> = {
  sandbox: async (h) => ({
    provider: h.provider,
    order: { subscriptionId: SUBSCRIPTIONS.e3, seats: 30 },
    renewal: { subscriptionId: SUBSCRIPTIONS.e3, seats: 2 },
    scheduled: () => h.provider.appliedChanges(undefined, 'at_renewal'),
    timeoutAfterSuccess: (on) => (h.provider.faults.failAfterApply = on ? 1 : 0),
    // Each failed call is one of the order's three attempts.
    storm: (_, length) => (h.provider.faults.failBeforeApply = length === 'passes' ? 2 : 999),
    applied: () => h.provider.appliedChanges(),
    waits: () => [],
    stop: async () => undefined,
  }),
  'Partner Center': async (h) => {
    const t: Fixture = await startFixture({}, { now: () => h.clock.now() });
    // E3 on NCE, bought long ago, renewing after its term ends, auto-renew on: a reduction can only be scheduled.
    const e3 = t.fake.subscriptions.get(IDS.e3);
    if (e3)
      t.fake.subscriptions.set(IDS.e3, {
        ...e3,
        commitmentEndDate: '2027-03-31T00:00:00Z',
        refundableQuantity: { totalQuantity: 0, details: [] },
        scheduledNextTermInstructions: null,
      });
    return {
      provider: t.provider,
      order: { subscriptionId: IDS.basic, seats: 100 },
      renewal: { subscriptionId: IDS.e3, seats: 2 },
      scheduled: async () => t.fake.scheduled.length,
      timeoutAfterSuccess: (on) => (t.fake.faults.hangAfterApply = on ? 999 : 0),
      storm: (kind, length) => {
        // The client tries each request four times: five failures span two of the order's attempts.
        const times = length === 'passes' ? 5 : 999;
        if (kind === '429') t.fake.faults.throttle = { times, retryAfter: '1', only: 'PATCH' };
        else t.fake.faults.serverErrors = { times, status: 503, only: 'PATCH' };
      },
      applied: async () => t.fake.applied.length,
      waits: () => t.sleeps,
      stop: () => t.stop(),
    };
  },
};

describeOnBothDatabases('fault matrix: the provider fails', (open) => {
  for (const [name, make] of Object.entries(PROVIDERS)) {
    describe(name, () => {
      let db: TestDatabase;
      let h: ServiceHarness;
      let p: ProviderUnderTest;
      let service: ServiceHarness['orders'];
      beforeEach(async () => {
        db = await open();
        h = await serviceHarness({ maxSubmissionAttempts: 3 }, db.database);
        p = await make(h);
        service = h.another({ instanceId: 'test-instance', provider: p.provider });
      });
      afterEach(async () => {
        await p.stop();
        await h.close();
        await db.dispose();
      });

      /** Alex confirms an order above the approval limit, Megan approves it: its first attempt runs. */
      async function approvedByMegan(): Promise<Order> {
        const order = value(
          await service.request(as(ALEX), p.order.subscriptionId, 'increase', p.order.seats),
        );
        value(await service.approve(as(ALEX), order.id));
        value(await service.approve(as(MEGAN), order.id));
        await h.work.idle();
        return order;
      }
      /** Later attempts, as the maintenance loop would run them. */
      async function retries(rounds: number): Promise<void> {
        for (let i = 0; i < rounds; i += 1) {
          h.clock.advance(5 * 60_000);
          await service.resumeSubmissions();
        }
      }
      const told = async (orderId: string) =>
        (await h.messages(orderId)).filter((m) => m.kind === 'order.outcome').map((m) => m.payload.state);

      it('the answer times out after the change was applied: confirmed by the provider’s record, applied once', async () => {
        p.timeoutAfterSuccess(true);
        const order = await approvedByMegan();
        expect(await service.get(order.id)).toMatchObject({ state: 'submitting' });
        p.timeoutAfterSuccess(false);
        await retries(1);
        expect(await service.get(order.id)).toMatchObject({ state: 'completed' });
        const submitted = (await h.repository.auditTrail(order.id)).at(-1);
        expect(submitted).toMatchObject({ action: 'submitted', detail: { confirmedBy: 'provider_record' } });
        expect(await p.applied()).toBe(1);
        expect(await told(order.id)).toEqual(['completed']);
      });

      it('a 429 storm: the Retry-After is kept, and the order is placed once when it passes', async () => {
        p.storm('429', 'passes');
        const order = await approvedByMegan();
        await retries(3);
        expect(await service.get(order.id)).toMatchObject({ state: 'completed' });
        expect(await p.applied()).toBe(1);
        if (name === 'Partner Center')
          expect(p.waits().filter((ms) => ms === 1_000).length).toBeGreaterThan(0);
        const retried = (await h.repository.auditTrail(order.id)).filter(
          (e) => e.action === 'submission_retry_scheduled',
        );
        expect(retried.length).toBeGreaterThan(0);
        for (const e of retried) expect(Number(e.detail?.retryInMs)).toBeGreaterThanOrEqual(500);
        expect(await told(order.id)).toEqual(['completed']);
      });

      it('a 5xx storm that ends: placed once', async () => {
        p.storm('5xx', 'passes');
        const order = await approvedByMegan();
        await retries(3);
        expect(await service.get(order.id)).toMatchObject({ state: 'completed' });
        expect(await p.applied()).toBe(1);
        expect(await told(order.id)).toEqual(['completed']);
      });

      /** Alex confirms a reduction at renewal (within the limit): its first attempt runs. */
      async function scheduledByAlex(): Promise<Order> {
        const order = value(
          await service.request(as(ALEX), p.renewal.subscriptionId, 'decrease', p.renewal.seats),
        );
        expect(order.timing).toBe('at_renewal');
        value(await service.approve(as(ALEX), order.id));
        await h.work.idle();
        return order;
      }

      it('a scheduled reduction whose answer times out after it was made: confirmed by the record, made once', async () => {
        p.timeoutAfterSuccess(true);
        const order = await scheduledByAlex();
        expect(await service.get(order.id)).toMatchObject({ state: 'submitting' });
        p.timeoutAfterSuccess(false);
        await retries(1);
        expect(await service.get(order.id)).toMatchObject({ state: 'completed' });
        const submitted = (await h.repository.auditTrail(order.id)).at(-1);
        expect(submitted).toMatchObject({ action: 'submitted', detail: { confirmedBy: 'provider_record' } });
        expect([await p.scheduled(), await p.applied()]).toEqual([1, 0]);
        expect(await told(order.id)).toEqual([]); // Alex approved it himself: the card tells him
      });

      it('a scheduled reduction in a 5xx storm that ends: scheduled once', async () => {
        p.storm('5xx', 'passes');
        const order = await scheduledByAlex();
        await retries(3);
        expect(await service.get(order.id)).toMatchObject({ state: 'completed' });
        expect([await p.scheduled(), await p.applied()]).toEqual([1, 0]);
      });

      it('a 5xx storm that outlasts every attempt: failed with the reason, the provider confirms nothing was applied', async () => {
        p.storm('5xx', 'outlasts');
        const order = await approvedByMegan();
        await retries(5);
        expect(await service.get(order.id)).toMatchObject({
          state: 'failed',
          outcome: 'provider_unavailable',
        });
        expect(await p.applied()).toBe(0);
        expect(await told(order.id)).toEqual(['failed']);
      });
    });
  }
});
