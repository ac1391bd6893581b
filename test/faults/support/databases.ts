import type { SqlDatabase } from '../../../bot/infrastructure/database/sqlDatabase';
import { freshDatabase } from '../../support/database';
import { describeWithPostgres, scratchSchema } from '../../support/postgres';

/** A migrated, empty database for one in-process test; `dispose` after the app closed it. */
export interface TestDatabase {
  readonly database: SqlDatabase;
  dispose(): Promise<void>;
}

/**
 * The same cells on both databases the product runs on: the embedded one (PGlite, in memory) and a PostgreSQL
 * server (a scratch schema on the test server; the suite fails under CI=true when there is none).
 */
export function describeOnBothDatabases(
  name: string,
  body: (open: () => Promise<TestDatabase>) => void,
): void {
  describe(`${name} (embedded PGlite)`, () =>
    body(async () => ({ database: await freshDatabase(), dispose: async () => undefined })));
  describeWithPostgres(`${name} (PostgreSQL)`, () =>
    body(async () => {
      const schema = await scratchSchema();
      return { database: await schema.open(4), dispose: () => schema.drop() };
    }),
  );
}
