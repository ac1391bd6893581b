import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where Debian puts PostgreSQL's server programs; PG_BIN overrides it. */
const BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why a private cluster cannot be made here (no server programs), or undefined when it can. */
export function privatePostgresUnavailable(): string | undefined {
  for (const program of ['initdb', 'pg_ctl', 'postgres'])
    if (!existsSync(join(BIN, program)))
      return `no ${program} in ${BIN} (install PostgreSQL's server, or set PG_BIN)`;
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0)
    return 'running as root, and there is no postgres user to run initdb as (initdb refuses root)';
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/**
 * A PostgreSQL cluster of this test's own, in a temporary directory, on a free port bound to 127.0.0.1: it can
 * be stopped and started without touching the server other suites share. initdb refuses to run as root, so as
 * root every server program runs as the `postgres` user (runuser).
 */
export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  static async create(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'license-desk-pg-'));
    if (process.getuid?.() === 0) {
      const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
    }
    const cluster = new PrivatePostgres(dir, await freePort());
    cluster.run('initdb', ['-D', cluster.data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    cluster.start();
    return cluster;
  }

  private get data(): string {
    return join(this.dir, 'data');
  }

  start(): void {
    this.run('pg_ctl', [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c fsync=off`,
      '-w',
      'start',
    ]);
  }

  /** A fast shutdown: connections are cut, as in a restart or a failover. */
  stop(): void {
    this.run('pg_ctl', ['-D', this.data, '-m', 'fast', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private run(program: string, args: string[]): SpawnSyncReturns<string> {
    const path = join(BIN, program);
    const result =
      process.getuid?.() === 0
        ? spawnSync('runuser', ['-u', 'postgres', '--', path, ...args], { encoding: 'utf8', timeout: 60_000 })
        : spawnSync(path, args, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0)
      throw new Error(`${program} failed (${result.status}): ${result.stdout}${result.stderr}`);
    return result;
  }
}
