import { translator } from '../../bot/i18n';
import { ALEX } from '../support/demoUsers';
import { adaptiveCardOf, textOf } from '../support/cards';
import { message } from '../support/teamsActivities';
import { memberKey, personalChatKey } from '../../bot/teams/conversationStore';
import { startTestApp, type TestApp } from '../support/testApp';

/**
 * The bot's conversation in the reader's language (README: Languages), through the real server: commands are
 * recognised in every language, and each answer is in the language of the activity's locale.
 */
describe('the conversation in five languages (real server, fake Bot Connector)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const say = async (text: string, locale: string) => {
    await t.post(message(ALEX, text, { serviceUrl: t.connector.serviceUrl, locale }));
    return t.connector.messages().at(-1);
  };
  const hero = (call: Awaited<ReturnType<typeof say>>) => JSON.stringify(call?.body.attachments ?? []);

  it.each([
    ['de-DE', 'Hilfe', '- **Lizenzen kaufen**'],
    ['fr-FR', 'aide', '- **acheter des licences**'],
    ['es-ES', 'ayuda', '- **comprar licencias**'],
    ['ja-JP', 'ヘルプ', '- **ライセンスを購入**'],
    ['en-US', 'help', '- **buy licenses**'],
    // Any language's words are understood; the answer is in the reader's.
    ['de-DE', 'help', '- **Lizenzen kaufen**'],
    ['ja-JP', 'aide', '- **ライセンスを購入**'],
  ])('%s: "%s" lists the commands in that language', async (locale, text, line) => {
    expect(textOf(await say(text, locale))).toContain(line);
  });

  it.each([
    [
      'de-DE',
      'Lizenzen kaufen',
      'Welchem Abonnement möchten Sie Lizenzen hinzufügen?',
      'abbrechen',
      'Abgebrochen. Es wurde nichts bestellt.',
    ],
    [
      'fr-FR',
      'acheter des licences',
      'À quel abonnement voulez-vous ajouter des licences ?',
      'annuler',
      'Annulé. Rien n’a été commandé.',
    ],
    [
      'es-ES',
      'comprar licencias',
      '¿A qué suscripción quieres añadir licencias?',
      'cancelar',
      'Cancelado. No se ha pedido nada.',
    ],
    [
      'ja-JP',
      'ライセンスを購入',
      'どのサブスクリプションにライセンスを追加しますか?',
      'キャンセル',
      'キャンセルしました。何も注文されていません。',
    ],
  ])('%s: "%s" asks which subscription, "%s" cancels', async (locale, buy, question, cancel, cancelled) => {
    expect(hero(await say(buy, locale))).toContain(question);
    expect(textOf(await say(cancel, locale))).toBe(cancelled);
    expect(textOf(await say(cancel, locale))).toBe(translator(locale).t('conversation.nothingToCancel'));
  });

  it.each([
    ['de-DE', '5 Lizenzen für E3 hinzufügen'],
    ['fr-FR', 'ajouter 5 licences à E3'],
    ['es-ES', 'añadir 5 licencias a E3'],
    ['ja-JP', 'E3に５ライセンス追加'],
    ['ja-JP', '+5 E3'],
  ])('%s: the one-line request "%s" goes straight to the confirmation card', async (locale, text) => {
    expect(adaptiveCardOf(await say(text, locale))).toBeDefined();
  });

  it.each([
    ['de-DE', 'Mach mir ein Brot', 'Ich habe „Mach mir ein Brot“ nicht verstanden.'],
    ['fr-FR', 'fais-moi un sandwich', 'Je n’ai pas compris « fais-moi un sandwich ».'],
    ['es-ES', 'hazme un bocadillo', 'No he entendido «hazme un bocadillo».'],
    ['ja-JP', 'サンドイッチを作って', '「サンドイッチを作って」がわかりませんでした。'],
  ])('%s: what it does not understand is said in that language', async (locale, text, answer) => {
    expect(textOf(await say(text, locale))).toContain(answer);
  });

  it('pseudo-locale: help, not understood and nothing to cancel are all bracketed pseudo text', async () => {
    for (const text of ['help', 'make me a sandwich', 'cancel'])
      expect(textOf(await say(text, 'qps-ploc'))).toMatch(/^\[.*·+\]$/s);
  });

  it.each(['not a locale!', 'x-private', 'zz-ZZ', ''])(
    'a locale it cannot use (%j) gets English',
    async (locale) => {
      expect(textOf(await say('cancel', locale))).toBe(
        'There is nothing to cancel. Say **help** to see what I can do.',
      );
    },
  );

  it('remembers the language a person last wrote in at once, for what the bot tells them later', async () => {
    const stored = async () => ({
      personal: (await t.app.conversations.reference(personalChatKey(ALEX.aadObjectId)))?.locale,
      member: (await t.app.conversations.reference(memberKey(ALEX.aadObjectId)))?.locale,
    });
    await say('help', 'en-US');
    expect(await stored()).toEqual({ personal: 'en-US', member: 'en-US' });
    await say('Hilfe', 'de-DE');
    expect(await stored()).toEqual({ personal: 'de-DE', member: 'de-DE' });
  });
});
