import { languageOf, PSEUDO_LOCALE } from '../../bot/i18n/languages';
import { translator } from '../../bot/i18n/translator';

describe('choosing the language from a locale', () => {
  it.each([
    ['de-DE', 'de'],
    ['de-AT', 'de'],
    ['de_CH', 'de'],
    ['fr-CA', 'fr'],
    ['es-MX', 'es'],
    ['ja-JP', 'ja'],
    ['ja-Jpan-JP', 'ja'],
    ['en-GB', 'en'],
    ['pt-BR', 'en'],
    ['zh-Hant-TW', 'en'],
    ['de-DE-x-private', 'de'],
    ['x-private', 'en'],
    ['not a locale!', 'en'],
    ['', 'en'],
    [undefined, 'en'],
    ['qps-ploc', PSEUDO_LOCALE],
  ])('%s -> %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });
});

describe('a translator', () => {
  it('speaks the language of the locale and formats in the locale itself', () => {
    const austrian = translator('de-AT');
    expect(austrian.t('conversation.languageName')).toBe('Deutsch');
    expect(austrian).toMatchObject({ language: 'de', lang: 'de', locale: 'de-AT' });
    expect(translator('ja-JP').t('conversation.languageName')).toBe('日本語');
  });

  it('falls back to English, never to an error, for a language it does not speak or a malformed locale', () => {
    for (const locale of ['pt-BR', '%%%', 'x-private', undefined])
      expect(translator(locale).t('conversation.languageName')).toBe('English');
    expect(translator('%%%').locale).toBe('en-US');
  });

  it('the pseudo-locale accents and lengthens English by 40%', () => {
    const pseudo = translator(PSEUDO_LOCALE);
    expect(pseudo.lang).toBe('en');
    expect(pseudo.t('conversation.languageName')).toBe('[Éñglísh···]');
  });
});
