// `npm run playground`: License Desk on the embedded defaults plus the Microsoft 365 Agents Playground
// (Microsoft's local Teams stand-in, channel msteams) against it, both on 127.0.0.1.
const { spawn, spawnSync } = require('node:child_process');
const { mkdirSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '../..');
const botPort = Number(process.env.PORT || 3978);
const playgroundPort = Number(process.env.PLAYGROUND_PORT || 56150);
const botUrl = `http://127.0.0.1:${botPort}`;
const playgroundUrl = `http://127.0.0.1:${playgroundPort}`;

const children = [];
function stop(code) {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 500).unref();
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitFor(url, what, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s (${url})`);
}

async function main() {
  if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

  const bot = spawn(process.execPath, ['--liftoff-only', 'dist/bot/index.js'], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(botPort) },
    stdio: 'inherit',
  });
  children.push(bot);
  bot.on('exit', (code) => stop(code ?? 1));
  await waitFor(`${botUrl}/readyz`, 'License Desk');

  // The Playground writes its log to ./devTools in its working directory: keep that out of the project.
  const workDir = join(tmpdir(), 'license-desk-playground');
  mkdirSync(workDir, { recursive: true });
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js', { paths: [root] });
  const playground = spawn(
    process.execPath,
    [
      '-r',
      join(__dirname, 'loopbackOnly.cjs'),
      cli,
      'start',
      '-e',
      `${botUrl}/api/messages`,
      '-c',
      'msteams',
      '-p',
      String(playgroundPort),
      '--service-url',
      `${playgroundUrl}/_connector`,
      '--disable-telemetry',
    ],
    {
      cwd: workDir,
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER || 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(playground);
  playground.stdout.pipe(process.stdout);
  playground.on('exit', (code) => stop(code ?? 1));
  await waitFor(`${playgroundUrl}/_debug/ping`, 'The Agents Playground');

  process.stdout.write(
    `\nLicense Desk is running at ${botUrl}/api/messages and the Agents Playground at ${playgroundUrl}\n` +
      `Open ${playgroundUrl} in a browser. You are Alex Wilber (Licenses Manager on both billing profiles);\n` +
      'Megan Bowen and Isaiah Langer approve, and Megan is the Access Admin (say "access" as her in the group chat);\n' +
      'Patti Fernandez and Lynne Robbins can ask for seats. Say "buy licenses" to start.\n' +
      'Press Ctrl+C to stop both.\n\n',
  );
}

main().catch((error) => {
  process.stderr.write(`${error.message}\n`);
  stop(1);
});
