import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../bot/infrastructure/database/migrate';
import { PostgresDatabase } from '../../bot/infrastructure/database/postgresDatabase';

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

/**
 * A describe block that needs the PostgreSQL server. Without one it does not pass silently: under CI=true
 * it fails, elsewhere it prints why it did not run.
 */
export function describeWithPostgres(name: string, body: () => void): void {
  if (!unavailable) {
    describe(name, body);
    return;
  }
  const reason = `PostgreSQL at ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} is not reachable (${unavailable})`;
  describe(name, () => {
    if (process.env.CI === 'true') {
      it('needs PostgreSQL (required under CI)', () => {
        throw new Error(reason);
      });
    } else {
      it('did not run: no PostgreSQL server here (start one, or set TEST_DATABASE_URL)', () => {
        // eslint-disable-next-line no-console -- why a suite did not run must be visible in the test output
        console.warn(`${name}: not run. ${reason}`);
      });
    }
  });
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
