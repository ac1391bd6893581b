import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { createApp } from './app';
import { ConfigError, configSummary, loadConfig } from './config';
import { AccessFileError } from './infrastructure/directory/jsonAccessDirectory';
import { createLogger } from './infrastructure/logging/logger';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`License Desk cannot start. ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // The embedded database is PostgreSQL in WebAssembly: V8's optimising tier for it (TurboFan) costs about
  // 90 MB of resident memory and most of a second at start, for about 10 % less CPU per turn. Keep the baseline tier.
  if (!config.storage.databaseUrl) setFlagsFromString('--liftoff-only');
  const log = createLogger(config.logLevel);
  log.info({ node: process.version, config: configSummary(config) }, 'starting');
  const started = Date.now();
  let app;
  try {
    app = await createApp(config, log);
  } catch (error) {
    if (error instanceof AccessFileError) {
      log.fatal(
        { problem: error.message },
        'License Desk cannot start: the access file is wrong (ACCESS_FILE)',
      );
      process.exit(2);
    }
    throw error;
  }
  const port = await app.start();
  log.info(
    { url: `http://${config.host}:${port}/api/messages`, startupMs: Date.now() - started },
    'listening',
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: finishing turns in flight');
    await app.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `License Desk failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
