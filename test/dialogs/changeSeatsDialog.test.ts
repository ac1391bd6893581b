import type { Activity, Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import type { ChangeSeatsOptions } from '../../bot/teams/dialogs/changeSeatsDialog';
import { adaptiveCardOf, cardText } from '../support/cards';
import { freshDatabase } from '../support/database';
import {
  ADELE,
  ALEX,
  BOT,
  PATTI,
  SUBSCRIPTIONS,
  TENANT_ID,
  demoRenewal,
  type TeamsUser,
} from '../support/demoUsers';
import { silentLog } from '../support/testApp';

/** DialogTestClient on channel msteams, for one demo user in their personal chat (as Teams addresses them). */
function clientFor(app: App, user: TeamsUser, options: ChangeSeatsOptions): DialogTestClient {
  const asTeamsUser: Middleware = {
    async onTurn(context, next) {
      const activity = context.activity;
      activity.from = { id: user.teamsId, name: user.name, aadObjectId: user.aadObjectId };
      activity.recipient = { id: BOT.id, name: BOT.name };
      activity.conversation = {
        id: `a:${user.teamsId}`,
        conversationType: 'personal',
        tenantId: TENANT_ID,
        isGroup: false,
        name: '',
      };
      activity.locale = 'en-US';
      await next();
    },
  };
  return new DialogTestClient('msteams', app.changeSeatsDialog, options, [asTeamsUser]);
}

const text = (reply: Partial<Activity> | undefined) => reply?.text ?? '';
const heroText = (reply: Partial<Activity> | undefined) => JSON.stringify(reply?.attachments ?? []);

describe('ChangeSeatsDialog (DialogTestClient, msteams, real services)', () => {
  let app: App;

  beforeEach(async () => {
    app = await createApp(loadConfig({ DATA_DIR: 'memory://' }), silentLog, {
      database: await freshDatabase(),
    });
  });
  afterEach(async () => {
    await app.close();
  });

  const draftCount = async () => (await app.orderRepository.listByRequester(ALEX.aadObjectId, 100, 0)).length;

  /** Starts a purchase and answers the subscription question, leaving the quantity question open. */
  async function atQuantity(client: DialogTestClient): Promise<void> {
    await client.sendActivity('buy licenses');
    expect(text(await client.sendActivity('Business Standard'))).toContain(
      'How many seats do you want to add',
    );
  }

  it('happy path: pick, quantity, confirmation card with the billing note; the dialog ends with a draft', async () => {
    const client = clientFor(app, ALEX, { kind: 'increase' });
    const picker = await client.sendActivity('buy licenses');
    expect(heroText(picker)).toContain('1. Microsoft 365 Business Standard (contoso.com)');
    expect(heroText(picker)).toContain('4. Microsoft 365 E5 (contoso.eu)');
    expect(text(await client.sendActivity('Business Standard'))).toBe(
      'How many seats do you want to add to **Microsoft 365 Business Standard** (contoso.com)? It has 25 seats, 21 in use, at $12.50 per seat a month. One order adds up to 300.',
    );
    const confirmation = await client.sendActivity('5');
    const card = cardText(adaptiveCardOf({ body: confirmation as never }));
    expect(card).toContain('Confirm: add 5 seats to Microsoft 365 Business Standard');
    expect(card).toContain('Billing profile: Contoso HQ');
    expect(card).toContain('Plan: FLEXIBLE');
    expect(card).toContain('Seats: 25 → 30 (+5)');
    expect(card).toContain('Your monthly payment increases by $62.50 to cover the new licenses.');
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
    const [order] = await app.orderRepository.listByRequester(ALEX.aadObjectId, 10, 0);
    expect(order).toMatchObject({ state: 'draft', expectedQuantity: 25, targetQuantity: 30 });
    expect(await app.sandbox.appliedChanges()).toBe(0);
  });

  describe('bad quantities: a clear message, the question again, nothing lost, nothing ordered', () => {
    it.each([
      ['', 'I need a number of seats'],
      ['letters', '"letters" is not a number of seats. Type it in digits'],
      ['five', '"five" is not a number of seats'],
      ['0', 'Zero seats changes nothing'],
      ['-3', 'To remove seats, say **cancel** and then **remove licenses**'],
      ['2.5', 'Seats come whole: "2.5" is not a whole number'],
      ['1e3', 'Type the number in plain digits ("1e3" uses an exponent)'],
      ['301', 'One order can change at most 300 seats'],
      ['1 0', 'is not a number of seats'],
      ['🎉', 'is not a number of seats'],
      ['x'.repeat(2000), 'That is too long to be a number of seats'],
    ])('%j -> %s', async (answer, message) => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await atQuantity(client);
      const reply = await client.sendActivity(answer);
      expect(text(reply)).toContain(message);
      expect(text(reply)).not.toContain('x'.repeat(100));
      expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
      expect(await draftCount()).toBe(0);
      // Second chance: the subscription chosen earlier is kept.
      const card = cardText(adaptiveCardOf({ body: (await client.sendActivity('5')) as never }));
      expect(card).toContain('Seats: 25 → 30 (+5)');
      expect(await draftCount()).toBe(1);
      expect(await app.sandbox.appliedChanges()).toBe(0);
    });

    it('spaces around a number are fine', async () => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await atQuantity(client);
      expect(cardText(adaptiveCardOf({ body: (await client.sendActivity('   7   ')) as never }))).toContain(
        'Seats: 25 → 32 (+7)',
      );
    });

    it('"+5" is fine, and the bot says what it understood', async () => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await atQuantity(client);
      expect(text(await client.sendActivity('+5'))).toBe('I read that as 5 seats.');
      expect(cardText(adaptiveCardOf({ body: client.getNextReply() as never }))).toContain(
        'Seats: 25 → 30 (+5)',
      );
    });
  });

  describe('bad subscription answers', () => {
    it('a name that matches nothing: says which ones there are, asks again', async () => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await client.sendActivity('buy licenses');
      const reply = text(await client.sendActivity('Visio Plan 2'));
      expect(reply).toContain('I couldn\'t find a subscription called "Visio Plan 2"');
      expect(reply).toContain('2. Office 365 E3 (contoso.com)');
      expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
      expect(text(await client.sendActivity('E3'))).toContain('Office 365 E3');
    });

    it('a name that matches two: asks for more of the name', async () => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await client.sendActivity('buy licenses');
      expect(text(await client.sendActivity('business'))).toContain('"business" matches 2 subscriptions');
    });

    it('one the user may not manage: says exactly why, offers theirs', async () => {
      const client = clientFor(app, ADELE, { kind: 'increase' });
      expect(heroText(await client.sendActivity('buy licenses'))).not.toContain('Business Standard');
      const reply = text(await client.sendActivity('Business Standard'));
      expect(reply).toContain('You are not assigned to billing profile **Contoso HQ**');
      expect(reply).toContain(
        'Choose one of yours: 1. Microsoft 365 Business Basic (contoso.eu), 2. Microsoft 365 E5 (contoso.eu)',
      );
      expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
    });

    it('one that no longer exists: says so and lists what is left', async () => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await client.sendActivity('buy licenses');
      await app.sandbox.remove(SUBSCRIPTIONS.businessStandard);
      expect(text(await client.sendActivity('1'))).toBe(
        'That subscription no longer exists. Here are the ones you can change now.',
      );
      const picker = heroText(client.getNextReply());
      expect(picker).toContain('Office 365 E3');
      expect(picker).not.toContain('Business Standard');
    });
  });

  it('a user without the permission who removes seats is told which permission is missing and who grants it', async () => {
    const client = clientFor(app, PATTI, { kind: 'decrease' });
    const reply = text(await client.sendActivity('remove licenses'));
    expect(reply).toContain("You don't have the **Licenses Manager** permission on any billing profile");
    expect(reply).toContain('Ask Megan Bowen (meganb@contoso.com) to grant it.');
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('a user without the permission who buys goes through the same choices, to ask (a license request)', async () => {
    const client = clientFor(app, PATTI, { kind: 'increase' });
    const reply = text(await client.sendActivity('buy licenses'));
    expect(reply).toContain(
      "You don't have the **Licenses Manager** permission, so I'll send your request to a Licenses Manager",
    );
    expect(heroText(client.getNextReply())).toContain('Which subscription do you want to add seats to?');
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
  });

  describe('help and cancel at every step', () => {
    it('help at the subscription question answers and asks the same question again', async () => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await client.sendActivity('buy licenses');
      expect(text(await client.sendActivity('help'))).toContain(
        'Answer the question below, or say **cancel**',
      );
      expect(heroText(client.getNextReply())).toContain('Which subscription do you want to add seats to?');
      expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
    });

    it('help at the quantity question keeps the chosen subscription', async () => {
      const client = clientFor(app, ALEX, { kind: 'increase' });
      await atQuantity(client);
      await client.sendActivity('HELP');
      expect(text(client.getNextReply())).toContain('Microsoft 365 Business Standard');
      expect(cardText(adaptiveCardOf({ body: (await client.sendActivity('3')) as never }))).toContain(
        '25 → 28',
      );
    });

    it.each(['subscription', 'quantity'])(
      'cancel at the %s question ends the dialog; nothing is ordered',
      async (step) => {
        const client = clientFor(app, ALEX, { kind: 'increase' });
        if (step === 'quantity') await atQuantity(client);
        else await client.sendActivity('buy licenses');
        expect(text(await client.sendActivity('cancel'))).toBe('Cancelled. Nothing was ordered.');
        expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
        expect(await draftCount()).toBe(0);
      },
    );
  });

  describe('removing seats', () => {
    it('offers every subscription a decrease is possible for (E3 at renewal), and explains the others', async () => {
      const client = clientFor(app, ALEX, { kind: 'decrease' });
      const explanation = text(await client.sendActivity('remove licenses'));
      expect(explanation).toBe(
        'All 10 seats of **Microsoft 365 E5** are in use, so none can be removed. Unassign licenses from users first.',
      );
      const picker = heroText(client.getNextReply());
      expect(picker).toContain('Microsoft 365 Business Standard');
      expect(picker).toContain('Microsoft 365 Business Basic');
      expect(picker).toContain('Office 365 E3');
      expect(picker).not.toContain('Microsoft 365 E5');
      expect(text(await client.sendActivity('Office 365 E3'))).toBe(
        `How many seats do you want to remove from **Office 365 E3** (contoso.com)? It has 120 seats and 118 in use, so up to 2 can go. You can remove at renewal on ${demoRenewal(5)} (up to 2; you keep paying for them until then).`,
      );
    });

    it('never goes below the seats in use, and says how many to unassign', async () => {
      const client = clientFor(app, ALEX, { kind: 'decrease' });
      await client.sendActivity('remove licenses');
      client.getNextReply();
      expect(text(await client.sendActivity('Business Basic'))).toContain('so up to 28 can go');
      const refusal = text(await client.sendActivity('30'));
      expect(refusal).toContain('has 40 seats and 12 are in use, so at most 28 can be removed');
      expect(refusal).toContain('To remove 30, first unassign 2 licenses from users.');
      const card = cardText(adaptiveCardOf({ body: (await client.sendActivity('28')) as never }));
      expect(card).toContain('Seats: 40 → 12 (−28)');
      expect(card).toContain("The credit of $168.00 a month appears on next month's bill.");
    });
  });
});
