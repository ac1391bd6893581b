import type { ApprovalsResponse, BulkApproveResponse, OrderResponse } from '../../tab/src/contract';
import { adaptiveCardOf, cardText } from '../support/cards';
import { ALEX, ISAIAH, MEGAN, SUBSCRIPTIONS, type TeamsUser } from '../support/demoUsers';
import { message, personalConversationId } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';
import { devUser, tabCall } from './support/tabClient';

describe('the Approvals page of the tab: deciding waiting orders through the same service and rules', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const get = <T>(user: TeamsUser, path: string) => tabCall<T>(t.url, path, { headers: devUser(user) });
  const post = <T>(user: TeamsUser, path: string, body: unknown = {}) =>
    tabCall<T & { error?: string }>(t.url, path, { method: 'POST', headers: devUser(user), body });

  /** Alex orders seats of Business Standard above the approval limit in the tab and confirms: it waits. */
  async function waiting(subscriptionId: string, seats: number): Promise<string> {
    const draft = await post<OrderResponse>(ALEX, '/tab/api/orders', {
      subscriptionId,
      kind: 'increase',
      seats,
    });
    const confirmed = await post<OrderResponse>(ALEX, `/tab/api/orders/${draft.body.order.id}/approve`);
    expect(confirmed.body.order.state).toBe('pending_approval');
    return draft.body.order.id;
  }

  it('Megan approves three orders at once; each is answered, placed once, and every copy of its card in chat shows it', async () => {
    for (const approver of [MEGAN, ISAIAH]) {
      await t.post(message(approver, 'help', { serviceUrl: t.connector.serviceUrl }));
    }
    const ids: string[] = [];
    for (const [subscriptionId, seats] of [
      [SUBSCRIPTIONS.businessStandard, 41],
      [SUBSCRIPTIONS.e3, 30],
      [SUBSCRIPTIONS.businessBasic, 100],
    ] as const) {
      ids.push(await waiting(subscriptionId, seats));
    }
    await t.settle();

    const page = await get<ApprovalsResponse>(MEGAN, '/tab/api/approvals');
    expect(page.status).toBe(200);
    expect(page.body.orders.map((o) => o.id)).toEqual(ids);
    expect((await get<ApprovalsResponse>(ALEX, '/tab/api/approvals')).body.orders).toEqual([]);

    const bulk = await post<BulkApproveResponse>(MEGAN, '/tab/api/approvals/approve', {
      orderIds: [...ids, ids[0], '00000000-0000-4000-8000-000000000000'],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.results.map((r) => [r.orderId, r.error, r.order?.state ?? null])).toEqual([
      [ids[0], null, 'approved'],
      [ids[1], null, 'approved'],
      [ids[2], null, 'approved'],
      ['00000000-0000-4000-8000-000000000000', expect.stringContaining("I can't find that order"), null],
    ]);
    await t.settle();
    expect(await t.app.sandbox.appliedChanges()).toBe(3);

    // Every copy in chat: Megan's approval card of each order, and Isaiah's of the two on Contoso HQ, shows it
    // completed, approved by Megan.
    for (const [approver, cards] of [
      [MEGAN, 3],
      [ISAIAH, 2],
    ] as const) {
      const posted = t.connector
        .messages(personalConversationId(approver))
        .filter((call) => call.body.attachments?.length);
      expect(posted).toHaveLength(cards);
      for (const call of posted) {
        expect(cardText(adaptiveCardOf(t.connector.updates(call.activityId).at(-1)))).toMatch(
          /Completed: [\s\S]*Approved by Megan Bowen on/,
        );
      }
    }
    // Nothing is decided twice: the page is empty, another approval is told who decided.
    expect((await get<ApprovalsResponse>(MEGAN, '/tab/api/approvals')).body.orders).toEqual([]);
    const again = await post<BulkApproveResponse>(ISAIAH, '/tab/api/approvals/approve', {
      orderIds: [ids[0]],
    });
    expect(again.body.results[0].error).toMatch(/already approved by Megan Bowen/);
    expect(await t.app.sandbox.appliedChanges()).toBe(3);
  });

  it("bad input: one's own order, someone else's draft, an order of a profile one does not approve, a malformed request", async () => {
    const own = await post<OrderResponse>(ALEX, '/tab/api/orders', {
      subscriptionId: SUBSCRIPTIONS.businessStandard,
      kind: 'increase',
      seats: 41,
    });
    const mine = await post<BulkApproveResponse>(ALEX, '/tab/api/approvals/approve', {
      orderIds: [own.body.order.id],
    });
    expect(mine.body.results[0].error).toMatch(/own order/);
    const draft = await post<BulkApproveResponse>(MEGAN, '/tab/api/approvals/approve', {
      orderIds: [own.body.order.id],
    });
    expect(draft.body.results[0].error).toBe('This order is not waiting for an approver.');
    expect((await t.app.orders.get(own.body.order.id))?.state).toBe('draft');

    for (const body of [{}, { orderIds: [] }, { orderIds: 'x' }, { orderIds: Array(21).fill('x') }]) {
      const reply = await post(MEGAN, '/tab/api/approvals/approve', body);
      expect([reply.status, reply.body.error]).toEqual([400, expect.stringContaining('orderIds')]);
    }
    const id = await waiting(SUBSCRIPTIONS.businessStandard, 41);
    const reject = await post<OrderResponse>(MEGAN, '/tab/api/approvals/reject', {
      orderId: id,
      reason: ' ',
    });
    expect([reject.status, reject.body.error]).toEqual([422, expect.stringContaining('Give a reason')]);
    const rejected = await post<OrderResponse>(MEGAN, '/tab/api/approvals/reject', {
      orderId: id,
      reason: 'Not now',
    });
    expect([rejected.status, rejected.body.order.state]).toEqual([200, 'rejected']);
    await t.settle();
    expect(await t.app.sandbox.appliedChanges()).toBe(0);
  });
});
