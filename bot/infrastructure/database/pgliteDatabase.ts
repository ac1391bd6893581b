import { PGlite } from '@electric-sql/pglite';
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

  /** Opens (or creates) the database in `dataDir`; `memory://` keeps it in memory. */
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

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
