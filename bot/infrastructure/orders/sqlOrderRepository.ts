import { money } from '../../domain/money';
import type { Order, OrderOutcomeCode, OrderState, SeatChangeKind } from '../../domain/order';
import type { Plan } from '../../domain/subscription';
import type { AuditEntry, NewOrder, OrderRepository, TransitionChange } from '../../services/ports';
import type { SqlDatabase, SqlExecutor } from '../database/sqlDatabase';

interface OrderRow {
  id: string;
  number: number;
  idempotency_key: string;
  subscription_id: string;
  product: string;
  domain: string;
  plan: Plan;
  billing_profile_id: string;
  billing_profile_name: string;
  requester_id: string;
  requester_name: string;
  tenant_id: string | null;
  kind: SeatChangeKind;
  expected_quantity: number;
  target_quantity: number;
  price_minor: number | string;
  currency: string;
  needs_approver: boolean;
  state: OrderState;
  decided_by_id: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  outcome: OrderOutcomeCode | null;
  note: string | null;
  created_at: Date;
  updated_at: Date;
  expires_at: Date;
  submit_attempts: number;
}

interface EventRow {
  order_id: string;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  from_state: OrderState | null;
  to_state: OrderState;
  at: Date;
  detail: Record<string, unknown>;
}

/** Approved, or mid-submission with a lease that ran out; `now` is the SQL parameter holding the time. */
const openForSubmission = (now: string) =>
  `(state = 'approved' OR (state = 'submitting' AND lease_until < ${now}))`;

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    number: Number(row.number),
    idempotencyKey: row.idempotency_key,
    subscriptionId: row.subscription_id,
    product: row.product,
    domain: row.domain,
    plan: row.plan,
    billingProfileId: row.billing_profile_id,
    billingProfileName: row.billing_profile_name,
    requester: { id: row.requester_id, name: row.requester_name },
    tenantId: row.tenant_id,
    kind: row.kind,
    expectedQuantity: row.expected_quantity,
    targetQuantity: row.target_quantity,
    pricePerSeat: money(Number(row.price_minor), row.currency.trim()),
    needsApprover: row.needs_approver,
    state: row.state,
    decidedBy: row.decided_by_id ? { id: row.decided_by_id, name: row.decided_by_name ?? '' } : null,
    decidedAt: row.decided_at,
    outcome: row.outcome,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}

/** The audit entry's columns after order_id, in the order of appendAudit's INSERT. */
function auditValues(entry: Omit<AuditEntry, 'orderId'>): unknown[] {
  return [
    entry.actor?.id ?? null,
    entry.actor?.name ?? null,
    entry.action,
    entry.fromState,
    entry.toState,
    entry.at,
    JSON.stringify(entry.detail ?? {}),
  ];
}

async function appendAudit(tx: SqlExecutor, entry: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [entry.orderId, ...auditValues(entry)],
  );
}

/** Orders and their audit log in SQL (PGlite or PostgreSQL). */
export class SqlOrderRepository implements OrderRepository {
  constructor(private readonly db: SqlDatabase) {}

  async create(order: NewOrder, audit: Omit<AuditEntry, 'orderId'>): Promise<Order> {
    // One statement for the order and its first audit entry: atomic, without a transaction's round trips.
    const { rows } = await this.db.query<OrderRow>(
      `WITH created AS (
         INSERT INTO orders (id, idempotency_key, subscription_id, product, domain, plan, billing_profile_id,
           billing_profile_name, requester_id, requester_name, tenant_id, kind, expected_quantity, target_quantity,
           price_minor, currency, needs_approver, state, created_at, updated_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20)
         RETURNING *),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, $21, $22, $23, $24, $25, $26, $27 FROM created)
       SELECT * FROM created`,
      [
        order.id,
        order.idempotencyKey,
        order.subscriptionId,
        order.product,
        order.domain,
        order.plan,
        order.billingProfileId,
        order.billingProfileName,
        order.requester.id,
        order.requester.name,
        order.tenantId,
        order.kind,
        order.expectedQuantity,
        order.targetQuantity,
        order.pricePerSeat.minor,
        order.pricePerSeat.currency,
        order.needsApprover,
        order.state,
        order.createdAt,
        order.expiresAt,
        ...auditValues(audit),
      ],
    );
    return toOrder(rows[0]);
  }

