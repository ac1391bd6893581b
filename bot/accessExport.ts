import { existsSync, writeFileSync } from 'node:fs';
import { ConfigError, loadConfig } from './config';
import { SqlAccessStore } from './infrastructure/access/sqlAccessStore';
import { PgliteDatabase } from './infrastructure/database/pgliteDatabase';
import { PostgresDatabase } from './infrastructure/database/postgresDatabase';
import type { SqlDatabase } from './infrastructure/database/sqlDatabase';

/**
 * `npm run access:export [file]`: the access in the database (billing profiles, people, their roles) in the access
 * file's JSON shape, to the file or standard output, for backups and reviews (README: Access). It only reads.
 * With the embedded database (no DATABASE_URL), stop License Desk first: one process at a time opens DATA_DIR.
 */
async function main(): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Cannot export access. ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const database: SqlDatabase = config.storage.databaseUrl
    ? await PostgresDatabase.open(config.storage.databaseUrl, 1)
    : await PgliteDatabase.open(config.storage.dataDir);
  try {
    const { rows } = await database.query<{ exists: boolean }>(
      "SELECT to_regclass('access_state') IS NOT NULL AS exists",
    );
    const store = new SqlAccessStore(database, () => new Date());
    if (!rows[0]?.exists || (await store.version()) === undefined) {
      process.stderr.write(
        'There is no access in this database yet: start License Desk once (it imports ACCESS_FILE).\n',
      );
      return 1;
    }
    const json = `${JSON.stringify((await store.load()).directory.toJson(), null, 2)}\n`;
    const file = process.argv[2];
    if (file) {
      writeFileSync(file, json);
      process.stderr.write(`Access written to ${file}.\n`);
    } else {
      process.stdout.write(json);
    }
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Cannot export access: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
