import { gzipSync } from 'node:zlib';
import { ALEX } from '../support/demoUsers';
import { textOf } from '../support/cards';
import { FakeConnector } from '../support/fakeConnector';
import { rawRequest } from '../support/rawHttp';
import { SpawnedBot } from '../support/spawnedBot';
import { message } from '../support/teamsActivities';

/**
 * The bot as its own process (README: Security): a request that once ended it, and a gzip bomb that once cost
 * about 100 MB of memory, measured with process.memoryUsage() of that process.
 */
describe('the bot as a process: hostile bodies neither end it nor bloat it', () => {
  let bot: SpawnedBot;
  const connector = new FakeConnector();
  const MB = 1024 * 1024;

  beforeAll(async () => {
    await connector.start();
    bot = await SpawnedBot.start();
  }, 180_000);
  afterAll(async () => {
    await bot?.stop();
    await connector.stop();
  });

  const answersANormalTurn = async () => {
    const before = connector.messages().length;
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message(ALEX, 'help', { serviceUrl: connector.serviceUrl })),
    });
    expect(response.status).toBe(200);
    expect(connector.messages()).toHaveLength(before + 1);
    expect(textOf(connector.messages().at(-1))).toContain('**License Desk** commands');
  };

  it.each([
    ['POST', '/api/messages'],
    ['POST', '/tab/api/orders'],
    ['GET', '/healthz'],
  ])(
    "%s %s with Content-Encoding: gzip and a body that is not gzip (the issue's curl): 400, and the process lives",
    async (method, path) => {
      const response = await rawRequest(bot.port, {
        method,
        path,
        headers: [
          ['Host', `127.0.0.1:${bot.port}`],
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
        body: '{"type":"message"}',
      });
      expect(response?.status).toBe(400);
      expect(bot.ended).toBeUndefined();
      await answersANormalTurn();
    },
  );

  it('three 51 KB gzip bodies that inflate to 50 MB each: 413, and the process grows by less than 10 MB', async () => {
    const bomb = gzipSync(
      Buffer.concat([
        Buffer.from('{"type":"message","text":"'),
        Buffer.alloc(50 * MB, 0x61),
        Buffer.from('"}'),
      ]),
    );
    const send = () =>
      rawRequest(bot.port, {
        method: 'POST',
        path: '/api/messages',
        headers: [
          ['Host', `127.0.0.1:${bot.port}`],
          ['Content-Type', 'application/json'],
          ['Content-Encoding', 'gzip'],
        ],
        body: bomb,
      });
    // Warm up the paths involved (a gzip body refused at the limit, a turn), so that what follows measures
    // the bodies and not code loaded for the first time.
    expect((await send())?.status).toBe(413);
    await answersANormalTurn();

    const before = await bot.memory();
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await send())?.status);
    const after = await bot.memory();
    const growth = (after.rss - before.rss) / MB;
    process.stdout.write(
      `gzip bomb (${(bomb.length / 1024).toFixed(0)} KB inflating to 50 MB) x3: RSS ${(before.rss / MB).toFixed(1)} -> ` +
        `${(after.rss / MB).toFixed(1)} MB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)} MB), heap used ` +
        `${(before.heapUsed / MB).toFixed(1)} -> ${(after.heapUsed / MB).toFixed(1)} MB, external ` +
        `${(before.external / MB).toFixed(1)} -> ${(after.external / MB).toFixed(1)} MB\n`,
    );
    expect(statuses).toEqual([413, 413, 413]);
    expect(growth).toBeLessThan(10);
    expect(bot.ended).toBeUndefined();
    await answersANormalTurn();
  }, 120_000);
});
