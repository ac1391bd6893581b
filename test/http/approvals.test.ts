import {
  ADELE,
  ALEX,
  ISAIAH,
  LYNNE,
  MEGAN,
  PATTI,
  SUBSCRIPTIONS,
  TENANT_ID,
  type TeamsUser,
} from '../support/demoUsers';
import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import type { ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId, type Where } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

interface InvokeBody {
  type: string;
  value: CardJson | string;
}

describe('approvals over HTTP: approval cards, one decision, every copy updated, the requester told', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  const personal = (user: TeamsUser): Where => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: personalConversationId(user),
  });
  const group = (): Where => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: '19:team-chat@thread.v2',
    conversationType: 'groupChat',
  });

  /** Alex orders through the conversation and taps Approve on the confirmation card. */
  async function orderAndConfirm(
    product: string,
    seats: number,
    where: Where,
  ): Promise<{ cardId: string; orderId: string; response: InvokeBody }> {
    await t.post(message(ALEX, 'buy licenses', where));
    await t.post(message(ALEX, product, where));
    await t.post(message(ALEX, String(seats), where));
    const confirmation = t.connector.messages(where.conversationId).at(-1) as ConnectorCall;
    const approve = executeActions(adaptiveCardOf(confirmation)).find((a) => a.title === 'Approve');
    const orderId = String(approve?.data.orderId);
    const response = (
      await t.post(
        cardAction(ALEX, 'order.approve', { orderId }, { ...where, replyToId: confirmation.activityId }),
      )
    ).body as InvokeBody;
    return { cardId: confirmation.activityId, orderId, response };
  }

  const tap = async (
    user: TeamsUser,
    verb: string,
    data: Record<string, unknown>,
    where: Where & { replyToId?: string; trigger?: 'manual' | 'automatic' },
  ) => (await t.post(cardAction(user, verb, data, where))).body as InvokeBody;

  const approvalCardIn = (conversationId: string) =>
    t.connector
      .messages(conversationId)
      .find((c) => cardText(adaptiveCardOf(c)).includes('asks you to approve'));

  describe('approvers who chatted with the bot get the card in their personal chat', () => {
    beforeEach(async () => {
      t = await startTestApp();
      for (const user of [MEGAN, ISAIAH, ALEX]) await t.post(message(user, 'help', personal(user)));
    });

    it('30 seats of Office 365 E3 (+$690.00) wait; Megan approves; every copy says so; Alex is told', async () => {
      const { cardId, orderId, response } = await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      expect(cardText(response.value as CardJson)).toContain(
        'Waiting for approval by Megan Bowen or Isaiah Langer.',
      );
      expect(executeActions(response.value as CardJson).map((a) => a.title)).toEqual(['Cancel order']);
      await t.settle();

      const megansCard = approvalCardIn(personalConversationId(MEGAN));
      const isaiahsCard = approvalCardIn(personalConversationId(ISAIAH));
      expect(megansCard).toBeDefined();
      expect(isaiahsCard).toBeDefined();
      const approval = cardText(adaptiveCardOf(megansCard));
      expect(approval).toContain('Alex Wilber asks you to approve this order.');
      expect(approval).toContain('Seats: 120 → 150 (+30)');
      expect(approval).toContain('(+$690.00)');
      expect(executeActions(adaptiveCardOf(megansCard)).map((a) => a.title)).toEqual([
        'Approve',
        'Reject order',
      ]);
      expect(
        t.connector
          .messages(personalConversationId(ALEX))
          .some((c) => textOf(c).includes('waits for approval')),
      ).toBe(false);

      const ownTap = cardText(
        (await tap(ALEX, 'order.approve', { orderId }, { ...personal(ALEX), replyToId: cardId }))
          .value as CardJson,
      );
      expect(ownTap).toContain("You can't approve or reject your own order");
      expect(ownTap).not.toContain('Approved');
      const decided = await tap(
        MEGAN,
        'order.approve',
        { orderId },
        { ...personal(MEGAN), replyToId: megansCard?.activityId },
      );
      expect(cardText(decided.value as CardJson)).toContain('Approved. Placing the order…');
      await t.settle();

      for (const [who, id] of [
        ['Alex', cardId],
        ['Megan', megansCard?.activityId],
        ['Isaiah', isaiahsCard?.activityId],
      ]) {
        const last = cardText(adaptiveCardOf(t.connector.updates(id).at(-1)));
        expect([who, last]).toEqual([
          who,
          expect.stringContaining('Completed: Office 365 E3 now has 150 seats.'),
        ]);
        expect(last).toMatch(/Approved by Megan Bowen on \{\{DATE\(/);
      }
      const told = t.connector.messages(personalConversationId(ALEX)).map(textOf).at(-1);
      expect(told).toMatch(
        /Order LD-\d+ is complete: Megan Bowen approved it and \*\*Office 365 E3\*\* now has 150 seats\./,
      );
      expect((await t.app.provider.getSubscription(SUBSCRIPTIONS.e3))?.quantity).toBe(150);
      expect(await t.app.sandbox.appliedChanges()).toBe(1);

      const again = await tap(
        ISAIAH,
        'order.approve',
        { orderId },
        { ...personal(ISAIAH), replyToId: isaiahsCard?.activityId },
      );
      expect(cardText(again.value as CardJson)).toMatch(
        /This order was already approved by Megan Bowen at .+\./,
      );
    });

    it('Reject needs a reason; the requester is told the reason', async () => {
      const { cardId, orderId } = await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      await t.settle();
      const megansCard = approvalCardIn(personalConversationId(MEGAN));
      const where = { ...personal(MEGAN), replyToId: megansCard?.activityId };
      expect(cardText((await tap(MEGAN, 'order.reject', { orderId }, where)).value as CardJson)).toContain(
        'Give a reason for rejecting',
      );
      const rejected = await tap(
        MEGAN,
        'order.reject',
        { orderId, reason: 'Reuse the E5 seats first' },
        where,
      );
      expect(cardText(rejected.value as CardJson)).toContain(
        'Rejected by Megan Bowen: Reuse the E5 seats first',
      );
      await t.settle();
      expect(cardText(adaptiveCardOf(t.connector.updates(cardId).at(-1)))).toContain(
        'Rejected by Megan Bowen',
      );
      expect(t.connector.messages(personalConversationId(ALEX)).map(textOf).at(-1)).toMatch(
        /Megan Bowen rejected order LD-\d+ for \*\*Office 365 E3\*\*: "Reuse the E5 seats first" Nothing was ordered\./,
      );
      expect(await t.app.sandbox.appliedChanges()).toBe(0);
    });

    it('50 concurrent Approve taps from two approvers: one submission, one completed order, 49 told it was decided', async () => {
      const { orderId } = await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      await t.settle();
      const taps = Array.from({ length: 50 }, (_, i) => {
        const user = i % 2 === 0 ? MEGAN : ISAIAH;
        return tap(user, 'order.approve', { orderId }, { ...personal(user), replyToId: `card-${i}` });
      });
      const texts = (await Promise.all(taps)).map((r) => cardText(r.value as CardJson));
      await t.settle();
      expect(
        texts.filter((x) => x.includes('Approved. Placing the order…') && !x.includes('already')),
      ).toHaveLength(1);
      expect(
        texts.filter((x) => /This order was already approved by (Megan Bowen|Isaiah Langer) at/.test(x)),
      ).toHaveLength(49);
      expect(await t.app.sandbox.appliedChanges()).toBe(1);
      expect(await t.app.orders.get(orderId)).toMatchObject({ state: 'completed', targetQuantity: 150 });
      const started = (await t.app.orderRepository.auditTrail(orderId)).filter(
        (e) => e.action === 'submission_started',
      );
      expect(started).toHaveLength(1);
    });

    it('the same invoke delivered three times (Teams retries): one submission', async () => {
      const { orderId } = await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      await t.settle();
      const invoke = cardAction(
        MEGAN,
        'order.approve',
        { orderId },
        { ...personal(MEGAN), replyToId: 'megan-card' },
      );
      for (let i = 0; i < 3; i += 1) expect((await t.post(invoke)).status).toBe(200);
      await t.settle();
      expect(await t.app.sandbox.appliedChanges()).toBe(1);
      expect(
        (await t.app.orderRepository.auditTrail(orderId)).filter((e) => e.action === 'approved'),
      ).toHaveLength(1);
    });

    it('refresh gives each viewer their own view and sends nothing', async () => {
      const { orderId } = await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      await t.settle();
      const before = t.connector.calls.length;
      const view = async (user: TeamsUser) =>
        tap(
          user,
          'order.view',
          { orderId },
          { ...personal(user), replyToId: 'c', trigger: 'automatic' },
        ).then((r) => r.value as CardJson);
      expect(executeActions(await view(ALEX)).map((a) => a.title)).toEqual(['Cancel order']);
      expect(executeActions(await view(MEGAN)).map((a) => a.title)).toEqual(['Approve', 'Reject order']);
      expect(executeActions(await view(ISAIAH)).map((a) => a.title)).toEqual(['Approve', 'Reject order']);
      // Neither the requester nor an approver, an access administrator or in a conversation the card was posted to.
      for (const outsider of [ADELE, PATTI]) {
        const card = await view(outsider);
        expect(cardText(card)).toBe('This order is not available to you.');
        expect(executeActions(card)).toEqual([]);
      }
      expect(t.connector.calls.length).toBe(before);
      expect((await t.app.orders.get(orderId))?.state).toBe('pending_approval');
      // The cards carry refresh for the requester and the approvers (their Teams ids).
      const card = adaptiveCardOf(approvalCardIn(personalConversationId(MEGAN))) as CardJson & {
        refresh: { userIds: string[] };
      };
      expect(card.refresh.userIds.sort()).toEqual([ALEX.teamsId, ISAIAH.teamsId, MEGAN.teamsId].sort());
    });

    it('forged invokes are refused and change nothing', async () => {
      const { orderId } = await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      await t.settle();
      const otherTenant = cardAction(MEGAN, 'order.approve', { orderId }, personal(MEGAN));
      otherTenant.conversation = {
        ...otherTenant.conversation!,
        tenantId: 'ffffffff-0000-0000-0000-000000000000',
      };
      otherTenant.channelData = { tenant: { id: 'ffffffff-0000-0000-0000-000000000000' } };
      expect(String(((await t.post(otherTenant)).body as InvokeBody).value)).toContain(
        "I can't find that order",
      );
      const peek = cardAction(MEGAN, 'order.view', { orderId }, personal(MEGAN));
      peek.conversation = otherTenant.conversation;
      peek.channelData = otherTenant.channelData;
      const peeked = ((await t.post(peek)).body as InvokeBody).value as CardJson;
      expect(cardText(peeked)).toBe('This order is not available to you.');
      expect(JSON.stringify(peeked)).not.toContain('Office 365 E3');
      // Someone of the tenant with the order's id, who may not see it, learns nothing of it either.
      expect(String((await tap(ADELE, 'order.approve', { orderId }, personal(ADELE))).value)).toContain(
        "I can't find that order",
      );
      expect(
        String((await tap(LYNNE, 'order.reject', { orderId, reason: 'x' }, personal(LYNNE))).value),
      ).toContain("I can't find that order");
      expect((await t.app.orders.get(orderId))?.state).toBe('pending_approval');

      // An order of Contoso EMEA (Adele's) cannot be approved by Isaiah, approver of Contoso HQ only.
      await t.post(message(ADELE, 'help', personal(ADELE)));
      const emea = await t.app.orders.request(
        { id: ADELE.aadObjectId, name: ADELE.name, tenantId: TENANT_ID },
        SUBSCRIPTIONS.businessBasic,
        'increase',
        100,
      );
      if (!emea.ok) throw new Error(emea.refusal.code);
      await tap(ADELE, 'order.approve', { orderId: emea.value.id }, personal(ADELE));
      expect(
        String((await tap(ISAIAH, 'order.approve', { orderId: emea.value.id }, personal(ISAIAH))).value),
      ).toContain("I can't find that order");
      expect((await t.app.orders.get(emea.value.id))?.state).toBe('pending_approval');
      await t.settle();
      expect(await t.app.sandbox.appliedChanges()).toBe(0);
    });

    it('the requester can cancel while it waits; the approvers’ cards say so', async () => {
      const { cardId, orderId } = await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      await t.settle();
      const cancelled = await tap(
        ALEX,
        'order.cancel',
        { orderId },
        { ...personal(ALEX), replyToId: cardId },
      );
      expect(cardText(cancelled.value as CardJson)).toContain(
        'Cancelled by Alex Wilber. Nothing was ordered.',
      );
      await t.settle();
      const megansCard = approvalCardIn(personalConversationId(MEGAN));
      expect(cardText(adaptiveCardOf(t.connector.updates(megansCard?.activityId).at(-1)))).toContain(
        'Cancelled by Alex Wilber',
      );
    });
  });

  describe('approvers who never chatted with the bot', () => {
    it('are found in the group chat where the order was made, and a personal chat is opened with them', async () => {
      t = await startTestApp();
      t.connector.roster = [ALEX, MEGAN, ISAIAH, PATTI].map((u) => ({
        id: u.teamsId,
        name: u.name,
        aadObjectId: u.aadObjectId,
      }));
      const { cardId, orderId, response } = await orderAndConfirm('E3', 30, group());
      expect(cardText(response.value as CardJson)).toContain(
        'Waiting for approval by Megan Bowen or Isaiah Langer.',
      );
      await t.settle();
      const created = t.connector.calls
        .filter((c) => c.kind === 'createConversation')
        .map((c) => c.conversationId);
      expect(created).toEqual(
        expect.arrayContaining([`a:personal-${MEGAN.teamsId}`, `a:personal-${ISAIAH.teamsId}`]),
      );
      const megansCard = approvalCardIn(`a:personal-${MEGAN.teamsId}`);
      expect(megansCard).toBeDefined();

      // Megan approves on the group chat's card (every button is there; the server checks who taps).
      const groupCard = await tap(MEGAN, 'order.approve', { orderId }, { ...group(), replyToId: cardId });
      expect(cardText(groupCard.value as CardJson)).toContain('Approved. Placing the order…');
      await t.settle();
      expect(cardText(adaptiveCardOf(t.connector.updates(cardId).at(-1)))).toContain(
        'Approved by Megan Bowen',
      );
      expect(cardText(adaptiveCardOf(t.connector.updates(megansCard?.activityId).at(-1)))).toContain(
        'Approved by Megan Bowen',
      );
      expect(t.connector.messages(`a:personal-${ALEX.teamsId}`).map(textOf).at(-1)).toContain(
        'is complete: Megan Bowen approved it',
      );
    });

    it('with nobody reachable, the card goes to the approvals channel and the requester is told', async () => {
      t = await startTestApp({ env: { APPROVALS_CHANNEL_ID: '19:approvals@thread.tacv2' } });
      await t.post(message(ALEX, 'help', personal(ALEX)));
      await orderAndConfirm('Office 365 E3', 30, personal(ALEX));
      await t.settle();
      const posted = t.connector.messages('19:approvals@thread.tacv2');
      expect(posted).toHaveLength(1);
      expect(executeActions(adaptiveCardOf(posted[0])).map((a) => a.title)).toEqual([
        'Approve',
        'Reject order',
        'Cancel order',
      ]);
      expect(t.connector.messages(personalConversationId(ALEX)).map(textOf).at(-1)).toContain(
        'I posted order',
      );
    });
  });
});
