import { readdirSync } from 'node:fs';
import { migrate, MIGRATIONS_DIR } from '../../bot/infrastructure/database/migrate';
import { freshDatabase } from '../support/database';

describe('migrations', () => {
  it('apply once: a second run applies nothing', async () => {
    const db = await freshDatabase();
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => f.endsWith('.sql'))
      .sort();
    expect(files.slice(0, 2)).toEqual(['001_initial.sql', '002_outbox_and_fencing.sql']);
    expect(rows.map((r) => r.name)).toEqual(files);
    await db.close();
  });

  it('the database itself refuses an order whose target does not match its kind', async () => {
    const db = await freshDatabase();
    await expect(
      db.query(
        `INSERT INTO orders (id, idempotency_key, subscription_id, product, domain, plan, billing_profile_id, billing_profile_name,
          requester_id, requester_name, kind, expected_quantity, target_quantity, price_minor, currency, needs_approver, state,
          created_at, updated_at, expires_at)
         VALUES (gen_random_uuid(), gen_random_uuid(), 's', 'p', 'd', 'FLEXIBLE', 'b', 'B', 'r', 'R', 'increase', 10, 5, 100, 'USD',
          false, 'draft', now(), now(), now())`,
      ),
    ).rejects.toThrow();
    await db.close();
  });
});
