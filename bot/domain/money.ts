/**
 * Money is held in integer minor units (cents for USD) with its ISO 4217 currency: never floating point.
 */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** How many minor-unit digits a currency has (USD 2, JPY 0, BHD 3), as Intl knows it. */
export function minorDigits(currency: string): number {
  let digits = MINOR_DIGITS.get(currency);
  if (digits === undefined) {
    assertCurrency(currency);
    digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits as number;
    MINOR_DIGITS.set(currency, digits);
  }
  return digits;
}

const MINOR_DIGITS = new Map<string, number>();
const FORMATTERS = new Map<string, Intl.NumberFormat>();

/** Intl formatters are costly to make and immutable: one per locale and options, made on first use. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${options.style ?? ''}|${options.currency ?? ''}|${options.signDisplay ?? ''}`;
  let format = FORMATTERS.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    FORMATTERS.set(key, format);
  }
  return format;
}

/** Reads a plain decimal amount such as "12.50" or "500" into money; throws on anything else. */
export function parseMoney(amount: string, currency: string): Money {
  const digits = minorDigits(currency);
  const match = /^(-)?(\d{1,12})(?:\.(\d+))?$/.exec(amount.trim());
  if (!match) throw new Error(`"${amount}" is not a decimal amount such as 12.50`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > digits)
    throw new Error(`"${amount}" has more than ${digits} decimals for ${currency}`);
  const minor = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return money(sign ? -minor : minor, currency);
}

export function money(minor: number, currency: string): Money {
  if (!Number.isSafeInteger(minor))
    throw new Error(`money must be a whole number of minor units, got ${minor}`);
  assertCurrency(currency);
  return { minor, currency };
}

export function times(amount: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new Error(`factor must be a whole number, got ${factor}`);
  return money(amount.minor * factor, amount.currency);
}

export function negate(amount: Money): Money {
  return money(-amount.minor, amount.currency);
}

export function absolute(amount: Money): Money {
  return money(Math.abs(amount.minor), amount.currency);
}

/** Formats for people, in their locale (en-US: $1,234.50; de-DE: 1.234,50 $). */
export function formatMoney(amount: Money, locale = 'en-US'): string {
  const digits = minorDigits(amount.currency);
  return numberFormat(safeLocale(locale), { style: 'currency', currency: amount.currency }).format(
    amount.minor / 10 ** digits,
  );
}

/** Formats a change with its sign: +$62.50, -$30.00. */
export function formatMoneyChange(amount: Money, locale = 'en-US'): string {
  const digits = minorDigits(amount.currency);
  return numberFormat(safeLocale(locale), {
    style: 'currency',
    currency: amount.currency,
    signDisplay: 'exceptZero',
  }).format(amount.minor / 10 ** digits);
}

/** The amount as a plain decimal string ("690.00"), for storage and logs. */
export function toDecimalString(amount: Money): string {
  const digits = minorDigits(amount.currency);
  const sign = amount.minor < 0 ? '-' : '';
  const abs = Math.abs(amount.minor);
  if (digits === 0) return `${sign}${abs}`;
  const text = String(abs).padStart(digits + 1, '0');
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A locale Intl accepts; anything else (a malformed activity.locale) falls back to en-US. */
export function safeLocale(locale: string | undefined): string {
  if (!locale) return 'en-US';
  let safe = LOCALES.get(locale);
  if (safe === undefined) {
    try {
      safe = Intl.getCanonicalLocales(locale)[0] ?? 'en-US';
    } catch {
      safe = 'en-US';
    }
    if (LOCALES.size < 1000) LOCALES.set(locale, safe);
  }
  return safe;
}

const LOCALES = new Map<string, string>();

function assertCurrency(currency: string): void {
  if (!CURRENCY_CODE.test(currency)) throw new Error(`"${currency}" is not an ISO 4217 currency code`);
}
