import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Client } from 'pg';
import { adaptiveCardOf, cardText, executeActions, type CardJson } from '../support/cards';
import { ALEX, ISAIAH, MEGAN, type TeamsUser } from '../support/demoUsers';
import { FakeConnector } from '../support/fakeConnector';
import { describeWithPostgres, scratchSchema, type ScratchSchema } from '../support/postgres';
import { cardAction, message, personalConversationId } from '../support/teamsActivities';

const ROOT = join(__dirname, '../..');

interface Instance {
  readonly name: string;
  readonly url: string;
  readonly process: ChildProcess;
  /** The Node.js version the start-up log names. */
  readonly node: string | undefined;
}

/** One bot process (the built product, `node dist/bot/index.js`) on the shared database. */
async function startInstance(
  name: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<Instance> {
  const child = spawn(process.execPath, ['dist/bot/index.js'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      DATABASE_URL: databaseUrl,
      INSTANCE_ID: name,
      SUBMISSION_LEASE_SECONDS: '3',
      WORKER_INTERVAL_SECONDS: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let node: string | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 30_000);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
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
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { name, url, process: child, node };
}

async function post(
  instance: Instance,
  activity: object,
): Promise<{ status: number; body: { value?: CardJson | string } }> {
  const response = await fetch(`${instance.url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

async function waitUntil(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describeWithPostgres('several bot instances on one PostgreSQL', () => {
  const connector = new FakeConnector();
  let schema: ScratchSchema;
  let db: Client;
  const instances: Instance[] = [];

  beforeAll(async () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
    await connector.start();
  }, 120_000);
  afterAll(async () => {
    await connector.stop();
  });
  beforeEach(async () => {
    schema = await scratchSchema();
    db = new Client({ connectionString: schema.url });
    await db.connect();
    connector.clear();
  });
  afterEach(async () => {
    for (const instance of instances.splice(0)) {
      instance.process.kill('SIGKILL');
    }
    await db.end();
    await schema.drop();
  });

  const where = (user: TeamsUser) => ({
    serviceUrl: connector.serviceUrl,
    conversationId: personalConversationId(user),
  });
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0].n);

  /** Alex orders 30 seats of Office 365 E3 through `instance` and confirms: it waits for an approver. */
  async function pendingOrder(instance: Instance): Promise<string> {
    for (const text of ['buy licenses', 'E3', '30']) await post(instance, message(ALEX, text, where(ALEX)));
    const card = adaptiveCardOf(connector.messages(personalConversationId(ALEX)).at(-1));
    const orderId = String(executeActions(card)[0]?.data.orderId);
    const confirmed = await post(instance, cardAction(ALEX, 'order.approve', { orderId }, where(ALEX)));
    expect(cardText(confirmed.body.value as CardJson)).toContain('Waiting for approval');
    return orderId;
  }

  it('names the Node.js version it runs on in the start-up log', async () => {
    instances.push(await startInstance('instance-a', schema.url));
    expect(instances[0].node).toBe(process.version);
  });

  it('100 concurrent Approve taps split between two instances: one provider submission', async () => {
    instances.push(
      await startInstance('instance-a', schema.url),
      await startInstance('instance-b', schema.url),
    );
    const [a, b] = instances;
    const orderId = await pendingOrder(a);
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const user = i % 2 === 0 ? MEGAN : ISAIAH;
        return post(
          i < 50 ? a : b,
          cardAction(user, 'order.approve', { orderId }, { ...where(user), replyToId: `card-${i}` }),
        );
      }),
    );
    const texts = replies.map((r) => cardText(r.body.value as CardJson));
    expect(
      texts.filter((t) => t.includes('Approved. Placing the order…') && !t.includes('already')),
    ).toHaveLength(1);
    expect(texts.filter((t) => /already approved by (Megan Bowen|Isaiah Langer)/.test(t))).toHaveLength(99);
    await waitUntil(
      async () =>
        (await count(`SELECT count(*) AS n FROM orders WHERE id = $1 AND state = 'completed'`, [orderId])) ===
        1,
      'completion',
    );
    expect(await count('SELECT count(*) AS n FROM sandbox_requests')).toBe(1);
    expect(
      await count(
        `SELECT count(*) AS n FROM order_events WHERE order_id = $1 AND action = 'submission_started'`,
        [orderId],
      ),
    ).toBe(1);
    expect(
      await count(`SELECT quantity AS n FROM sandbox_subscriptions WHERE product = 'Office 365 E3'`),
    ).toBe(150);
  });

  it('kill -9 of the instance holding a submission: the other instance completes it, once', async () => {
    // Instance A's provider is slow, so it dies while holding the submission; B is healthy.
    const slow = await startInstance('instance-a', schema.url, { SANDBOX_LATENCY_MS: '4000' });
    const healthy = await startInstance('instance-b', schema.url);
    instances.push(slow, healthy);
    const orderId = await pendingOrder(healthy);
    await post(slow, cardAction(MEGAN, 'order.approve', { orderId }, where(MEGAN)));
    await waitUntil(
      async () =>
        (await count(
          `SELECT count(*) AS n FROM orders WHERE id = $1 AND state = 'submitting' AND lease_owner = 'instance-a'`,
          [orderId],
        )) === 1,
      'instance A to claim the submission',
    );
    slow.process.kill('SIGKILL');
    expect(await count('SELECT count(*) AS n FROM sandbox_requests')).toBe(0);

    await waitUntil(
      async () =>
        (await count(`SELECT count(*) AS n FROM orders WHERE id = $1 AND state = 'completed'`, [orderId])) ===
        1,
      'instance B to finish it',
    );
    expect(await count('SELECT count(*) AS n FROM sandbox_requests')).toBe(1);
    const starts = await db.query<{ instance: string }>(
      `SELECT detail->>'instance' AS instance FROM order_events WHERE order_id = $1 AND action = 'submission_started' ORDER BY id`,
      [orderId],
    );
    expect(starts.rows.map((r) => r.instance)).toEqual(['instance-a', 'instance-b']);
    expect(
      await count(`SELECT quantity AS n FROM sandbox_subscriptions WHERE product = 'Office 365 E3'`),
    ).toBe(150);
  });
});
