import { money } from '../../domain/money';
import {
  assertTransition,
  statesLeadingTo,
  type Order,
  type OrderOutcomeCode,
  type Actor,
  type ApprovalStepNumber,
  type OrderState,
  type OrderTiming,
  type SeatChangeKind,
} from '../../domain/order';
import type { Plan } from '../../domain/subscription';
import type {
  AuditEntry,
  NewOrder,
  OrderRepository,
  SubmissionFence,
  TransitionChange,
  TransitionOptions,
  ApprovalWrite,
  ReassignWrite,
  StepWrite,
} from '../../services/ports';
import type { SqlDatabase } from '../database/sqlDatabase';
import { insertMessages, messageRows } from '../outbox/outboxSql';

interface OrderRow {
  id: string;
  license_request_id: string | null;
  license_requester_id: string | null;
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
  timing: OrderTiming;
  scheduled_before: number | null;
  renewal_date: string | null;
  restore_key: string;
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
  lease_generation: number | string;
  version: number;
  approval_requested_at: Date | null;
  approval_step: number;
  approval_step_at: Date | null;
  approvals_required: number;
  approvals: Array<{ id: string; name: string; at: string; onBehalfOf?: { id: string; name: string } }>;
  reassignments: Array<{
    to: { id: string; name: string };
    by: { id: string; name: string };
    at: string;
  }> | null;
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

/** The states a submission may be claimed from, as the state machine says (approved, submitting). */
const CLAIMABLE = statesLeadingTo('submitting');

/**
 * Open for a claim by `owner` at `now` (SQL parameters): nobody holds it, its holder's lease ran out, or it is an
 * approved order this instance holds (the instance that approved submits at once; the others wait for its hold).
 */
const openForSubmission = (now: string, owner: string) =>
  `(state = ANY('{${CLAIMABLE.join(',')}}'::text[]) AND (lease_until IS NULL OR lease_until < ${now}
     OR (state = 'approved' AND lease_owner = ${owner})))`;

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
    timing: row.timing,
    scheduledBefore: row.scheduled_before,
    renewalDate: row.renewal_date,
    restoreKey: row.restore_key,
    pricePerSeat: money(Number(row.price_minor), row.currency.trim()),
    needsApprover: row.needs_approver,
    state: row.state,
    version: row.version,
    decidedBy: row.decided_by_id ? { id: row.decided_by_id, name: row.decided_by_name ?? '' } : null,
    decidedAt: row.decided_at,
    outcome: row.outcome,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
    licenseRequest:
      row.license_request_id && row.license_requester_id
        ? { id: row.license_request_id, requesterId: row.license_requester_id }
        : null,
    approvalRequestedAt: row.approval_requested_at,
    approvalStep: Math.min(3, Math.max(0, Number(row.approval_step))) as ApprovalStepNumber,
    approvalStepAt: row.approval_step_at,
    approvalsRequired: Number(row.approvals_required),
    approvals: (row.approvals ?? []).map((a) => ({
      id: a.id,
      name: a.name,
      at: new Date(a.at),
      ...(a.onBehalfOf ? { onBehalfOf: { id: a.onBehalfOf.id, name: a.onBehalfOf.name } } : {}),
    })),
    reassignments: (row.reassignments ?? []).map((r) => ({
      to: { id: r.to.id, name: r.to.name },
      by: { id: r.by.id, name: r.by.name },
      at: new Date(r.at),
    })),
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

function approvalJson(approver: Actor & { onBehalfOf?: Actor }, at: Date) {
  return {
    id: approver.id,
    name: approver.name,
    at: at.toISOString(),
    ...(approver.onBehalfOf
      ? { onBehalfOf: { id: approver.onBehalfOf.id, name: approver.onBehalfOf.name } }
      : {}),
  };
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
           price_minor, currency, needs_approver, state, created_at, updated_at, expires_at, timing,
           scheduled_before, renewal_date, restore_key, license_request_id, license_requester_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20,
           $28, $29, $30, $31, $32, $33)
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
        order.timing,
        order.scheduledBefore,
        order.renewalDate,
        order.restoreKey,
        order.licenseRequest?.id ?? null,
        order.licenseRequest?.requesterId ?? null,
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
    options: TransitionOptions = {},
  ): Promise<Order | undefined> {
    assertTransition(from, to);
    const [queued, rearmed] = insertMessages('$20', '$4', 'moved');
    // One conditional statement: the audit entry and the messages are written only when the UPDATE matched.
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
           lease_until = $10,
           version = version + 1,
           approval_requested_at = CASE WHEN $3 = 'pending_approval' THEN $4 ELSE approval_requested_at END,
           approvals_required = COALESCE($21::smallint, approvals_required),
           approvals = CASE WHEN $22::jsonb IS NULL THEN approvals ELSE approvals || $22::jsonb END
         WHERE id = $1 AND state = $2
           AND ($18::text IS NULL OR (lease_owner = $18 AND lease_generation = $19::bigint))
           AND ($23::int IS NULL OR jsonb_array_length(approvals) = $23::int)
         RETURNING *),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, $11, $12, $13, $14, $15, $16, $17 FROM moved),
       queued AS (${queued}),
       rearmed AS (${rearmed})
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
        options.fence?.owner ?? null,
        options.fence?.token ?? null,
        messageRows(options.messages ?? []),
        options.approvalsRequired ?? null,
        options.approval ? JSON.stringify([approvalJson(options.approval.approver, change.at)]) : null,
        options.approval ? options.approval.approvalsBefore : null,
      ],
    );
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async recordApproval(id: string, write: ApprovalWrite): Promise<Order | undefined> {
    const [queued, rearmed] = insertMessages('$5', '$3', 'moved');
    // Only while the order still waits with exactly the approvals its reader saw: two approvers tapping together
    // cannot both be "the first", and nobody approves twice.
    const { rows } = await this.db.query<OrderRow>(
      `WITH moved AS (
         UPDATE orders SET approvals = approvals || $2::jsonb, version = version + 1
         WHERE id = $1 AND state = 'pending_approval' AND jsonb_array_length(approvals) = $4::int
         RETURNING *),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, $6, $7, 'approval_recorded', 'pending_approval', 'pending_approval', $3, $8 FROM moved),
       queued AS (${queued}),
       rearmed AS (${rearmed})
       SELECT * FROM moved`,
      [
        id,
        JSON.stringify([approvalJson(write.approver, write.at)]),
        write.at,
        write.approvalsBefore,
        messageRows(write.messages),
        write.approver.id,
        write.approver.name,
        JSON.stringify(write.detail ?? {}),
      ],
    );
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async advanceApprovalStep(id: string, write: StepWrite): Promise<Order | undefined> {
    const [queued, rearmed] = insertMessages('$5', '$4', 'moved');
    // The step marker and the messages of the step in one statement: the step is taken once, on one instance.
    const { rows } = await this.db.query<OrderRow>(
      `WITH moved AS (
         UPDATE orders SET approval_step = $3, approval_step_at = $4, version = version + 1
         WHERE id = $1 AND state = 'pending_approval' AND approval_step = $2
         RETURNING *),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, NULL, NULL, $6, 'pending_approval', 'pending_approval', $4, $7 FROM moved),
       queued AS (${queued}),
       rearmed AS (${rearmed})
       SELECT * FROM moved`,
      [
        id,
        write.fromStep,
        write.toStep,
        write.at,
        messageRows(write.messages),
        write.action,
        JSON.stringify(write.detail ?? {}),
      ],
    );
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async recordReassignment(id: string, write: ReassignWrite): Promise<Order | undefined> {
    const [queued, rearmed] = insertMessages('$5', '$3', 'moved');
    // Only while the order waits with exactly the reassignments its reader saw: the card it queues is keyed by
    // their number, so a reassignment is written, and its card queued, once.
    const { rows } = await this.db.query<OrderRow>(
      `WITH moved AS (
         UPDATE orders SET reassignments = reassignments || $2::jsonb, version = version + 1
         WHERE id = $1 AND state = 'pending_approval' AND jsonb_array_length(reassignments) = $4::int
         RETURNING *),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, $6, $7, 'approval_reassigned', 'pending_approval', 'pending_approval', $3, $8 FROM moved),
       queued AS (${queued}),
       rearmed AS (${rearmed})
       SELECT * FROM moved`,
      [
        id,
        JSON.stringify([
          {
            to: { id: write.to.id, name: write.to.name },
            by: { id: write.by.id, name: write.by.name },
            at: write.at.toISOString(),
          },
        ]),
        write.at,
        write.reassignmentsBefore,
        messageRows(write.messages),
        write.by.id,
        write.by.name,
        JSON.stringify(write.detail ?? {}),
      ],
    );
    return rows[0] ? toOrder(rows[0]) : undefined;
  }

  async listWaitingForApproval(limit: number): Promise<Order[]> {
    const { rows } = await this.db.query<OrderRow>(
      `SELECT * FROM orders WHERE state = 'pending_approval' AND approval_step < 3
       ORDER BY approval_requested_at LIMIT $1`,
      [limit],
    );
    return rows.map(toOrder);
  }

  async claimSubmission(
    id: string,
    owner: string,
    leaseUntil: Date,
    now: Date,
  ): Promise<{ order: Order; attempt: number; fence: SubmissionFence } | undefined> {
    if (!isUuid(id)) return undefined;
    for (const from of CLAIMABLE) assertTransition(from, 'submitting');
    // One statement: lock the order if it is open for this claim, move it, take the next lease generation and
    // write the audit entry. It waits for a lock another statement holds (a card copy being recorded locks the
    // order for a moment) and then checks the order again: a concurrent claim that won leaves it no longer open.
    // Skipping a locked order instead would leave an approved order to the next maintenance round.
    const { rows } = await this.db.query<OrderRow & { from_state: OrderState }>(
      `WITH target AS (
         SELECT id, state AS from_state FROM orders WHERE id = $1 AND ${openForSubmission('$2', '$3')}
         FOR UPDATE),
       moved AS (
         UPDATE orders o SET state = 'submitting', updated_at = $2, lease_owner = $3, lease_until = $4,
           submit_attempts = o.submit_attempts + 1, lease_generation = o.lease_generation + 1
         FROM target WHERE o.id = target.id
         RETURNING o.*, target.from_state),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, NULL, NULL, 'submission_started', from_state, 'submitting', $2,
           jsonb_build_object('attempt', submit_attempts, 'instance', $3::text, 'fence', lease_generation)
         FROM moved)
       SELECT * FROM moved`,
      [id, now, owner, leaseUntil],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      order: toOrder(row),
      attempt: row.submit_attempts,
      fence: { owner, token: Number(row.lease_generation) },
    };
  }

  async listSubmittable(now: Date, limit: number, owner: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM orders WHERE ${openForSubmission('$1', '$3')}
       ORDER BY updated_at LIMIT $2`,
      [now, limit, owner],
    );
    return rows.map((r) => r.id);
  }

  async listOverdue(now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM orders WHERE state = ANY($3::text[]) AND expires_at < $1
       ORDER BY expires_at LIMIT $2`,
      [now, limit, statesLeadingTo('expired')],
    );
    return rows.map((r) => r.id);
  }

  async renewLease(id: string, fence: SubmissionFence, until: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE orders SET lease_until = $4
       WHERE id = $1 AND state = 'submitting' AND lease_owner = $2 AND lease_generation = $3`,
      [id, fence.owner, fence.token, until],
    );
    return rowCount > 0;
  }

  async scheduleRetry(id: string, fence: SubmissionFence, until: Date, audit: AuditEntry): Promise<boolean> {
    assertTransition('submitting', 'submitting');
    const { rows } = await this.db.query<{ id: string }>(
      `WITH moved AS (
         UPDATE orders SET lease_until = $4, updated_at = $5
         WHERE id = $1 AND state = 'submitting' AND lease_owner = $2 AND lease_generation = $3
         RETURNING id),
       audit AS (
         INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
         SELECT id, $6, $7, $8, $9, $10, $11, $12 FROM moved)
       SELECT id FROM moved`,
      [id, fence.owner, fence.token, until, audit.at, ...auditValues(audit)],
    );
    return rows.length > 0;
  }

  async appendEvent(id: string, audit: Omit<AuditEntry, 'fromState' | 'toState'>): Promise<void> {
    // Under the order's row lock: no transition can slip between reading its state and writing this entry.
    await this.db.query(
      `WITH current AS (SELECT id, state FROM orders WHERE id = $1 FOR UPDATE)
       INSERT INTO order_events (order_id, actor_id, actor_name, action, from_state, to_state, at, detail)
       SELECT id, $2, $3, $4, state, state, $5, $6 FROM current`,
      [
        id,
        audit.actor?.id ?? null,
        audit.actor?.name ?? null,
        audit.action,
        audit.at,
        JSON.stringify(audit.detail ?? {}),
      ],
    );
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
