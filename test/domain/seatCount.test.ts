import { parseSeatCount, type SeatCountProblem } from '../../bot/domain/seatCount';

describe('reading a number of seats', () => {
  it.each([
    ['5', 5],
    ['  5  ', 5],
    ['300', 300],
    ['05', 5],
    ['5 seats', 5],
    ['5 licenses', 5],
    ['12 more seats', 12],
  ])('accepts %j as %d', (text, seats) => {
    expect(parseSeatCount(text, 300)).toEqual({ ok: true, seats });
  });

  it('accepts a leading plus and says how it was read', () => {
    expect(parseSeatCount('+5', 300)).toEqual({ ok: true, seats: 5, readAs: 'leading_plus' });
  });

  it.each<[string | undefined, SeatCountProblem]>([
    ['', 'empty'],
    ['   ', 'empty'],
    [undefined, 'empty'],
    ['abc', 'not_a_number'],
    ['five', 'not_a_number'],
    ['0', 'zero'],
    ['000', 'zero'],
    ['-3', 'negative'],
    ['- 3', 'negative'],
    ['2.5', 'not_whole'],
    ['2,5', 'not_whole'],
    ['.5', 'not_whole'],
    ['1e3', 'exponent'],
    ['1E3', 'exponent'],
    ['2.5e2', 'exponent'],
    ['301', 'above_maximum'],
    ['99999999999999999999', 'above_maximum'],
    ['🎉', 'not_a_number'],
    ['5🎉', 'not_a_number'],
    ['5 0', 'not_a_number'],
    ['x'.repeat(500), 'too_long'],
    ['++5', 'not_a_number'],
    ['0x10', 'not_a_number'],
    ['Infinity', 'not_a_number'],
    ['NaN', 'not_a_number'],
  ])('refuses %j (%s)', (text, problem) => {
    expect(parseSeatCount(text, 300)).toEqual({ ok: false, problem, maximum: 300 });
  });

  it('uses the configured maximum', () => {
    expect(parseSeatCount('50', 40)).toEqual({ ok: false, problem: 'above_maximum', maximum: 40 });
    expect(parseSeatCount('40', 40)).toEqual({ ok: true, seats: 40 });
  });
});
