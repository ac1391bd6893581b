/** How retries of one thing space out. */
export interface BackoffOptions {
  /** The bound of the first wait. */
  readonly baseMs: number;
  /** No wait is longer than this (a Retry-After asked for is still honoured). */
  readonly maxMs: number;
}

/**
 * Exponential backoff with jitter: after the n-th failed attempt, wait between half and all of
 * min(max, base × 2^(n-1)), chosen at random so that many retries of one outage do not arrive together, and
 * never less than a Retry-After the other side asked for.
 */
export function backoffMs(
  failedAttempts: number,
  options: BackoffOptions,
  random: () => number,
  retryAfterMs = 0,
): number {
  const bound = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.max(retryAfterMs, Math.round(bound / 2 + random() * (bound / 2)));
}
