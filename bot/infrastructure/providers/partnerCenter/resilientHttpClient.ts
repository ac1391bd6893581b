import { ProviderUnavailableError, type Clock, type Log } from '../../../services/ports';
import { parseRetryAfterMs } from './retryAfter';
import type { TokenSource } from './tokenSource';

/** How hard one request is tried before the caller hears that the service is unavailable. */
export interface RetryOptions {
  /** Attempts per request, the first one included. */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff; it doubles per attempt and full jitter picks a wait below it. */
  readonly baseDelayMs: number;
  /** Upper bound of one backoff wait. A longer Retry-After is still honoured, within maxTotalDelayMs. */
  readonly maxDelayMs: number;
  /** All waiting for one request; a Retry-After beyond what is left ends the retries at once. */
  readonly maxTotalDelayMs: number;
  /**
   * The whole request, attempts (token included) and waits: its budget. An attempt gets what is left of it when
   * that is less than the timeout per request, and no retry starts that could not end within it.
   */
  readonly maxTotalMs: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxTotalDelayMs: 60_000,
  maxTotalMs: 90_000,
};

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export interface ResilientHttpClientOptions {
  /** Names the service in errors and logs: "Partner Center", "Microsoft Graph". */
  readonly service: string;
  /** Partner Center traces calls by MS-CorrelationId and deduplicates by MS-RequestId; Graph by client-request-id. */
  readonly idHeaders: 'partner-center' | 'graph';
  readonly tokens: TokenSource;
  readonly retry: RetryOptions;
  readonly requestTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Returns a number in [0, 1), as Math.random. */
  readonly random: () => number;
  readonly clock: Clock;
  readonly newGuid: () => string;
  readonly log?: Log;
}

export interface ApiCall {
  readonly method: 'GET' | 'PATCH';
  readonly url: string;
  /**
   * Partner Center's MS-RequestId, the same on every attempt: a PATCH passes the order's idempotency key so
   * a retry after a lost answer is not applied twice. Without it, each attempt gets a new GUID.
   */
  readonly requestId?: string;
  readonly body?: unknown;
  /** Extra headers a link asked for (a continuation token); they cannot replace the ones set here. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  readonly body: unknown;
}

type Attempt =
  { readonly response: ApiResponse } | { readonly failure: string; readonly response?: undefined };

/**
 * fetch with what Microsoft's throttling guidance asks for: a timeout per request, retries with
 * exponential backoff and full jitter on 408, 429, 5xx and network failures, Retry-After honoured, and a
 * bound on attempts, on total waiting and on the whole request's time (README: Security). Any other answer is returned for the caller to judge. When the
 * retries run out it throws ProviderUnavailableError; its message never holds a token or a header.
 */
export class ResilientHttpClient {
  constructor(private readonly options: ResilientHttpClientOptions) {}

  async send(call: ApiCall): Promise<ApiResponse> {
    const { retry, sleep, clock, log, service, requestTimeoutMs } = this.options;
    const operation = describe(call);
    let waited = 0;
    // Time spent in attempts, measured, plus the waits asked for (an injected sleep may not really wait).
    let attempting = 0;
    for (let attempt = 1; ; attempt += 1) {
      const timeoutMs = Math.min(requestTimeoutMs, retry.maxTotalMs - attempting - waited);
      const started = performance.now();
      const outcome = await this.attempt(call, timeoutMs);
      attempting += performance.now() - started;
      if (outcome.response && !isRetryable(outcome.response.status)) return outcome.response;

      const problem = outcome.response ? `HTTP ${outcome.response.status}` : outcome.failure;
      const retryAfterMs = outcome.response
        ? parseRetryAfterMs(outcome.response.headers.get('retry-after'), clock.now())
        : undefined;
      const delayMs = retryAfterMs ?? this.backoffMs(attempt);
      if (
        attempt >= retry.maxAttempts ||
        waited + delayMs > retry.maxTotalDelayMs ||
        attempting + waited + delayMs >= retry.maxTotalMs
      ) {
        throw new ProviderUnavailableError(
          `${service} did not complete ${operation} after ${attempt} attempt(s); last: ${problem}`,
          retryAfterMs,
        );
      }
      log?.warn({ service, operation, attempt, problem, delayMs }, 'retrying a request to Microsoft');
      await sleep(delayMs);
      waited += delayMs;
    }
  }

