import { COMMAND_WORDS } from '../../bot/domain/commandWords';
import { parseAwayCommand } from '../../bot/domain/delegation';
import { parseSeatCount } from '../../bot/domain/seatCount';
import { parseSeatShortcut } from '../../bot/domain/seatShortcut';
import { LANGUAGES } from '../../bot/i18n/languages';
import { recognizeCommand } from '../../bot/teams/commands';

/** How a command is said in each language (README: Languages); the words are in bot/domain/commandWords.ts. */
const SAID: Record<(typeof LANGUAGES)[number], Record<string, string>> = {
  en: { licenses: 'licenses', orders: 'orders', access: 'access', help: 'help', cancel: 'cancel' },
  de: { licenses: 'Lizenzen', orders: 'Bestellungen', access: 'Zugriff', help: 'Hilfe', cancel: 'Abbrechen' },
  fr: { licenses: 'licences', orders: 'commandes', access: 'accès', help: 'aide', cancel: 'annuler' },
  es: { licenses: 'licencias', orders: 'pedidos', access: 'acceso', help: 'ayuda', cancel: 'cancelar' },
  ja: { licenses: 'ライセンス', orders: '注文', access: 'アクセス', help: 'ヘルプ', cancel: 'キャンセル' },
};

describe('every language has every command', () => {
  it('the word lists of every language are filled', () => {
    for (const language of LANGUAGES)
      for (const [key, words] of Object.entries(COMMAND_WORDS[language]))
        if (key !== 'showPrefixes' && key !== 'showSuffixes')
          expect({ language, key, filled: words.length > 0 }).toEqual({ language, key, filled: true });
  });

  describe.each(LANGUAGES)('%s', (language) => {
    const words = COMMAND_WORDS[language];

    it.each(Object.entries(SAID[language]))('%s is "%s", whatever the reader’s locale', (name, said) => {
      expect(recognizeCommand(said).name).toBe(name);
      expect(recognizeCommand(`  ${said.toUpperCase()}. `).name).toBe(name);
      for (const phrase of words[name as 'help']) expect(recognizeCommand(phrase).name).toBe(name);
    });

    it(`buys with "${words.buy}" and removes with "${words.remove}"`, () => {
      for (const locale of ['en-US', `${language}-XX`]) {
        expect(parseSeatShortcut(words.buy, 300, locale)).toEqual({ kind: 'increase', subscriptionText: '' });
        expect(parseSeatShortcut(words.remove, 300, locale)).toEqual({
          kind: 'decrease',
          subscriptionText: '',
        });
      }
    });

    it('every verb makes a request, every seat word is not a name', () => {
      for (const verb of words.increaseVerbs)
        expect(parseSeatShortcut(`${verb} 5 ${words.seatWords[0]}`, 300)?.kind).toBe('increase');
      for (const verb of words.decreaseVerbs)
        expect(parseSeatShortcut(`${verb} 5 ${words.seatWords[0]}`, 300)?.kind).toBe('decrease');
      for (const seat of words.seatWords)
        expect(parseSeatCount(`5 ${seat}`, 300)).toEqual({ ok: true, seats: 5 });
    });

    it('every number word is a number asked again in digits', () => {
      for (const number of words.numberWords)
        expect(
          parseSeatShortcut(`${words.increaseVerbs[0]} ${number} ${words.seatWords[0]}`, 300),
        ).toMatchObject({
          seatProblem: { problem: 'not_a_number' },
        });
    });

    it('away and back', () => {
      expect(
        parseAwayCommand(`${words.away} ${words.until[0]} 2026-12-24, ${words.delegate[0]} Adele Vance`),
      ).toEqual({ kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' });
      for (const back of words.back) expect(parseAwayCommand(back)).toEqual({ kind: 'back' });
    });
  });
});

describe('one-line requests and absences in each language', () => {
  it.each([
    ['5 Lizenzen für E3 hinzufügen', 'de-DE', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
    [
      'füge 5 Lizenzen zu Business Standard hinzu',
      'de-DE',
      { kind: 'increase', seats: 5, subscriptionText: 'business standard' },
    ],
    [
      '3 Lizenzen aus Business Basic entfernen',
      'de-DE',
      { kind: 'decrease', seats: 3, subscriptionText: 'business basic' },
    ],
    [
      'bitte 1.000 Lizenzen für E3 kaufen',
      'de-DE',
      { kind: 'increase', seats: 1000, subscriptionText: 'e3' },
    ],
    [
      "ajouter 5 licences à l'abonnement Office 365 E3",
      'fr-FR',
      { kind: 'increase', seats: 5, subscriptionText: 'office 365 e3' },
    ],
    [
      'retirer 3 licences de Business Basic',
      'fr-FR',
      { kind: 'decrease', seats: 3, subscriptionText: 'business basic' },
    ],
    ['ajouter 1 000 licences à E3', 'fr-FR', { kind: 'increase', seats: 1000, subscriptionText: 'e3' }],
    ['añadir 5 licencias a E3, por favor', 'es-ES', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
    [
      'quitar 3 licencias de Business Basic',
      'es-MX',
      { kind: 'decrease', seats: 3, subscriptionText: 'business basic' },
    ],
    ['E3に5ライセンス追加', 'ja-JP', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
    ['E3に５ライセンスを追加してください', 'ja-JP', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
    [
      'Business Basicから3ライセンス削除',
      'ja-JP',
      { kind: 'decrease', seats: 3, subscriptionText: 'business basic' },
    ],
    ['+5 E3', 'de-DE', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
    ['＋５ E3', 'ja-JP', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
    ['add 1,000 seats to E3', 'en-US', { kind: 'increase', seats: 1000, subscriptionText: 'e3' }],
    ['add 5 seats to E3', 'de-DE', { kind: 'increase', seats: 5, subscriptionText: 'e3' }],
  ])('%j (%s)', (text, locale, expected) => {
    expect(parseSeatShortcut(text, 3000, locale)).toEqual(expected);
  });

  it.each([
    ['fünf Lizenzen für E3 kaufen', 'fünf'],
    ['ajouter cinq licences à E3', 'cinq'],
    ['añadir cinco licencias a E3', 'cinco'],
    ['Business Standardのライセンスを五つ追加', '五'],
    ['add five seats to E3', 'five'],
  ])('%j: the number in words is asked again in digits', (text, answer) => {
    expect(parseSeatShortcut(text, 300)).toMatchObject({ seatProblem: { problem: 'not_a_number', answer } });
  });

  it.each([
    [
      'abwesend bis 2026-12-24, vertreten durch Adele Vance',
      { kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' },
    ],
    [
      'absent jusqu’au 2026-12-24, délégué à Adele Vance',
      { kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' },
    ],
    [
      'ausente hasta el 2026-12-24, delegar en Adele Vance',
      { kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' },
    ],
    ['不在 2026-12-24まで、代理 Adele Vance', { kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' }],
    ['不在2026-12-24まで、代理はAdele Vance', { kind: 'away', until: '2026-12-24', delegate: 'Adele Vance' }],
    ['awayday', undefined],
  ])('%j', (text, expected) => {
    expect(parseAwayCommand(text)).toEqual(expected);
  });
});

describe('numbers as each locale writes them', () => {
  it.each([
    ['1.000', 'de-DE', 1000],
    ['1,000', 'en-US', 1000],
    ['1,000', 'ja-JP', 1000],
    ['1 000', 'fr-FR', 1000],
    ['1\u202f000', 'fr-FR', 1000],
    ['1\u00a0000', 'fr-CA', 1000],
    ['1.000', 'es-ES', 1000],
    ["1'000", 'de-CH', 1000],
    ['１０', 'ja-JP', 10],
    ['１０', 'en-US', 10],
    ['１，０００', 'ja-JP', 1000],
    ['＋５', 'ja-JP', 5],
    ['5 Lizenzen', 'de-DE', 5],
    ['5ライセンス', 'ja-JP', 5],
    ['10席', 'ja-JP', 10],
    ['5 licencias', 'es-ES', 5],
  ])('%j in %s is %d', (text, locale, seats) => {
    expect(parseSeatCount(text, 3000, locale)).toMatchObject({ ok: true, seats });
  });

  it.each([
    ['1.000', 'en-US', 'not_whole'],
    ['1,000', 'de-DE', 'not_whole'],
    ['2,5', 'de-DE', 'not_whole'],
    ['1.000,5', 'de-DE', 'not_whole'],
    ['1 0', 'fr-FR', 'not_a_number'],
    ['1 0000', 'fr-FR', 'not_a_number'],
    ['－３', 'ja-JP', 'negative'],
    ['1.000', 'not a locale!', 'not_whole'],
  ])('%j in %s is refused (%s)', (text, locale, problem) => {
    expect(parseSeatCount(text, 3000, locale)).toEqual({ ok: false, problem, maximum: 3000 });
  });
});
