import type { SqlExecutor } from '../../bot/infrastructure/database/sqlDatabase';
import { builtBot, kill9, post, startBot, waitUntil, type BotProcess } from '../support/builtBot';
import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import { ALEX, ISAIAH, MEGAN, type TeamsUser } from '../support/demoUsers';
import { FakeConnector, type ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId } from '../support/teamsActivities';
import { undelivered } from './support/outboxState';
import { describeForProcesses, type ProcessDatabase } from './support/processTargets';

/**
 * Fault matrix, the cells where a process dies (README: Reliability): real bot processes (the built product)
 * killed with SIGKILL at each step of an order that needs an approver, then replaced by a new process on the
 * same database. Every cell: the order completes once (0 lost, 0 duplicate provider changes), each approver gets
 * exactly one approval card, and the requester is told the outcome exactly once (0 lost notifications).
 */

/** Short leases and loops so a replacement takes over within seconds. */
const FAST = {
  SUBMISSION_LEASE_SECONDS: '2',
  SUBMISSION_RETRY_SECONDS: '1',
  WORKER_INTERVAL_SECONDS: '1',
  OUTBOX_POLL_SECONDS: '1',
  OUTBOX_MAX_BACKOFF_SECONDS: '2',
  OUTBOX_LEASE_SECONDS: '5',
};

