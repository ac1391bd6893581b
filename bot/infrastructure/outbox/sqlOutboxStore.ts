import type {
  OutboxMessage,
  OutboxStore,
  Payload,
  QueuedMessage,
  RecipientKind,
  SentMessage,
  UndeliveredMessage,
} from '../../services/outbox';
import type { SqlDatabase } from '../database/sqlDatabase';
import { recordCardCopy } from './cardCopies';
import { insertMessages, messageRows, rearmCardUpdates } from './outboxSql';

interface OutboxRow {
  id: number | string;
  kind: string;
  order_id: string | null;
  recipient_kind: RecipientKind;
  recipient: string;
  dedupe_key: string;
  payload: Payload;
  state: string;
  generation: number;
  attempts: number;
  claim_token: number | string;
  activity_id: string | null;
  conversation_id: string | null;
  created_at: Date;
  deliver_by: Date;
}

function toQueued(row: OutboxRow): QueuedMessage & { state: string } {
  return {
    id: Number(row.id),
    kind: row.kind,
    orderId: row.order_id,
    recipientKind: row.recipient_kind,
    recipient: row.recipient,
    dedupeKey: row.dedupe_key,
    payload: row.payload,
    attempts: row.attempts,
    claimToken: Number(row.claim_token),
    generation: row.generation,
    activityId: row.activity_id,
    conversationId: row.conversation_id,
    createdAt: row.created_at,
    deliverBy: row.deliver_by,
    state: row.state,
  };
}

/** The claim a worker holds on a row: its owner and the claim token it took. */
const HELD = 'id = $1 AND claim_token = $2 AND lease_owner = $3';

/** The outbox in SQL (PGlite or PostgreSQL); see bot/services/outbox.ts and migration 002. */
export class SqlOutboxStore implements OutboxStore {
  constructor(
    private readonly db: SqlDatabase,
    /** How long an update of a card copy recorded after its order moved on is tried. */
    private readonly giveUpMs: number,
  ) {}

  async enqueue(messages: readonly OutboxMessage[], now: Date): Promise<void> {
    if (messages.length === 0) return;
    const [queued, rearmed] = insertMessages('$1', '$2');
    await this.db.query(`WITH queued AS (${queued}), rearmed AS (${rearmed}) SELECT 1`, [
      messageRows(messages),
      now,
    ]);
  }

  async claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<QueuedMessage[]> {
    const { rows } = await this.db.query<OutboxRow>(
      `WITH due AS (
         SELECT id FROM outbox
         WHERE state = 'pending' AND due_at <= $1 AND (lease_until IS NULL OR lease_until < $1)
         ORDER BY due_at, id LIMIT $2
         FOR UPDATE SKIP LOCKED)
       UPDATE outbox o SET lease_owner = $3, lease_until = $4, claim_token = o.claim_token + 1,
         attempts = o.attempts + 1, updated_at = $1
       FROM due WHERE o.id = due.id
       RETURNING o.*`,
      [now, limit, owner, leaseUntil],
    );
    return rows.map(toQueued).sort((a, b) => a.id - b.id);
  }

  async renew(message: QueuedMessage, owner: string, until: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(`UPDATE outbox SET lease_until = $4 WHERE ${HELD}`, [
      message.id,
      message.claimToken,
      owner,
      until,
    ]);
    return rowCount > 0;
  }

  async recordSent(message: QueuedMessage, owner: string, sent: SentMessage, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      // Locks in the order every transition takes them (the order's row, then its outbox rows): the other way
      // round, a transition queuing messages for this order at the same moment would deadlock with this.
      if (sent.cardCopy)
        await tx.query('SELECT 1 FROM orders WHERE id = $1 FOR UPDATE', [sent.cardCopy.orderId]);
      const { rowCount } = await tx.query(
        `UPDATE outbox SET activity_id = $4, conversation_id = $5, updated_at = $6 WHERE ${HELD}`,
        [message.id, message.claimToken, owner, sent.activityId, sent.conversationId, now],
      );
      // The copy is recorded even when the claim was lost meanwhile: the card is out, later changes must reach it.
      if (sent.cardCopy) {
        await recordCardCopy(
          tx,
          {
            orderId: sent.cardCopy.orderId,
            conversationId: sent.conversationId,
            activityId: sent.activityId,
            audience: sent.cardCopy.audience,
            reference: sent.cardCopy.reference,
            renderedVersion: sent.cardCopy.renderedVersion,
          },
          now,
          new Date(now.getTime() + this.giveUpMs),
        );
      }
      return rowCount > 0;
    });
  }

  async finish(
    message: QueuedMessage,
    owner: string,
    state: 'delivered' | 'superseded' | 'failed',
    reason: string | null,
    now: Date,
  ): Promise<'done' | 'rearmed' | 'lost'> {
    const params = [message.id, message.claimToken, owner];
    const done = await this.db.query(
      `UPDATE outbox SET state = $4, last_error = $5, lease_owner = NULL, lease_until = NULL, updated_at = $6
       WHERE ${HELD} AND generation = $7`,
      [...params, state, reason, now, message.generation],
    );
    if (done.rowCount > 0) return 'done';
    // A newer change re-armed the row while this attempt delivered an older one: release it, still due.
    const released = await this.db.query(
      `UPDATE outbox SET lease_owner = NULL, lease_until = NULL, updated_at = $4 WHERE ${HELD}`,
      [...params, now],
    );
    return released.rowCount > 0 ? 'rearmed' : 'lost';
  }

  async retryLater(
    message: QueuedMessage,
    owner: string,
    dueAt: Date,
    reason: string,
    now: Date,
  ): Promise<boolean> {
    // A row re-armed meanwhile keeps its own due time: the newer version is due now.
    const { rowCount } = await this.db.query(
      `UPDATE outbox SET due_at = CASE WHEN generation = $4 THEN $5 ELSE due_at END, last_error = $6,
         lease_owner = NULL, lease_until = NULL, updated_at = $7
       WHERE ${HELD}`,
      [message.id, message.claimToken, owner, message.generation, dueAt, reason, now],
    );
    return rowCount > 0;
  }

  async expandCardCopies(orderId: string, now: Date, deliverBy: Date): Promise<number> {
    const { rowCount } = await this.db.query(
      rearmCardUpdates(
        'SELECT order_id, conversation_id, activity_id FROM order_cards WHERE order_id = $1',
        '$2',
        '$3',
      ),
      [orderId, now, deliverBy],
    );
    return rowCount;
  }

  async statesOf(orderId: string, kind: string): Promise<Array<QueuedMessage & { state: string }>> {
    const { rows } = await this.db.query<OutboxRow>(
      'SELECT * FROM outbox WHERE order_id = $1 AND kind = $2 ORDER BY id',
      [orderId, kind],
    );
    return rows.map(toQueued);
  }

  async undeliverable(orderIds: readonly string[]): Promise<UndeliveredMessage[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await this.db.query<OutboxRow>(
      `SELECT * FROM outbox WHERE order_id = ANY($1::uuid[]) AND state = 'failed' ORDER BY id`,
      [orderIds],
    );
    return rows.map((r) => ({
      orderId: r.order_id ?? '',
      kind: r.kind,
      recipientKind: r.recipient_kind,
      recipient: r.recipient,
    }));
  }
}
