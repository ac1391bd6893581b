import { IntlMessageFormat } from './intl-messageformat.js';

/** GET /tab/messages?locale=…: the `tab` catalogue in the language the locale picks (bot/tab/tabMessages.ts). */
export interface TabMessagesResponse {
  /** The language the words are in (de for de-AT, en for anything License Desk does not speak): `<html lang>`. */
  readonly lang: string;
  /** The locale numbers, money and dates are formatted in: the reader's own (de-AT), en-US for the pseudo-locale. */
  readonly locale: string;
  /** Messages by key (`heading`, not `tab.heading`): ICU MessageFormat text, or pre-parsed for the pseudo-locale. */
  readonly messages: Readonly<Record<string, unknown>>;
}

export type MessageValues = Readonly<Record<string, string | number>>;

/**
 * The page's words (README: Languages). The server picks the language the same way as for the bot
 * (bot/i18n/languages.ts: de-AT -> de, anything else -> en) and sends that language's `tab` catalogue; the page
 * formats each message itself with FormatJS's IntlMessageFormat (plurals, numbers), in the reader's locale. One
 * formatter per key, made when first used.
 */
export class Messages {
  private readonly formats = new Map<string, IntlMessageFormat>();

  constructor(
    readonly lang: string,
    readonly locale: string,
    private readonly messages: Readonly<Record<string, unknown>>,
  ) {}

  t(key: string, values?: MessageValues): string {
    let format = this.formats.get(key);
    if (!format) {
      const message = this.messages[key];
      // A key the catalogue lacks is a bug (test/tab/tabMessages.test.ts checks every key the page uses): say which.
      if (message === undefined) return key;
      format = new IntlMessageFormat(message as string, this.locale);
      this.formats.set(key, format);
    }
    return String(format.format(values));
  }

  /** The page's fixed words: each element with a data-i18n key gets its text, with data-i18n-label its aria-label. */
  translatePage(root: ParentNode): void {
    root.querySelectorAll<HTMLElement>('[data-i18n]').forEach((element) => {
      element.textContent = this.t(element.dataset.i18n ?? '');
    });
    root.querySelectorAll<HTMLElement>('[data-i18n-label]').forEach((element) => {
      element.setAttribute('aria-label', this.t(element.dataset.i18nLabel ?? ''));
    });
  }
}

/** The words for a locale as Teams (or the browser) gives it. */
export async function loadMessages(locale: string | undefined): Promise<Messages> {
  const response = await fetch(`/tab/messages?locale=${encodeURIComponent(locale ?? '')}`, {
    headers: { Accept: 'application/json' },
    credentials: 'omit',
  });
  if (!response.ok) throw new Error(`the page's words could not be loaded (${response.status})`);
  const body = (await response.json()) as TabMessagesResponse;
  return new Messages(body.lang, body.locale, body.messages);
}
