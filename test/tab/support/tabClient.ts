import type { ALEX } from '../../support/demoUsers';

export interface TabReply<T = Record<string, unknown>> {
  readonly status: number;
  readonly headers: Headers;
  readonly body: T;
  readonly text: string;
}

export interface TabCall {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly headers?: Record<string, string>;
  /** Sent as JSON unless it is a string. */
  readonly body?: unknown;
}

/** One request to the tab's server, as the page makes it; the reply's JSON (or text) and headers. */
export async function tabCall<T = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  call: TabCall = {},
): Promise<TabReply<T>> {
  const headers: Record<string, string> = { ...call.headers };
  let body: string | undefined;
  if (call.body !== undefined) {
    body = typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, { method: call.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

/** The header of the local development identity. */
export const devUser = (user: Pick<typeof ALEX, 'aadObjectId'>): Record<string, string> => ({
  'X-Dev-User': user.aadObjectId,
});

export const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
