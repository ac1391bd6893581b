import type { CardCopy, ConversationStore, StoredReference } from '../../teams/conversationStore';
import type { Clock } from '../../services/ports';
import type { SqlDatabase } from '../database/sqlDatabase';

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

  async recordCard(copy: CardCopy): Promise<void> {
    await this.db.query(
      `INSERT INTO order_cards (order_id, conversation_id, activity_id, audience, reference, created_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [
        copy.orderId,
        copy.reference.conversation?.id ?? '',
        copy.activityId,
        copy.audience,
        JSON.stringify(copy.reference),
        this.clock.now(),
      ],
    );
  }

  async cardsFor(orderId: string): Promise<CardCopy[]> {
    const { rows } = await this.db.query<CardRow>(
      'SELECT order_id, activity_id, audience, reference FROM order_cards WHERE order_id = $1 ORDER BY created_at',
      [orderId],
    );
    return rows.map((r) => ({
      orderId: r.order_id,
      activityId: r.activity_id,
      audience: r.audience,
      reference: r.reference,
    }));
  }
}
