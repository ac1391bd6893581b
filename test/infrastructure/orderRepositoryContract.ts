import { randomUUID } from 'node:crypto';
import { money } from '../../bot/domain/money';
import { IllegalTransitionError, type OrderState } from '../../bot/domain/order';
import type { SqlDatabase } from '../../bot/infrastructure/database/sqlDatabase';
import { SqlOrderRepository } from '../../bot/infrastructure/orders/sqlOrderRepository';
import { SqlOutboxStore } from '../../bot/infrastructure/outbox/sqlOutboxStore';
import type { OutboxMessage } from '../../bot/services/outbox';
import { DEMO_CATALOGUE } from '../../bot/infrastructure/providers/demoCatalogue';
import { SandboxLicenseProvider } from '../../bot/infrastructure/providers/sandboxLicenseProvider';
import type { AuditEntry, NewOrder } from '../../bot/services/ports';
import { waitUntil } from '../support/builtBot';
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
    timing: 'now',
    scheduledBefore: null,
    renewalDate: null,
    restoreKey: randomUUID(),
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
    expect(claims.find(Boolean)?.fence.token).toBe(1);
    expect(await repo.claimSubmission(id, 'late', lease, at())).toBeUndefined();
    expect(await repo.listSubmittable(at(), 10, 'late')).toEqual([]);
    const later = new Date(lease.getTime() + 1);
    expect(await repo.listSubmittable(later, 10, 'survivor')).toEqual([id]);
    const takeover = await repo.claimSubmission(id, 'survivor', new Date(later.getTime() + 60_000), later);
    expect(takeover?.attempt).toBe(2);
    expect(takeover?.fence).toEqual({ owner: 'survivor', token: 2 });
  });

  it("waits out a moment's lock on the order (a card copy being recorded) instead of skipping the claim", async () => {
    const { id } = await repo.create(newOrder(), requested);
    await repo.transition(id, 'draft', 'approved', { at: at() }, audit(id, 'draft', 'approved'));
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked = () => undefined as void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = db.transaction(async (tx) => {
      await tx.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [id]);
      locked();
      await held;
    });
    await isLocked;
    const claim = repo.claimSubmission(id, 'approver', new Date(at().getTime() + 60_000), at());
    try {
      // On PostgreSQL the claim must be waiting for the lock (the embedded database runs one statement at a time).
      if (db.kind === 'postgres')
        await waitUntil(
          async () =>
            (
              await db.query<{ n: number }>(
                `SELECT count(*) AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              )
            ).rows[0].n > 0,
          'the claim to wait for the lock',
          10_000,
        );
    } finally {
      release();
      await holder;
    }
    expect((await claim)?.fence).toEqual({ owner: 'approver', token: 1 });
  });

  it('lets the approving instance hold an approved order: others may claim it only when the hold ran out', async () => {
    const { id } = await repo.create(newOrder(), requested);
    const hold = new Date(at().getTime() + 30_000);
    await repo.transition(
      id,
      'draft',
      'approved',
      { at: at(), lease: { owner: 'approver-instance', until: hold } },
      audit(id, 'draft', 'approved'),
    );
    expect(await repo.listSubmittable(at(), 10, 'other')).toEqual([]);
    expect(await repo.claimSubmission(id, 'other', hold, at())).toBeUndefined();
    expect(await repo.listSubmittable(at(), 10, 'approver-instance')).toEqual([id]);
    const after = new Date(hold.getTime() + 1);
    expect(await repo.claimSubmission(id, 'other', new Date(after.getTime() + 1000), after)).toMatchObject({
      fence: { owner: 'other', token: 1 },
    });
  });

  it('fences a submission: a stale owner or token can neither renew, retry nor finish it, and its late answer is audited', async () => {
    const { id } = await repo.create(newOrder(), requested);
    await repo.transition(id, 'draft', 'approved', { at: at() }, audit(id, 'draft', 'approved'));
    const first = await repo.claimSubmission(id, 'a', new Date(at().getTime() + 1000), at());
    const later = new Date(at().getTime() + 2000);
    const second = await repo.claimSubmission(id, 'b', new Date(later.getTime() + 60_000), later);
    if (!first || !second) throw new Error('both claims should succeed, one after the lease ran out');
    const stale = first.fence;
    expect(await repo.renewLease(id, stale, new Date(later.getTime() + 90_000))).toBe(false);
    expect(await repo.renewLease(id, { owner: 'b', token: stale.token }, later)).toBe(false);
    expect(await repo.renewLease(id, second.fence, new Date(later.getTime() + 90_000))).toBe(true);
    const retry = audit(id, 'submitting', 'submitting');
    expect(await repo.scheduleRetry(id, stale, later, retry)).toBe(false);
    const finish = audit(id, 'submitting', 'completed');
    expect(
      await repo.transition(id, 'submitting', 'completed', { at: at() }, finish, { fence: stale }),
    ).toBeUndefined();
    await repo.appendEvent(id, {
      orderId: id,
      actor: null,
      action: 'late_answer_refused',
      at: at(),
      detail: { fence: 1 },
    });
    expect(await repo.get(id)).toMatchObject({ state: 'submitting' });
    const done = await repo.transition(id, 'submitting', 'completed', { at: at() }, finish, {
      fence: second.fence,
    });
    expect(done).toMatchObject({ state: 'completed' });
    const trail = await repo.auditTrail(id);
    expect(trail.map((e) => [e.action, e.fromState, e.toState])).toEqual([
      ['requested', null, 'draft'],
      ['test', 'draft', 'approved'],
      ['submission_started', 'approved', 'submitting'],
      ['submission_started', 'submitting', 'submitting'],
      ['late_answer_refused', 'submitting', 'submitting'],
      ['test', 'submitting', 'completed'],
    ]);
  });

  it('refuses any transition the state machine does not allow, before writing anything', async () => {
    const { id } = await repo.create(newOrder(), requested);
    await expect(
      repo.transition(id, 'draft', 'completed', { at: at() }, audit(id, 'draft', 'completed')),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    await expect(
      repo.transition(id, 'draft', 'submitting', { at: at() }, audit(id, 'draft', 'submitting')),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
    expect(await repo.get(id)).toMatchObject({ state: 'draft', version: 1 });
    expect(await repo.auditTrail(id)).toHaveLength(1);
  });

  describe('the outbox', () => {
    let outbox: SqlOutboxStore;
    beforeEach(() => {
      outbox = new SqlOutboxStore(db, 60_000);
    });
    const message = (orderId: string, key: string, more: Partial<OutboxMessage> = {}): OutboxMessage => ({
      kind: 'order.outcome',
      orderId,
      recipient: { kind: 'person', id: 'alex' },
      dedupeKey: key,
      payload: { state: 'completed' },
      dueAt: at(),
      deliverBy: new Date(at().getTime() + 60_000),
      ...more,
    });

    it('writes a transition’s messages in the same statement, and none when the transition lost', async () => {
      const { id } = await repo.create(newOrder(), requested);
      const messages = [message(id, `order:${id}:outcome`)];
      const moved = await repo.transition(
        id,
        'draft',
        'cancelled',
        { at: at() },
        audit(id, 'draft', 'cancelled'),
        {
          messages,
        },
      );
      expect(moved?.version).toBe(2);
      const lost = await repo.transition(
        id,
        'draft',
        'expired',
        { at: at() },
        audit(id, 'draft', 'expired'),
        {
          messages: [message(id, `order:${id}:other`)],
        },
      );
      expect(lost).toBeUndefined();
      const { rows } = await db.query<{ dedupe_key: string; state: string }>(
        'SELECT dedupe_key, state FROM outbox WHERE order_id = $1',
        [id],
      );
      expect(rows).toEqual([{ dedupe_key: `order:${id}:outcome`, state: 'pending' }]);
    });

    it('claims each due message once among concurrent workers (SKIP LOCKED), and keeps one row per dedupe key', async () => {
      const { id } = await repo.create(newOrder(), requested);
      const keys = Array.from({ length: 12 }, (_, i) => `k${i}`);
      await outbox.enqueue(
        keys.map((k) => message(id, k)),
        at(),
      );
      await outbox.enqueue([message(id, 'k0'), message(id, 'k1')], at());
      const lease = new Date(at().getTime() + 30_000);
      const claims = await Promise.all(
        Array.from({ length: 6 }, (_, i) => outbox.claimDue(`worker-${i}`, at(), lease, 3)),
      );
      const claimed = claims.flat().map((m) => m.dedupeKey);
      expect(claimed.sort()).toEqual([...keys].sort());
      expect(await outbox.claimDue('late', at(), lease, 10)).toEqual([]);
    });

    it('re-arms a message with a newer version: a delivery of the older one does not mark it delivered', async () => {
      const { id } = await repo.create(newOrder(), requested);
      const copy = message(id, 'copy', { rearm: true });
      await outbox.enqueue([copy], at());
      const [claimed] = await outbox.claimDue('w', at(), new Date(at().getTime() + 30_000), 10);
      await outbox.enqueue([copy], at());
      expect(await outbox.finish(claimed, 'w', 'delivered', null, at())).toBe('rearmed');
      const [again] = await outbox.claimDue('w', at(), new Date(at().getTime() + 30_000), 10);
      expect(again).toMatchObject({ dedupeKey: 'copy', generation: 2, attempts: 1 });
      expect(await outbox.finish(claimed, 'w', 'delivered', null, at())).toBe('lost');
      expect(await outbox.finish(again, 'w', 'delivered', null, at())).toBe('done');
    });

    it('records a sent card copy; a copy rendered before the order moved on gets an update queued', async () => {
      const { id } = await repo.create(newOrder(), requested);
      await outbox.enqueue([message(id, 'card')], at());
      const [claimed] = await outbox.claimDue('w', at(), new Date(at().getTime() + 30_000), 10);
      await repo.transition(
        id,
        'draft',
        'pending_approval',
        { at: at() },
        audit(id, 'draft', 'pending_approval'),
      );
      const reference = { conversation: { id: 'chat-1' } };
      expect(
        await outbox.recordSent(
          claimed,
          'w',
          {
            activityId: 'activity-1',
            conversationId: 'chat-1',
            cardCopy: { orderId: id, audience: 'approver', reference, renderedVersion: 1 },
          },
          at(),
        ),
      ).toBe(true);
      const { rows } = await db.query<{ kind: string; recipient: string; activity_id: string }>(
        `SELECT kind, recipient, activity_id FROM outbox WHERE order_id = $1 AND kind = 'order.card_update'`,
        [id],
      );
      expect(rows).toEqual([{ kind: 'order.card_update', recipient: 'chat-1', activity_id: 'activity-1' }]);
      const cards = await db.query('SELECT 1 FROM order_cards WHERE order_id = $1', [id]);
      expect(cards.rows).toHaveLength(1);
    });
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
