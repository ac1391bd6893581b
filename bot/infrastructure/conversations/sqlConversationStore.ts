import type { CardCopy, ConversationStore, StoredReference } from '../../teams/conversationStore';
import type { Clock } from '../../services/ports';
import type { SqlDatabase } from '../database/sqlDatabase';
import { recordCardCopy } from '../outbox/cardCopies';

type Reference = StoredReference;

interface CardRow {
  order_id: string;
  activity_id: string;
  audience: CardCopy['audience'];
  reference: Reference;
}

/** How long a read reference is trusted before asking the database again (they change rarely). */
const CACHE_MS = 5 * 60 * 1000;

/** Conversation references and card copies in the product's database. */
export class SqlConversationStore implements ConversationStore {
  private readonly cache = new Map<string, { reference: Reference | undefined; at: number }>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    /** How long the update of a copy recorded after its order moved on is tried. */
    private readonly giveUpMs: number,
  ) {}

  async saveReference(key: string, reference: Reference): Promise<void> {
    await this.db.query(
      `INSERT INTO conversation_references (key, reference, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET reference = EXCLUDED.reference, updated_at = EXCLUDED.updated_at`,
      [key, JSON.stringify(reference), this.clock.now()],
    );
    this.cache.set(key, { reference, at: Date.now() });
  }

  async reference(key: string): Promise<Reference | undefined> {
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.reference;
    const { rows } = await this.db.query<{ reference: Reference }>(
      'SELECT reference FROM conversation_references WHERE key = $1',
      [key],
    );
    const reference = rows[0]?.reference;
    this.cache.set(key, { reference, at: Date.now() });
    return reference;
  }

  async recordCard(copy: CardCopy, renderedVersion: number): Promise<void> {
    const now = this.clock.now();
    await recordCardCopy(
      this.db,
      {
        orderId: copy.orderId,
        conversationId: copy.reference.conversation?.id ?? '',
        activityId: copy.activityId,
        audience: copy.audience,
        reference: copy.reference,
        renderedVersion,
      },
      now,
      new Date(now.getTime() + this.giveUpMs),
    );
  }

  async card(orderId: string, conversationId: string, activityId: string): Promise<CardCopy | undefined> {
    const { rows } = await this.db.query<CardRow>(
      `SELECT order_id, activity_id, audience, reference FROM order_cards
       WHERE order_id = $1 AND conversation_id = $2 AND activity_id = $3`,
      [orderId, conversationId, activityId],
    );
    return rows[0] ? toCopy(rows[0]) : undefined;
  }

  async cardsFor(orderId: string): Promise<CardCopy[]> {
    const { rows } = await this.db.query<CardRow>(
      'SELECT order_id, activity_id, audience, reference FROM order_cards WHERE order_id = $1 ORDER BY created_at',
      [orderId],
    );
    return rows.map(toCopy);
  }
}

function toCopy(row: CardRow): CardCopy {
  return {
    orderId: row.order_id,
    activityId: row.activity_id,
    audience: row.audience,
    reference: row.reference,
  };
}
