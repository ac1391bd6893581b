import { CATALOGUES } from '../i18n/catalogues';
import { translator } from '../i18n';
import { DEFAULT_LANGUAGE, PSEUDO_LOCALE } from '../i18n/languages';
import { pseudoMessage } from '../i18n/pseudo';
import type { PlainRequest, PlainResponse } from '../server';
import { apiHeaders } from './securityHeaders';

export const MESSAGES_PATH = '/tab/messages';

const RESPONSES = new Map<string, string>();

/**
 * GET /tab/messages?locale=de-DE: the Licenses tab's words (README: Languages). The language is chosen as for the
 * bot (bot/i18n/languages.ts); the answer is that language's `tab` catalogue (English for a missing key), which the
 * page formats itself with IntlMessageFormat (tab/src/i18n.ts): its plurals and numbers depend on values only the
 * page has. The pseudo-locale's messages are sent pre-parsed, as the bot's translator keeps them. No sign-in:
 * the words are the same for everyone.
 */
export function tabMessages(request: PlainRequest): PlainResponse {
  const asked = (request.query.locale ?? '').slice(0, 35);
  const words = translator(asked);
  let body = RESPONSES.get(words.language + words.locale);
  if (body === undefined) {
    const english = CATALOGUES[DEFAULT_LANGUAGE].tab;
    const messages =
      words.language === PSEUDO_LOCALE
        ? Object.fromEntries(Object.entries(english).map(([key, m]) => [key, pseudoMessage(m)]))
        : { ...english, ...CATALOGUES[words.language].tab };
    body = JSON.stringify({ lang: words.lang, locale: words.locale, messages });
    if (RESPONSES.size < 200) RESPONSES.set(words.language + words.locale, body);
  }
  return { status: 200, headers: apiHeaders(), body };
}
