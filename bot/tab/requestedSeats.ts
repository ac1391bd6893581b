import { parseSeatCount, type SeatCountProblem } from '../domain/seatCount';

export type RequestedSeats =
  | { readonly ok: true; readonly seats: number }
  | { readonly ok: false; readonly problem: SeatCountProblem; readonly answer: string };

/**
 * The `seats` of an API request: a JSON number from 1 to the per-order maximum (a string goes through the bot's
 * own seat-count reader). Each refusal carries the bot's problem code, so the words are the bot's too.
 */
export function requestedSeats(value: unknown, maximum: number): RequestedSeats {
  if (value === undefined || value === null || value === '')
    return { ok: false, problem: 'empty', answer: '' };
  if (typeof value === 'string') {
    const read = parseSeatCount(value, maximum);
    return read.ok ? { ok: true, seats: read.seats } : { ok: false, problem: read.problem, answer: value };
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return { ok: false, problem: 'not_a_number', answer: describe(value) };
  }
  const answer = String(value);
  if (value < 0) return { ok: false, problem: 'negative', answer };
  if (value === 0) return { ok: false, problem: 'zero', answer };
  if (!Number.isInteger(value)) return { ok: false, problem: 'not_whole', answer };
  if (value > maximum) return { ok: false, problem: 'above_maximum', answer };
  return { ok: true, seats: value };
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
