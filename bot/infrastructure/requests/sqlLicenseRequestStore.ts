import type { LicenseRequest, LicenseRequestState } from '../../domain/licenseRequest';
import { REQUEST_TRANSITIONS } from '../../domain/licenseRequest';
import type { Actor } from '../../domain/order';
import type { OutboxMessage } from '../../services/outbox';
import type { SqlDatabase, SqlExecutor } from '../database/sqlDatabase';
import { insertMessages, messageRows } from '../outbox/outboxSql';

interface RequestRow {
  id: string;
  number: string | number;
  tenant_id: string | null;
  requester_id: string;
  requester_name: string;
  subscription_id: string;
  product: string;
  domain: string;
  billing_profile_id: string;
  billing_profile_name: string;
  seats: number;
  reason: string | null;
  state: LicenseRequestState;
  decided_by_id: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
  decline_reason: string | null;
  order_id: string | null;
  created_at: Date;
  expires_at: Date;
}

function toRequest(row: RequestRow): LicenseRequest {
  return {
    id: row.id,
    number: Number(row.number),
    tenantId: row.tenant_id,
    requester: { id: row.requester_id, name: row.requester_name },
    subscriptionId: row.subscription_id,
    product: row.product,
    domain: row.domain,
    billingProfile: { id: row.billing_profile_id, name: row.billing_profile_name },
    seats: row.seats,
    reason: row.reason,
    state: row.state,
    decidedBy: row.decided_by_id
      ? { id: row.decided_by_id, name: row.decided_by_name ?? row.decided_by_id }
      : null,
    decidedAt: row.decided_at,
    declineReason: row.decline_reason,
    orderId: row.order_id,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export type NewLicenseRequest = Omit<
  LicenseRequest,
  'number' | 'state' | 'decidedBy' | 'decidedAt' | 'declineReason' | 'orderId' | 'reason'
>;

/** What a move of a request changes besides its state. */
export interface RequestChange {
  readonly at: Date;
  readonly reason?: string | null;
  readonly decidedBy?: Actor;
  readonly declineReason?: string;
  readonly orderId?: string;
}

/** License requests in SQL (migration 004). Each move is conditional on the state it leaves, with its messages. */
export class SqlLicenseRequestStore {
  constructor(private readonly db: SqlDatabase) {}

  async create(request: NewLicenseRequest): Promise<LicenseRequest> {
    const { rows } = await this.db.query<RequestRow>(
      `INSERT INTO license_requests (id, tenant_id, requester_id, requester_name, subscription_id, product, domain,
         billing_profile_id, billing_profile_name, seats, state, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12) RETURNING *`,
      [
        request.id,
        request.tenantId,
        request.requester.id,
        request.requester.name,
        request.subscriptionId,
        request.product,
        request.domain,
        request.billingProfile.id,
        request.billingProfile.name,
        request.seats,
        request.createdAt,
        request.expiresAt,
      ],
    );
    return toRequest(rows[0]);
  }

  async get(id: string): Promise<LicenseRequest | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await this.db.query<RequestRow>('SELECT * FROM license_requests WHERE id = $1', [id]);
    return rows[0] ? toRequest(rows[0]) : undefined;
  }

  /**
   * Moves the request from `from` to `to` only if it still is in `from`, and queues `messages` in the same
   * transaction. Undefined when another tap (or instance) got there first.
   */
  async move(
    id: string,
    from: LicenseRequestState,
    to: LicenseRequestState,
    change: RequestChange,
    messages: (moved: LicenseRequest) => readonly OutboxMessage[] = () => [],
  ): Promise<LicenseRequest | undefined> {
    if (!REQUEST_TRANSITIONS[from].includes(to))
      throw new Error(`a request cannot move from ${from} to ${to}`);
    return this.db.transaction(async (tx) => {
      const { rows } = await tx.query<RequestRow>(
        `UPDATE license_requests SET state = $3,
           reason = CASE WHEN $4::boolean THEN $5 ELSE reason END,
           decided_by_id = COALESCE($6, decided_by_id), decided_by_name = COALESCE($7, decided_by_name),
           decided_at = CASE WHEN $6::text IS NULL THEN decided_at ELSE $8 END,
           decline_reason = COALESCE($9, decline_reason), order_id = COALESCE($10::uuid, order_id)
         WHERE id = $1 AND state = $2 RETURNING *`,
        [
          id,
          from,
          to,
          change.reason !== undefined,
          change.reason ?? null,
          change.decidedBy?.id ?? null,
          change.decidedBy?.name ?? null,
          change.at,
          change.declineReason ?? null,
          change.orderId ?? null,
        ],
      );
      if (!rows[0]) return undefined;
      const moved = toRequest(rows[0]);
      await enqueue(tx, messages(moved), change.at);
      return moved;
    });
  }

  async listByRequester(requesterId: string, limit: number): Promise<LicenseRequest[]> {
    const { rows } = await this.db.query<RequestRow>(
      `SELECT * FROM license_requests WHERE requester_id = $1 AND state <> 'draft'
       ORDER BY created_at DESC LIMIT $2`,
      [requesterId, limit],
    );
    return rows.map(toRequest);
  }

  /** Drafts and waiting requests past their expiry. */
  async listOverdue(now: Date, limit: number): Promise<LicenseRequest[]> {
    const { rows } = await this.db.query<RequestRow>(
      `SELECT * FROM license_requests WHERE state IN ('draft', 'waiting') AND expires_at <= $1
       ORDER BY expires_at LIMIT $2`,
      [now, limit],
    );
    return rows.map(toRequest);
  }
}

async function enqueue(tx: SqlExecutor, messages: readonly OutboxMessage[], now: Date): Promise<void> {
  if (messages.length === 0) return;
  const [queued, rearmed] = insertMessages('$1', '$2');
  await tx.query(`WITH queued AS (${queued}), rearmed AS (${rearmed}) SELECT 1`, [
    messageRows(messages),
    now,
  ]);
}
