import type { MoneyView } from './contract.js';

/** Numbers and money in the person's locale (from the Teams context), the way the bot formats them. */
export class Formatter {
  readonly locale: string;

  constructor(locale: string | undefined) {
    this.locale = validLocale(locale);
  }

  number(value: number): string {
    return new Intl.NumberFormat(this.locale).format(value);
  }

  money(amount: MoneyView): string {
    return this.currency(amount.currency).format(amount.minor / 10 ** minorDigits(amount.currency));
  }

  /** With its sign: +$62.50, -$30.00. */
  moneyChange(amount: MoneyView): string {
    return this.currency(amount.currency, 'exceptZero').format(
      amount.minor / 10 ** minorDigits(amount.currency),
    );
  }

  /** A signed number of seats: +5, −3. */
  seatChange(delta: number): string {
    return `${delta > 0 ? '+' : '−'}${this.number(Math.abs(delta))}`;
  }

  /** A calendar day (YYYY-MM-DD, UTC), as the reader writes dates. */
  date(day: string): string {
    const date = new Date(`${day}T00:00:00Z`);
    if (Number.isNaN(date.getTime())) return day;
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
  }

  dateTime(iso: string): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return '';
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }

  private currency(currency: string, signDisplay: 'auto' | 'exceptZero' = 'auto'): Intl.NumberFormat {
    return new Intl.NumberFormat(this.locale, { style: 'currency', currency, signDisplay });
  }
}

export function times(amount: MoneyView, factor: number): MoneyView {
  return { minor: amount.minor * factor, currency: amount.currency };
}

/** The sum of amounts in one currency; undefined when they differ (never added across currencies). */
export function total(amounts: readonly MoneyView[]): MoneyView | undefined {
  if (amounts.length === 0) return undefined;
  const currency = amounts[0].currency;
  if (amounts.some((a) => a.currency !== currency)) return undefined;
  return { minor: amounts.reduce((sum, a) => sum + a.minor, 0), currency };
}

function minorDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}

function validLocale(locale: string | undefined): string {
  try {
    return Intl.getCanonicalLocales(locale || 'en-US')[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}
