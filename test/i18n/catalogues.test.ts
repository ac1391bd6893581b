import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { AREAS, CATALOGUES } from '../../bot/i18n/catalogues';
import { LANGUAGES } from '../../bot/i18n/languages';

/** The arguments a message takes, with their kind: `count:plural`, `name:argument`, `price:number`. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      into.add(`${element.value}:tag`);
      argumentsOf(element.children, into);
      continue;
    }
    into.add(`${element.value}:${TYPE[element.type]}`);
    if (element.type === TYPE.plural || element.type === TYPE.select)
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
  }
  return into;
}

describe('the message catalogues', () => {
  const english = CATALOGUES.en;

  it.each(AREAS)('every English message of %s is valid ICU MessageFormat', (area) => {
    for (const [key, message] of Object.entries(english[area]))
      expect(() => parse(message)).not.toThrow(`${area}.${key}`);
  });

  describe.each(LANGUAGES.filter((l) => l !== 'en'))('%s', (language) => {
    it.each(AREAS)('has exactly the English keys of %s, no more, no fewer', (area) => {
      expect(Object.keys(CATALOGUES[language][area]).sort()).toEqual(Object.keys(english[area]).sort());
    });

    it.each(AREAS)('gives each message of %s the same arguments as the English one', (area) => {
      for (const [key, message] of Object.entries(CATALOGUES[language][area])) {
        const source = english[area][key];
        if (source === undefined) continue; // reported by the test above
        expect({ key, arguments: [...argumentsOf(parse(message))].sort() }).toEqual({
          key,
          arguments: [...argumentsOf(parse(source))].sort(),
        });
      }
    });

    it.each(AREAS)('uses only the plural categories its language has, in %s', (area) => {
      const categories = new Set<string>(new Intl.PluralRules(language).resolvedOptions().pluralCategories);
      const check = (elements: MessageFormatElement[], key: string) => {
        for (const element of elements) {
          if (element.type === TYPE.plural) {
            for (const [option, value] of Object.entries(element.options)) {
              if (!option.startsWith('='))
                expect({ key, option, known: categories.has(option) }).toEqual({ key, option, known: true });
              check(value.value, key);
            }
            expect({ key, hasOther: 'other' in element.options }).toEqual({ key, hasOther: true });
          } else if (element.type === TYPE.select) {
            for (const value of Object.values(element.options)) check(value.value, key);
          }
        }
      };
      for (const [key, message] of Object.entries(CATALOGUES[language][area])) check(parse(message), key);
    });
  });
});
