import { allWords } from './commandWords';
import { numberFormat, safeLocale } from './money';

export type SeatCountProblem =
  'empty' | 'too_long' | 'not_a_number' | 'zero' | 'negative' | 'not_whole' | 'exponent' | 'above_maximum';

export type SeatCount =
  | { ok: true; seats: number; readAs?: 'leading_plus' }
  | { ok: false; problem: SeatCountProblem; maximum: number };

/** Longer answers are not a number of seats; they are not echoed back either. */
export const MAX_ANSWER_LENGTH = 40;

const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** "5 seats", "5 more licenses", "5 Lizenzen", "5 licences", "5席", "5ライセンス", in any language. */
const SEAT_WORDS = [...new Set(allWords('seatWords').flat())].sort((a, b) => b.length - a.length);
const MORE_WORDS = ['more', 'mehr', 'weitere', 'de plus', 'más', 'mas', 'つ', '個'];
const WHOLE = new RegExp(
  `^(\\+)?(\\d+)(?:\\s*(?:(?:${MORE_WORDS.map(escape).join('|')})\\s*)?(?:${SEAT_WORDS.map(escape).join('|')})?)?$`,
  'i',
);
const DECIMAL = /^[+-]?\d*[.,]\d+$/;
const EXPONENT = /^[+-]?\d+(?:[.,]\d+)?e[+-]?\d+$/i;
const NEGATIVE = /^-\s*\d+(?:[.,]\d+)?$/;

/**
 * Reads how many seats someone typed: plain digits, optionally "+5" or "5 seats" (in any language the bot
 * speaks), with the reader's thousands separator (1,000 in English, 1.000 in German, 1 000 in French) and
 * full-width digits (１０). Everything else is refused with the reason, so the question can be asked again with
 * a useful hint.
 */
export function parseSeatCount(text: string | undefined, maximum: number, locale?: string): SeatCount {
  const problem = (p: SeatCountProblem): SeatCount => ({ ok: false, problem: p, maximum });
  if ((text ?? '').trim().length > MAX_ANSWER_LENGTH) return problem('too_long');
  // Full-width digits and signs (１０, ＋５) and no-break spaces become their plain forms.
  let answer = (text ?? '').normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (answer === '') return problem('empty');
  answer = withoutGroups(answer, locale);
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

const GROUPS = new Map<string, RegExp>();

/** "1.000" (de), "1 000" (fr), "1,000" (en): the number at the start without the locale's thousands separators. */
function withoutGroups(answer: string, locale: string | undefined): string {
  const safe = safeLocale(locale);
  let grouped = GROUPS.get(safe);
  if (!grouped) {
    const separator = numberFormat(safe)
      .formatToParts(1_000_000)
      .find((part) => part.type === 'group')
      ?.value.normalize('NFKC');
    const chosen = separator === undefined ? ',' : separator;
    // A space-like separator is typed as a space; Swiss German's ’ is typed ' as often.
    const accepted = chosen.trim() === '' ? ' ' : chosen === '’' ? "'’" : chosen;
    const one = `[${accepted.split('').map(escape).join('')}]`;
    grouped = new RegExp(`^([+-]?\\s*)(\\d{1,3}(?:${one}\\d{3})+)(?![\\d])`);
    if (GROUPS.size < 100) GROUPS.set(safe, grouped);
  }
  return answer.replace(grouped, (_, sign: string, number: string) => `${sign}${number.replace(/\D/g, '')}`);
}
