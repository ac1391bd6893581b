import { ALEX, PATTI, SUBSCRIPTIONS } from '../support/demoUsers';
import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import { botAdded, cardAction, message, personalConversationId } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

describe('a whole purchase through POST /api/messages (real server, fake Bot Connector)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const where = () => ({ serviceUrl: t.connector.serviceUrl });

  it('Alex buys 5 seats of Business Standard: 25 -> 30, +$62.50 a month, card replaced by the result', async () => {
    expect((await t.post(botAdded(ALEX, where()))).status).toBe(200);
    expect(textOf(t.connector.messages()[0])).toContain('License Desk');

    await t.post(message(ALEX, 'buy licenses', where()));
    const picker = t.connector.messages().at(-1);
    expect(JSON.stringify(picker?.body.attachments)).toContain('Microsoft 365 Business Standard');

    await t.post(message(ALEX, 'Business Standard', where()));
    expect(textOf(t.connector.messages().at(-1))).toMatch(
      /How many seats do you want to add to \*\*Microsoft 365 Business Standard\*\*/,
    );

    await t.post(message(ALEX, '5', where()));
    const confirmation = t.connector.messages().at(-1);
    const card = adaptiveCardOf(confirmation);
    expect(cardText(card)).toContain('Seats: 25 → 30 (+5)');
    expect(cardText(card)).toContain('$312.50 → $375.00 (+$62.50)');
    expect(cardText(card)).toContain('Your monthly payment increases by $62.50 to cover the new licenses.');
    const approve = executeActions(card).find((a) => a.title === 'Approve');
    expect(approve?.verb).toBe('order.approve');
    expect(executeActions(card).map((a) => a.title)).toEqual(['Approve', 'Cancel']);

    const response = await t.post(
      cardAction(ALEX, 'order.approve', approve?.data ?? {}, {
        ...where(),
        replyToId: confirmation?.activityId,
      }),
    );
    expect(response.status).toBe(200);
    const invoke = response.body as { statusCode: number; type: string; value: CardJson };
    expect(invoke.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardText(invoke.value)).toContain('Approved. Placing the order');
    expect(executeActions(invoke.value)).toEqual([]);

    await t.settle();
    const update = t.connector.updates(confirmation?.activityId).at(-1);
    expect(update?.conversationId).toBe(personalConversationId(ALEX));
    const result = cardText(adaptiveCardOf(update));
    expect(result).toMatch(/Order LD-\d+/);
    expect(result).toContain('Completed: Microsoft 365 Business Standard now has 30 seats.');

    expect((await t.app.provider.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(30);
    expect(await t.app.sandbox.appliedChanges()).toBe(1);
  });

  it('Patti, who has no access, is told which permission is missing and who can grant it', async () => {
    await t.post(message(PATTI, 'remove licenses', where()));
    const reply = textOf(t.connector.messages().at(-1));
    expect(reply).toContain("You don't have the **Licenses Manager** permission");
    expect(reply).toContain('Megan Bowen (meganb@contoso.com)');
    expect(await t.app.sandbox.appliedChanges()).toBe(0);
  });

  it('Patti, who has no access, may ask for seats instead: nothing is ordered by it', async () => {
    await t.post(message(PATTI, 'buy licenses', where()));
    expect(t.connector.messages().map(textOf)).toContainEqual(
      expect.stringContaining("so I'll send your request to a Licenses Manager"),
    );
    expect(await t.app.sandbox.appliedChanges()).toBe(0);
  });
});
