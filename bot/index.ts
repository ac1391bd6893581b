import './compileCache';
import { existsSync } from 'node:fs';
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
  const log = createLogger(config.logLevel);
  log.info({ node: process.version, config: configSummary(config) }, 'starting');
  // The embedded database is PostgreSQL in WebAssembly. V8's optimising tier for it (TurboFan) compiles in the
  // background as queries run: 400-500 MB more memory at its peak and about 100 MB more for good, for a few per
  // cent less CPU per turn. The baseline tier is chosen on the command line (a flag set at run time is too late
  // for the WebAssembly engine): `npm start` does it (README: Performance and the benchmark).
  if (!config.storage.databaseUrl && !process.execArgv.includes('--liftoff-only'))
    log.warn(
      'started without node --liftoff-only: the embedded database will use several hundred MB more memory',
    );
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
