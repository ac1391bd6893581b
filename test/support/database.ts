import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, MIGRATIONS_DIR } from '../../bot/infrastructure/database/migrate';
import { PgliteDatabase } from '../../bot/infrastructure/database/pgliteDatabase';

/**
 * A fresh, migrated, empty embedded database (PGlite, in memory) for one test. Creating PGlite takes
 * seconds, so the migrated database is dumped once (per migration set) and each test loads a copy.
 */
export async function freshDatabase(): Promise<PgliteDatabase> {
  return PgliteDatabase.fromDump(new Blob([await migratedDump()]));
}

async function migratedDump(): Promise<Buffer> {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_DIR).sort())
    hash.update(file).update(readFileSync(join(MIGRATIONS_DIR, file)));
  const path = join(tmpdir(), `license-desk-test-db-${hash.digest('hex').slice(0, 16)}.tar`);
  if (existsSync(path)) return readFileSync(path);
  const db = await PgliteDatabase.open('memory://');
  await migrate(db);
  const dump = Buffer.from(await (await db.dump()).arrayBuffer());
  await db.close();
  const partial = `${path}.${process.pid}`;
  writeFileSync(partial, dump);
  renameSync(partial, path);
  return dump;
}
