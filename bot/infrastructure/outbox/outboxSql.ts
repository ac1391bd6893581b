import type { OutboxMessage } from '../../services/outbox';
import { ORDER_MESSAGES } from '../../services/orderMessages';

/** The outbox's columns a message fills, as the JSON rows `messageRows` makes. */
const RECORD =
  'm(kind text, order_id uuid, recipient_kind text, recipient text, dedupe_key text, payload jsonb, ' +
  'due_at timestamptz, deliver_by timestamptz, rearm boolean)';

/** Messages as one JSON parameter (jsonb_to_recordset): any number of them in one statement. */
export function messageRows(messages: readonly OutboxMessage[]): string {
  return JSON.stringify(
    messages.map((m) => ({
      kind: m.kind,
      order_id: m.orderId,
      recipient_kind: m.recipient.kind,
      recipient:
        m.recipient.kind === 'person'
          ? m.recipient.id
          : m.recipient.kind === 'conversation'
            ? m.recipient.key
            : m.recipient.orderId,
      dedupe_key: m.dedupeKey,
      payload: m.payload,
      due_at: m.dueAt.toISOString(),
      deliver_by: m.deliverBy.toISOString(),
      rearm: m.rearm === true,
    })),
  );
}

/**
 * Two INSERTs (for the CTEs of one statement) queuing the messages of JSON parameter `param` at time `now`:
 * a message whose dedupe key exists is dropped, unless it re-arms that row (a newer version: pending again,
 * its generation bumped, attempts and deadline new). `onlyIf` names a CTE that must have rows (the order moved).
 */
export function insertMessages(param: string, now: string, onlyIf?: string): [string, string] {
  const from = `FROM jsonb_to_recordset(${param}::jsonb) AS ${RECORD}${onlyIf ? ` WHERE EXISTS (SELECT 1 FROM ${onlyIf})` : ' WHERE true'}`;
  const columns = `INSERT INTO outbox (kind, order_id, recipient_kind, recipient, dedupe_key, payload, state, due_at,
      deliver_by, created_at, updated_at)
    SELECT m.kind, m.order_id, m.recipient_kind, m.recipient, m.dedupe_key, m.payload, 'pending', m.due_at,
      m.deliver_by, ${now}, ${now}`;
  return [
    `${columns} ${from} AND NOT m.rearm ON CONFLICT (dedupe_key) DO NOTHING`,
    `${columns} ${from} AND m.rearm ON CONFLICT (dedupe_key) DO UPDATE SET ${REARM}`,
  ];
}

/** What re-arming a row does: a newer version of the same message, due now, with its own attempts and deadline. */
const REARM = `state = 'pending', generation = outbox.generation + 1, attempts = 0,
  due_at = EXCLUDED.due_at, deliver_by = EXCLUDED.deliver_by, payload = EXCLUDED.payload, last_error = NULL,
  updated_at = EXCLUDED.updated_at`;

/**
 * Queues (or re-arms) an update of each card copy `copies` selects (columns order_id, conversation_id,
 * activity_id), due at `now`: a copy has at most one pending update, which shows the order as it is when it is
 * delivered, so older pending updates of the same copy are superseded by construction.
 */
export function rearmCardUpdates(copies: string, now: string, deliverBy: string): string {
  return `INSERT INTO outbox (kind, order_id, recipient_kind, recipient, dedupe_key, payload, state, due_at,
      deliver_by, activity_id, conversation_id, created_at, updated_at)
    SELECT '${ORDER_MESSAGES.cardUpdate}', c.order_id, 'card_copy', c.conversation_id,
      'order:' || c.order_id || ':card:' || c.conversation_id || ':' || c.activity_id, '{}'::jsonb, 'pending',
      ${now}, ${deliverBy}, c.activity_id, c.conversation_id, ${now}, ${now}
    FROM (${copies}) AS c
    ON CONFLICT (dedupe_key) DO UPDATE SET ${REARM}`;
}
