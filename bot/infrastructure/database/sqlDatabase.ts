/** The one SQL dialect of the product is PostgreSQL's; this is all the repositories need of a connection. */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<R>>;
}

export interface SqlResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

export interface SqlDatabase extends SqlExecutor {
  /** 'pglite' (embedded, in process) or 'postgres' (a server, shared by several instances). */
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). */
  execScript(sql: string): Promise<void>;
  close(): Promise<void>;
}
