import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { safeLocale } from '../domain/money';
import { flatMessages, type MessageKey } from './catalogues';
import { DEFAULT_LANGUAGE, languageOf, PSEUDO_LOCALE, type Language } from './languages';
import { pseudoMessage } from './pseudo';

/** A value a message is given: text (already made safe by the caller if a person typed it), a number or a date. */
export type MessageValue = string | number | Date;

/** The words of one reader: their language's messages, numbers and dates in their locale's format. */
export interface Translator {
  /** The language the messages are in (the pseudo-locale's are English, transformed). */
  readonly language: Language | typeof PSEUDO_LOCALE;
  /** The language to declare on an Adaptive Card (`lang`) or an HTML page. */
  readonly lang: Language;
  /** The locale numbers, money and dates are formatted in (the reader's own: de-AT, not de). */
  readonly locale: string;
  t(key: MessageKey, values?: Readonly<Record<string, MessageValue>>): string;
}

type Messages = Record<string, string> | Record<string, MessageFormatElement[]>;

const MESSAGES = new Map<Language | typeof PSEUDO_LOCALE, Messages>();

/** A language's messages, each missing key (there should be none) filled with the English one. */
function messagesOf(
  language: Language | typeof PSEUDO_LOCALE,
): Record<string, string | MessageFormatElement[]> {
  let messages = MESSAGES.get(language);
  if (!messages) {
    const english = flatMessages(DEFAULT_LANGUAGE);
    messages =
      language === PSEUDO_LOCALE
        ? Object.fromEntries(Object.entries(english).map(([key, m]) => [key, pseudoMessage(m)]))
        : { ...english, ...flatMessages(language) };
    MESSAGES.set(language, messages);
  }
  return messages;
}

const TRANSLATORS = new Map<string, Translator>();

/**
 * The translator for a locale as Teams sends it (`de-DE`, `ja-JP`, anything else). Made once per locale and
 * kept (formatters are costly to make and immutable).
 */
export function translator(locale: string | undefined): Translator {
  const asked = locale ?? '';
  let found = TRANSLATORS.get(asked);
  if (!found) {
    found = make(asked);
    if (TRANSLATORS.size < 1000) TRANSLATORS.set(asked, found);
  }
  return found;
}

function make(locale: string): Translator {
  const language = languageOf(locale);
  const lang: Language = language === PSEUDO_LOCALE ? DEFAULT_LANGUAGE : language;
  // Numbers, money and dates follow the reader's own locale (de-AT, pt-BR reading English), as they always have.
  // A well-formed locale Intl has no data for (zz-ZZ) formats as en-US rather than failing (FormatJS MISSING_DATA).
  const own = safeLocale(locale);
  const formatting =
    language === PSEUDO_LOCALE || Intl.NumberFormat.supportedLocalesOf(own).length === 0 ? 'en-US' : own;
  const messages = messagesOf(language);
  // Each message is parsed once per translator, on first use, and kept with its own number and date formatters:
  // a card of thirty labels costs thirty lookups, not thirty parses.
  const compiled = new Map<string, IntlMessageFormat>();
  const compile = (key: string): IntlMessageFormat => {
    let format = compiled.get(key);
    if (!format) {
      const message = messages[key];
      if (message === undefined) throw new Error(`no message ${key}`);
      format = new IntlMessageFormat(message, formatting);
      compiled.set(key, format);
    }
    return format;
  };
  return {
    language,
    lang,
    locale: formatting,
    t: (key, values) => String(compile(key).format(values as Record<string, string | number | Date>)),
  };
}
