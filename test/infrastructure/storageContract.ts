import { SqlBotStorage } from '../../bot/teams/state/sqlBotStorage';
import type { SqlDatabase } from '../../bot/infrastructure/database/sqlDatabase';

/** The botbuilder Storage contract with eTags; the PostgreSQL suite runs the same cases. */
/** The botbuilder Storage contract with eTags; it runs on PGlite and on PostgreSQL. */
export function storageContract(open: () => Promise<SqlDatabase>): void {
  let db: SqlDatabase;
  let storage: SqlBotStorage;
  beforeEach(async () => {
    db = await open();
    storage = new SqlBotStorage(db);
  });
  afterEach(async () => {
    await db.close();
  });

  it('reads back what was written, with an eTag', async () => {
    await storage.write({ a: { count: 1 } });
    const read = await storage.read(['a', 'missing']);
    expect(read.a).toMatchObject({ count: 1 });
    expect(typeof read.a.eTag).toBe('string');
    expect(read.missing).toBeUndefined();
  });

  it('gives every write a new eTag', async () => {
    await storage.write({ a: { count: 1 } });
    const first = (await storage.read(['a'])).a.eTag;
    await storage.write({ a: { count: 2, eTag: '*' } });
    const second = (await storage.read(['a'])).a.eTag;
    expect(second).not.toBe(first);
  });

  it('fails a write with a stale eTag, and keeps the newer data', async () => {
    await storage.write({ a: { count: 1 } });
    const stale = (await storage.read(['a'])).a;
    await storage.write({ a: { ...stale, count: 2 } });
    await expect(storage.write({ a: { ...stale, count: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['a'])).a.count).toBe(2);
  });

  it("'*' and a missing eTag overwrite", async () => {
    await storage.write({ a: { count: 1 } });
    await storage.write({ a: { count: 5, eTag: '*' } });
    expect((await storage.read(['a'])).a.count).toBe(5);
    await storage.write({ a: { count: 6 } });
    expect((await storage.read(['a'])).a.count).toBe(6);
  });

  it('deletes', async () => {
    await storage.write({ a: { x: 1 }, b: { x: 2 } });
    await storage.delete(['a']);
    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
  });
}