  /** Full jitter: a uniformly random wait below an exponentially growing, capped bound. */
  private backoffMs(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.options.retry;
    const bound = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.options.random() * bound);
  }

  private async attempt(call: ApiCall, timeoutMs: number): Promise<Attempt> {
    const { tokens, service } = this.options;
    const started = performance.now();
    let token: string;
    try {
      // MSAL has no timeout of its own: the token counts against the attempt's time.
      token = await withTimeout(tokens.accessToken(), timeoutMs);
    } catch (error) {
      if (error instanceof AttemptTimeout) return { failure: `no access token within ${timeoutMs} ms` };
      // MSAL already retried the token endpoint; its messages can be long, its code is enough.
      throw new ProviderUnavailableError(`${service}: no access token (${authErrorCode(error)})`);
    }
    const headers: Record<string, string> = {
      ...extraHeaders(call.headers),
      ...this.idHeaders(call),
      Accept: 'application/json',
      Authorization: `Bearer ${token}`,
    };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const response = await fetch(call.url, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs - (performance.now() - started)))),
        // A redirect could carry the bearer token to another host.
        redirect: 'manual',
      });
      const text = await response.text();
      return {
        response: { status: response.status, headers: response.headers, body: parseJson(text, token) },
      };
    } catch (error) {
      return { failure: transportFailure(error, timeoutMs) };
    }
  }

  private idHeaders(call: ApiCall): Record<string, string> {
    const { newGuid } = this.options;
    if (this.options.idHeaders === 'graph') return { 'client-request-id': newGuid() };
    return { 'MS-CorrelationId': newGuid(), 'MS-RequestId': call.requestId ?? newGuid() };
  }
}

/** Headers set here, and credentials, are never taken from a link: names compare case-insensitively. */
const RESERVED_HEADERS = new Set([
  'accept',
  'authorization',
  'client-request-id',
  'content-type',
  'cookie',
  'host',
  'ms-correlationid',
  'ms-requestid',
]);

function extraHeaders(headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const allowed: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    if (!RESERVED_HEADERS.has(name.toLowerCase())) allowed[name] = value;
  return allowed;
}

class AttemptTimeout extends Error {}

/** `work`, or AttemptTimeout after `ms` (the work itself goes on, unobserved). */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AttemptTimeout()), Math.max(0, ms));
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** "GET /v1/customers/…/subscriptions": the path only, as the query may hold continuation tokens. */
function describe(call: ApiCall): string {
  return `${call.method} ${new URL(call.url).pathname}`;
}

/** Parses JSON after taking out the token just sent, in case a server echoes it into an error text. */
function parseJson(text: string, token: string): unknown {
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(token ? text.split(token).join('[redacted]') : text);
  } catch {
    return undefined;
  }
}

function transportFailure(error: unknown, timeoutMs: number): string {
  const { name, cause } = errorLike(error);
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = errorLike(cause).code;
  return `network error (${code ?? name ?? 'unknown'})`;
}

function authErrorCode(error: unknown): string {
  const { errorCode, name } = errorLike(error);
  return errorCode ?? name ?? 'unknown error';
}

/**
 * Reads an error's fields without `instanceof`: fetch's errors (DOMException, TypeError with a cause) may
 * come from another realm, as under jest.
 */
function errorLike(value: unknown): { name?: string; code?: string; errorCode?: string; cause?: unknown } {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  const text = (key: string) => (typeof record[key] === 'string' ? (record[key] as string) : undefined);
  return { name: text('name'), code: text('code'), errorCode: text('errorCode'), cause: record.cause };
}
