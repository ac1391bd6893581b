import type { SqlExecutor } from '../../../bot/infrastructure/database/sqlDatabase';

/** How many outbox messages are in each state: a cell ends with every message delivered (or superseded). */
export async function outboxStates(db: SqlExecutor): Promise<Record<string, number>> {
  const { rows } = await db.query<{ state: string; n: number | string }>(
    'SELECT state, count(*) AS n FROM outbox GROUP BY state ORDER BY state',
  );
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Messages not delivered (pending or failed), with why: for a failing cell's message. */
export async function undelivered(db: SqlExecutor): Promise<string[]> {
  const { rows } = await db.query<{ kind: string; state: string; last_error: string | null }>(
    `SELECT kind, state, last_error FROM outbox WHERE state IN ('pending', 'failed') ORDER BY id`,
  );
  return rows.map((r) => `${r.kind} ${r.state} ${r.last_error ?? ''}`.trim());
}
