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
 * that copy. Run inside a transaction: the order's row lock orders this against a transition (whose own
 * statement queues the updates of the copies it can see), so a copy is never left showing an older state.
 */
export async function recordCardCopy(
  tx: SqlExecutor,
  copy: CardCopyRecord,
  now: Date,
  deliverBy: Date,
): Promise<void> {
  const { rows } = await tx.query<{ version: number }>(
    'SELECT version FROM orders WHERE id = $1 FOR UPDATE',
    [copy.orderId],
  );
  await tx.query(
    `INSERT INTO order_cards (order_id, conversation_id, activity_id, audience, reference, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [copy.orderId, copy.conversationId, copy.activityId, copy.audience, JSON.stringify(copy.reference), now],
  );
  if (rows[0] && rows[0].version > copy.renderedVersion) {
    await tx.query(
      rearmCardUpdates(
        'SELECT $1::uuid AS order_id, $2::text AS conversation_id, $3::text AS activity_id',
        '$4',
        '$5',
      ),
      [copy.orderId, copy.conversationId, copy.activityId, now, deliverBy],
    );
  }
}
