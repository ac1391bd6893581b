import { Writable } from 'node:stream';
import { createLogger } from '../../bot/infrastructure/logging/logger';
import { ALEX, TENANT_ID } from '../support/demoUsers';
import { BotFrameworkKeys, FixedOutboundToken } from '../support/botFrameworkTokens';
import { cardAction, message } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

const APP_ID = '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f';
const APP_PASSWORD = 'bot-secret-value-do-not-log';

describe('no Authorization header, token or secret in any log', () => {
  const keys = new BotFrameworkKeys();
  const lines: string[] = [];
  const consoleLines: string[] = [];
  let t: TestApp;
  const spies: jest.SpyInstance[] = [];

  beforeAll(async () => {
    await keys.start();
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      spies.push(
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          consoleLines.push(
            args
              .map((a) =>
                a instanceof Error
                  ? `${a.stack} ${JSON.stringify(a)}`
                  : typeof a === 'string'
                    ? a
                    : JSON.stringify(a),
              )
              .join(' '),
          );
        }),
      );
    }
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    t = await startTestApp({
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppTenantId: TENANT_ID },
      log: createLogger('trace', sink),
      overrides: {
        authentication: keys.authenticationSettings,
        credentialsFactory: new FixedOutboundToken(APP_ID, APP_PASSWORD, TENANT_ID),
      },
    });
  });
  afterAll(async () => {
    await t.close();
    await keys.stop();
    for (const spy of spies) spy.mockRestore();
  });

  it('after valid, refused and failing requests, the logs hold none of them', async () => {
    const valid = await keys.token({ aud: APP_ID, serviceurl: t.connector.serviceUrl });
    const where = { serviceUrl: t.connector.serviceUrl };
    await t.post(message(ALEX, 'buy licenses', where), { authorization: `Bearer ${valid}` });
    await t.post(cardAction(ALEX, 'order.approve', { orderId: 'nope' }, where), {
      authorization: `Bearer ${valid}`,
    });
    const wrongAudience = await keys.token({ aud: 'someone-else', serviceurl: t.connector.serviceUrl });
    await t.post(message(ALEX, 'help', where), { authorization: `Bearer ${wrongAudience}` });
    await t.post(message(ALEX, 'help', where), { authorization: 'Bearer garbage.garbage.garbage' });
    // The Bot Connector is gone: the reply fails, the failure is logged.
    await t.connector.stop();
    await t.post(message(ALEX, 'help', where), { authorization: `Bearer ${valid}` });
    await t.settle();

    const everything = [...lines, ...consoleLines].join('\n');
    expect(lines.length).toBeGreaterThan(3);
    expect(everything).toContain('turn failed');
    for (const secret of [
      valid,
      wrongAudience,
      FixedOutboundToken.TOKEN,
      APP_PASSWORD,
      'garbage.garbage.garbage',
    ]) {
      expect(everything.includes(secret) ? secret : 'absent').toBe('absent');
    }
    expect(everything).not.toMatch(/authorization"?\s*[:=]\s*"?bearer/i);
  });
});
