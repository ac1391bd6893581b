import type { Order } from '../../bot/domain/order';
import type { Result } from '../../bot/domain/refusal';
import { ORDER_MESSAGES } from '../../bot/services/orderMessages';
import type { Requester } from '../../bot/services/orderService';
import { FixedOutboundToken } from '../support/botFrameworkTokens';
import { ALEX, ISAIAH, MEGAN, SUBSCRIPTIONS, TENANT_ID, type TeamsUser } from '../support/demoUsers';
import { FakeGraph, type FeedCall } from '../support/fakeGraph';
import { TestClock } from '../support/services';
import { capturingLog, startTestApp, type TestApp } from '../support/testApp';

const APP_ID = '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f';
const APP_PASSWORD = 'bot-secret-value-do-not-log';
const HOUR = 60 * 60 * 1000;

const as = (user: TeamsUser): Requester => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${result.refusal.code}`);
  return result.value;
}

const params = (call: FeedCall) =>
  Object.fromEntries(call.body.templateParameters.map((p) => [p.name, p.value]));

describe('the Teams activity feed (ACTIVITY_FEED=on): a fake Graph on 127.0.0.1, the real outbox and database', () => {
  let graph: FakeGraph;
  let t: TestApp;
  let clock: TestClock;
  let logged: ReturnType<typeof capturingLog>;

  async function start(env: Record<string, string>): Promise<void> {
    clock = new TestClock();
    logged = capturingLog();
    t = await startTestApp({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: APP_PASSWORD,
        MicrosoftAppTenantId: TENANT_ID,
        GRAPH_URL: graph.url,
        ...env,
      },
      log: logged.log,
      overrides: {
        clock,
        random: () => 0,
        // The bot's Bot Connector token: fixed, so nothing here calls Microsoft Entra ID.
        credentialsFactory: new FixedOutboundToken(APP_ID, APP_PASSWORD, TENANT_ID),
        msalAuthorityMetadata: graph.authorityMetadata,
      },
    });
  }

  /** Alex confirms 30 seats of Office 365 E3 (+690.00 a month, above Contoso HQ's limit): Megan and Isaiah approve. */
  async function waitingOrder(): Promise<Order> {
    const draft = value(await t.app.orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30));
    const outcome = value(await t.app.orders.approve(as(ALEX), draft.id));
    expect(outcome.kind).toBe('awaiting_approver');
    return draft;
  }

  const feedRows = async (orderId: string) =>
    (
      await t.app.database.query<{ recipient: string; dedupe_key: string; state: string; due_at: Date }>(
        'SELECT recipient, dedupe_key, state, due_at FROM outbox WHERE order_id = $1 AND kind = $2 ORDER BY id',
        [orderId, ORDER_MESSAGES.activityFeed],
      )
    ).rows;

  beforeEach(async () => {
    graph = new FakeGraph(APP_ID, APP_PASSWORD);
    await graph.start();
  });
  afterEach(async () => {
    await t?.close();
    await graph.stop();
  });

  it('an approval request: one notification per approver, a deep link to the order, no secret; reminder and outcome follow, each once', async () => {
    await start({ ACTIVITY_FEED: 'on' });
    const order = await waitingOrder();
    await t.settle();

    const requested = graph.delivered().filter((c) => c.body.activityType === 'approvalRequested');
    expect(requested.map((c) => c.userId).sort()).toEqual([MEGAN.aadObjectId, ISAIAH.aadObjectId].sort());
    for (const call of requested) {
      expect(call.body.topic.source).toBe('text');
      expect(call.body.topic.value).toBe(`License Desk: order LD-${order.number}`);
      const link = new URL(call.body.topic.webUrl);
      expect(`${link.origin}${link.pathname}`).toBe(
        `https://teams.microsoft.com/l/entity/${APP_ID}/licenses`,
      );
      expect(JSON.parse(link.searchParams.get('context') ?? '{}')).toEqual({
        subEntityId: `order:${order.id}`,
      });
      expect(params(call)).toEqual({
        requester: 'Alex Wilber',
        order: `LD-${order.number} for Office 365 E3`,
      });
      expect(call.body.previewText.content).toBe('Office 365 E3: 120 → 150 seats (+30). Tap to decide.');
      // App-only Graph token of the bot's app registration, from its tenant; the body holds no secret.
      expect(call.headers.authorization).toBe(`Bearer ${graph.issuedTokens[0].token}`);
      expect(call.raw).not.toContain(APP_PASSWORD);
      expect(call.raw).not.toContain(graph.issuedTokens[0].token);
      expect(call.raw).not.toContain(FixedOutboundToken.TOKEN);
    }
    expect(graph.issuedTokens).toHaveLength(1);
    expect(graph.issuedTokens[0]).toMatchObject({ tenant: TENANT_ID, clientId: APP_ID });
    expect(graph.issuedTokens[0].scope.split(' ')).toContain('https://graph.microsoft.com/.default');

    // Once: settling again, or another round of the worker, sends nothing more.
    await t.settle();
    expect(await t.app.outbox.runOnce()).toBe(0);
    expect(graph.feedCalls).toHaveLength(2);

    // The reminder ladder's first step: a fresh notification to each approver.
    clock.advance(24 * HOUR);
    expect(await t.app.orders.advanceApprovalLadder()).toBe(1);
    await t.settle();
    const reminded = graph.delivered().filter((c) => c.body.activityType === 'approvalReminder');
    expect(reminded.map((c) => c.userId).sort()).toEqual([MEGAN.aadObjectId, ISAIAH.aadObjectId].sort());
    expect(params(reminded[0])).toEqual({
      requester: 'Alex Wilber',
      order: `LD-${order.number} for Office 365 E3`,
    });

    // Megan rejects: Alex is told in the feed too.
    value(await t.app.orders.reject(as(MEGAN), order.id, 'Not this quarter'));
    await t.settle();
    const outcomes = graph.delivered().filter((c) => c.body.activityType === 'orderOutcome');
    expect(outcomes.map((c) => c.userId)).toEqual([ALEX.aadObjectId]);
    expect(params(outcomes[0])).toEqual({
      order: `LD-${order.number} for Office 365 E3`,
      outcome: 'rejected by Megan Bowen',
    });
    expect(outcomes[0].body.previewText.content).toContain('Megan Bowen rejected order');
    expect(graph.feedCalls).toHaveLength(5);

    const rows = await feedRows(order.id);
    expect(rows.map((r) => r.state)).toEqual(Array(5).fill('delivered'));
    expect(rows.map((r) => r.dedupe_key)).toEqual(
      expect.arrayContaining([
        `order:${order.id}:approval-card:${MEGAN.aadObjectId}:feed`,
        `order:${order.id}:approval-card:${MEGAN.aadObjectId}:step-1:feed`,
        `order:${order.id}:outcome:feed`,
      ]),
    );
    // Neither the password nor a token reached the log.
    const log = JSON.stringify(logged.lines);
    expect(log).not.toContain(APP_PASSWORD);
    for (const { token } of graph.issuedTokens) expect(log).not.toContain(token);
  });

  it('a 429 with Retry-After: 120 is tried again once it is due, not sooner, and delivered once', async () => {
    await start({ ACTIVITY_FEED: 'on' });
    graph.throttle.times = 1;
    graph.throttle.retryAfter = '120';
    const order = await waitingOrder();
    await t.settle();

    const throttled = graph.feedCalls.find((c) => c.status === 429);
    expect(throttled).toBeDefined();
    expect(graph.delivered().map((c) => c.userId)).not.toContain(throttled?.userId);
    const waiting = (await feedRows(order.id)).filter((r) => r.recipient === throttled?.userId);
    expect(waiting).toMatchObject([{ state: 'pending' }]);
    expect(new Date(waiting[0].due_at).getTime()).toBe(clock.now().getTime() + 120_000);

    clock.advance(119_000);
    expect(await t.app.outbox.runOnce()).toBe(0);
    // The 429 and the other approver's notification; nothing more before the Retry-After is over.
    expect(graph.feedCalls.map((c) => c.status)).toEqual([429, 204]);

    clock.advance(1_000);
    await t.settle();
    expect(graph.feedCalls.map((c) => c.status)).toEqual([429, 204, 204]);
    expect(graph.delivered().filter((c) => c.userId === throttled?.userId)).toHaveLength(1);
    expect((await feedRows(order.id)).map((r) => r.state)).toEqual(['delivered', 'delivered']);
    expect(
      logged.lines.some((l) => l.msg === 'delivery failed' && l.reason === 'graph_http_429_TooManyRequests'),
    ).toBe(true);
    const log = JSON.stringify(logged.lines);
    for (const { token } of graph.issuedTokens) expect(log).not.toContain(token);
  });

  it.each([
    ['without ACTIVITY_FEED', {}],
    ['with ACTIVITY_FEED=off', { ACTIVITY_FEED: 'off' }],
  ])('%s: chat only, no Graph call, no feed message queued', async (_name, env) => {
    await start(env);
    const order = await waitingOrder();
    await t.settle();
    value(await t.app.orders.reject(as(MEGAN), order.id, 'Not this quarter'));
    await t.settle();

    expect(graph.requests).toEqual([]);
    expect(await feedRows(order.id)).toEqual([]);
    // The chat messages are queued as before.
    const { rows } = await t.app.database.query<{ kind: string }>(
      'SELECT DISTINCT kind FROM outbox WHERE order_id = $1',
      [order.id],
    );
    expect(rows.map((r) => r.kind)).toEqual(
      expect.arrayContaining([ORDER_MESSAGES.approvalCard, ORDER_MESSAGES.outcome]),
    );
  });
});
