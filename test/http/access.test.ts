import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import { ALEX, LYNNE, MEGAN, PATTI, SUBSCRIPTIONS, type TeamsUser } from '../support/demoUsers';
import type { ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId, type Where } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

/** Every Action.Submit of a card (ShowCard contents included), with its title and data. */
function submits(card: CardJson | undefined): Array<{ title: string; data: Record<string, unknown> }> {
  const found: Array<{ title: string; data: Record<string, unknown> }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'Action.Submit')
      found.push({ title: String(o.title), data: o.data as Record<string, unknown> });
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

/** The inputs of a card, by id. */
function inputs(card: CardJson | undefined): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
      found.set(o.id, o);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return found;
}

describe('access managed in Teams, and license requests (real server, fake Bot Connector)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
    // Everyone has a personal chat with the bot (approval and request cards go there).
    for (const user of [ALEX, MEGAN, PATTI, LYNNE]) await t.post(message(user, 'help', personal(user)));
  });
  afterEach(async () => {
    await t.close();
  });

  const personal = (user: TeamsUser): Where => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: personalConversationId(user),
  });
  const lastIn = (user: TeamsUser): ConnectorCall | undefined =>
    t.connector.messages(personalConversationId(user)).at(-1);
  const say = async (user: TeamsUser, text: string) => {
    await t.post(message(user, text, personal(user)));
    return lastIn(user);
  };
  const submit = async (user: TeamsUser, data: Record<string, unknown>) => {
    const activity = message(user, '', personal(user));
    delete activity.text;
    activity.value = data;
    await t.post(activity);
    return lastIn(user);
  };
  const tap = async (user: TeamsUser, verb: string, orderId: string) =>
    (await t.post(cardAction(user, verb, { orderId }, personal(user)))).body as { value: CardJson };

  async function accessCardOf(user: TeamsUser, profile: string): Promise<CardJson | undefined> {
    const before = t.connector.messages(personalConversationId(user)).length;
    await say(user, 'access');
    return t.connector
      .messages(personalConversationId(user))
      .slice(before)
      .map((c) => adaptiveCardOf(c))
      .find((c) => cardText(c).includes(`Access: ${profile}`));
  }

  /** Patti buys 5 seats of Business Standard by herself: confirmation card, Approve, done (within the limit). */
  async function pattiBuysFiveSeats(): Promise<void> {
    const card = adaptiveCardOf(await say(PATTI, 'add 5 seats to Business Standard'));
    expect(cardText(card)).toContain('Confirm: add 5 seats to Microsoft 365 Business Standard');
    const approve = executeActions(card).find((a) => a.verb === 'order.approve');
    expect(approve).toBeDefined();
    await tap(PATTI, 'order.approve', String(approve?.data.orderId));
    await t.settle();
  }

  it('Megan grants Patti Licenses Manager on Contoso HQ; Patti buys; Megan revokes; Patti asks; Alex orders it', async () => {
    // Megan's access card: one per billing profile, the people in each role, Revoke each, a Grant form.
    const card = await accessCardOf(MEGAN, 'Contoso HQ');
    const text = cardText(card);
    expect(text).toContain('Licenses Manager\nAlex Wilber (alexw@contoso.com)');
    expect(text).toContain('Access Admin\nMegan Bowen (meganb@contoso.com)');
    expect(await accessCardOf(MEGAN, 'Contoso EMEA')).toBeDefined();
    const revokes = submits(card).filter((s) => s.title === 'Revoke');
    expect(revokes.map((r) => r.data)).toContainEqual({
      command: 'access.revoke',
      personId: ALEX.aadObjectId,
      role: 'LicensesManager',
      billingProfileId: 'contoso-hq',
    });
    const person = inputs(card).get('personId');
    expect(person).toMatchObject({
      type: 'Input.ChoiceSet',
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
    });
    expect(person?.choices).toContainEqual({
      title: 'Patti Fernandez (pattif@contoso.com)',
      value: PATTI.aadObjectId,
    });
    const grant = submits(card).find((s) => s.title === 'Grant');
    expect(grant?.data).toEqual({ command: 'access.grant' });

    // Before: Patti cannot buy, so her request would be a license request.
    // Megan grants (the form's values arrive with the Grant button's data); the card says so, with Patti in it.
    const granted = adaptiveCardOf(
      await submit(MEGAN, {
        ...grant?.data,
        personId: PATTI.aadObjectId,
        personIdText: '',
        role: 'LicensesManager',
        billingProfileId: 'contoso-hq',
      }),
    );
    expect(cardText(granted)).toContain('Patti Fernandez is now Licenses Manager on this billing profile.');
    expect(cardText(granted)).toContain('Licenses Manager\nAlex Wilber (alexw@contoso.com)\nPatti Fernandez');

    // Patti buys at once.
    await pattiBuysFiveSeats();
    expect((await t.app.sandbox.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(30);

    // Megan revokes (the Revoke button of Patti's row).
    const revoke = submits(granted).find(
      (s) =>
        s.title === 'Revoke' && s.data.personId === PATTI.aadObjectId && s.data.role === 'LicensesManager',
    );
    const revoked = adaptiveCardOf(await submit(MEGAN, revoke?.data ?? {}));
    expect(cardText(revoked)).toContain(
      'Patti Fernandez is no longer Licenses Manager on this billing profile.',
    );

    // Patti's next `buy licenses` becomes a request: same choices, and the confirmation asks.
    await say(PATTI, 'buy licenses');
    const pattiChat = t.connector.messages(personalConversationId(PATTI));
    expect(pattiChat.map(textOf)).toContainEqual(
      expect.stringContaining(
        "You don't have the **Licenses Manager** permission, so I'll send your request",
      ),
    );
    await say(PATTI, 'Business Standard');
    const confirmation = adaptiveCardOf(await say(PATTI, '5'));
    expect(cardText(confirmation)).toContain('Ask for 5 seats of Microsoft 365 Business Standard');
    expect(inputs(confirmation).get('reason')).toMatchObject({ type: 'Input.Text', maxLength: 500 });
    const send = submits(confirmation).find((s) => s.title === 'Send request');
    expect(Object.keys(send?.data ?? {}).sort()).toEqual(['command', 'requestId']);
    const sent = adaptiveCardOf(await submit(PATTI, { ...send?.data, reason: 'Two new starters' }));
    expect(cardText(sent)).toContain('Sent to the Licenses Managers of Contoso HQ');

    // It reaches Alex (the Licenses Manager of Contoso HQ), through the outbox.
    await t.settle();
    const request = adaptiveCardOf(lastIn(ALEX));
    expect(cardText(request)).toContain(
      'Patti Fernandez asks for 5 seats of Microsoft 365 Business Standard',
    );
    expect(cardText(request)).toContain('Why: "Two new starters"');
    expect(submits(request).map((s) => s.title)).toEqual(['Order these seats', 'Decline request']);

    // Alex orders it with one tap: his own confirmation card for those seats, nothing asked again.
    const orderThese = submits(request).find((s) => s.title === 'Order these seats');
    await submit(ALEX, orderThese?.data ?? {});
    const alexCard = adaptiveCardOf(lastIn(ALEX));
    expect(cardText(alexCard)).toContain('Confirm: add 5 seats to Microsoft 365 Business Standard');
    expect(cardText(alexCard)).toContain('requested by Alex Wilber');
    const approve = executeActions(alexCard).find((a) => a.verb === 'order.approve');
    await tap(ALEX, 'order.approve', String(approve?.data.orderId));
    await t.settle();
    expect((await t.app.sandbox.getSubscription(SUBSCRIPTIONS.businessStandard))?.quantity).toBe(35);

    // Patti was told, and her `orders` lists the request.
    expect(t.connector.messages(personalConversationId(PATTI)).map(textOf)).toContainEqual(
      expect.stringMatching(
        /^Alex Wilber is ordering your request LR-\d+ for 5 seats of Microsoft 365 Business Standard/,
      ),
    );
    // ...and, once, how the order made from her request ended (the order records the request).
    const order = (await t.app.orders.get(String(approve?.data.orderId)))!;
    expect(order.state).toBe('completed');
    expect(order.licenseRequest).toEqual({ id: expect.any(String), requesterId: PATTI.aadObjectId });
    const told = t.connector
      .messages(personalConversationId(PATTI))
      .map(textOf)
      .filter((text) => /^Done: the order made from your request/.test(text ?? ''));
    expect(told).toEqual([
      expect.stringMatching(
        /^Done: the order made from your request LR-\d+ for 5 seats of Microsoft 365 Business Standard \(LD-\d+\) is complete\. Microsoft 365 Business Standard now has 35 seats\.$/,
      ),
    ]);
    await t.app.orders.expireOverdue();
    await t.settle();
    expect(
      t.connector
        .messages(personalConversationId(PATTI))
        .map(textOf)
        .filter((text) => /^Done: the order made from your request/.test(text ?? '')),
    ).toHaveLength(1);
    const orders =
      (await say(PATTI, 'orders')) && t.connector.messages(personalConversationId(PATTI)).map(textOf);
    expect(orders).toContainEqual(
      expect.stringMatching(
        /Your license requests:[\s\S]*5 seats of Microsoft 365 Business Standard: ordered by Alex Wilber as LD-\d+, completed/,
      ),
    );
  });

  it('a declined request needs a reason; the requester is told it; a second tap learns it was decided', async () => {
    await say(LYNNE, 'add 3 seats to E3');
    const confirmation = adaptiveCardOf(lastIn(LYNNE));
    expect(cardText(confirmation)).toContain('Ask for 3 seats of Office 365 E3');
    await submit(LYNNE, submits(confirmation).find((s) => s.title === 'Send request')?.data ?? {});
    await t.settle();
    const request = adaptiveCardOf(lastIn(ALEX));
    const decline = submits(request).find((s) => s.title === 'Decline request');
    expect(textOf(await submit(ALEX, { ...decline?.data, reason: '  ' }))).toBe(
      'Give a reason for declining (up to 500 characters), so the requester knows why.',
    );
    const declined = adaptiveCardOf(
      await submit(ALEX, { ...decline?.data, reason: 'Use the spare E5 seats' }),
    );
    expect(cardText(declined)).toContain('Alex Wilber declined: "Use the spare E5 seats"');
    await t.settle();
    expect(t.connector.messages(personalConversationId(LYNNE)).map(textOf)).toContainEqual(
      expect.stringContaining(
        'Alex Wilber declined your request LR-1 for 3 seats of Office 365 E3: "Use the spare E5 seats" Nothing was ordered.',
      ),
    );
    expect(
      textOf(await submit(ALEX, submits(request).find((s) => s.title === 'Order these seats')?.data ?? {})),
    ).toBe('This request was already declined by Alex Wilber.');
    // Patti (no Licenses Manager) cannot decide someone's request either.
    expect(textOf(await submit(PATTI, { ...decline?.data, reason: 'no' }))).toBe(
      'Only a Licenses Manager of billing profile **Contoso HQ** can order or decline this request.',
    );
  });

  it('a person who is not an Access Admin is told who is; bad input on the card gets a sentence and changes nothing', async () => {
    expect(textOf(await say(PATTI, 'access'))).toBe(
      'Only an Access Admin of a billing profile can change who does what there. Its Access Admin is Megan Bowen (meganb@contoso.com).',
    );
    const typedBadly = adaptiveCardOf(
      await submit(MEGAN, {
        command: 'access.grant',
        personId: '',
        personIdText: 'not-an-id',
        role: 'Approver',
        billingProfileId: 'contoso-hq',
      }),
    );
    expect(cardText(typedBadly)).toContain('"not-an-id" is not a Microsoft Entra object id');
    // The object id typed in (outside Teams there is no people picker) works like a picked person.
    const typed = adaptiveCardOf(
      await submit(MEGAN, {
        command: 'access.grant',
        personId: '',
        personIdText: ` ${LYNNE.aadObjectId} `,
        role: 'Approver',
        billingProfileId: 'contoso-emea',
      }),
    );
    expect(cardText(typed)).toContain('Lynne Robbins is now Approver on this billing profile.');
    // A forged tap by someone who is not an Access Admin changes nothing.
    expect(
      textOf(
        await submit(ALEX, {
          command: 'access.revoke',
          personId: MEGAN.aadObjectId,
          role: 'AccessAdmin',
          billingProfileId: 'contoso-hq',
        }),
      ),
    ).toContain('Only an Access Admin of billing profile **Contoso HQ**');
    const audit = await t.app.database.query<{ action: string }>(
      "SELECT action FROM access_audit WHERE action IN ('grant', 'revoke')",
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['grant']);
  });

  it("a revoked Licenses Manager's pending draft cannot be confirmed", async () => {
    const draft = adaptiveCardOf(await say(ALEX, 'add 2 seats to Business Standard'));
    const approve = executeActions(draft).find((a) => a.verb === 'order.approve');
    await t.app.access.grant(
      { id: MEGAN.aadObjectId, name: MEGAN.name },
      { personId: PATTI.aadObjectId, role: 'LicensesManager', billingProfileId: 'contoso-hq' },
    );
    const revoked = await t.app.access.revoke(
      { id: MEGAN.aadObjectId, name: MEGAN.name },
      { personId: ALEX.aadObjectId, role: 'LicensesManager', billingProfileId: 'contoso-hq' },
    );
    expect(revoked.ok).toBe(true);
    const reply = await tap(ALEX, 'order.approve', String(approve?.data.orderId));
    expect(cardText(reply.value)).toContain(
      'You are not assigned to billing profile **Contoso HQ**, under which this subscription',
    );
    expect(await t.app.orders.get(String(approve?.data.orderId))).toMatchObject({ state: 'draft' });
  });
});
