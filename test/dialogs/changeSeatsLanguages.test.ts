import type { Activity, Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { DialogTurnStatus } from 'botbuilder-dialogs';
import { createApp, type App } from '../../bot/app';
import { loadConfig } from '../../bot/config';
import { parseSeatShortcut } from '../../bot/domain/seatShortcut';
import type { ChangeSeatsOptions } from '../../bot/teams/dialogs/changeSeatsDialog';
import { adaptiveCardOf } from '../support/cards';
import { freshDatabase } from '../support/database';
import { ALEX, BOT, TENANT_ID, type TeamsUser } from '../support/demoUsers';
import { silentLog } from '../support/testApp';

/**
 * The purchase dialog in the reader's language (README: Languages): every sentence comes from the conversation
 * catalogue; product names and values stay as they are. The confirmation card is the cards' own (only that it
 * is sent is checked here).
 */
function clientFor(app: App, user: TeamsUser, locale: string, options: ChangeSeatsOptions): DialogTestClient {
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
      activity.locale = locale;
      await next();
    },
  };
  return new DialogTestClient('msteams', app.changeSeatsDialog, options, [asTeamsUser]);
}

const text = (reply: Partial<Activity> | undefined) => reply?.text ?? '';
const heroText = (reply: Partial<Activity> | undefined) =>
  (reply?.attachments?.[0]?.content as { text?: string } | undefined)?.text ?? '';
const heroButtons = (reply: Partial<Activity> | undefined) =>
  (
    (reply?.attachments?.[0]?.content as { buttons?: Array<{ title: string }> } | undefined)?.buttons ?? []
  ).map((b) => b.title);
const isCard = (reply: Partial<Activity> | undefined) =>
  adaptiveCardOf({ body: reply as never }) !== undefined;

/** English words that would betray a sentence that escaped the catalogue. */
const ENGLISH = /\b(seats?|how many|subscription|which|type|number|tap|the|you)\b/i;

/** What a request typed in that language starts (the bot reads it the same way: domain/seatShortcut.ts). */
function requestIn(words: string, locale: string): ChangeSeatsOptions {
  const shortcut = parseSeatShortcut(words, 300, locale);
  if (!shortcut) throw new Error(`"${words}" is not read as a request`);
  return shortcut;
}

