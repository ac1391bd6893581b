import type { SqlExecutor } from '../database/sqlDatabase';
import { rearmCardUpdates } from './outboxSql';

export interface CardCopyRecord {
  readonly orderId: string;
  readonly conversationId: string;
  readonly activityId: string;
  readonly audience: string;
  readonly reference: unknown;
  /** The order's version the card shows. */
  readonly renderedVersion: number;
}

/**
 * Records a copy of an order's card; if the order moved on since the card was rendered, queues an update of
 * that copy. The copy is written under the order's row lock, in the statement that reads the order's version:
 * a transition either committed before (its version is read here, and the copy's update queued) or comes after
 * and sees the copy (its own statement queues the update). Either way a copy is never left showing an older
 * state. Queuing the update is idempotent (one pending update per copy), so it needs no lock of its own; `db`
 * may be the database itself or a transaction.
 */
export async function recordCardCopy(
  db: SqlExecutor,
  copy: CardCopyRecord,
  now: Date,
  deliverBy: Date,
): Promise<void> {
  const { rows } = await db.query<{ version: number }>(
    `WITH locked AS (SELECT version FROM orders WHERE id = $1 FOR UPDATE),
       recorded AS (
         INSERT INTO order_cards (order_id, conversation_id, activity_id, audience, reference, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING)
     SELECT version FROM locked`,
    [copy.orderId, copy.conversationId, copy.activityId, copy.audience, JSON.stringify(copy.reference), now],
  );
  if (rows[0] && rows[0].version > copy.renderedVersion) {
    await db.query(
      rearmCardUpdates(
        'SELECT $1::uuid AS order_id, $2::text AS conversation_id, $3::text AS activity_id',
        '$4',
        '$5',
      ),
      [copy.orderId, copy.conversationId, copy.activityId, now, deliverBy],
    );
  }
}
