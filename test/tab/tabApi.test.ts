import { randomUUID } from 'node:crypto';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import { systemClock } from '../../bot/infrastructure/clock';
import { SIGN_IN_AGAIN } from '../../bot/tab/tabAuthentication';
import { createTabHandler } from '../../bot/tab/tabHandler';
import type { OrderResponse, OrdersResponse, SubscriptionsResponse } from '../../tab/src/contract';
import { adaptiveCardOf, cardText } from '../support/cards';
import {
  ADELE,
  ALEX,
  ISAIAH,
  MEGAN,
  PATTI,
  SUBSCRIPTIONS,
  demoRenewal,
  type TeamsUser,
} from '../support/demoUsers';
import { DEMO_ACCESS_FILE } from '../support/services';
import { message, personalConversationId } from '../support/teamsActivities';
import { silentLog, startTestApp, type TestApp } from '../support/testApp';
import { devUser, tabCall } from './support/tabClient';

/** One app for a whole describe block (for cases that change nothing), or a fresh one per test. */
function useApp(scope: 'each' | 'all'): () => TestApp {
  let t: TestApp | undefined;
  const start = async () => {
    t = await startTestApp();
  };
  const stop = async () => {
    await t?.close();
  };
  if (scope === 'each') {
    beforeEach(start);
    afterEach(stop);
  } else {
    beforeAll(start);
    afterAll(stop);
  }
  return () => {
    if (!t) throw new Error('no app');
    return t;
  };
}

function tabApi(app: () => TestApp) {
  const get = <T>(user: TeamsUser, path: string) => tabCall<T>(app().url, path, { headers: devUser(user) });
  const post = <T>(user: TeamsUser, path: string, body: unknown = {}) =>
    tabCall<T & { error?: string }>(app().url, path, { method: 'POST', headers: devUser(user), body });
  const order = (user: TeamsUser, body: Record<string, unknown>) =>
    post<OrderResponse>(user, '/tab/api/orders', body);
  const quantity = async (id: string) => (await app().app.provider.getSubscription(id))?.quantity;

  /** Nothing was ordered: no order exists and no quantity changed. */
  async function expectNothingOrdered(): Promise<void> {
    for (const user of [ALEX, ADELE, MEGAN, PATTI]) {
      expect((await app().app.orders.listRecent(user.aadObjectId, 1, 10)).total).toBe(0);
    }
    expect(await app().app.sandbox.appliedChanges()).toBe(0);
    expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(25);
  }
  return { get, post, order, quantity, expectNothingOrdered };
}

const NOT_FOUND =
  "I can't find that order. The card may come from another License Desk, or the order was removed.";

