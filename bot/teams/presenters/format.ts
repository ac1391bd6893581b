import type { Contact } from '../../domain/access';
import { numberFormat, safeLocale } from '../../domain/money';

/** How the person reading a reply wants numbers and times: from the activity (locale, localTimezone). */
export interface Audience {
  readonly locale: string;
  readonly timeZone?: string;
}

export const DEFAULT_AUDIENCE: Audience = { locale: 'en-US' };

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

/** "Megan Bowen (meganb@contoso.com) or Isaiah Langer" */
export function contactList(contacts: readonly Contact[]): string {
  const names = contacts.map((c) => (c.email ? `${c.name} (${c.email})` : c.name));
  return orList(names);
}

export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** Text from people (a reject reason) shown in a card: no markdown links or formatting of theirs. */
export function plainText(text: string): string {
  return text.replace(/([\\`*_[\]()#>~|-])/g, '\\$1');
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
