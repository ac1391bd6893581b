// The bot as a process of its own, for tests that measure it from outside (memory): started by
// test/support/spawnedBot.ts with `fork`, it starts the real app on 127.0.0.1 with a fresh embedded database
// and answers over the IPC channel: its port once listening, its memory on request, and it stops on request.
import pino from 'pino';
import { createApp } from '../../bot/app';
import { loadConfig } from '../../bot/config';

type Request = { kind: 'memory' } | { kind: 'stop' };

async function main(): Promise<void> {
  const env = JSON.parse(process.env.BOT_PROCESS_ENV ?? '{}') as Record<string, string>;
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', ...env });
  const app = await createApp(config, pino({ level: process.env.BOT_PROCESS_LOG_LEVEL ?? 'silent' }));
  const port = await app.start();
  process.on('message', (request: Request) => {
    if (request.kind === 'memory') process.send?.({ kind: 'memory', ...process.memoryUsage() });
    if (request.kind === 'stop') void app.close().then(() => process.exit(0));
  });
  process.send?.({ kind: 'listening', port });
}

main().catch((error: unknown) => {
  process.stderr.write(`bot process failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
