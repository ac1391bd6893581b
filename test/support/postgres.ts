import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../bot/infrastructure/database/migrate';
import { PostgresDatabase } from '../../bot/infrastructure/database/postgresDatabase';
import { describeNeeding } from './requiredComponent';

/** The PostgreSQL server the suites use: CI runs one on 127.0.0.1:5432 (trust auth, database "test"). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function probe(): string | undefined {
  const script = `const { Client } = require('pg'); const c = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    c.connect().then(() => c.end()).then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script, TEST_DATABASE_URL], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return result.status === 0 ? undefined : (result.stderr || result.error?.message || 'no answer').trim();
}

const unavailable = probe();

/** A describe block that needs the PostgreSQL server (see requiredComponent.ts). */
export function describeWithPostgres(name: string, body: () => void): void {
  const where = TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@');
  describeNeeding(
    'PostgreSQL',
    unavailable &&
      `PostgreSQL at ${where} is not reachable (${unavailable}); start one or set TEST_DATABASE_URL`,
    name,
    body,
  );
}

export interface ScratchSchema {
  /** A connection string whose search_path is the scratch schema. */
  readonly url: string;
  open(poolSize?: number): Promise<PostgresDatabase>;
  drop(): Promise<void>;
}

/** A fresh, migrated schema of its own on the test server, dropped afterwards. */
export async function scratchSchema(): Promise<ScratchSchema> {
  const schema = `ld_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  const first = await PostgresDatabase.open(url, 2);
  await migrate(first);
  await first.close();
  return {
    url,
    open: (poolSize = 10) => PostgresDatabase.open(url, poolSize),
    async drop() {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}
