import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlDatabase } from './sqlDatabase';

export const MIGRATIONS_DIR = join(__dirname, 'migrations');

/**
 * Applies the plain SQL files of `migrations/` in name order, each once, each in its own transaction.
 * On PostgreSQL an advisory lock keeps two instances starting together from applying one twice.
 */
export async function migrate(db: SqlDatabase, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.execScript(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  const applied: string[] = [];
  for (const name of files) {
    const sql = readFileSync(join(dir, name), 'utf8');
    const done = await db.transaction(async (tx) => {
      if (db.kind === 'postgres')
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('license-desk-migrations'))");
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [name]);
      if (seen.rows.length > 0) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      return true;
    });
    if (done) applied.push(name);
  }
  return applied;
}

/** Splits a migration into statements at semicolons that end a line; comments are dropped. */
function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
