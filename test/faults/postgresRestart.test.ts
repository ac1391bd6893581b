import { Client } from 'pg';
import { builtBot, kill9, post, startBot, waitUntil, type BotProcess } from '../support/builtBot';
import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import { ALEX, ISAIAH, MEGAN, type TeamsUser } from '../support/demoUsers';
import { FakeConnector } from '../support/fakeConnector';
import { describeNeeding } from '../support/requiredComponent';
import { cardAction, message, personalConversationId } from '../support/teamsActivities';
import { undelivered } from './support/outboxState';
import { PrivatePostgres, privatePostgresUnavailable } from './support/privatePostgres';

/**
 * Fault matrix, the database's cell (README: Reliability): PostgreSQL restarted while an order is being placed.
 * A cluster of the test's own (never the server other suites share), a real bot process on it: /readyz says
 * 503 while the database is down, the process keeps running and reconnects, and the order completes once with
 * every message delivered once.
 */
describeNeeding(
  'a private PostgreSQL cluster',
  privatePostgresUnavailable(),
  'fault matrix: PostgreSQL restarted mid-run',
  () => {
    const connector = new FakeConnector();
    let cluster: PrivatePostgres;
    let bot: BotProcess | undefined;

    beforeAll(async () => {
      builtBot();
      await connector.start();
      cluster = await PrivatePostgres.create();
    }, 300_000);
    afterAll(async () => {
      if (bot) await kill9(bot);
      await connector.stop();
      cluster?.destroy();
    });

    const where = (user: TeamsUser) => ({
      serviceUrl: connector.serviceUrl,
      conversationId: personalConversationId(user),
    });
    const readiness = async (process: BotProcess) => (await fetch(`${process.url}/readyz`)).status;
    const logged = (process: BotProcess, msg: string) =>
      process.logs.some((line) => line.includes(`"msg":"${msg}"`));
    const approvalCards = (user: TeamsUser) =>
      connector.calls.filter(
        (c) =>
          c.conversationId === personalConversationId(user) &&
          cardText(adaptiveCardOf(c)).includes('asks you to approve'),
      );
    const toldAlex = () =>
      connector.calls.filter(
        (c) =>
          c.conversationId === personalConversationId(ALEX) && /Order LD-\d+ is complete/.test(textOf(c)),
      );

    it('goes down while the provider call is in flight: /readyz 503, then reconnected; the order completes once, every message once', async () => {
      bot = await startBot('bot-1', {
        env: {
          DATABASE_URL: cluster.url,
          DATABASE_POOL_SIZE: '4',
          SUBMISSION_LEASE_SECONDS: '2',
          SUBMISSION_RETRY_SECONDS: '1',
          WORKER_INTERVAL_SECONDS: '1',
          OUTBOX_POLL_SECONDS: '1',
          OUTBOX_MAX_BACKOFF_SECONDS: '2',
        },
        // The provider call takes 3 s: long enough for the database to go down in the middle of it.
        sandboxFaults: { changeDelayMs: 3_000 },
      });
      const running = bot;
      for (const user of [MEGAN, ISAIAH, ALEX]) await post(running, message(user, 'help', where(user)));
      for (const text of ['buy licenses', 'Office 365 E3', '30'])
        await post(running, message(ALEX, text, where(ALEX)));
      const card = adaptiveCardOf(connector.messages(personalConversationId(ALEX)).at(-1));
      const orderId = String(executeActions(card).find((a) => a.title === 'Approve')?.data.orderId);
      await post(running, cardAction(ALEX, 'order.approve', { orderId }, where(ALEX)));
      await waitUntil(
        () => approvalCards(MEGAN).length > 0 && approvalCards(ISAIAH).length > 0,
        'approval cards',
      );
      const approved = await post(running, cardAction(MEGAN, 'order.approve', { orderId }, where(MEGAN)));
      expect(cardText(approved.body.value as CardJson)).toContain('Approved. Placing the order…');
      await waitUntil(() => logged(running, 'submission claimed'), 'the submission to be claimed');

      expect(await readiness(running)).toBe(200);
      cluster.stop();
      await waitUntil(async () => (await readiness(running)) === 503, '/readyz to report the database down');
      // The provider call ends while the database is down: its outcome cannot be written.
      await waitUntil(
        () => logged(running, 'submission attempt failed'),
        'the attempt to fail on the database',
      );
      expect(running.process.exitCode).toBeNull();
      cluster.start();
      await waitUntil(async () => (await readiness(running)) === 200, '/readyz to report the database back');

      await waitUntil(() => toldAlex().length > 0, 'Alex to be told the outcome');
      const copies = [
        connector
          .messages(personalConversationId(ALEX))
          .find((c) => executeActions(adaptiveCardOf(c)).length > 0),
        ...approvalCards(MEGAN),
        ...approvalCards(ISAIAH),
      ];
      await waitUntil(
        () =>
          copies.every((copy) =>
            cardText(adaptiveCardOf(connector.updates(copy?.activityId).at(-1))).includes('Completed'),
          ),
        'every card copy to show the outcome',
      );
      // A copy's update can be queued again after it was shown (the transitions around the outage each queue
      // one; delivery renders the newest state). Nothing may stay undelivered: wait for the outbox to drain.
      const watcher = new Client({ connectionString: cluster.url });
      await watcher.connect();
      try {
        await waitUntil(async () => (await undelivered(watcher)).length === 0, 'the outbox to drain');
      } finally {
        await watcher.end();
      }
      running.process.kill('SIGTERM');
      await running.exited;
      bot = undefined;

      expect(approvalCards(MEGAN)).toHaveLength(1);
      expect(approvalCards(ISAIAH)).toHaveLength(1);
      expect(toldAlex()).toHaveLength(1);
      const db = new Client({ connectionString: cluster.url });
      await db.connect();
      try {
        const order = await db.query<{ state: string; key: string }>(
          'SELECT state, idempotency_key AS key FROM orders WHERE id = $1',
          [orderId],
        );
        expect(order.rows.map((r) => r.state)).toEqual(['completed']);
        expect(
          (await db.query('SELECT 1 FROM sandbox_requests WHERE request_id = $1', [order.rows[0].key])).rows,
        ).toHaveLength(1);
        expect(await undelivered(db)).toEqual([]);
      } finally {
        await db.end();
      }
    }, 180_000);
  },
);
