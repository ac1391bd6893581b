import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/**
 * The bot in a process of its own (test/support/botProcess.ts), for what cannot be measured inside jest: its
 * memory (process.memoryUsage of that process), and whether a request ended it.
 */
export class SpawnedBot {
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private stderr = '';

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('exit', (code, signal) => (this.exit = { code, signal }));
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
  }

  static async start(env: Record<string, string> = {}, timeoutMs = 120_000): Promise<SpawnedBot> {
    const child = fork(join(__dirname, 'botProcess.ts'), [], {
      execArgv: ['-r', join(__dirname, 'transpileTypeScript.cjs')],
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, BOT_PROCESS_ENV: JSON.stringify(env) },
      // BOT_PROCESS_LOG_LEVEL=info shows the bot's log while debugging a test.
      stdio: ['ignore', process.env.BOT_PROCESS_LOG_LEVEL ? 'inherit' : 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the bot did not start in ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.on('message', (message: { kind: string; port?: number }) => {
        if (message.kind !== 'listening') return;
        clearTimeout(timer);
        resolve(message.port as number);
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the bot exited (${code}) before listening: ${stderr}`));
      });
    });
    return new SpawnedBot(child, port);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Why the process ended, or undefined while it runs. */
  get ended(): string | undefined {
    return this.exit ? `exit code ${this.exit.code}, signal ${this.exit.signal}: ${this.stderr}` : undefined;
  }

  /** process.memoryUsage() of the bot's process. */
  memory(): Promise<NodeJS.MemoryUsage> {
    return new Promise((resolve) => {
      const listener = (message: { kind: string } & NodeJS.MemoryUsage) => {
        if (message.kind !== 'memory') return;
        this.child.off('message', listener);
        resolve(message);
      };
      this.child.on('message', listener);
      this.child.send({ kind: 'memory' });
    });
  }

  async stop(): Promise<void> {
    if (this.exit) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.send({ kind: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}
