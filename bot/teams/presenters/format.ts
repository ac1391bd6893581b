import type { Contact } from '../../domain/access';
import { formatMoney, numberFormat, safeLocale, type Money } from '../../domain/money';
import { translator, type Translator } from '../../i18n';

/** How the person reading a reply wants numbers and times: from the activity (locale, localTimezone). */
export interface Audience {
  readonly locale: string;
  readonly timeZone?: string;
}

export const DEFAULT_AUDIENCE: Audience = { locale: 'en-US' };

/** The words of the reader (README: Languages): their language's messages, numbers and dates in their locale. */
export function wordsFor(audience: Audience = DEFAULT_AUDIENCE): Translator {
  return translator(audience.locale);
}

/**
 * Money in the currency of its billing profile, formatted as the reader writes numbers (de-DE with USD:
 * "62,50 $"); the pseudo-locale formats as en-US.
 */
export function moneyText(amount: Money, audience: Audience): string {
  return formatMoney(amount, wordsFor(audience).locale);
}

export function formatNumber(value: number, audience: Audience): string {
  return numberFormat(safeLocale(audience.locale)).format(value);
}

/** A time in a text message, in the reader's time zone when Teams told us, else UTC (and says so). */
export function formatTime(at: Date, audience: Audience): string {
  const timeZone = validTimeZone(audience.timeZone);
  const text = dateTimeFormat(safeLocale(audience.locale), 'medium', 'short', timeZone ?? 'UTC').format(at);
  return timeZone ? text : `${text} UTC`;
}

const DATE_TIME_FORMATS = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to make and immutable: one per locale, style and time zone, made on first use. */
function dateTimeFormat(
  locale: string,
  dateStyle: 'medium' | 'long',
  timeStyle: 'short' | undefined,
  timeZone: string,
): Intl.DateTimeFormat {
  const key = `${locale}|${dateStyle}|${timeStyle ?? ''}|${timeZone}`;
  let format = DATE_TIME_FORMATS.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle, ...(timeStyle ? { timeStyle } : {}), timeZone });
    if (DATE_TIME_FORMATS.size < 1000) DATE_TIME_FORMATS.set(key, format);
  }
  return format;
}

/** A time inside an Adaptive Card TextBlock: Teams renders it in each viewer's own time zone. */
export function cardTime(at: Date): string {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

export function formatDate(isoDate: string, audience: Audience): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return dateTimeFormat(safeLocale(audience.locale), 'long', undefined, 'UTC').format(date);
}

/** The `on` select and `date` of a message that may name the renewal date ("at renewal on April 1, 2027"). */
export function renewalOn(
  renewalDate: string | null,
  audience: Audience,
): { on: 'yes' | 'no'; date: string } {
  return renewalDate ? { on: 'yes', date: formatDate(renewalDate, audience) } : { on: 'no', date: '' };
}

/** "Megan Bowen (meganb@contoso.com) or Isaiah Langer" */
export function contactList(contacts: readonly Contact[], audience: Audience = DEFAULT_AUDIENCE): string {
  const names = contacts.map((c) => (c.email ? `${c.name} (${c.email})` : c.name));
  return orList(names, audience);
}

const LIST_FORMATS = new Map<string, Intl.ListFormat>();

/** A list in the reader's language: "A, B or C", "A, B oder C", "A、B、または C". */
function listText(items: readonly string[], type: 'conjunction' | 'disjunction', audience: Audience): string {
  if (items.length <= 1) return items[0] ?? '';
  // English lists have no comma before "or"/"and" here (as License Desk always wrote them): en-GB's style.
  const { lang } = wordsFor(audience);
  const locale = lang === 'en' ? 'en-GB' : lang;
  const key = `${locale}|${type}`;
  let format = LIST_FORMATS.get(key);
  if (!format) {
    format = new Intl.ListFormat(locale, { style: 'long', type });
    LIST_FORMATS.set(key, format);
  }
  return format.format(items);
}

/** "A, B or C" in the reader's language. */
export function orList(items: readonly string[], audience: Audience = DEFAULT_AUDIENCE): string {
  return listText(items, 'disjunction', audience);
}

/** "A, B and C" in the reader's language. */
export function andList(items: readonly string[], audience: Audience = DEFAULT_AUDIENCE): string {
  return listText(items, 'conjunction', audience);
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** Bidirectional controls (U+202E reverses what follows): they could make an echo read as something else. */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
/** What Teams markdown (messages and Adaptive Card text) would read as formatting, links or a table. */
const MARKDOWN = /([\\`*_~[\]()|])/g;
/** What would start a list or a heading at the start of a text block ("- x", "1. x", "# x"). */
const LIST_OR_HEADING = /^([-+]|#{1,6})(?=\s|$)/;
const NUMBERED_LIST = /^(\d+)([.)])(?=\s|$)/;

/**
 * The one way text that came from people (what they typed, a reject reason, a display name) is shown in a reply,
 * a card or the tab: it reads as what was typed and nothing else. Bidirectional and other control characters go,
 * line breaks become spaces (no line of theirs starts a list, a heading or a quote), markdown punctuation is
 * escaped with a backslash (no links, no emphasis), and angle brackets become ‹ › so that no renderer, markdown
 * or HTML, sees a tag (<script>, <at>).
 */
export function plainText(text: string): string {
  return text
    .replace(BIDI_CONTROLS, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(MARKDOWN, '\\$1')
    .replace(LIST_OR_HEADING, '\\$1')
    .replace(NUMBERED_LIST, '$1\\$2')
    .replace(/</g, '‹')
    .replace(/>/g, '›');
}

function validTimeZone(timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    dateTimeFormat('en-US', 'medium', 'short', timeZone);
    return timeZone;
  } catch {
    return undefined;
  }
}
