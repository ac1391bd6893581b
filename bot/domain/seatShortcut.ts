import type { SeatChangeKind } from './order';
import { parseSeatCount, type SeatCountProblem } from './seatCount';

/**
 * What a one-line request says: "add 5 seats to Business Standard", "remove 3 Business Basic", "+5 E3",
 * "buy 10 more E5 licenses". Any part may be missing ("buy licenses", "add seats to E3", "add 5"); the
 * conversation asks only for what is missing or unclear.
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

const INCREASE = new Set(['add', 'buy', 'purchase', 'order', 'get']);
const DECREASE = new Set(['remove', 'reduce', 'decrease', 'drop']);
const POLITE_START =
  /^(please|pls|could you|can you|would you|i want to|i'd like to|i would like to|i need to|let's|lets)\s+/;
const POLITE_END = /\s+(please|pls|thanks|thank you|thx)$/;
const FILLER = new Set([
  'more',
  'extra',
  'additional',
  'new',
  'seat',
  'seats',
  'license',
  'licenses',
  'licence',
  'licences',
  'to',
  'from',
  'for',
  'of',
  'on',
  'in',
  'by',
  'the',
  'our',
  'my',
  'x',
  'subscription',
  'a',
]);
const NUMBER_WORDS = new Set([
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'fifteen',
  'twenty',
  'thirty',
  'forty',
  'fifty',
  'hundred',
  'few',
  'some',
  'several',
  'couple',
  'dozen',
]);
/** A token that is meant as a number, well formed or not: 5, +5, -3, 2.5, 1e3. */
const NUMBERISH = /^[+-]?\d[\d.,]*(e[+-]?\d+)?$/i;

/** Reads a one-line request to change seats; undefined when the text is not one. */
export function parseSeatShortcut(text: string, maxSeatsPerOrder: number): SeatShortcut | undefined {
  let normal = text
    .toLowerCase()
    .replace(/[,;:!?]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.]+$/, '');
  for (let i = 0; i < 3; i += 1) normal = normal.replace(POLITE_START, '').replace(POLITE_END, '');

  const signed = /^([+-])\s*(\S+)\s*(.*)$/.exec(normal);
  if (signed && /^\d/.test(signed[2])) {
    const kind: SeatChangeKind = signed[1] === '+' ? 'increase' : 'decrease';
    return withSeats(kind, signed[2], signed[3], maxSeatsPerOrder);
  }

  const [verb, ...rest] = normal.split(' ');
  const kind: SeatChangeKind | undefined = INCREASE.has(verb)
    ? 'increase'
    : DECREASE.has(verb)
      ? 'decrease'
      : undefined;
  if (!kind || rest.length === 0) return undefined;
  const words = rest.filter((w) => w !== '');
  // "buy licenses", "add seats to E3": only a verb and seat words (and maybe a name) make a request.
  const mentionsSeats = words.some((w) => /^(seats?|licen[cs]es?)$/.test(w));
  const numberAt = words.findIndex((w) => NUMBERISH.test(w));
  const wordNumberAt = words.findIndex((w) => NUMBER_WORDS.has(w));
  if (numberAt >= 0) {
    const others = words.filter((_, i) => i !== numberAt).join(' ');
    return withSeats(kind, words[numberAt], others, maxSeatsPerOrder);
  }
  if (wordNumberAt >= 0) {
    const subscriptionText = nameOnly(words.filter((_, i) => i !== wordNumberAt).join(' '));
    return { kind, seatProblem: { problem: 'not_a_number', answer: words[wordNumberAt] }, subscriptionText };
  }
  if (!mentionsSeats) return undefined;
  return { kind, subscriptionText: nameOnly(words.join(' ')) };
}

function withSeats(kind: SeatChangeKind, token: string, others: string, max: number): SeatShortcut {
  const subscriptionText = nameOnly(others);
  // The sign belongs to the verb ("add -3" makes no sense either way): read the number without it.
  const parsed = parseSeatCount(token.replace(/^\+/, ''), max);
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
