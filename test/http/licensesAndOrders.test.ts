import {
  ALEX,
  BOT,
  MEGAN,
  PATTI,
  SUBSCRIPTIONS,
  TENANT_ID,
  demoRenewal,
  type TeamsUser,
} from '../support/demoUsers';
import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import type { ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId, type Where } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

/** The Action.Submit buttons of a card, with their data. */
function submitActions(card: CardJson | undefined): Array<{ title: string; data: Record<string, unknown> }> {
  const found: Array<{ title: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Submit')
      found.push({ title: String(o.title), data: o.data as Record<string, unknown> });
    for (const [key, value] of Object.entries(o)) if (key !== 'fallback') walk(value);
  };
  walk(card);
  return found;
}

describe('licenses, orders and one-line requests (real server, fake Bot Connector)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const personal = (user: TeamsUser = ALEX): Where => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: personalConversationId(user),
  });
  const say = async (
    text: string,
    user: TeamsUser = ALEX,
    where: Where = personal(user),
  ): Promise<ConnectorCall | undefined> => {
    await t.post(message(user, text, where));
    return t.connector.messages(where.conversationId).at(-1);
  };
  const submit = async (
    data: Record<string, unknown>,
    user: TeamsUser = ALEX,
  ): Promise<ConnectorCall | undefined> => {
    const activity = message(user, '', personal(user));
    delete activity.text;
    activity.value = data;
    await t.post(activity);
    return t.connector.messages(personalConversationId(user)).at(-1);
  };

  describe('licenses', () => {
    it('lists each subscription the user may manage, grouped by billing profile, with warnings', async () => {
      const card = adaptiveCardOf(await say('licenses'));
      const text = cardText(card);
      expect(text).toContain('4 subscriptions in 2 billing profiles');
      expect(text.indexOf('Contoso EMEA')).toBeLessThan(text.indexOf('Contoso HQ'));
      expect(text).toContain('25 seats · 21 in use · 4 free');
      expect(text).toContain('$312.50 a month');
      expect(text).toContain('120 seats · 118 in use · 2 free');
      expect(text).toContain('Nearly full: 2 seats free.');
      expect(text).toContain('10 seats · 10 in use · 0 free');
      expect(text).toContain('Full: every seat is in use.');
      // Renewal facts on every subscription; what a decrease can be, or why none can.
      expect(text).toContain(`contoso.com · ANNUAL · Annual term · renews ${demoRenewal(5)} · auto-renew on`);
      expect(text).toContain(
        `You can remove at renewal on ${demoRenewal(5)} (up to 2; you keep paying for them until then).`,
      );
      expect(text).toContain("You can remove now (up to 4; a credit of $12.50 a seat on next month's bill).");
      expect(text).toContain('Seats cannot be removed: every seat is in use.');
      const buttons = submitActions(card);
      expect(buttons.filter((b) => b.title === 'Add seats')).toHaveLength(4);
      // Remove wherever some decrease is possible (now or at renewal): not on E5, every seat of which is in use.
      expect(
        buttons
          .filter((b) => b.title === 'Remove seats')
          .map((b) => b.data.subscriptionId)
          .sort(),
      ).toEqual([SUBSCRIPTIONS.businessBasic, SUBSCRIPTIONS.businessStandard, SUBSCRIPTIONS.e3].sort());
      expect(buttons.filter((b) => b.title === 'Cancel scheduled change')).toHaveLength(0);
    });

    it('formats money and numbers for the reader, in their language: de-DE', async () => {
      await t.post(message(ALEX, 'licenses', { ...personal(), locale: 'de-DE' }));
      const card = adaptiveCardOf(t.connector.messages().at(-1));
      expect(cardText(card).replace(/\u00a0/g, ' ')).toContain('2.760,00 $ pro Monat');
      expect(card?.lang).toBe('de');
    });

    it('Add on the card starts the dialog with that subscription already chosen', async () => {
      const card = adaptiveCardOf(await say('licenses'));
      const add = submitActions(card).find(
        (b) => b.title === 'Add seats' && b.data.subscriptionId === SUBSCRIPTIONS.e3,
      );
      expect(textOf(await submit(add?.data ?? {}))).toContain(
        'How many seats do you want to add to **Office 365 E3**',
      );
      expect(cardText(adaptiveCardOf(await say('2')))).toContain('Seats: 120 → 122 (+2)');
    });

    it('Remove on a subscription whose seats are all in use (forged card data) is explained, not offered', async () => {
      const reply = await submit({ command: 'seats.remove', subscriptionId: SUBSCRIPTIONS.e5 });
      expect(textOf(reply)).toContain('All 10 seats of **Microsoft 365 E5** are in use');
      expect(await t.app.orderRepository.countByRequester(ALEX.aadObjectId)).toBe(0);
    });

    it('E3 (ANNUAL, bought long ago): remove at renewal, shown as scheduled once approved, and cancelled', async () => {
      const renewal = demoRenewal(5);
      const confirm = adaptiveCardOf(await say('remove 2 E3'));
      expect(cardText(confirm)).toContain(
        `Confirm: remove 2 seats from Office 365 E3 at renewal on ${renewal}`,
      );
      expect(cardText(confirm)).toContain(`You keep paying for these seats until the renewal on ${renewal}`);
      const approve = executeActions(confirm).find((a) => a.title === 'Approve');
      await t.post(cardAction(ALEX, 'order.approve', approve?.data ?? {}, personal()));
      await t.settle();
      const licenses = adaptiveCardOf(await say('licenses'));
      expect(cardText(licenses)).toContain(`scheduled: 120 -> 118 at renewal on ${renewal}`);
      const cancel = submitActions(licenses).find((b) => b.title === 'Cancel scheduled change');
      expect(cancel?.data).toEqual({ command: 'scheduled.cancel', subscriptionId: SUBSCRIPTIONS.e3 });
      const cancelCard = adaptiveCardOf(await submit(cancel?.data ?? {}));
      expect(cardText(cancelCard)).toContain('Confirm: cancel the scheduled change to Office 365 E3');
      expect(cardText(cancelCard)).toContain(`Scheduled now: 120 → 118 at renewal on ${renewal}`);
      const approveCancel = executeActions(cancelCard).find((a) => a.title === 'Approve');
      await t.post(cardAction(ALEX, 'order.approve', approveCancel?.data ?? {}, personal()));
      await t.settle();
      const after = adaptiveCardOf(await say('licenses'));
      expect(cardText(after)).not.toContain('scheduled:');
      expect(await t.app.sandbox.appliedChanges(SUBSCRIPTIONS.e3)).toBe(0);
    });

    it('after Alex adds 5 seats to E3, those 5 can be removed now (the window), warning about the scheduled change', async () => {
      await say('remove 1 E3');
      const scheduled = executeActions(adaptiveCardOf(t.connector.messages().at(-1))).find(
        (a) => a.title === 'Approve',
      );
      await t.post(cardAction(ALEX, 'order.approve', scheduled?.data ?? {}, personal()));
      await t.settle();
      const add = executeActions(adaptiveCardOf(await say('add 5 E3'))).find((a) => a.title === 'Approve');
      await t.post(cardAction(ALEX, 'order.approve', add?.data ?? {}, personal()));
      await t.settle();
      const remove = cardText(adaptiveCardOf(await say('remove 5 E3')));
      expect(remove).toContain('Confirm: remove 5 seats from Office 365 E3 now');
      expect(remove).toContain("The credit of $115.00 a month appears on next month's bill.");
      expect(remove).toContain(
        'Microsoft deletes the reduction scheduled for the renewal (to 119 seats) when seats change now; License Desk schedules it again right after.',
      );
      // More than the window allows: both numbers, then the card for the reduction at renewal.
      const before = t.connector.messages().length;
      await say('remove 6 E3');
      const [words, card] = t.connector.messages().slice(before);
      expect(textOf(words)).toMatch(
        /^Only 5 seats can be removed now \(until .+\), so the 6 you asked for come off at renewal\. To remove 5 now instead, ask for 5\.$/,
      );
      expect(cardText(adaptiveCardOf(card))).toContain(
        `Confirm: remove 6 seats from Office 365 E3 at renewal on ${demoRenewal(5)}`,
      );
    });

    it('a user who manages nothing is told why', async () => {
      expect(textOf(await say('licenses', PATTI))).toContain(
        "You don't have the **Licenses Manager** permission",
      );
    });

    it('pages beyond a screenful', async () => {
      for (let i = 0; i < 5; i += 1) {
        await t.app.database.query(
          `INSERT INTO sandbox_subscriptions (id, product, domain, plan, quantity, in_use, price_minor, currency, renewal_date, updated_at)
           VALUES ($1, $2, 'contoso.com', 'FLEXIBLE', 10, 1, 100, 'USD', NULL, now())`,
          [`extra-${i}`, `Extra Product ${i}`],
        );
      }
      const first = adaptiveCardOf(await say('licenses'));
      expect(cardText(first)).toContain('9 subscriptions in 2 billing profiles · page 1 of 2');
      const more = submitActions(first).find((b) => b.title === 'More subscriptions');
      const second = cardText(adaptiveCardOf(await submit(more?.data ?? {})));
      expect(second).toContain('page 2 of 2');
      expect(second.match(/ seats · /g)).toHaveLength(3);
    });
  });

  describe('one-line requests', () => {
    it('"add 5 seats to Business Standard" goes straight to the confirmation card', async () => {
      expect(cardText(adaptiveCardOf(await say('add 5 seats to Business Standard')))).toContain(
        'Seats: 25 → 30 (+5)',
      );
    });

    it('"+5 E3" and "remove 3 Business Basic" too', async () => {
      expect(cardText(adaptiveCardOf(await say('+5 E3')))).toContain('Seats: 120 → 125 (+5)');
      expect(cardText(adaptiveCardOf(await say('remove 3 Business Basic')))).toContain('Seats: 40 → 37 (−3)');
    });

    it('asks only for what is missing: the number', async () => {
      expect(textOf(await say('add seats to E3'))).toContain(
        'How many seats do you want to add to **Office 365 E3**',
      );
    });

    it('asks only for what is unclear: which of two matches; the number is kept', async () => {
      const reply = await say('add 2 business');
      const texts = t.connector
        .messages()
        .slice(-2)
        .map((c) => textOf(c) + JSON.stringify(c.body.attachments ?? []));
      expect(texts.join(' ')).toContain('"business" matches 2 subscriptions');
      expect(JSON.stringify(reply?.body.attachments)).not.toContain('Office 365 E3');
      expect(cardText(adaptiveCardOf(await say('basic')))).toContain('Seats: 40 → 42 (+2)');
    });

    it('a refused number is asked again with the reason, the subscription kept', async () => {
      const texts = async (text: string) => {
        const before = t.connector.messages().length;
        await t.post(message(ALEX, text, personal()));
        return t.connector.messages().slice(before).map(textOf).join(' ');
      };
      const reply = await texts('add 2.5 seats to E3');
      expect(reply).toContain('Seats come whole');
      expect(reply).toContain('How many seats do you want to add to **Office 365 E3**');
      expect(cardText(adaptiveCardOf(await say('3')))).toContain('Seats: 120 → 123 (+3)');
    });

    it('removing 30 of Business Basic is refused with how many can go; 5 works (40 -> 35, credit $30.00)', async () => {
      const before = t.connector.messages().length;
      await say('remove 30 Business Basic');
      const replies = t.connector.messages().slice(before).map(textOf);
      expect(replies[0]).toContain('has 40 seats and 12 are in use, so at most 28 can be removed');
      expect(replies[0]).toContain('To remove 30, first unassign 2 licenses from users.');
      expect(replies[1]).toContain('How many seats do you want to remove');
      const card = cardText(adaptiveCardOf(await say('5')));
      expect(card).toContain('Seats: 40 → 35 (−5)');
      expect(card).toContain("The credit of $30.00 a month appears on next month's bill.");
    });

    it('works with the @mention of a group chat', async () => {
      const group: Where = {
        serviceUrl: t.connector.serviceUrl,
        conversationId: '19:g@thread.v2',
        conversationType: 'groupChat',
      };
      const activity = message(ALEX, '+5 E3', group);
      expect(activity.text).toBe(`<at>${BOT.name}</at> +5 E3`);
      await t.post(activity);
      expect(cardText(adaptiveCardOf(t.connector.messages('19:g@thread.v2').at(-1)))).toContain(
        'Seats: 120 → 125 (+5)',
      );
    });
  });

  describe('orders', () => {
    const as = (user: TeamsUser) => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

    it('lists the requester’s orders with states, quantities, amounts and who decided', async () => {
      const small = await t.app.orders.request(as(ALEX), SUBSCRIPTIONS.businessStandard, 'increase', 5);
      const big = await t.app.orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30);
      if (!small.ok || !big.ok) throw new Error('setup');
      await t.app.orders.approve(as(ALEX), small.value.id);
      await t.app.orders.approve(as(ALEX), big.value.id);
      await t.settle();
      const text = cardText(adaptiveCardOf(await say('orders')));
      expect(text).toContain('1–2 of 2 orders, newest first');
      expect(text).toMatch(/LD-\d+ · Add 30 seats to Office 365 E3/);
      expect(text).toContain('Waiting for approval');
      expect(text).toContain('120 → 150 seats · +$690.00 a month');
      expect(text).toContain('Completed');
      expect(text).toMatch(/Approved by Alex Wilber on \{\{DATE/);
    });

    it('shows an approver what waits for them, with the approval card one tap away', async () => {
      const big = await t.app.orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30);
      if (!big.ok) throw new Error('setup');
      await t.app.orders.approve(as(ALEX), big.value.id);
      await t.settle();
      const list = adaptiveCardOf(await say('orders', MEGAN));
      expect(cardText(list)).toContain('Waiting for your approval');
      expect(cardText(list)).toMatch(/LD-\d+ · Alex Wilber: add 30 seats to Office 365 E3/);
      expect(cardText(list)).toContain('You have not ordered anything yet.');
      const open = submitActions(list).find((b) => b.title === 'Open');
      const card = adaptiveCardOf(await submit(open?.data ?? {}, MEGAN));
      expect(executeActions(card).map((a) => a.title)).toEqual(['Approve', 'Reject order']);
      const approveId = executeActions(card)[0].data.orderId;
      const response = await t.post(
        cardAction(MEGAN, 'order.approve', { orderId: approveId }, personal(MEGAN)),
      );
      expect(cardText((response.body as { value: CardJson }).value)).toContain(
        'Approved. Placing the order…',
      );
    });

    it('does not open an order for someone who is neither its requester nor its approver', async () => {
      const big = await t.app.orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30);
      if (!big.ok) throw new Error('setup');
      expect(textOf(await submit({ command: 'order.open', orderId: big.value.id }, PATTI))).toContain(
        "I can't find that order",
      );
    });

    it('pages older orders', async () => {
      for (let i = 0; i < 7; i += 1)
        await t.app.orders.request(as(ALEX), SUBSCRIPTIONS.businessStandard, 'increase', i + 1);
      const first = adaptiveCardOf(await say('orders'));
      expect(cardText(first)).toContain('1–5 of 7 orders');
      const older = submitActions(first).find((b) => b.title === 'Older orders');
      expect(cardText(adaptiveCardOf(await submit(older?.data ?? {})))).toContain('6–7 of 7 orders');
    });

    it('with nothing to show, says how to start', async () => {
      expect(textOf(await say('orders', PATTI))).toContain('You have no orders yet');
    });
  });
});