  async get(id: string): Promise<Order | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<OrderRow>('SELECT * FROM orders WHERE id = $1', [id]);
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async transition(
    id: string,
    from: OrderState,
    to: OrderState,
    change: TransitionChange,
    audit: AuditEntry,
  ): Promise<Order | undefined> {
    // One conditional statement: the audit entry is written only when the UPDATE matched (atomic by itself).
    const { rows } = await this.db.query<OrderRow>(
      `WITH moved AS (
         UPDATE orders SET
           state = $3,
           updated_at = $4,
           decided_by_id = COALESCE($5, decided_by_id),
           decided_by_name = COALESCE($6, decided_by_name),
           decided_at = CASE WHEN $5::text IS NULL THEN decided_at ELSE $4 END,
           outcome = COALESCE($7, outcome),
           note = COALESCE($8, note),
           lease_owner = $9,
           lease_until = $10
         WHERE id = $1 AND state = $2
         RETURNING *),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, $11, $12, $13, $14, $15, $16, $17 FROM moved)
       SELECT * FROM moved`,
      [
        id,
        from,
        to,
        change.at,
        change.decidedBy?.id ?? null,
        change.decidedBy?.name ?? null,
        change.outcome ?? null,
        change.note ?? null,
        change.lease?.owner ?? null,
        change.lease?.until ?? null,
        ...auditValues(audit),
      ],
    );
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async claimSubmission(
    id: string,
    owner: string,
    leaseUntil: Date,
    now: Date,
  ): Promise<{ order: Order; attempt: number } | undefined> {
    if (!isUuid(id)) return undefined;
    return this.db.transaction(async (tx) => {
      const current = await tx.query<{ state: OrderState }>(
        `SELECT state FROM orders WHERE id = $1 AND ${openForSubmission('$2')} FOR UPDATE SKIP LOCKED`,
        [id, now],
      );
      if (current.rows.length === 0) return undefined;
      const { rows } = await tx.query<OrderRow>(
        `UPDATE orders SET state = 'submitting', updated_at = $2, lease_owner = $3, lease_until = $4,
           submit_attempts = submit_attempts + 1
         WHERE id = $1 RETURNING *`,
        [id, now, owner, leaseUntil],
      );
      const attempt = rows[0].submit_attempts;
      await appendAudit(tx, {
        orderId: id,
        actor: null,
        action: 'submission_started',
        fromState: current.rows[0].state,
        toState: 'submitting',
        at: now,
        detail: { attempt, instance: owner },
      });
      return { order: toOrder(rows[0]), attempt };
    });
  }

  async listSubmittable(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM orders WHERE state IN ('approved', 'submitting') AND ${openForSubmission('$1')}
       ORDER BY updated_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  async listOverdue(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM orders WHERE state IN ('draft', 'pending_approval') AND expires_at < $1
       ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  async extendLease(id: string, owner: string, until: Date, audit: AuditEntry): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const { rowCount } = await tx.query(
        `UPDATE orders SET lease_until = $3, updated_at = $4
         WHERE id = $1 AND state = 'submitting' AND lease_owner = $2`,
        [id, owner, until, audit.at],
      );
      if (rowCount === 0) return false;
      await appendAudit(tx, audit);
      return true;
    });
  }

  async listByRequester(requesterId: string, limit: number, offset: number): Promise<Order[]> {
    const { rows } = await this.db.query<OrderRow>(
      `SELECT * FROM orders WHERE requester_id = $1 ORDER BY created_at DESC, number DESC LIMIT $2 OFFSET $3`,
      [requesterId, limit, offset],
    );
    return rows.map(toOrder);
  }

  async countByRequester(requesterId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>(
      'SELECT count(*)::int AS n FROM orders WHERE requester_id = $1',
      [requesterId],
    );
    return Number(rows[0].n);
  }

  async listAwaitingApproval(billingProfileIds: readonly string[], limit: number): Promise<Order[]> {
    if (billingProfileIds.length === 0) return [];
    const { rows } = await this.db.query<OrderRow>(
      `SELECT * FROM orders WHERE state = 'pending_approval' AND billing_profile_id = ANY($1::text[])
       ORDER BY created_at LIMIT $2`,
      [billingProfileIds, limit],
    );
    return rows.map(toOrder);
  }

  async auditTrail(orderId: string): Promise<AuditEntry[]> {
    if (!isUuid(orderId)) return [];
    const { rows } = await this.db.query<EventRow>(
      'SELECT * FROM order_events WHERE order_id = $1 ORDER BY id',
      [orderId],
    );
    return rows.map((r) => ({
      orderId: r.order_id,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? '' } : null,
      action: r.action,
      fromState: r.from_state,
      toState: r.to_state,
      at: r.at,
      detail: r.detail,
    }));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Order ids arrive in untrusted card data; anything but a UUID cannot name an order. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
