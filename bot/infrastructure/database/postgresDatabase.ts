import { Pool, types, type CustomTypesConfig, type PoolClient } from 'pg';
import type { SqlDatabase, SqlExecutor, SqlResult } from './sqlDatabase';

/** int8 (order numbers, money in minor units) as JavaScript numbers: the values stay far below 2^53. */
const typeParsers: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === types.builtins.INT8
      ? Number
      : types.getTypeParser(oid, format)) as CustomTypesConfig['getTypeParser'],
};

function executor(client: Pool | PoolClient): SqlExecutor {
  return {
    async query<R>(text: string, params: readonly unknown[] = []): Promise<SqlResult<R>> {
      const result = await client.query(text, [...params]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
  };
}

/** A PostgreSQL server through a connection pool: several bot instances can share it. */
export class PostgresDatabase implements SqlDatabase {
  readonly kind = 'postgres';
  private readonly plain: SqlExecutor;

  private constructor(private readonly pool: Pool) {
    this.plain = executor(pool);
  }

  /**
   * Opens a pool. `onConnectionError` hears about idle connections the server closed (a restart, a failover):
   * the pool drops them and opens new ones on next use, so the process keeps running and reconnects.
   */
  static async open(
    connectionString: string,
    maxConnections = 10,
    onConnectionError: (error: Error) => void = () => undefined,
  ): Promise<PostgresDatabase> {
    const pool = new Pool({ connectionString, max: maxConnections, types: typeParsers });
    // Without a listener, an idle connection's error (the server restarted) would end the process.
    pool.on('error', onConnectionError);
    const database = new PostgresDatabase(pool);
    await database.query('SELECT 1');
    return database;
  }

  query<R>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>> {
    return this.plain.query<R>(text, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(executor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async execScript(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