describeForProcesses('fault matrix: kill -9', (open) => {
  const connector = new FakeConnector();
  let data: ProcessDatabase;
  let bot: BotProcess | undefined;
  let generation = 0;

  beforeAll(async () => {
    builtBot();
    await connector.start();
  }, 300_000);
  afterAll(async () => {
    await connector.stop();
  });
  beforeEach(async () => {
    connector.clear();
    data = await open();
  });
  afterEach(async () => {
    if (bot) await kill9(bot);
    bot = undefined;
    await data.dispose();
  });

  /** A new bot process on the cell's database (each with its own instance id, as a replacement would have). */
  async function run(sandboxFaults?: Record<string, number>): Promise<BotProcess> {
    generation += 1;
    bot = await startBot(`bot-${generation}`, { env: { ...FAST, ...data.env }, sandboxFaults });
    return bot;
  }
  /** SIGTERM, and wait: the process finishes what it is doing and closes the database. */
  async function stop(): Promise<void> {
    if (!bot) return;
    bot.process.kill('SIGTERM');
    await bot.exited;
    bot = undefined;
  }
  const where = (user: TeamsUser) => ({
    serviceUrl: connector.serviceUrl,
    conversationId: personalConversationId(user),
  });
  const logged = (process: BotProcess, msg: string) =>
    process.logs.some((line) => line.includes(`"msg":"${msg}"`));
  const approvalCards = (user: TeamsUser) =>
    connector.calls.filter(
      (c) =>
        c.conversationId === personalConversationId(user) &&
        (c.kind === 'send' || c.kind === 'reply') &&
        cardText(adaptiveCardOf(c)).includes('asks you to approve'),
    );
  const toldAlex = () =>
    connector.calls.filter(
      (c) => c.conversationId === personalConversationId(ALEX) && /Order LD-\d+ is complete/.test(textOf(c)),
    );
  const toApprovers = (c: Pick<ConnectorCall, 'conversationId'>) =>
    c.conversationId === personalConversationId(MEGAN) || c.conversationId === personalConversationId(ISAIAH);

  /** Megan, Isaiah and Alex have used the bot; Alex asks for 30 seats of Office 365 E3 (+$690.00 a month). */
  async function confirmationCard(process: BotProcess): Promise<string> {
    for (const user of [MEGAN, ISAIAH, ALEX]) await post(process, message(user, 'help', where(user)));
    for (const text of ['buy licenses', 'Office 365 E3', '30'])
      await post(process, message(ALEX, text, where(ALEX)));
    const card = adaptiveCardOf(connector.messages(personalConversationId(ALEX)).at(-1));
    return String(executeActions(card).find((a) => a.title === 'Approve')?.data.orderId);
  }
  async function confirm(process: BotProcess, orderId: string): Promise<void> {
    const reply = await post(process, cardAction(ALEX, 'order.approve', { orderId }, where(ALEX)));
    expect(cardText(reply.body.value as CardJson)).toContain('Waiting for approval');
  }
  async function approve(process: BotProcess, orderId: string): Promise<void> {
    const reply = await post(process, cardAction(MEGAN, 'order.approve', { orderId }, where(MEGAN)));
    expect(cardText(reply.body.value as CardJson)).toContain('Approved. Placing the order…');
  }
  const cardsArrived = () =>
    waitUntil(
      () => approvalCards(MEGAN).length > 0 && approvalCards(ISAIAH).length > 0,
      'both approval cards',
    );
  const alexTold = () => waitUntil(() => toldAlex().length > 0, 'Alex to be told the outcome');

  /** The end of every cell: one order, placed once, every message delivered once. */
  async function expectExactlyOnce(orderId: string): Promise<void> {
    // Every copy of the order's card shows the outcome: Alex's confirmation card and both approval cards.
    const copies = () => [
      connector
        .messages(personalConversationId(ALEX))
        .find((c) => executeActions(adaptiveCardOf(c)).length > 0),
      ...approvalCards(MEGAN),
      ...approvalCards(ISAIAH),
    ];
    await waitUntil(
      () =>
        copies().every(
          (copy) =>
            copy !== undefined &&
            cardText(adaptiveCardOf(connector.updates(copy.activityId).at(-1))).includes('Completed'),
        ),
      'every card copy to show the outcome',
    );
    await stop();
    expect(approvalCards(MEGAN)).toHaveLength(1);
    expect(approvalCards(ISAIAH)).toHaveLength(1);
    expect(toldAlex()).toHaveLength(1);
    await data.read(async (db: SqlExecutor) => {
      const order = await db.query<{ state: string; key: string }>(
        'SELECT state, idempotency_key AS key FROM orders WHERE id = $1',
        [orderId],
      );
      expect(order.rows.map((r) => r.state)).toEqual(['completed']);
      const changes = await db.query('SELECT 1 FROM sandbox_requests WHERE request_id = $1', [
        order.rows[0].key,
      ]);
      expect(changes.rows).toHaveLength(1);
      const e3 = await db.query<{ quantity: number }>(
        `SELECT quantity FROM sandbox_subscriptions WHERE product = 'Office 365 E3'`,
      );
      expect(e3.rows[0].quantity).toBe(150);
      expect(await undelivered(db)).toEqual([]);
    });
  }

  it('after the requester confirms (before any approval card went out): the replacement sends them, once each', async () => {
    const first = await run();
    const orderId = await confirmationCard(first);
    connector.faults.push({ status: 503, only: toApprovers });
    await confirm(first, orderId);
    await kill9(first);
    connector.faults = [];

    const second = await run();
    await cardsArrived();
    await approve(second, orderId);
    await alexTold();
    await expectExactlyOnce(orderId);
  }, 120_000);

  it('after an approver approves (before the submission ended): the replacement places the order once', async () => {
    const first = await run({ changeDelayMs: 1_500 });
    const orderId = await confirmationCard(first);
    await confirm(first, orderId);
    await cardsArrived();
    await approve(first, orderId);
    await kill9(first);

    await run();
    await alexTold();
    await expectExactlyOnce(orderId);
  }, 120_000);

  it('during the provider call: the replacement takes the submission over once the lease runs out', async () => {
    const first = await run({ changeDelayMs: 30_000 });
    const orderId = await confirmationCard(first);
    await confirm(first, orderId);
    await cardsArrived();
    await approve(first, orderId);
    await waitUntil(() => logged(first, 'submission claimed'), 'the submission to be claimed');
    await kill9(first);

    const second = await run();
    await alexTold();
    expect(logged(second, 'submission claimed')).toBe(true);
    await expectExactlyOnce(orderId);
  }, 120_000);

  it('after the provider applied the change, before the order was marked completed: confirmed, not applied again', async () => {
    const first = await run({ pauseAfterApplyMs: 60_000 });
    const orderId = await confirmationCard(first);
    await confirm(first, orderId);
    await cardsArrived();
    await approve(first, orderId);
    await waitUntil(() => logged(first, 'sandbox: quantity set'), 'the provider to apply the change');
    await kill9(first);

    const second = await run();
    await alexTold();
    // The replacement asked the provider about the order's key instead of applying it again.
    expect(logged(second, 'sandbox: quantity set')).toBe(false);
    await expectExactlyOnce(orderId);
  }, 120_000);

  it('during delivery of the approval cards: the replacement delivers them, once each', async () => {
    const first = await run();
    const orderId = await confirmationCard(first);
    connector.hold = toApprovers;
    await confirm(first, orderId);
    await waitUntil(() => connector.held.length > 0, 'a card delivery to be in flight');
    await kill9(first);
    // The killed process never got an answer: its held calls are dropped, not carried out.
    await waitUntil(() => connector.held.length === 0, 'the connector to see the killed process go');
    connector.release();

    const second = await run();
    await cardsArrived();
    await approve(second, orderId);
    await alexTold();
    await expectExactlyOnce(orderId);
  }, 120_000);
});
