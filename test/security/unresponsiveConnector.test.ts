import type { Log } from '../../bot/services/ports';
import { OUTBOUND_LIMITS } from '../../bot/teams/outboundLimits';
import { ALEX, ALL_USERS, MEGAN } from '../support/demoUsers';
import { textOf } from '../support/cards';
import { closedPort, SilentConnector } from '../support/silentConnector';
import { message } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

/** Teams gives a bot 15 s to answer the HTTP request of a message; the turn must end within it, whatever happens. */
const TEAMS_LIMIT_MS = 15_000;

interface Logged {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: Record<string, unknown>;
  readonly msg?: string;
}

function recordingLog(lines: Logged[]): Log {
  const add = (level: Logged['level']) => (obj: object, msg?: string) =>
    lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return { info: add('info'), warn: add('warn'), error: add('error') };
}

describe('a Bot Connector that does not answer cannot hold a turn (README: Security)', () => {
  let t: TestApp;
  const silent = new SilentConnector('silent');
  const stalled = new SilentConnector('stalled');
  const lines: Logged[] = [];

  beforeAll(async () => {
    await silent.start();
    await stalled.start();
    t = await startTestApp({ log: recordingLog(lines) });
  });
  afterAll(async () => {
    await t.close();
    await silent.stop();
    await stalled.stop();
  });

  /** Posts an activity and measures how long its HTTP response took. */
  const timed = async (activity: Parameters<TestApp['post']>[0]) => {
    const started = Date.now();
    const response = await t.post(activity);
    return { status: response.status, ms: Date.now() - started };
  };

  it('five turns whose replies go to a connector that accepts and never answers each end within 15 s; the bot answers others meanwhile', async () => {
    const users = ALL_USERS.slice(1, 6);
    const hung = users.map((user) => timed(message(user, 'help', { serviceUrl: silent.serviceUrl })));
    let hungSettled = false;
    void Promise.allSettled(hung).then(() => (hungSettled = true));

    await silent.waitForRequests(5);
    const normal = await t.post(message(ALEX, 'help', { serviceUrl: t.connector.serviceUrl }));
    expect(normal.status).toBe(200);
    expect(textOf(t.connector.messages().at(-1))).toContain('**License Desk** commands');
    expect(hungSettled).toBe(false);

    const results = await Promise.all(hung);
    process.stdout.write(
      `turns against a silent connector ended after ${results.map((r) => r.ms).join(', ')} ms\n`,
    );
    for (const result of results) {
      expect(result.status).toBe(200);
      expect(result.ms).toBeLessThan(TEAMS_LIMIT_MS);
    }
    const undeliverable = lines.filter((l) => l.msg === 'reply undeliverable');
    expect(new Set(undeliverable.map((l) => l.obj.conversationId)).size).toBe(5);

    // Alive and well after them.
    await t.post(message(MEGAN, 'help', { serviceUrl: t.connector.serviceUrl }));
    expect(textOf(t.connector.messages().at(-1))).toContain('**License Desk** commands');
  }, 60_000);

  it('a connector that sends its headers and never its body, or a closed port: the turn ends within 15 s', async () => {
    const port = await closedPort();
    const [stalledTurn, closedTurn] = await Promise.all([
      timed(message(ALEX, 'help', { serviceUrl: stalled.serviceUrl })),
      timed(message(MEGAN, 'help', { serviceUrl: `http://127.0.0.1:${port}/` })),
    ]);
    process.stdout.write(`a stalled connector: ${stalledTurn.ms} ms; a closed port: ${closedTurn.ms} ms\n`);
    expect(stalledTurn.ms).toBeLessThan(TEAMS_LIMIT_MS);
    expect(closedTurn.ms).toBeLessThan(TEAMS_LIMIT_MS);
    await t.post(message(ALEX, 'help', { serviceUrl: t.connector.serviceUrl }));
    expect(textOf(t.connector.messages().at(-1))).toContain('**License Desk** commands');
  }, 60_000);

  it('a proactive message to a connector that never answers fails within the call budget, for its caller to hear', async () => {
    const started = Date.now();
    const reference = {
      channelId: 'msteams',
      serviceUrl: silent.serviceUrl,
      conversation: { id: 'a:personal-silent', isGroup: false, conversationType: 'personal', name: '' },
      bot: { id: '28:bot', name: 'License Desk' },
    };
    await expect(
      t.app.adapter.continueConversationAsync('', reference, async (context) => {
        await context.sendActivity('An update nobody will receive');
      }),
    ).rejects.toThrow();
    const ms = Date.now() - started;
    process.stdout.write(`a proactive message to a silent connector failed after ${ms} ms\n`);
    expect(ms).toBeLessThan(OUTBOUND_LIMITS.callBudgetMs + 5_000);
  }, 60_000);
});