describe('the tab API in local development: the same services and rules as the bot', () => {
  const app = useApp('each');
  const { get, post, order, quantity } = tabApi(app);
  let t: TestApp;
  beforeEach(() => {
    t = app();
  });

  it("lists Alex's subscriptions: quantity, in use, free, monthly cost, and how far + and − may go", async () => {
    const reply = await get<SubscriptionsResponse>(ALEX, '/tab/api/subscriptions');
    expect(reply.status).toBe(200);
    expect([reply.body.user, reply.body.mode, reply.body.notice]).toEqual([
      { name: 'Alex Wilber' },
      'development',
      null,
    ]);
    const rows = reply.body.subscriptions.map((s) => [
      s.product,
      s.domain,
      s.billingProfile,
      s.plan,
      s.quantity,
      s.inUse,
      s.free,
      s.monthlyCost.minor,
      s.maxAdd,
      s.maxRemove,
    ]);
    expect(rows).toEqual([
      ['Microsoft 365 Business Standard', 'contoso.com', 'Contoso HQ', 'FLEXIBLE', 25, 21, 4, 31250, 300, 4],
      ['Office 365 E3', 'contoso.com', 'Contoso HQ', 'ANNUAL', 120, 118, 2, 276000, 300, 2],
      ['Microsoft 365 Business Basic', 'contoso.eu', 'Contoso EMEA', 'FLEXIBLE', 40, 12, 28, 24000, 300, 28],
      ['Microsoft 365 E5', 'contoso.eu', 'Contoso EMEA', 'ANNUAL', 10, 10, 0, 57000, 300, 0],
    ]);
    // E3, bought long ago: nothing now (Microsoft's 7-day window closed), 2 at renewal; renewal facts on every row.
    expect(reply.body.subscriptions[1]).toMatchObject({
      restriction: null,
      removeOffers: `You can remove at renewal on ${demoRenewal(5)} (up to 2; you keep paying for them until then).`,
      renewal: `Annual term · renews ${demoRenewal(5)} · auto-renew on`,
      scheduled: null,
      canCancelScheduled: false,
    });
    expect(reply.body.subscriptions[0].removeOffers).toBe(
      "You can remove now (up to 4; a credit of $12.50 a seat on next month's bill).",
    );
    expect(reply.body.subscriptions[3].restriction).toBe(
      'All 10 seats of **Microsoft 365 E5** are in use, so none can be removed. Unassign licenses from users first.',
    );
    expect(reply.body.subscriptions[0].restriction).toBeNull();
  });

  it('Adele sees Contoso EMEA only; Patti is told which permission is missing and who grants it', async () => {
    const adele = await get<SubscriptionsResponse>(ADELE, '/tab/api/subscriptions');
    expect(adele.body.subscriptions.map((s) => s.billingProfile)).toEqual(['Contoso EMEA', 'Contoso EMEA']);
    const patti = await get<SubscriptionsResponse>(PATTI, '/tab/api/subscriptions');
    expect(patti.body.subscriptions).toEqual([]);
    expect(patti.body.notice).toBe(
      "You don't have the **Licenses Manager** permission on any billing profile, so there is no subscription you can buy or remove seats for. Ask Megan Bowen (meganb@contoso.com) to grant it.",
    );
  });

  it('+5 on Business Standard: a draft with the confirmation, nothing ordered until Approve, then 30 seats', async () => {
    const draft = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessStandard,
      kind: 'increase',
      seats: 5,
    });
    expect(draft.status).toBe(201);
    expect(draft.body.order).toMatchObject({
      state: 'draft',
      title: 'Confirm: add 5 seats to Microsoft 365 Business Standard',
      expectedQuantity: 25,
      targetQuantity: 30,
      monthlyChange: { minor: 6250, currency: 'USD' },
      billingNote: 'Your monthly payment increases by $62.50 to cover the new licenses.',
      status: { text: 'Check the numbers, then Approve to place the order.', style: 'accent' },
    });
    expect(draft.body.order.facts).toEqual(
      expect.arrayContaining([
        { title: 'Seats', value: '25 → 30 (+5)' },
        { title: 'Monthly cost', value: '$312.50 → $375.00 (+$62.50)' },
      ]),
    );
    expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(25);

    const approved = await post<OrderResponse>(ALEX, `/tab/api/orders/${draft.body.order.id}/approve`);
    expect(approved.status).toBe(200);
    expect(['approved', 'submitting', 'completed']).toContain(approved.body.order.state);
    await t.settle();
    const done = await get<OrderResponse>(ALEX, `/tab/api/orders/${draft.body.order.id}`);
    expect([done.body.order.state, done.body.order.status?.text]).toEqual([
      'completed',
      'Completed: Microsoft 365 Business Standard now has 30 seats.',
    ]);
    expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(30);

    // The same order, in the bot's `orders` and in the tab's recent orders.
    const { orders } = await t.app.orders.listRecent(ALEX.aadObjectId, 1, 10);
    expect(orders.map((o) => [o.id, o.state])).toEqual([[draft.body.order.id, 'completed']]);
    const recent = await get<OrdersResponse>(ALEX, '/tab/api/orders');
    expect(recent.body.orders.map((o) => o.id)).toEqual([draft.body.order.id]);

    const again = await post(ALEX, `/tab/api/orders/${draft.body.order.id}/approve`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/^This order was already approved by Alex Wilber at .+\.$/);
    expect(await t.app.sandbox.appliedChanges()).toBe(1);
  });

  it("−3 on Business Basic (FLEXIBLE): the credit appears on next month's bill", async () => {
    const draft = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessBasic,
      kind: 'decrease',
      seats: 3,
    });
    expect(draft.status).toBe(201);
    expect(draft.body.order.billingNote).toBe("The credit of $18.00 a month appears on next month's bill.");
    await post(ALEX, `/tab/api/orders/${draft.body.order.id}/approve`);
    await t.settle();
    expect(await quantity(SUBSCRIPTIONS.businessBasic)).toBe(37);
  });

  it('above the approval limit: the order waits, and the approvers get the approval card from the bot', async () => {
    for (const approver of [MEGAN, ISAIAH]) {
      await t.post(message(approver, 'help', { serviceUrl: t.connector.serviceUrl }));
    }
    const draft = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessStandard,
      kind: 'increase',
      seats: 41,
    });
    expect(draft.body.order.needsApprover).toBe(true);
    expect(draft.body.order.status?.text).toBe(
      'Approve sends this order to an approver: its monthly cost change is above the approval limit.',
    );
    const approved = await post<OrderResponse>(ALEX, `/tab/api/orders/${draft.body.order.id}/approve`);
    expect([approved.status, approved.body.order.state, approved.body.order.status?.text]).toEqual([
      200,
      'pending_approval',
      'Waiting for approval by Megan Bowen or Isaiah Langer.',
    ]);
    await t.settle();
    for (const approver of [MEGAN, ISAIAH]) {
      const cards = t.connector
        .messages(personalConversationId(approver))
        .map((call) => cardText(adaptiveCardOf(call)));
      expect(cards.some((text) => text.includes('Alex Wilber asks you to approve this order.'))).toBe(true);
    }
    expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(25);
  });

  it('the quantity changed after Apply: Approve orders nothing and answers with a fresh confirmation', async () => {
    const draft = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessStandard,
      kind: 'increase',
      seats: 5,
    });
    await t.app.sandbox.adjust(SUBSCRIPTIONS.businessStandard, { quantity: 27 });
    const approve = await post<{ order?: OrderResponse['order'] }>(
      ALEX,
      `/tab/api/orders/${draft.body.order.id}/approve`,
    );
    expect(approve.status).toBe(409);
    expect(approve.body.error).toBe(
      'The quantity of Microsoft 365 Business Standard changed since this card was made (now 27). Check the new numbers, then Approve again.',
    );
    expect(approve.body.order).toMatchObject({ state: 'draft', expectedQuantity: 27, targetQuantity: 32 });
    expect((await t.app.orders.get(draft.body.order.id))?.state).toBe('expired');
    expect(await t.app.sandbox.appliedChanges()).toBe(0);

    await post(ALEX, `/tab/api/orders/${approve.body.order?.id}/approve`);
    await t.settle();
    expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(32);
  });

  it("a suspended subscription offers neither + nor −, and an order for it is refused in the bot's words", async () => {
    await t.app.sandbox.adjust(SUBSCRIPTIONS.businessBasic, { status: 'suspended' });
    const list = await get<SubscriptionsResponse>(ALEX, '/tab/api/subscriptions');
    const basic = list.body.subscriptions.find((s) => s.id === SUBSCRIPTIONS.businessBasic);
    expect([basic?.active, basic?.maxAdd, basic?.maxRemove, basic?.restriction]).toEqual([
      false,
      0,
      0,
      '**Microsoft 365 Business Basic** is suspended: its seats cannot be changed until it is active again.',
    ]);
    const refused = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessBasic,
      kind: 'increase',
      seats: 1,
    });
    expect([refused.status, refused.body.error]).toEqual([
      422,
      '**Microsoft 365 Business Basic** is suspended: its seats cannot be changed until it is active again.',
    ]);
  });

  it('Cancel withdraws the draft: nothing is ordered, and it cannot be approved afterwards', async () => {
    const draft = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessStandard,
      kind: 'increase',
      seats: 1,
    });
    const cancelled = await post<OrderResponse>(ALEX, `/tab/api/orders/${draft.body.order.id}/cancel`);
    expect([cancelled.status, cancelled.body.order.state]).toEqual([200, 'cancelled']);
    const approve = await post(ALEX, `/tab/api/orders/${draft.body.order.id}/approve`);
    expect(approve.status).toBe(409);
    expect(approve.body.error).toMatch(/^This order was already cancelled by Alex Wilber at /);
    await t.settle();
    expect(await t.app.sandbox.appliedChanges()).toBe(0);
  });

  it("Alex's draft does not exist for Adele, and Megan cannot approve Alex's waiting order here", async () => {
    const draft = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessBasic,
      kind: 'increase',
      seats: 1,
    });
    const id = draft.body.order.id;
    for (const reply of [
      await get<{ error: string }>(ADELE, `/tab/api/orders/${id}`),
      await post(ADELE, `/tab/api/orders/${id}/approve`),
      await post(ADELE, `/tab/api/orders/${id}/cancel`),
    ]) {
      expect([reply.status, reply.body.error]).toEqual([404, NOT_FOUND]);
    }
    expect((await t.app.orders.get(id))?.state).toBe('draft');
    expect((await get<OrdersResponse>(ADELE, '/tab/api/orders')).body.orders).toEqual([]);

    const big = await order(ALEX, {
      subscriptionId: SUBSCRIPTIONS.businessStandard,
      kind: 'increase',
      seats: 41,
    });
    await post(ALEX, `/tab/api/orders/${big.body.order.id}/approve`);
    expect((await t.app.orders.get(big.body.order.id))?.state).toBe('pending_approval');
    const megan = await post(MEGAN, `/tab/api/orders/${big.body.order.id}/approve`);
    expect([megan.status, megan.body.error]).toEqual([404, NOT_FOUND]);
    expect((await t.app.orders.get(big.body.order.id))?.state).toBe('pending_approval');
    await t.settle();
    expect(await t.app.sandbox.appliedChanges()).toBe(0);
  });

  describe('the development identity: only in local development, only from this machine', () => {
    it('without X-Dev-User nobody is signed in', async () => {
      const reply = await tabCall(t.url, '/tab/api/subscriptions');
      expect([reply.status, reply.body]).toEqual([401, { error: SIGN_IN_AGAIN }]);
    });

    it.each([
      ['from another machine', '192.168.1.20', '127.0.0.1:3978'],
      ['from another machine (IPv6)', 'fe80::1', '[::1]:3978'],
      ['through a host name that is not loopback (DNS rebinding)', '127.0.0.1', 'licenses.evil.example:3978'],
    ])('refused %s', async (_, remoteAddress, host) => {
      const handler = createTabHandler({
        config: t.app.config,
        licenses: t.app.licenses,
        orders: t.app.orders,
        directory: JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE),
        clock: systemClock,
        log: silentLog,
      });
      const ask = (address: string, hostHeader: string) =>
        handler.handle({
          method: 'GET',
          path: '/tab/api/subscriptions',
          query: {},
          headers: { host: hostHeader, 'x-dev-user': ALEX.aadObjectId },
          body: undefined,
          remoteAddress: address,
        });
      expect((await ask('127.0.0.1', '127.0.0.1:3978')).status).toBe(200);
      const refused = await ask(remoteAddress, host);
      expect([refused.status, JSON.parse(String(refused.body))]).toEqual([401, { error: SIGN_IN_AGAIN }]);
    });
  });
});

