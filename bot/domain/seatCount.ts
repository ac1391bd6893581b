export type SeatCountProblem =
  'empty' | 'too_long' | 'not_a_number' | 'zero' | 'negative' | 'not_whole' | 'exponent' | 'above_maximum';

export type SeatCount =
  | { ok: true; seats: number; readAs?: 'leading_plus' }
  | { ok: false; problem: SeatCountProblem; maximum: number };

/** Longer answers are not a number of seats; they are not echoed back either. */
export const MAX_ANSWER_LENGTH = 40;

const WHOLE = /^(\+)?(\d+)(?:\s+(?:more\s+)?(?:seats?|licen[cs]es?))?$/i;
const DECIMAL = /^[+-]?\d*[.,]\d+$/;
const EXPONENT = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
const NEGATIVE = /^-\s*\d+(?:[.,]\d+)?$/;

/**
 * Reads how many seats someone typed: plain digits, optionally "+5" or "5 seats". Everything else is
 * refused with the reason, so the question can be asked again with a useful hint.
 */
export function parseSeatCount(text: string | undefined, maximum: number): SeatCount {
  const answer = (text ?? '').trim();
  const problem = (p: SeatCountProblem): SeatCount => ({ ok: false, problem: p, maximum });
  if (answer === '') return problem('empty');
  if (answer.length > MAX_ANSWER_LENGTH) return problem('too_long');
  if (NEGATIVE.test(answer)) return problem('negative');
  if (EXPONENT.test(answer)) return problem('exponent');
  if (DECIMAL.test(answer)) return problem('not_whole');
  const match = WHOLE.exec(answer);
  if (!match) return problem('not_a_number');
  const digits = match[2].replace(/^0+(?=\d)/, '');
  if (digits.length > 9) return problem('above_maximum');
  const seats = Number(digits);
  if (seats === 0) return problem('zero');
  if (seats > maximum) return problem('above_maximum');
  return match[1] ? { ok: true, seats, readAs: 'leading_plus' } : { ok: true, seats };
}
