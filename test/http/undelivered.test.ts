import type { OrdersResponse } from '../../tab/src/contract';
import { adaptiveCardOf, cardText, executeActions } from '../support/cards';
import { ALEX, ISAIAH, MEGAN, type TeamsUser } from '../support/demoUsers';
import type { ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';
import { devUser, tabCall } from '../tab/support/tabClient';

describe('a message that cannot be delivered is shown, never silently dropped', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('Megan blocked the bot (403 for her chat): her approval card is undeliverable, and `orders` and the tab say so', async () => {
    t = await startTestApp();
    const personal = (user: TeamsUser) => ({
      serviceUrl: t.connector.serviceUrl,
      conversationId: personalConversationId(user),
    });
    for (const user of [MEGAN, ISAIAH, ALEX]) await t.post(message(user, 'help', personal(user)));
    t.connector.faults.push({ status: 403, only: (c) => c.conversationId === personalConversationId(MEGAN) });
    for (const text of ['buy licenses', 'Office 365 E3', '30'])
      await t.post(message(ALEX, text, personal(ALEX)));
    const card = t.connector.messages(personalConversationId(ALEX)).at(-1) as ConnectorCall;
    const orderId = String(executeActions(adaptiveCardOf(card))[0].data.orderId);
    await t.post(
      cardAction(ALEX, 'order.approve', { orderId }, { ...personal(ALEX), replyToId: card.activityId }),
    );
    await t.settle();

    // Isaiah has his card; Megan's was refused for good (one attempt: a 403 does not get better by retrying).
    expect(t.connector.messages(personalConversationId(ISAIAH))).not.toHaveLength(0);
    expect(
      t.connector.refused.filter((r) => r.conversationId === personalConversationId(MEGAN)),
    ).toHaveLength(1);

    await t.post(message(ALEX, 'orders', personal(ALEX)));
    const orders = cardText(adaptiveCardOf(t.connector.messages(personalConversationId(ALEX)).at(-1)));
    expect(orders).toContain('Not delivered in Teams: the approval card for Megan Bowen.');

    const tab = await tabCall<OrdersResponse>(t.url, '/tab/api/orders', { headers: devUser(ALEX) });
    expect(tab.body.orders.find((o) => o.id === orderId)?.undelivered).toBe(
      'Not delivered in Teams: the approval card for Megan Bowen.',
    );
  });
});
