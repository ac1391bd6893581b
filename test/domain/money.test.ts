import {
  formatMoney,
  formatMoneyChange,
  minorDigits,
  money,
  parseMoney,
  safeLocale,
  times,
  toDecimalString,
} from '../../bot/domain/money';

describe('money in integer minor units', () => {
  it.each([
    ['12.50', 'USD', 1250],
    ['500', 'USD', 50000],
    ['0.05', 'USD', 5],
    ['1200', 'JPY', 1200],
    ['1.234', 'BHD', 1234],
  ])('parses %s %s as %d minor units', (amount, currency, minor) => {
    expect(parseMoney(amount, currency)).toEqual({ minor, currency });
  });

  it.each([
    ['12.505', 'USD'],
    ['12.5.0', 'USD'],
    ['1e3', 'USD'],
    ['12,50', 'USD'],
    ['', 'USD'],
    ['1.5', 'JPY'],
    ['10', 'usd'],
  ])('refuses %s %s', (amount, currency) => {
    expect(() => parseMoney(amount, currency)).toThrow();
  });

  it('knows the minor digits of currencies', () => {
    expect([minorDigits('USD'), minorDigits('JPY'), minorDigits('BHD')]).toEqual([2, 0, 3]);
  });

  it('multiplies without floating point drift', () => {
    // 0.1 * 3 in floating point is 0.30000000000000004; in cents it is exactly 30.
    expect(times(parseMoney('0.10', 'USD'), 3)).toEqual(money(30, 'USD'));
    expect(times(parseMoney('23.00', 'USD'), 30)).toEqual(money(69000, 'USD'));
    expect(() => times(money(1, 'USD'), 1.5)).toThrow();
    expect(() => money(0.5, 'USD')).toThrow();
  });

  it.each([
    ['en-US', 6250, '$62.50'],
    ['de-DE', 6250, '62,50 $'],
    ['fr-FR', 6250, '62,50 $US'],
    ['en-US', 123456789, '$1,234,567.89'],
    ['de-DE', 123456789, '1.234.567,89 $'],
    ['fr-FR', 123456789, '1 234 567,89 $US'],
  ])('formats for %s: %d cents -> %s', (locale, minor, expected) => {
    // Intl uses narrow no-break spaces in fr-FR; compare with plain spaces.
    expect(formatMoney(money(minor, 'USD'), locale).replace(/[\u00a0\u202f]/g, ' ')).toBe(expected);
  });

  it('formats euros for German and French readers', () => {
    expect(formatMoney(money(3000, 'EUR'), 'de-DE').replace(/\u00a0/g, ' ')).toBe('30,00 €');
    expect(formatMoney(money(3000, 'EUR'), 'fr-FR').replace(/[\u00a0\u202f]/g, ' ')).toBe('30,00 €');
  });

  it('shows the sign of a change', () => {
    expect(formatMoneyChange(money(6250, 'USD'))).toBe('+$62.50');
    expect(formatMoneyChange(money(-3000, 'USD'))).toBe('-$30.00');
  });

  it('writes plain decimals for storage and logs', () => {
    expect(toDecimalString(money(69000, 'USD'))).toBe('690.00');
    expect(toDecimalString(money(-5, 'USD'))).toBe('-0.05');
    expect(toDecimalString(money(1200, 'JPY'))).toBe('1200');
  });

  it('falls back to en-US for a malformed locale', () => {
    expect(safeLocale('not a locale!')).toBe('en-US');
    expect(safeLocale(undefined)).toBe('en-US');
    expect(safeLocale('de-DE')).toBe('de-DE');
    expect(formatMoney(money(100, 'USD'), '###')).toBe('$1.00');
  });
});
