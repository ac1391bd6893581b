import { ALEX, ISAIAH, MEGAN, type TeamsUser } from '../support/demoUsers';
import { adaptiveCardOf, cardText, executeActions, type CardJson } from '../support/cards';
import type { ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId, type Where } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

interface InvokeBody {
  statusCode: number;
  type: string;
  value: CardJson | string;
}

/**
 * One order card, seen by people who read different languages (README: Languages): each copy and each refresh is
 * written for whoever it is rendered for. The approver's card sent through the outbox is in the locale stored with
 * their chat; a refresh is in the locale of the invoke.
 */
describe('an order card in the language of each viewer (real server, fake Bot Connector)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const personal = (user: TeamsUser, locale: string): Where => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: personalConversationId(user),
    locale,
  });

  const view = async (user: TeamsUser, orderId: string, locale: string) =>
    (
      (
        await t.post(
          cardAction(
            user,
            'order.view',
            { orderId },
            { ...personal(user, locale), replyToId: 'c', trigger: 'automatic' },
          ),
        )
      ).body as InvokeBody
    ).value as CardJson;

  it('a German approver gets and refreshes it in German; the English requester’s copy stays English', async () => {
    await t.post(message(MEGAN, 'help', personal(MEGAN, 'de-DE')));
    await t.post(message(ISAIAH, 'help', personal(ISAIAH, 'ja-JP')));
    const alex = personal(ALEX, 'en-US');
    await t.post(message(ALEX, 'buy licenses', alex));
    await t.post(message(ALEX, 'Office 365 E3', alex));
    await t.post(message(ALEX, '30', alex));
    const confirmation = t.connector.messages(alex.conversationId).at(-1) as ConnectorCall;
    const orderId = String(
      executeActions(adaptiveCardOf(confirmation)).find((a) => a.title === 'Approve')?.data.orderId,
    );
    const confirmed = (
      await t.post(
        cardAction(ALEX, 'order.approve', { orderId }, { ...alex, replyToId: confirmation.activityId }),
      )
    ).body as InvokeBody;
    expect(cardText(confirmed.value as CardJson)).toContain(
      'Waiting for approval by Megan Bowen or Isaiah Langer.',
    );
    await t.settle();

    // The approval cards the outbox sent: each in the language of its approver's chat.
    const cardIn = (user: TeamsUser) =>
      adaptiveCardOf(
        t.connector.messages(personalConversationId(user)).find((c) => adaptiveCardOf(c) !== undefined),
      );
    const megans = cardIn(MEGAN);
    expect(megans?.lang).toBe('de');
    expect(cardText(megans)).toContain('Alex Wilber bittet Sie, diese Bestellung zu genehmigen.');
    expect(cardText(megans).replace(/\u00a0/g, ' ')).toContain('(+690,00 $)');
    expect(executeActions(megans).map((a) => a.title)).toEqual(['Genehmigen', 'Bestellung ablehnen']);
    const isaiahs = cardIn(ISAIAH);
    expect(isaiahs?.lang).toBe('ja');
    expect(cardText(isaiahs)).toContain('Alex Wilber がこの注文の承認を求めています。');

    // Refreshes: each in the locale of the invoke.
    const refreshedByMegan = await view(MEGAN, orderId, 'de-DE');
    expect(refreshedByMegan.lang).toBe('de');
    expect(cardText(refreshedByMegan)).toContain('Alex Wilber bittet Sie, diese Bestellung zu genehmigen.');
    const refreshedByAlex = await view(ALEX, orderId, 'en-US');
    expect(refreshedByAlex.lang).toBe('en');
    expect(cardText(refreshedByAlex)).toContain('Waiting for approval by Megan Bowen or Isaiah Langer.');
    expect(executeActions(refreshedByAlex).map((a) => a.title)).toEqual(['Cancel order']);

    // Megan approves in German: her card says so in German; Alex's copy is updated in English.
    const approved = (
      await t.post(
        cardAction(MEGAN, 'order.approve', { orderId }, { ...personal(MEGAN, 'de-DE'), replyToId: 'm' }),
      )
    ).body as InvokeBody;
    expect(cardText(approved.value as CardJson)).toContain('Genehmigt. Die Bestellung wird aufgegeben…');
    await t.settle();
    const alexsCopy = t.connector.updates(confirmation.activityId).at(-1);
    expect(adaptiveCardOf(alexsCopy)?.lang).toBe('en');
    expect(cardText(adaptiveCardOf(alexsCopy))).toContain('Completed: Office 365 E3 now has 150 seats.');
    // What the order stores has no words of any language: codes and values.
    const audit = JSON.stringify(await t.app.orderRepository.auditTrail(orderId));
    expect(audit).not.toMatch(/Genehmigt|bittet|Approved\.|asks you/);
  });
});
