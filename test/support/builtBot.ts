import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = join(__dirname, '..', '..');

/** An invoke response's card, as the tests read it (see test/support/cards.ts). */
type CardJsonLike = { readonly type: string; readonly [key: string]: unknown };

/** The sources the bot is built from: a change to any of them means a new build. */
const SOURCES = ['bot', 'cards', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

/**
 * The bot built from the current sources (tsconfig.build.json, migrations copied), in a directory of its own
 * under dist/.test-builds/<hash of the sources>, made once per change of the sources and written whole (a
 * rename): suites in parallel never see half a build, and never touch the dist/ that `npm run build` makes.
 * Returns the directory (its bot/index.js is the product's entry).
 */
export function builtBot(): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap((s) => files(join(ROOT, s))))
    hash.update(relative(ROOT, file)).update(readFileSync(file));
  const stamp = hash.digest('hex').slice(0, 16);
  const builds = join(ROOT, 'dist', '.test-builds');
  const target = join(builds, stamp);
  if (existsSync(join(target, 'bot', 'index.js'))) return target;

  mkdirSync(builds, { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  rmSync(partial, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
      '--outDir',
      partial,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 300_000 },
  );
  if (tsc.status !== 0) throw new Error(`build failed: ${tsc.stdout}${tsc.stderr}`);
  cpSync(
    join(ROOT, 'bot', 'infrastructure', 'database', 'migrations'),
    join(partial, 'bot', 'infrastructure', 'database', 'migrations'),
    { recursive: true },
  );
  try {
    renameSync(partial, target);
  } catch {
    // Another suite finished the same build first: use theirs.
    rmSync(partial, { recursive: true, force: true });
  }
  for (const old of readdirSync(builds))
    if (old !== stamp && !old.endsWith('.tmp')) rmSync(join(builds, old), { recursive: true, force: true });
  return target;
}

export interface BotProcess {
  readonly name: string;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly process: ChildProcess;
  /** Its log, one JSON line each (for a failing test's message). */
  readonly logs: string[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>;
  /** The Node.js version its start-up log names. */
  readonly node: string | undefined;
}

export interface StartOptions {
  /** Settings (environment) on top of the defaults below. */
  readonly env?: Record<string, string>;
  /**
   * The sandbox provider's faults (SandboxFaults), set before the process serves: it starts through
   * test/faults/support/faultyBot.js instead of the product's entry.
   */
  readonly sandboxFaults?: Record<string, number>;
}

/** Starts one bot process (the built product) and waits until it listens. */
export async function startBot(name: string, options: StartOptions = {}): Promise<BotProcess> {
  const build = builtBot();
  const entry = options.sandboxFaults
    ? [join(ROOT, 'test', 'faults', 'support', 'faultyBot.js'), build]
    : [join(build, 'bot', 'index.js')];
  // As `npm start` runs it (package.json).
  const child = spawn(process.execPath, ['--liftoff-only', ...entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      INSTANCE_ID: name,
      ...(options.sandboxFaults ? { SANDBOX_FAULTS: JSON.stringify(options.sandboxFaults) } : {}),
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr?.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')));
  let node: string | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 60 s:\n${logs.slice(-20).join('\n')}`)),
      60_000,
    );
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string; node?: string };
        if (entry.msg === 'starting') node = entry.node;
        if (entry.msg === 'listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url.replace(/\/api\/messages$/, ''));
        }
      } catch {
        // not a log line
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${logs.slice(-20).join('\n')}`));
    });
  });
  return { name, url, process: child, logs, exited, node };
}

/** kill -9, and wait until the process is gone. */
export async function kill9(bot: BotProcess): Promise<void> {
  if (bot.process.exitCode === null && bot.process.signalCode === null) bot.process.kill('SIGKILL');
  await bot.exited;
}

/** POSTs an activity to the bot the way the Bot Connector does; the body parsed. */
export async function post<T = { value?: CardJsonLike | string }>(
  bot: BotProcess,
  activity: object,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${bot.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

/** Polls `check` until it holds; fails after `timeoutMs` naming what it waited for. */
export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (
      await Promise.resolve()
        .then(check)
        .catch(() => false)
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
