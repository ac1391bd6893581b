import type { Contact } from '../../domain/access';
import { safeLocale } from '../../domain/money';

/** How the person reading a reply wants numbers and times: from the activity (locale, localTimezone). */
export interface Audience {
  readonly locale: string;
  readonly timeZone?: string;
}

export const DEFAULT_AUDIENCE: Audience = { locale: 'en-US' };

export function formatNumber(value: number, audience: Audience): string {
  return new Intl.NumberFormat(safeLocale(audience.locale)).format(value);
}

/** A time in a text message, in the reader's time zone when Teams told us, else UTC (and says so). */
export function formatTime(at: Date, audience: Audience): string {
  const timeZone = validTimeZone(audience.timeZone);
  const text = new Intl.DateTimeFormat(safeLocale(audience.locale), {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: timeZone ?? 'UTC',
  }).format(at);
  return timeZone ? text : `${text} UTC`;
}

/** A time inside an Adaptive Card TextBlock: Teams renders it in each viewer's own time zone. */
export function cardTime(at: Date): string {
  const iso = at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `{{DATE(${iso}, SHORT)}} {{TIME(${iso})}}`;
}

export function formatDate(isoDate: string, audience: Audience): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return isoDate;
  return new Intl.DateTimeFormat(safeLocale(audience.locale), { dateStyle: 'long', timeZone: 'UTC' }).format(
    date,
  );
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
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}
