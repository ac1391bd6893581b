import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { SqlDatabase } from '../../infrastructure/database/sqlDatabase';

/**
 * botbuilder Storage (conversation and dialog state) on the product's database, with eTags: a write whose
 * eTag no longer matches fails, '*' (or none) overwrites, and every write gets a new eTag.
 */
export class SqlBotStorage implements Storage {
  constructor(private readonly db: SqlDatabase) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const { rows } = await this.db.query<{ key: string; etag: string; data: Record<string, unknown> }>(
      'SELECT key, etag, data FROM bot_state WHERE key = ANY($1::text[])',
      [keys],
    );
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...row.data, eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...data } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const json = JSON.stringify(data);
      const next = randomUUID();
      if (!eTag || eTag === '*') {
        await this.db.query(
          `INSERT INTO bot_state (key, etag, data, updated_at) VALUES ($1, $2, $3, now())
           ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, data = EXCLUDED.data, updated_at = now()`,
          [key, next, json],
        );
        continue;
      }
      const { rowCount } = await this.db.query(
        `INSERT INTO bot_state (key, etag, data, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (key) DO UPDATE SET etag = EXCLUDED.etag, data = EXCLUDED.data, updated_at = now()
         WHERE bot_state.etag = $4`,
        [key, next, json, eTag],
      );
      if (rowCount === 0) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.query('DELETE FROM bot_state WHERE key = ANY($1::text[])', [keys]);
  }
}
