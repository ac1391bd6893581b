import { allWords, KANJI_NUMBER, normalText, UNSPACED_WORDS } from './commandWords';
import type { SeatChangeKind } from './order';
import { parseSeatCount, type SeatCountProblem } from './seatCount';

/**
 * What a one-line request says: "add 5 seats to Business Standard", "remove 3 Business Basic", "+5 E3",
 * "buy 10 more E5 licenses", "5 Lizenzen für E3 hinzufügen", "ajouter 5 licences à E3", "añadir 5 licencias a
 * E3", "E3に5ライセンス追加". Any part may be missing ("buy licenses", "add seats to E3", "add 5"); the
 * conversation asks only for what is missing or unclear. The words of every language are in
 * domain/commandWords.ts.
 */
export interface SeatShortcut {
  readonly kind: SeatChangeKind;
  /** A valid seat count, when one was given. */
  readonly seats?: number;
  /** A seat count was given but is not acceptable: why (asked again with this hint). */
  readonly seatProblem?: { readonly problem: SeatCountProblem; readonly answer: string };
  /** The words that name the subscription ('' when none). */
  readonly subscriptionText: string;
}

const set = (lists: ReadonlyArray<readonly string[]>) => new Set(lists.flat());
const INCREASE = set(allWords('increaseVerbs'));
const DECREASE = set(allWords('decreaseVerbs'));
const SEAT_WORDS = set(allWords('seatWords'));
const FILLER = set([...allWords('fillers'), ...allWords('seatWords')]);
const NUMBER_WORDS = set(allWords('numberWords'));
const escape = (word: string) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const phrases = (lists: ReadonlyArray<readonly string[]>) =>
  [...set(lists)].sort((a, b) => b.length - a.length).map(escape);
const POLITE_START = new RegExp(`^(${phrases(allWords('politeStarts')).join('|')})\\s+`);
const POLITE_END = new RegExp(`\\s+(${phrases(allWords('politeEnds')).join('|')})$`);
/** Longest first, in one pass: "してください" before "して". */
const UNSPACED = new RegExp(`(${UNSPACED_WORDS.map(escape).join('|')}|[〇一二三四五六七八九十百千万]+)`, 'g');
/** A token that is meant as a number, well formed or not: 5, +5, -3, 2.5, 1e3, 1.000. */
const NUMBERISH = /^[+-]?\d[\d.,']*(e[+-]?\d+)?$/i;

/** Reads a one-line request to change seats; undefined when the text is not one. */
export function parseSeatShortcut(
  text: string,
  maxSeatsPerOrder: number,
  locale?: string,
): SeatShortcut | undefined {
  let normal = normalText(text)
    // French elisions stay words of their own: "d'office" -> "d' office".
    .replace(/(^|\s)([dlj]')(?=\S)/g, '$1$2 ')
    .replace(UNSPACED, ' $1 ')
    // Digits next to letters of an unspaced script: "e3に5" was spaced above; "5席" too.
    .replace(/[,;:!?、。！？]+(?=\s|$)/g, ' ')
    .replace(/[;!?、。！？]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.]+$/, '')
    .trim();
  // Groups of digits written with spaces ("1 000" in French) are one number.
  normal = normal.replace(/(^|\s)(\d{1,3}(?: \d{3})+)(?=\s|$)/g, (_, space: string, n: string) =>
    /^fr/i.test(locale ?? '') ? `${space}${n.replace(/ /g, '')}` : `${space}${n}`,
  );
  for (let i = 0; i < 3; i += 1) normal = normal.replace(POLITE_START, '').replace(POLITE_END, '');

  const signed = /^([+-])\s*(\S+)\s*(.*)$/.exec(normal);
  if (signed && /^\d/.test(signed[2])) {
    const kind: SeatChangeKind = signed[1] === '+' ? 'increase' : 'decrease';
    return withSeats(kind, signed[2], signed[3], maxSeatsPerOrder, locale);
  }

  const tokens = normal.split(' ').filter((w) => w !== '');
  if (tokens.length < 2) return undefined;
  // The verb comes first ("add 5 seats") or last ("5 Lizenzen hinzufügen", "5ライセンス追加").
  const verbFirst = verbOf(tokens[0]);
  const verbLast = verbOf(tokens[tokens.length - 1]);
  const kind = verbFirst ?? verbLast;
  if (!kind) return undefined;
  const words = verbFirst ? tokens.slice(1) : tokens.slice(0, -1);
  // "buy licenses", "add seats to E3": only a verb and seat words (and maybe a name) make a request.
  const mentionsSeats = words.some((w) => SEAT_WORDS.has(w));
  const numberAt = words.findIndex((w) => NUMBERISH.test(w));
  const wordNumberAt = words.findIndex((w) => NUMBER_WORDS.has(w) || KANJI_NUMBER.test(w));
  if (numberAt >= 0) {
    const others = words.filter((_, i) => i !== numberAt).join(' ');
    return withSeats(kind, words[numberAt], others, maxSeatsPerOrder, locale);
  }
  if (wordNumberAt >= 0) {
    const subscriptionText = nameOnly(words.filter((_, i) => i !== wordNumberAt).join(' '));
    return { kind, seatProblem: { problem: 'not_a_number', answer: words[wordNumberAt] }, subscriptionText };
  }
  if (!mentionsSeats) return undefined;
  return { kind, subscriptionText: nameOnly(words.join(' ')) };
}

function verbOf(word: string): SeatChangeKind | undefined {
  return INCREASE.has(word) ? 'increase' : DECREASE.has(word) ? 'decrease' : undefined;
}

function withSeats(
  kind: SeatChangeKind,
  token: string,
  others: string,
  max: number,
  locale: string | undefined,
): SeatShortcut {
  const subscriptionText = nameOnly(others);
  // The sign belongs to the verb ("add -3" makes no sense either way): read the number without it.
  const parsed = parseSeatCount(token.replace(/^\+/, ''), max, locale);
  if (parsed.ok) return { kind, seats: parsed.seats, subscriptionText };
  return { kind, seatProblem: { problem: parsed.problem, answer: token }, subscriptionText };
}

/** The words left once seat words and small connecting words are gone: what names the subscription. */
function nameOnly(text: string): string {
  return text
    .split(' ')
    .filter((w) => w !== '' && !FILLER.has(w))
    .join(' ')
    .trim();
}
