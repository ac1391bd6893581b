import type { Order } from '../../bot/domain/order';
import { ALEX, ISAIAH, MEGAN, SUBSCRIPTIONS, TENANT_ID, type TeamsUser } from '../support/demoUsers';
import { TestClock } from '../support/services';
import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import { cardAction, message, personalConversationId } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

interface InvokeBody {
  statusCode: number;
  type: string;
  value: CardJson | string;
}

describe('card actions (Action.Execute invokes through the real server)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const where = (replyToId = 'card-1') => ({ serviceUrl: t.connector.serviceUrl, replyToId });
  const as = (user: TeamsUser) => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

  async function draft(seats = 5, subscriptionId: string = SUBSCRIPTIONS.businessStandard): Promise<Order> {
    const result = await t.app.orders.request(as(ALEX), subscriptionId, 'increase', seats);
    if (!result.ok) throw new Error(result.refusal.code);
    return result.value;
  }

  async function tap(user: TeamsUser, verb: string, data: Record<string, unknown>): Promise<InvokeBody> {
    const response = await t.post(cardAction(user, verb, data, where()));
    expect(response.status).toBe(200);
    return response.body as InvokeBody;
  }

  const cardOf = (body: InvokeBody) => {
    expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
    return body.value as CardJson;
  };

  it('Approve by the requester answers at once with "placing the order"; the provider call follows', async () => {
    const order = await draft();
    const card = cardOf(await tap(ALEX, 'order.approve', { orderId: order.id }));
    expect(cardText(card)).toContain('Approved. Placing the order…');
    await t.settle();
    expect((await t.app.orders.get(order.id))?.state).toBe('completed');
  });

  it('ignores numbers forged into the card data: quantity, price and requester come from the database', async () => {
    const order = await draft(5);
    await tap(ALEX, 'order.approve', {
      orderId: order.id,
      targetQuantity: 5000,
      price: 0,
      requester: MEGAN.aadObjectId,
    });
    await t.settle();
    expect(await t.app.orders.get(order.id)).toMatchObject({
      state: 'completed',
      targetQuantity: 30,
      requester: { name: 'Alex Wilber' },
    });
    expect((await t.app.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(30);
  });

  it('Cancel by the requester: the card says so; a later Approve says it was already cancelled', async () => {
    const order = await draft();
    expect(cardText(cardOf(await tap(ALEX, 'order.cancel', { orderId: order.id })))).toContain(
      'Cancelled by Alex Wilber. Nothing was ordered.',
    );
    const again = cardOf(await tap(ALEX, 'order.approve', { orderId: order.id }));
    expect(cardText(again)).toMatch(/This order was already cancelled by Alex Wilber at .+ UTC\./);
    expect(executeActions(again)).toEqual([]);
    await t.settle();
    expect(await t.app.sandbox.appliedChanges()).toBe(0);
  });

  it('a second Approve on a decided order says who approved it and when; one submission', async () => {
    const order = await draft();
    await tap(ALEX, 'order.approve', { orderId: order.id });
    const second = cardOf(await tap(ALEX, 'order.approve', { orderId: order.id }));
    expect(cardText(second)).toMatch(/This order was already approved by Alex Wilber at .+\./);
    await t.settle();
    expect(await t.app.sandbox.appliedChanges()).toBe(1);
  });

  it("another user's order: refused, nothing changes", async () => {
    const order = await draft();
    const card = cardOf(await tap(MEGAN, 'order.approve', { orderId: order.id }));
    expect(cardText(card)).toContain('Only Alex Wilber, who made this order, can confirm or cancel it.');
    expect(executeActions(card)).toEqual([]);
    expect(cardText(cardOf(await tap(MEGAN, 'order.cancel', { orderId: order.id })))).toContain(
      'Only Alex Wilber',
    );
    expect((await t.app.orders.get(order.id))?.state).toBe('draft');
  });

  it('an Approve from a card made before the quantity changed: not applied; a fresh card to confirm', async () => {
    const order = await draft(5);
    await t.app.sandbox.adjust(SUBSCRIPTIONS.businessStandard, { quantity: 26 });
    const card = cardOf(await tap(ALEX, 'order.approve', { orderId: order.id }));
    expect(cardText(card)).toContain(
      'changed since this card was made (now 26). Check the new numbers, then Approve again.',
    );
    expect(cardText(card)).toContain('Seats: 26 → 31 (+5)');
    const fresh = executeActions(card).find((a) => a.title === 'Approve');
    expect(fresh?.data.orderId).not.toBe(order.id);
    expect((await t.app.orders.get(order.id))?.state).toBe('expired');
    await tap(ALEX, 'order.approve', fresh?.data ?? {});
    await t.settle();
    expect((await t.app.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(31);
    expect(await t.app.sandbox.appliedChanges()).toBe(1);
  });

  it.each([
    [
      'an unknown verb',
      'order.delete',
      (id: string) => ({ orderId: id }),
      "This card's button is not one I know",
    ],
    ['a missing order id', 'order.approve', () => ({}), "I can't find that order"],
    [
      'a forged order id',
      'order.approve',
      () => ({ orderId: '7f0c0d7e-1111-4111-8111-111111111111' }),
      "I can't find that order",
    ],
    [
      'an order id of the wrong type',
      'order.approve',
      () => ({ orderId: { $ne: null } }),
      "I can't find that order",
    ],
    ['SQL in the order id', 'order.cancel', () => ({ orderId: "x' OR '1'='1" }), "I can't find that order"],
  ])('%s gets a clear message and changes nothing', async (_name, verb, data, expected) => {
    const order = await draft();
    const body = await tap(ALEX, verb, data(order.id));
    expect(body.type).toBe('application/vnd.microsoft.activity.message');
    expect(String(body.value)).toContain(expected);
    expect((await t.app.orders.get(order.id))?.state).toBe('draft');
  });

  it('refuses a tap without an Entra object id', async () => {
    const order = await draft();
    const activity = cardAction(ALEX, 'order.approve', { orderId: order.id }, where());
    activity.from = { id: ALEX.teamsId, name: ALEX.name };
    const body = (await t.post(activity)).body as InvokeBody;
    expect(String(body.value)).toContain("I can't tell who you are");
    expect((await t.app.orders.get(order.id))?.state).toBe('draft');
  });

  it('the Action.Submit fallback approves too, and updates the card it came from', async () => {
    const order = await draft();
    const submit = message(ALEX, '', { serviceUrl: t.connector.serviceUrl });
    delete submit.text;
    submit.value = { verb: 'order.approve', orderId: order.id };
    submit.replyToId = 'card-from-old-client';
    expect((await t.post(submit)).status).toBe(200);
    await t.settle();
    const update = t.connector.updates('card-from-old-client')[0];
    expect(update.conversationId).toBe(personalConversationId(ALEX));
    expect(cardText(adaptiveCardOf(update))).toContain('Approved. Placing the order…');
    expect((await t.app.orders.get(order.id))?.state).toBe('completed');
    expect(textOf(t.connector.messages().at(-1))).not.toContain('went wrong');
  });
});

describe('Reassign on the escalation card (Action.Execute through the real server, a clock the test moves)', () => {
  let t: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    t = await startTestApp({ overrides: { clock } });
  });
  afterEach(async () => {
    await t.close();
  });

  const as = (user: TeamsUser) => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });
  const tap = async (user: TeamsUser, data: Record<string, unknown>): Promise<InvokeBody> => {
    const response = await t.post(
      cardAction(user, 'order.reassign', data, { serviceUrl: t.connector.serviceUrl, replyToId: 'card-1' }),
    );
    expect(response.status).toBe(200);
    return response.body as InvokeBody;
  };
  const cardsIn = (user: TeamsUser) =>
    t.connector.messages(personalConversationId(user)).filter((call) => call.body.attachments?.length);

  it("Megan's escalation card offers Reassign to Isaiah; a tap sends him one fresh card; bad choices are answered on the card", async () => {
    for (const user of [MEGAN, ISAIAH])
      await t.post(message(user, 'help', { serviceUrl: t.connector.serviceUrl }));
    const made = await t.app.orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30);
    if (!made.ok) throw new Error(made.refusal.code);
    const orderId = made.value.id;
    await t.app.orders.approve(as(ALEX), orderId);
    await t.settle();
    // Before the escalation, no Reassign on the approval cards.
    expect(cardsIn(MEGAN).flatMap((c) => executeActions(adaptiveCardOf(c)).map((a) => a.verb))).not.toContain(
      'order.reassign',
    );

    clock.advance(48 * 60 * 60 * 1000);
    await t.app.maintenance.tick();
    await t.settle();
    const escalation = adaptiveCardOf(cardsIn(MEGAN).at(-1));
    expect(executeActions(escalation).map((a) => a.verb)).toContain('order.reassign');
    expect(JSON.stringify(escalation)).toContain(`"value":"${ISAIAH.aadObjectId}"`);
    expect(executeActions(adaptiveCardOf(cardsIn(ISAIAH).at(-1))).map((a) => a.verb)).not.toContain(
      'order.reassign',
    );

    const toRequester = await tap(MEGAN, { orderId, personId: ALEX.aadObjectId });
    expect(cardText(toRequester.value as CardJson)).toContain(
      "Alex Wilber asked for this order, so they can't approve it. Choose another approver.",
    );
    const notAdmin = await tap(ISAIAH, { orderId, personId: MEGAN.aadObjectId });
    expect(cardText(notAdmin.value as CardJson)).toContain(
      'Only an Access Admin of billing profile **Contoso HQ** can reassign this order.',
    );
    const isaiahCards = cardsIn(ISAIAH).length;

    const done = await tap(MEGAN, { orderId, personId: ISAIAH.aadObjectId, requester: MEGAN.aadObjectId });
    expect(cardText(done.value as CardJson)).toContain(
      'Reassigned: Isaiah Langer has a fresh approval card.',
    );
    await t.settle();
    const fresh = cardsIn(ISAIAH).slice(isaiahCards);
    expect(fresh).toHaveLength(1);
    expect(cardText(adaptiveCardOf(fresh[0]))).toContain('Megan Bowen reassigned this order to you');
    expect(executeActions(adaptiveCardOf(fresh[0])).map((a) => a.verb)).toEqual([
      'order.approve',
      'order.reject',
    ]);
    expect((await t.app.orders.get(orderId))?.reassignments.map((r) => [r.by.name, r.to.name])).toEqual([
      ['Megan Bowen', 'Isaiah Langer'],
    ]);
  });
});
