import { readFileSync } from 'node:fs';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import { adaptiveCardOf, cardText, executeActions, type CardJson } from '../support/cards';
import type { ConnectorCall } from '../support/fakeConnector';
import {
  ADELE,
  ALEX,
  ISAIAH,
  LYNNE,
  MEGAN,
  PATTI,
  SUBSCRIPTIONS,
  type TeamsUser,
} from '../support/demoUsers';
import { DEMO_ACCESS_FILE } from '../support/services';
import { cardAction, message, personalConversationId, type Where } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';
import { devUser, tabCall } from '../tab/support/tabClient';

/**
 * An order is shown only to those who may see it (README: Security): the `order.view` refresh of a card and the
 * tab's API follow the same rule. Lynne is made an access administrator of Contoso HQ (and nothing else).
 */
const NOT_AVAILABLE = 'This order is not available to you.';

function directoryWithLynneAsAccessAdministrator(): JsonAccessDirectory {
  const json = JSON.parse(readFileSync(DEMO_ACCESS_FILE, 'utf8')) as {
    billingProfiles: Array<{ id: string; accessAdministrators: Array<{ name: string; email?: string }> }>;
  };
  const hq = json.billingProfiles.find((p) => p.id === 'contoso-hq');
  hq?.accessAdministrators.push({ name: 'Lynne Robbins', email: 'lynner@contoso.com' });
  return JsonAccessDirectory.fromJson(json);
}

interface InvokeBody {
  readonly value: unknown;
}

describe('orders are shown only to those who may see them', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ overrides: { directory: directoryWithLynneAsAccessAdministrator() } });
    for (const user of [ALEX, MEGAN, ISAIAH]) await t.post(message(user, 'help', personal(user)));
  });
  afterEach(async () => {
    await t.close();
  });

  const personal = (user: TeamsUser): Where => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: personalConversationId(user),
  });
  const group = (id: string): Where => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: id,
    conversationType: 'groupChat',
  });

  async function orderAndConfirm(where: Where): Promise<string> {
    await t.post(message(ALEX, 'buy licenses', where));
    await t.post(message(ALEX, 'Office 365 E3', where));
    await t.post(message(ALEX, '30', where));
    const confirmation = t.connector.messages(where.conversationId).at(-1) as ConnectorCall;
    const orderId = String(
      executeActions(adaptiveCardOf(confirmation)).find((a) => a.title === 'Approve')?.data.orderId,
    );
    await t.post(
      cardAction(ALEX, 'order.approve', { orderId }, { ...where, replyToId: confirmation.activityId }),
    );
    await t.settle();
    return orderId;
  }

  /** The request: the refresh Teams sends for a card, by someone who has the order's id. */
  const refresh = async (user: TeamsUser, orderId: string, where: Where) =>
    (
      (await t.post(cardAction(user, 'order.view', { orderId }, { ...where, trigger: 'automatic' })))
        .body as InvokeBody
    ).value as CardJson;
  const tabOrder = (user: TeamsUser, orderId: string) =>
    tabCall<{ order?: { product: string }; error?: string }>(t.url, `/tab/api/orders/${orderId}`, {
      headers: devUser(user),
    });

  it('the refresh and the tab agree, person by person: requester, approvers, access administrator yes; others no', async () => {
    // Made in the tab (local development: no tenant), so that the tab may look it up as well as Teams.
    const made = await tabCall<{ order: { id: string } }>(t.url, '/tab/api/orders', {
      method: 'POST',
      headers: devUser(ALEX),
      body: { subscriptionId: SUBSCRIPTIONS.e3, kind: 'increase', seats: 30 },
    });
    const orderId = made.body.order.id;
    await tabCall(t.url, `/tab/api/orders/${orderId}/approve`, {
      method: 'POST',
      headers: devUser(ALEX),
      body: {},
    });
    await t.settle();
    expect((await t.app.orders.get(orderId))?.state).toBe('pending_approval');
    const expected: Array<[TeamsUser, boolean]> = [
      [ALEX, true],
      [MEGAN, true],
      [ISAIAH, true],
      [LYNNE, true],
      [ADELE, false],
      [PATTI, false],
    ];
    for (const [user, may] of expected) {
      const card = await refresh(user, orderId, personal(user));
      const tab = await tabOrder(user, orderId);
      expect([user.name, cardText(card).includes('Office 365 E3'), tab.status]).toEqual([
        user.name,
        may,
        may ? 200 : 404,
      ]);
      if (!may) {
        expect(cardText(card)).toBe(NOT_AVAILABLE);
        expect(JSON.stringify(card)).not.toMatch(/E3|Alex|Megan|Contoso|30/);
        expect(tab.text).not.toContain('E3');
      }
    }
    // The access administrator sees the order, and no button to decide it.
    expect(executeActions(await refresh(LYNNE, orderId, personal(LYNNE)))).toEqual([]);
    expect((await tabOrder(LYNNE, orderId)).body.order?.product).toBe('Office 365 E3');
  });

  it('the members of a conversation the card was posted to see it there, and only there', async () => {
    const orderId = await orderAndConfirm(group('19:purchasing@thread.v2'));
    const inTheChat = await refresh(PATTI, orderId, group('19:purchasing@thread.v2'));
    expect(cardText(inTheChat)).toContain('Office 365 E3');
    expect(executeActions(inTheChat)).toEqual([]);
    expect(cardText(await refresh(PATTI, orderId, personal(PATTI)))).toBe(NOT_AVAILABLE);
    expect(cardText(await refresh(PATTI, orderId, group('19:elsewhere@thread.v2')))).toBe(NOT_AVAILABLE);
    // The tab has no conversation: only the rule's other grounds count there.
    expect((await tabOrder(PATTI, orderId)).status).toBe(404);
  });

  it('a card posted to a channel is seen from the channel thread Teams names with ;messageid=', async () => {
    const orderId = await orderAndConfirm({
      serviceUrl: t.connector.serviceUrl,
      conversationId: '19:approvals@thread.tacv2',
      conversationType: 'channel',
    });
    const thread: Where = {
      serviceUrl: t.connector.serviceUrl,
      conversationId: '19:approvals@thread.tacv2;messageid=1700000000000',
      conversationType: 'channel',
    };
    expect(cardText(await refresh(PATTI, orderId, thread))).toContain('Office 365 E3');
  });

  it('an order that does not exist and one that may not be seen look alike', async () => {
    const orderId = await orderAndConfirm(personal(ALEX));
    const hidden = await refresh(PATTI, orderId, personal(PATTI));
    const missing = await refresh(PATTI, '3f2b8c1e-0000-4000-8000-000000000000', personal(PATTI));
    expect(hidden).toEqual(missing);
    const tapped = (await t.post(cardAction(PATTI, 'order.approve', { orderId }, personal(PATTI))))
      .body as InvokeBody;
    const tappedMissing = (
      await t.post(cardAction(PATTI, 'order.approve', { orderId: 'nope' }, personal(PATTI)))
    ).body as InvokeBody;
    expect(tapped.value).toEqual(tappedMissing.value);
  });
});
