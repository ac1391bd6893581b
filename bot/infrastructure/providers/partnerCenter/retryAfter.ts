/**
 * Reads a `Retry-After` header (delay in seconds, or an HTTP date) into milliseconds from `now`.
 * Returns undefined when the header is absent or unreadable, so the caller falls back to its own backoff.
 */
export function parseRetryAfterMs(value: string | null | undefined, now: Date): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Every HTTP-date form starts with a day name; Date.parse alone would accept "1.5" or "-5".
  if (!/^[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now.getTime());
}
