import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { migrate } from './migrate';
import type { SqlDatabase, SqlExecutor, SqlResult } from './sqlDatabase';

type PGliteQueryable = Pick<PGlite, 'query'>;

function executor(db: PGliteQueryable): SqlExecutor {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const result = await db.query<R>(text, [...params]);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
    },
  };
}

/**
 * PostgreSQL's buffer cache lives in PGlite's WebAssembly memory and is touched at start: initdb's 128 MB would
 * make it resident. 16 MB holds this product's working set (tens of thousands of orders) many times over.
 */
const EMBEDDED_SETTINGS = ['-c', 'shared_buffers=16MB'];

/** Embedded PostgreSQL (PGlite, compiled to WebAssembly) in this process. */
export class PgliteDatabase implements SqlDatabase {
  readonly kind = 'pglite';
  private readonly plain: SqlExecutor;

  private constructor(private readonly db: PGlite) {
    this.plain = executor(db);
  }

  /**
   * Opens the database in `dataDir` for the life of the process, first creating and migrating it in a
   * short-lived child process when the directory holds none: initdb, the first start and the first migrations
   * grow PGlite's WebAssembly memory to 500-800 MB, which a process never gives back (a restart on the same
   * directory idles at a third of that). `created` is told how long that took. Under ts-jest (no compiled
   * JavaScript to run in a child) the database is created here instead.
   */
  static async openForService(dataDir: string, created?: (ms: number) => void): Promise<PgliteDatabase> {
    const compiled = __filename.endsWith('.js');
    if (compiled && !dataDir.startsWith('memory://') && !existsSync(join(dataDir, 'PG_VERSION'))) {
      const started = performance.now();
      await createInChildProcess(dataDir);
      created?.(performance.now() - started);
    }
    return PgliteDatabase.open(dataDir);
  }

  /** Opens (or creates) the database in `dataDir` in this process; `memory://` keeps it in memory. */
  static async open(dataDir: string): Promise<PgliteDatabase> {
    return new PgliteDatabase(
      await PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS] }),
    );
  }

  /** Opens an in-memory copy of a dumped database (fast: no initdb). */
  static async fromDump(dump: Blob): Promise<PgliteDatabase> {
    return new PgliteDatabase(await PGlite.create({ loadDataDir: dump }));
  }

  async dump(): Promise<Blob> {
    return this.db.dumpDataDir('none');
  }

  query<R>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    return this.plain.query<R>(text, params);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(executor(tx)));
  }

  async execScript(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  /**
   * Closes after a checkpoint: PGlite does not write one when it closes, and replaying the write-ahead log at
   * the next start would cost that process hundreds of MB of memory it keeps.
   */
  async close(): Promise<void> {
    if (this.db.closed) return;
    await this.db.query('CHECKPOINT');
    await this.db.close();
  }
}

/** What the child process runs: create the database, apply the migrations, close. */
const CREATE_SCRIPT = `
const [, databaseModule, dataDir] = process.argv;
const { PgliteDatabase, migrateAndClose } = require(databaseModule);
PgliteDatabase.open(dataDir)
  .then(migrateAndClose)
  .catch((error) => { process.stderr.write(String(error && error.stack)); process.exit(1); });`;

/** Used by the child process of {@link PgliteDatabase.openForService}. */
export async function migrateAndClose(db: PgliteDatabase): Promise<void> {
  await migrate(db);
  await db.close();
}

async function createInChildProcess(dataDir: string): Promise<void> {
  try {
    // The baseline WebAssembly tier, as `npm start` runs the bot (bot/index.ts says why).
    await promisify(execFile)(
      process.execPath,
      ['--liftoff-only', '-e', CREATE_SCRIPT, __filename, dataDir],
      {
        timeout: 120_000,
      },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`could not create the embedded database in ${dataDir}: ${stderr || String(error)}`, {
      cause: error,
    });
  }
}