describe('tab API: bad input gets a 4xx with the words the bot uses, and changes nothing', () => {
  const app = useApp('all');
  const { order, expectNothingOrdered } = tabApi(app);
  const standard = SUBSCRIPTIONS.businessStandard;
  it.each<[string, TeamsUser, Record<string, unknown>, number, string | RegExp]>([
    [
      'unknown subscription',
      ALEX,
      { subscriptionId: 'no-such-subscription', kind: 'increase', seats: 1 },
      404,
      'That subscription no longer exists.',
    ],
    ['no subscription', ALEX, { kind: 'increase', seats: 1 }, 400, 'That subscription no longer exists.'],
    [
      'subscription id not a string',
      ALEX,
      { subscriptionId: { $ne: '' }, kind: 'increase', seats: 1 },
      400,
      'That subscription no longer exists.',
    ],
    [
      '0 seats',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: 0 },
      400,
      'Zero seats changes nothing. Type a whole number from 1 to 300.',
    ],
    [
      'negative seats',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: -5 },
      400,
      /^Type how many seats to add, as a whole number from 1 to 300\./,
    ],
    [
      'negative seats to remove',
      ALEX,
      { subscriptionId: standard, kind: 'decrease', seats: -1 },
      400,
      'Type how many seats to remove, as a whole number from 1 to 300 (without a minus sign).',
    ],
    [
      'decimal seats',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: 2.5 },
      400,
      'Seats come whole: "2.5" is not a whole number. Type a whole number from 1 to 300.',
    ],
    [
      'huge seats',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: 1e21 },
      400,
      'One order can change at most 300 seats. Type a whole number from 1 to 300, or place several orders.',
    ],
    [
      'one over the maximum',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: 301 },
      400,
      /^One order can change at most 300 seats\./,
    ],
    [
      'seats as words',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: 'five' },
      400,
      '"five" is not a number of seats. Type it in digits: a whole number from 1 to 300, for example 5.',
    ],
    [
      'seats as an exponent',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: '1e3' },
      400,
      /uses an exponent/,
    ],
    [
      'seats true',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: true },
      400,
      '"true" is not a number of seats. Type it in digits: a whole number from 1 to 300, for example 5.',
    ],
    [
      'seats an object',
      ALEX,
      { subscriptionId: standard, kind: 'increase', seats: { $gt: 0 } },
      400,
      /is not a number of seats/,
    ],
    [
      'no seats',
      ALEX,
      { subscriptionId: standard, kind: 'increase' },
      400,
      'I need a number of seats. Type a whole number from 1 to 300, for example 5.',
    ],
    [
      'unknown kind',
      ALEX,
      { subscriptionId: standard, kind: 'steal', seats: 1 },
      400,
      'Say whether to add seats ("increase") or remove them ("decrease").',
    ],
    [
      'removing more from an ANNUAL plan than its seats in use leave, even at renewal',
      ALEX,
      { subscriptionId: SUBSCRIPTIONS.e3, kind: 'decrease', seats: 3 },
      422,
      '**Office 365 E3** has 120 seats and 118 are in use, so at most 2 can be removed. To remove 3, first unassign 1 license from users.',
    ],
    [
      'cancelling a scheduled change where none is scheduled',
      ALEX,
      { subscriptionId: SUBSCRIPTIONS.e3, kind: 'cancel_scheduled', seats: 0 },
      409,
      '**Office 365 E3** has no reduction scheduled for the renewal, so there is nothing to cancel.',
    ],
    [
      'removing below the seats in use',
      ALEX,
      { subscriptionId: standard, kind: 'decrease', seats: 5 },
      422,
      '**Microsoft 365 Business Standard** has 25 seats and 21 are in use, so at most 4 can be removed. To remove 5, first unassign 1 license from users.',
    ],
    [
      'a billing profile Adele is not assigned to',
      ADELE,
      { subscriptionId: standard, kind: 'increase', seats: 1 },
      403,
      /^You are not assigned to billing profile \*\*Contoso HQ\*\*/,
    ],
    [
      'Megan, an approver without Licenses Manager',
      MEGAN,
      { subscriptionId: standard, kind: 'increase', seats: 1 },
      403,
      /^You need the \*\*Licenses Manager\*\* permission on billing profile \*\*Contoso HQ\*\*/,
    ],
  ])('%s', async (_, user, body, status, words) => {
    const reply = await order(user, body);
    expect(reply.status).toBe(status);
    if (typeof words === 'string') expect(reply.body.error).toBe(words);
    else expect(reply.body.error).toMatch(words);
    await expectNothingOrdered();
  });

  it.each([
    ['text/plain', '{"subscriptionId":"x","kind":"increase","seats":1}', 415],
    ['application/x-www-form-urlencoded', 'subscriptionId=x&kind=increase&seats=1', 415],
    ['application/json', '[1, 2]', 400],
    ['application/json', '"5"', 400],
  ])('a %s body %s: %i', async (type, body, status) => {
    const reply = await tabCall<{ error: string }>(app().url, '/tab/api/orders', {
      method: 'POST',
      headers: { ...devUser(ALEX), 'content-type': type },
      body,
    });
    expect(reply.status).toBe(status);
    expect(typeof reply.body.error).toBe('string');
    await expectNothingOrdered();
  });
});

describe('tab API: forged order ids get "can\'t find that order", nothing changes', () => {
  const app = useApp('all');
  const { get, post, expectNothingOrdered } = tabApi(app);

  it.each([
    'not-a-uuid',
    randomUUID(),
    "1' OR '1'='1",
    '..%2F..%2Fpackage.json',
    '00000000-0000-0000-0000-000000000000',
  ])('order id %s', async (id) => {
    const path = `/tab/api/orders/${encodeURIComponent(id)}`;
    for (const reply of [
      await get<{ error: string }>(ALEX, path),
      await post(ALEX, `${path}/approve`),
      await post(ALEX, `${path}/cancel`),
    ]) {
      expect([reply.status, reply.body.error]).toEqual([404, NOT_FOUND]);
    }
    await expectNothingOrdered();
  });
});
