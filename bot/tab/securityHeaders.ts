/**
 * Hosts that frame a Teams tab: Teams on the web and desktop, Microsoft 365 (Office, Outlook), Teams personal.
 * Microsoft's list for tabs that set frame-ancestors.
 */
export const TEAMS_FRAME_ANCESTORS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
  'https://teams.live.com',
] as const;

/**
 * The page: its own scripts and styles only (no inline script or style), its own API, and the list of valid
 * Teams origins that teams-js fetches. Framing only by Teams and Microsoft 365, so no X-Frame-Options, which
 * cannot name several hosts.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self' https://res.cdn.office.net",
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors 'self' ${TEAMS_FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const COMMON: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export function pageHeaders(contentType: string): Record<string, string> {
  return {
    ...COMMON,
    'Content-Type': contentType,
    'Content-Security-Policy': PAGE_CSP,
    // Small files that change with every deploy: the browser revalidates them.
    'Cache-Control': 'no-cache',
  };
}

export function apiHeaders(): Record<string, string> {
  return {
    ...COMMON,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cache-Control': 'no-store',
  };
}
