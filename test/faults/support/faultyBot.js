// A bot process for the fault matrix: the built product (the build directory is argv[2]), started as
// bot/index.js starts it, with the sandbox provider's faults set from SANDBOX_FAULTS (JSON) before it serves:
// the tests' way to make a provider call slow, or an answer late, in a real process they can kill.
const { setFlagsFromString } = require('node:v8');
const { join } = require('node:path');

const build = process.argv[2];
const { loadConfig } = require(join(build, 'bot', 'config.js'));
const { createApp } = require(join(build, 'bot', 'app.js'));
const { createLogger } = require(join(build, 'bot', 'infrastructure', 'logging', 'logger.js'));

async function main() {
  const config = loadConfig(process.env);
  if (!config.storage.databaseUrl) setFlagsFromString('--liftoff-only');
  const log = createLogger(config.logLevel);
  const app = await createApp(config, log);
  Object.assign(app.sandbox.faults, JSON.parse(process.env.SANDBOX_FAULTS || '{}'));
  const port = await app.start();
  log.info({ url: `http://${config.host}:${port}/api/messages` }, 'listening');
}

main().catch((error) => {
  process.stderr.write(`${(error && error.stack) || error}\n`);
  process.exit(1);
});
