import { randomUUID } from 'node:crypto';
import { money } from '../../bot/domain/money';
import type { OrderState } from '../../bot/domain/order';
import type { SqlDatabase } from '../../bot/infrastructure/database/sqlDatabase';
import { SqlOrderRepository } from '../../bot/infrastructure/orders/sqlOrderRepository';
import { DEMO_CATALOGUE } from '../../bot/infrastructure/providers/demoCatalogue';
import { SandboxLicenseProvider } from '../../bot/infrastructure/providers/sandboxLicenseProvider';
import type { AuditEntry, NewOrder } from '../../bot/services/ports';
import { TestClock } from '../support/services';

/**
 * The order repository and the sandbox provider's storage, as a contract: the same cases run on the
 * embedded database and on a PostgreSQL server (several instances share one).
 */
export function repositoryContract(open: () => Promise<{ db: SqlDatabase; close(): Promise<void> }>): void {
  let db: SqlDatabase;
  let close: () => Promise<void>;
  let repo: SqlOrderRepository;
  const clock = new TestClock();
  const at = () => clock.now();

  beforeEach(async () => {
    ({ db, close } = await open());
    repo = new SqlOrderRepository(db);
  });
  afterEach(async () => {
    await close();
  });

  const newOrder = (overrides: Partial<NewOrder> = {}): NewOrder => ({
    id: randomUUID(),
    idempotencyKey: randomUUID(),
    subscriptionId: 'sub',
    product: 'Office 365 E3',
    domain: 'contoso.com',
    plan: 'ANNUAL',
    billingProfileId: 'contoso-hq',
    billingProfileName: 'Contoso HQ',
    requester: { id: 'alex', name: 'Alex Wilber' },
    tenantId: 'tenant',
    kind: 'increase',
    expectedQuantity: 120,
    targetQuantity: 150,
    pricePerSeat: money(2300, 'USD'),
    needsApprover: true,
    state: 'draft',
    createdAt: at(),
    expiresAt: new Date(at().getTime() + 1000),
    ...overrides,
  });
  const requested = {
    actor: { id: 'alex', name: 'Alex Wilber' },
    action: 'requested',
    fromState: null,
    toState: 'draft' as const,
    at: at(),
  };
  const audit = (orderId: string, fromState: OrderState, toState: OrderState): AuditEntry => ({
    orderId,
    actor: { id: 'megan', name: 'Megan Bowen' },
    action: 'test',
    fromState,
    toState,
    at: at(),
  });

  it('stores an order with every field, money in minor units, numbered from 1001', async () => {
    const created = await repo.create(newOrder(), requested);
    expect(created.number).toBeGreaterThanOrEqual(1001);
    const read = await repo.get(created.id);
    expect(read).toMatchObject({
      state: 'draft',
      expectedQuantity: 120,
      targetQuantity: 150,
      pricePerSeat: { minor: 2300, currency: 'USD' },
    });
    expect(read?.createdAt).toBeInstanceOf(Date);
    expect(await repo.get('not-a-uuid')).toBeUndefined();
    expect(await repo.get(randomUUID())).toBeUndefined();
  });

  it('moves an order only from the state it is in: one write wins, the audit row goes with it', async () => {
    const { id } = await repo.create(newOrder(), requested);
    const change = { at: at(), decidedBy: { id: 'megan', name: 'Megan Bowen' } };
    expect(
      await repo.transition(
        id,
        'draft',
        'pending_approval',
        { at: at() },
        audit(id, 'draft', 'pending_approval'),
      ),
    ).toBeDefined();
    expect(
      await repo.transition(id, 'draft', 'cancelled', change, audit(id, 'draft', 'cancelled')),
    ).toBeUndefined();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        repo.transition(
          id,
          'pending_approval',
          'approved',
          change,
          audit(id, 'pending_approval', 'approved'),
        ),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await repo.get(id)).toMatchObject({ state: 'approved', decidedBy: { name: 'Megan Bowen' } });
    expect((await repo.auditTrail(id)).map((e) => e.toState)).toEqual([
      'draft',
      'pending_approval',
      'approved',
    ]);
  });

  it('lets exactly one of many concurrent claims take a submission, and another take it over after the lease', async () => {
    const { id } = await repo.create(newOrder(), requested);
    await repo.transition(id, 'draft', 'approved', { at: at() }, audit(id, 'draft', 'approved'));
    const lease = new Date(at().getTime() + 60_000);
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => repo.claimSubmission(id, `instance-${i}`, lease, at())),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await repo.claimSubmission(id, 'late', lease, at())).toBeUndefined();
    expect(await repo.listSubmittable(at(), 10)).toEqual([]);
    const later = new Date(lease.getTime() + 1);
    expect(await repo.listSubmittable(later, 10)).toEqual([id]);
    const takeover = await repo.claimSubmission(id, 'survivor', new Date(later.getTime() + 60_000), later);
    expect(takeover?.attempt).toBe(2);
  });

  it('extends a lease only for its owner', async () => {
    const { id } = await repo.create(newOrder(), requested);
    await repo.transition(id, 'draft', 'approved', { at: at() }, audit(id, 'draft', 'approved'));
    await repo.claimSubmission(id, 'owner', new Date(at().getTime() + 1000), at());
    const entry = audit(id, 'submitting', 'submitting');
    expect(await repo.extendLease(id, 'someone-else', new Date(at().getTime() + 5000), entry)).toBe(false);
    expect(await repo.extendLease(id, 'owner', new Date(at().getTime() + 5000), entry)).toBe(true);
  });

  it('lists overdue, recent (paged) and awaiting-approval orders', async () => {
    const old = await repo.create(newOrder({ expiresAt: new Date(at().getTime() - 1) }), requested);
    const mine = [];
    for (let i = 0; i < 7; i += 1)
      mine.push(await repo.create(newOrder({ createdAt: new Date(at().getTime() + i * 1000) }), requested));
    await repo.transition(
      mine[0].id,
      'draft',
      'pending_approval',
      { at: at() },
      audit(mine[0].id, 'draft', 'pending_approval'),
    );
    expect(await repo.listOverdue(at(), 10)).toEqual([old.id]);
    expect(await repo.countByRequester('alex')).toBe(8);
    const page = await repo.listByRequester('alex', 3, 0);
    expect(page.map((o) => o.id)).toEqual([mine[6].id, mine[5].id, mine[4].id]);
    expect((await repo.listByRequester('alex', 3, 6)).length).toBe(2);
    expect((await repo.listAwaitingApproval(['contoso-hq'], 10)).map((o) => o.id)).toEqual([mine[0].id]);
    expect(await repo.listAwaitingApproval(['contoso-emea'], 10)).toEqual([]);
  });

  it('the sandbox applies one request id once, even when it arrives twice at the same moment', async () => {
    const sandbox = new SandboxLicenseProvider(db, clock);
    await sandbox.seed(DEMO_CATALOGUE);
    const change = {
      subscriptionId: DEMO_CATALOGUE[0].id,
      expectedQuantity: 25,
      targetQuantity: 30,
      idempotencyKey: randomUUID(),
    };
    const results = await Promise.all(Array.from({ length: 8 }, () => sandbox.changeQuantity(change)));
    expect(results.every((r) => r.status === 'applied')).toBe(true);
    expect(await sandbox.appliedChanges()).toBe(1);
    expect((await sandbox.getSubscription(DEMO_CATALOGUE[0].id))?.quantity).toBe(30);
  });
}
