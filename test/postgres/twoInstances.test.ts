import { Client } from 'pg';
import { builtBot, kill9, post, startBot, waitUntil, type BotProcess } from '../support/builtBot';
import { adaptiveCardOf, cardText, executeActions, type CardJson } from '../support/cards';
import { ALEX, ISAIAH, MEGAN, type TeamsUser } from '../support/demoUsers';
import { FakeConnector } from '../support/fakeConnector';
import { describeWithPostgres, scratchSchema, type ScratchSchema } from '../support/postgres';
import { cardAction, message, personalConversationId } from '../support/teamsActivities';

type Instance = BotProcess;

/** One bot process (the built product) on the shared database, with short leases and a fast maintenance loop. */
function startInstance(
  name: string,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<Instance> {
  return startBot(name, {
    env: { DATABASE_URL: databaseUrl, SUBMISSION_LEASE_SECONDS: '3', WORKER_INTERVAL_SECONDS: '1', ...env },
  });
}

describeWithPostgres('several bot instances on one PostgreSQL', () => {
  const connector = new FakeConnector();
  let schema: ScratchSchema;
  let db: Client;
  const instances: Instance[] = [];

  beforeAll(async () => {
    builtBot();
    await connector.start();
  }, 300_000);
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
      instance.process.kill('SIGCONT');
      await kill9(instance);
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
    // The instance that approves holds the order for a lease's time, so A (not B's maintenance loop) claims it.
    await post(slow, cardAction(MEGAN, 'order.approve', { orderId }, where(MEGAN)));
    await waitUntil(
      async () =>
        (await count(
          `SELECT count(*) AS n FROM orders WHERE id = $1 AND state = 'submitting' AND lease_owner = 'instance-a'`,
          [orderId],
        )) === 1,
      'instance A to claim the submission',
    );
    await kill9(slow);
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

  it('instance A paused (SIGSTOP) past its lease mid-provider-call: B completes; A resumes (SIGCONT) and its late answer is refused and audited', async () => {
    // A's provider answers slowly, so A is paused in the middle of the call; B is healthy.
    const a = await startInstance('instance-a', schema.url, { SANDBOX_LATENCY_MS: '2500' });
    const b = await startInstance('instance-b', schema.url);
    instances.push(a, b);
    const orderId = await pendingOrder(b);
    await post(a, cardAction(MEGAN, 'order.approve', { orderId }, where(MEGAN)));
    await waitUntil(
      async () =>
        (await count(
          `SELECT count(*) AS n FROM orders WHERE id = $1 AND state = 'submitting' AND lease_owner = 'instance-a'`,
          [orderId],
        )) === 1,
      'instance A to claim the submission',
    );
    a.process.kill('SIGSTOP');
    // A cannot renew its lease while paused: it runs out, and B takes the submission over and completes it.
    await waitUntil(
      async () =>
        (await count(`SELECT count(*) AS n FROM orders WHERE id = $1 AND state = 'completed'`, [orderId])) ===
        1,
      'instance B to complete the order',
    );
    a.process.kill('SIGCONT');
    await waitUntil(
      async () =>
        (await count(
          `SELECT count(*) AS n FROM order_events WHERE order_id = $1 AND action = 'late_answer_refused'`,
          [orderId],
        )) === 1,
      "A's late answer to be refused",
    );

    const events = await db.query<{ action: string; instance: string | null; fence: string | null }>(
      `SELECT action, detail->>'instance' AS instance, detail->>'fence' AS fence
       FROM order_events WHERE order_id = $1 AND action IN ('submission_started', 'submitted', 'late_answer_refused')
       ORDER BY id`,
      [orderId],
    );
    expect(events.rows).toEqual([
      { action: 'submission_started', instance: 'instance-a', fence: '1' },
      { action: 'submission_started', instance: 'instance-b', fence: '2' },
      { action: 'submitted', instance: 'instance-b', fence: '2' },
      { action: 'late_answer_refused', instance: 'instance-a', fence: '1' },
    ]);
    expect(await count('SELECT count(*) AS n FROM sandbox_requests')).toBe(1);
    expect(
      await count(
        `SELECT count(*) AS n FROM orders WHERE id = $1 AND state = 'completed' AND outcome IS NULL`,
        [orderId],
      ),
    ).toBe(1);
    expect(
      await count(`SELECT quantity AS n FROM sandbox_subscriptions WHERE product = 'Office 365 E3'`),
    ).toBe(150);
  });
});
