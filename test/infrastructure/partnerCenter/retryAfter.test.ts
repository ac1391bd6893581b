import { parseRetryAfterMs } from '../../../bot/infrastructure/providers/partnerCenter/retryAfter';

describe('parseRetryAfterMs', () => {
  const now = new Date('2026-03-02T10:00:00Z');

  it.each([
    ['57', 57_000],
    [' 0 ', 0],
    ['Mon, 02 Mar 2026 10:00:30 GMT', 30_000],
    // A date already past means "now", not a negative wait.
    ['Mon, 02 Mar 2026 09:59:00 GMT', 0],
  ])('%j → %i ms', (header, ms) => {
    expect(parseRetryAfterMs(header, now)).toBe(ms);
  });

  it.each([null, undefined, '', 'soon', '-5', '1.5'])('%j is unreadable', (header) => {
    expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});