describe('the purchase dialog in the reader’s language (DialogTestClient, msteams, real services)', () => {
  let app: App;

  beforeAll(async () => {
    app = await createApp(loadConfig({ DATA_DIR: 'memory://' }), silentLog, {
      database: await freshDatabase(),
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('German: "Lizenzen kaufen" -> Business Standard -> 5: every sentence in German, then the card', async () => {
    const client = clientFor(app, ALEX, 'de-DE', requestIn('Lizenzen kaufen', 'de-DE'));
    const picker = await client.sendActivity('Lizenzen kaufen');
    expect(heroText(picker)).toBe(
      'Welchem Abonnement möchten Sie Lizenzen hinzufügen? Tippen Sie auf eines, oder geben Sie seinen Namen oder seine Nummer ein.',
    );
    // Product names are Microsoft's own, in every language.
    expect(heroButtons(picker)).toContain('1. Microsoft 365 Business Standard (contoso.com)');
    const question = text(await client.sendActivity('Business Standard'));
    expect(question).toBe(
      'Wie viele Lizenzen möchten Sie **Microsoft 365 Business Standard** (contoso.com) hinzufügen? Es hat 25 Lizenzen, davon 21 genutzt, zu 12,50\u00a0$ pro Lizenz und Monat. Eine Bestellung fügt bis zu 300 hinzu.',
    );
    const wrong = text(await client.sendActivity('fünf'));
    expect(wrong).toBe(
      '„fünf“ ist keine Anzahl von Lizenzen. Geben Sie sie in Ziffern ein: eine ganze Zahl von 1 bis 300, zum Beispiel 5.',
    );
    const help = text(await client.sendActivity('Hilfe'));
    expect(help).toContain('sagen Sie **abbrechen**');
    expect(text(client.getNextReply())).toBe(question);
    for (const reply of [heroText(picker), question, wrong, help]) expect(reply).not.toMatch(ENGLISH);
    expect(isCard(await client.sendActivity('5'))).toBe(true);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('Japanese: "ライセンスを購入" -> Business Standard -> ５ (full-width): every sentence in Japanese, then the card', async () => {
    const client = clientFor(app, ALEX, 'ja-JP', requestIn('ライセンスを購入', 'ja-JP'));
    const picker = await client.sendActivity('ライセンスを購入');
    expect(heroText(picker)).toBe(
      'どのサブスクリプションにライセンスを追加しますか? タップするか、名前または番号を入力してください。',
    );
    const question = text(await client.sendActivity('Business Standard'));
    expect(question).toBe(
      '**Microsoft 365 Business Standard** (contoso.com) に何ライセンス追加しますか? 現在 25 ライセンス (使用中 21)、1 ライセンスあたり月額 $12.50 です。1 回の注文で最大 300 ライセンス追加できます。',
    );
    const wrong = text(await client.sendActivity('五'));
    expect(wrong).toBe(
      '「五」はライセンス数ではありません。数字で入力してください: 1 から 300 までの整数 (例: 5)。',
    );
    const tooMany = text(await client.sendActivity('１，０００'));
    expect(tooMany).toContain('1 回の注文で変更できるのは最大 300 ライセンスです');
    for (const reply of [heroText(picker), question, wrong, tooMany]) expect(reply).not.toMatch(ENGLISH);
    expect(isCard(await client.sendActivity('５'))).toBe(true);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.complete);
  });

  it('a one-line request in German or Japanese goes straight to the card', async () => {
    for (const [words, locale] of [
      ['5 Lizenzen für Business Standard hinzufügen', 'de-DE'],
      ['Business Standardに5ライセンス追加', 'ja-JP'],
      ['ajouter 5 licences à Business Standard', 'fr-FR'],
      ['añadir 5 licencias a Business Standard', 'es-ES'],
      ['+5 Business Standard', 'es-MX'],
    ]) {
      const client = clientFor(app, ALEX, locale, requestIn(words, locale));
      expect(isCard(await client.sendActivity(words))).toBe(true);
    }
  });

  it('pseudo-locale (qps-ploc): every sentence of the whole purchase is bracketed pseudo text', async () => {
    const client = clientFor(app, ALEX, 'qps-ploc', { kind: 'increase' });
    const replies: string[] = [];
    replies.push(heroText(await client.sendActivity('buy licenses')));
    replies.push(text(await client.sendActivity('Visio Plan 2')));
    replies.push(text(await client.sendActivity('business')));
    replies.push(text(await client.sendActivity('Business Standard')));
    for (const answer of ['', 'five', '0', '-3', '2.5', '1e3', '301', 'x'.repeat(100), 'help', '+5']) {
      replies.push(text(await client.sendActivity(answer)));
      if (answer === 'help') replies.push(text(client.getNextReply()));
    }
    expect(replies).toHaveLength(15);
    for (const reply of replies) {
      expect(reply).toMatch(/^\[.*·+\]$/s);
      // What is left once values (product names, domains, numbers, what was typed) are taken out is accented.
      const words = reply
        .replace(
          /Microsoft 365 Business Standard|Microsoft 365 Business Basic|Office 365 E3|Microsoft 365 E5/g,
          '',
        )
        .replace(/contoso\.(com|eu)|Visio Plan 2|business|five|2\.5|1e3/g, '');
      expect(words).not.toMatch(/\b(seats?|number|type|subscription|how|the|and|or)\b/i);
    }
    expect(isCard(client.getNextReply())).toBe(true);
  });

  it.each([
    ['en-US', 'five', '"five" is not a number of seats. Type it in digits'],
    ['de-AT', 'fünf', '„fünf“ ist keine Anzahl von Lizenzen. Geben Sie sie in Ziffern ein'],
    ['fr-FR', 'cinq', '« cinq » n’est pas un nombre de licences. Tapez-le en chiffres'],
    ['es-ES', 'cinco', '«cinco» no es un número de licencias. Escríbelo con cifras'],
    ['ja-JP', '五', '「五」はライセンス数ではありません。数字で入力してください'],
  ])('%s: a number in words (%s) is asked again in digits, nothing lost', async (locale, word, message) => {
    const client = clientFor(app, ALEX, locale, { kind: 'increase' });
    await client.sendActivity('start');
    await client.sendActivity('Business Standard');
    expect(text(await client.sendActivity(word))).toContain(message);
    expect(client.dialogTurnResult.status).toBe(DialogTurnStatus.waiting);
    expect(isCard(await client.sendActivity('5'))).toBe(true);
  });

  it.each([
    ['de-DE', '1.000', 'Eine Bestellung kann höchstens 300 Lizenzen ändern'],
    ['fr-FR', '1 000', 'Une commande peut modifier au plus 300 licences'],
    ['fr-FR', '1\u202f000', 'Une commande peut modifier au plus 300 licences'],
    ['en-US', '1,000', 'One order can change at most 300 seats'],
    ['en-US', '1.000', 'Seats come whole'],
    ['de-DE', '2,5', 'Lizenzen gibt es nur ganz'],
  ])('%s reads %j with its own separators', async (locale, answer, message) => {
    const client = clientFor(app, ALEX, locale, { kind: 'increase' });
    await client.sendActivity('start');
    await client.sendActivity('Business Standard');
    expect(text(await client.sendActivity(answer))).toContain(message);
  });

  it.each(['not a locale!', 'x-private', 'zz-ZZ', 'i-klingon', '', 'de-DE-u-nu-thai-x-y'])(
    'a locale it cannot use (%j) falls back to English (or its language) without error',
    async (locale) => {
      const client = clientFor(app, ALEX, locale, { kind: 'increase' });
      await client.sendActivity('start');
      const question = text(await client.sendActivity('Business Standard'));
      if (locale.startsWith('de'))
        expect(question).toContain('Wie viele Lizenzen möchten Sie **Microsoft 365 Business Standard**');
      else
        expect(question).toBe(
          'How many seats do you want to add to **Microsoft 365 Business Standard** (contoso.com)? It has 25 seats, 21 in use, at $12.50 per seat a month. One order adds up to 300.',
        );
      expect(isCard(await client.sendActivity('5'))).toBe(true);
    },
  );
});
