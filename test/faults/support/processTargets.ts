import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../../bot/infrastructure/database/migrate';
import { PgliteDatabase } from '../../../bot/infrastructure/database/pgliteDatabase';
import type { SqlExecutor } from '../../../bot/infrastructure/database/sqlDatabase';
import { describeWithPostgres, scratchSchema } from '../../support/postgres';

/** Where a bot process keeps its data for one cell, and how the test reads it afterwards. */
export interface ProcessDatabase {
  /** Settings for the bot process (DATA_DIR or DATABASE_URL). */
  readonly env: Record<string, string>;
  /**
   * Reads the database. The embedded database belongs to one process at a time: read it only while no bot
   * process runs on it.
   */
  read<T>(work: (db: SqlExecutor) => Promise<T>): Promise<T>;
  dispose(): Promise<void>;
}

/**
 * The same process cells on both databases: the embedded one on disk (PGlite; one process at a time, so a
 * killed process is replaced by a restarted one on the same directory) and a PostgreSQL server (a scratch
 * schema; the suite fails under CI=true when there is none).
 */
export function describeForProcesses(
  name: string,
  body: (open: () => Promise<ProcessDatabase>) => void,
): void {
  describe(`${name} (embedded PGlite on disk)`, () => {
    let template: string;
    beforeAll(async () => {
      // Creating an embedded database takes seconds: make one migrated directory, copy it for each cell.
      template = mkdtempSync(join(tmpdir(), 'license-desk-faults-template-'));
      const db = await PgliteDatabase.open(template);
      await migrate(db);
      await db.close();
    }, 120_000);
    afterAll(() => rmSync(template, { recursive: true, force: true }));
    body(async () => {
      const dir = mkdtempSync(join(tmpdir(), 'license-desk-faults-'));
      cpSync(template, dir, { recursive: true });
      return {
        env: { DATA_DIR: dir },
        async read(work) {
          const db = await PgliteDatabase.open(dir);
          try {
            return await work(db);
          } finally {
            await db.close();
          }
        },
        async dispose() {
          rmSync(dir, { recursive: true, force: true });
        },
      };
    });
  });
  describeWithPostgres(`${name} (PostgreSQL)`, () =>
    body(async () => {
      const schema = await scratchSchema();
      return {
        env: { DATABASE_URL: schema.url },
        async read(work) {
          const db = await schema.open(1);
          try {
            return await work(db);
          } finally {
            await db.close();
          }
        },
        dispose: () => schema.drop(),
      };
    }),
  );
}
