import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import { ALEX, ISAIAH, MEGAN, type TeamsUser } from '../support/demoUsers';
import type { ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId, type Where } from '../support/teamsActivities';
import { capturingLog, startTestApp, type TestApp } from '../support/testApp';
import { describeOnBothDatabases, type TestDatabase } from './support/databases';
import { outboxStates, undelivered } from './support/outboxState';

/**
 * Fault matrix, the Bot Connector's cells (README: Reliability): a 20-second outage while a large order is
 * confirmed, and throttling with Retry-After. The real server and outbox worker with their default settings,
 * a fake Bot Connector on 127.0.0.1, on both databases. Every cell: no order lost or doubled, every message
 * delivered exactly once.
 */
describeOnBothDatabases('fault matrix: the Bot Connector fails', (open) => {
  let t: TestApp | undefined;
  let db: TestDatabase;
  let logged: ReturnType<typeof capturingLog>['lines'] = [];
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await db.dispose();
  });
  const start = async () => {
    db = await open();
    const capture = capturingLog();
    logged = capture.lines;
    t = await startTestApp({ log: capture.log, overrides: { database: db.database } });
    return t;
  };
  /** Waits on the fake connector; when the wait times out, says what the bot logged and what its outbox holds. */
  const waitFor = async (app: TestApp, predicate: (calls: ConnectorCall[]) => boolean, timeoutMs: number) => {
    try {
      await app.connector.waitFor(predicate, timeoutMs);
    } catch (error) {
      const { rows } = await app.app.database.query(
        'SELECT id, kind, state, attempts, due_at, lease_owner, last_error FROM outbox ORDER BY id',
      );
      const orders = await app.app.database.query(
        'SELECT id, state, submit_attempts, approval_step FROM orders',
      );
      const log = logged
        .slice(-60)
        .map(({ time, msg, err, reason, kind, orderId }) =>
          JSON.stringify({ time, msg, err, reason, kind, orderId }),
        );
      throw new Error(
        [
          String(error),
          'orders:',
          JSON.stringify(orders.rows),
          'outbox:',
          ...rows.map((r) => JSON.stringify(r)),
          'log:',
          ...log,
        ].join('\n'),
      );
    }
  };

  const personal = (app: TestApp, user: TeamsUser): Where => ({
    serviceUrl: app.connector.serviceUrl,
    conversationId: personalConversationId(user),
  });
  const approvalCards = (calls: ConnectorCall[], user: TeamsUser) =>
    calls.filter(
      (c) =>
        c.conversationId === personalConversationId(user) &&
        (c.kind === 'send' || c.kind === 'reply') &&
        cardText(adaptiveCardOf(c)).includes('asks you to approve'),
    );
  const outcomeMessages = (calls: ConnectorCall[]) =>
    calls.filter(
      (c) => c.conversationId === personalConversationId(ALEX) && /Order LD-\d+ is complete/.test(textOf(c)),
    );

  /** Megan, Isaiah and Alex have chatted with the bot; Alex asks for 30 seats of Office 365 E3 (+$690.00). */
  async function confirmationCard(app: TestApp): Promise<{ orderId: string; cardId: string }> {
    for (const user of [MEGAN, ISAIAH, ALEX]) await app.post(message(user, 'help', personal(app, user)));
    for (const text of ['buy licenses', 'Office 365 E3', '30'])
      await app.post(message(ALEX, text, personal(app, ALEX)));
    const card = app.connector.messages(personalConversationId(ALEX)).at(-1) as ConnectorCall;
    const orderId = String(
      executeActions(adaptiveCardOf(card)).find((a) => a.title === 'Approve')?.data.orderId,
    );
    return { orderId, cardId: card.activityId };
  }

  it('fails every call for 20 s while the order is confirmed: each approver gets exactly one card within 150 s of the outage ending; the requester is told the outcome though the first attempts fail', async () => {
    const app = await start();
    const { orderId, cardId } = await confirmationCard(app);

    app.connector.outage(20_000);
    const outageEnds = Date.now() + 20_000;
    const confirmed = await app.post(
      cardAction(ALEX, 'order.approve', { orderId }, { ...personal(app, ALEX), replyToId: cardId }),
    );
    // The tap is answered in its own HTTP response, outage or not.
    expect(cardText((confirmed.body as { value: CardJson }).value)).toContain('Waiting for approval');

    await waitFor(
      app,
      (calls) => approvalCards(calls, MEGAN).length > 0 && approvalCards(calls, ISAIAH).length > 0,
      180_000,
    );
    const deliveredAfterOutageMs = Date.now() - outageEnds;
    expect(deliveredAfterOutageMs).toBeLessThan(150_000);
    // The cards were tried during the outage (and refused), not only after it.
    expect(
      app.connector.refused.filter((r) => r.conversationId === personalConversationId(MEGAN)).length,
    ).toBeGreaterThan(0);

    // Megan approves; Teams refuses Alex's chat for the next 10 s, so the first attempts to tell him fail.
    const megansCard = approvalCards(app.connector.calls, MEGAN)[0];
    app.connector.outage(10_000, 503, (c) => c.conversationId === personalConversationId(ALEX));
    const approved = await app.post(
      cardAction(
        MEGAN,
        'order.approve',
        { orderId },
        { ...personal(app, MEGAN), replyToId: megansCard.activityId },
      ),
    );
    expect(cardText((approved.body as { value: CardJson }).value)).toContain('Approved. Placing the order…');
    await waitFor(app, (calls) => outcomeMessages(calls).length > 0, 120_000);
    expect(
      app.connector.refused.filter((r) => r.conversationId === personalConversationId(ALEX)).length,
    ).toBeGreaterThan(0);

    await app.settle();
    expect(approvalCards(app.connector.calls, MEGAN)).toHaveLength(1);
    expect(approvalCards(app.connector.calls, ISAIAH)).toHaveLength(1);
    expect(outcomeMessages(app.connector.calls)).toHaveLength(1);
    expect(await app.app.orders.get(orderId)).toMatchObject({ state: 'completed', targetQuantity: 150 });
    expect(await app.app.sandbox.appliedChanges()).toBe(1);
    // Every copy shows the outcome: Alex's confirmation card and both approval cards.
    for (const id of [
      cardId,
      megansCard.activityId,
      approvalCards(app.connector.calls, ISAIAH)[0].activityId,
    ])
      expect(cardText(adaptiveCardOf(app.connector.updates(id).at(-1)))).toContain('Completed');
    expect(await undelivered(app.app.database)).toEqual([]);
  }, 300_000);

  it('throttles with 429 and Retry-After: the waits asked for are kept, and each card arrives once', async () => {
    const app = await start();
    const { orderId, cardId } = await confirmationCard(app);
    const proactive = (c: Pick<ConnectorCall, 'conversationId'>) =>
      c.conversationId === personalConversationId(MEGAN) ||
      c.conversationId === personalConversationId(ISAIAH);
    app.connector.faults.push({ status: 429, retryAfter: '2', times: 10, only: proactive });

    await app.post(
      cardAction(ALEX, 'order.approve', { orderId }, { ...personal(app, ALEX), replyToId: cardId }),
    );
    await waitFor(
      app,
      (calls) => approvalCards(calls, MEGAN).length > 0 && approvalCards(calls, ISAIAH).length > 0,
      120_000,
    );
    await app.settle();
    expect(approvalCards(app.connector.calls, MEGAN)).toHaveLength(1);
    expect(approvalCards(app.connector.calls, ISAIAH)).toHaveLength(1);
    for (const user of [MEGAN, ISAIAH]) {
      const refusedAt = app.connector.refused
        .filter((r) => r.conversationId === personalConversationId(user))
        .map((r) => r.at);
      expect(refusedAt.length).toBeGreaterThan(1);
      // Nobody came back sooner than the two seconds Teams asked for (a little slack for timer granularity).
      for (let i = 1; i < refusedAt.length; i += 1)
        expect(refusedAt[i] - refusedAt[i - 1]).toBeGreaterThanOrEqual(1_900);
    }
    expect(await outboxStates(app.app.database)).not.toHaveProperty('pending');
    expect(await undelivered(app.app.database)).toEqual([]);
  }, 180_000);
});
