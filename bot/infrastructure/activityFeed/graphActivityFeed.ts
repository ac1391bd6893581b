import type { DeliveryResult } from '../../services/outbox';
import type { ActivityFeed, ActivityNotification, Clock } from '../../services/ports';
import type { TokenSource } from '../providers/partnerCenter/tokenSource';
import { parseRetryAfterMs } from '../providers/partnerCenter/retryAfter';

const TIMEOUT_MS = 10_000;
/** Worth trying again: throttled, a timeout, Microsoft's side failing, or a token that expired in between. */
const RETRIED = new Set([401, 408, 429, 500, 502, 503, 504]);

/**
 * The Teams activity feed through Microsoft Graph, app-only (README: Activity feed):
 * `POST /v1.0/users/{id}/teamwork/sendActivityNotification` with a text topic whose webUrl is a Teams deep link.
 * Graph answers 204 with nothing to record; its answer decides whether the outbox tries again (429 and 503 with
 * their Retry-After, 5xx, timeouts) or gives up (the app is not installed for the person, no permission: 403, 404).
 * The bearer token goes in the Authorization header only: never in a result, an error or the log.
 */
export class GraphActivityFeed implements ActivityFeed {
  constructor(
    private readonly graphUrl: string,
    private readonly tokens: TokenSource,
    private readonly clock: Clock,
  ) {}

  async notify(userId: string, notification: ActivityNotification): Promise<DeliveryResult> {
    const token = await this.tokens.accessToken();
    const response = await fetch(
      `${this.graphUrl}/v1.0/users/${encodeURIComponent(userId)}/teamwork/sendActivityNotification`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify({
          topic: { source: 'text', value: notification.topic, webUrl: notification.webUrl },
          activityType: notification.activityType,
          previewText: { content: notification.previewText },
          templateParameters: Object.entries(notification.templateParameters).map(([name, value]) => ({
            name,
            value,
          })),
        }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      },
    );
    if (response.ok) {
      await response.body?.cancel();
      return { status: 'delivered' };
    }
    const reason = `graph_http_${response.status}${await errorCode(response)}`;
    if (RETRIED.has(response.status))
      return {
        status: 'retry',
        reason,
        retryAfterMs: parseRetryAfterMs(response.headers.get('retry-after'), this.clock.now()),
      };
    return { status: 'failed', reason };
  }
}

/** Graph's error code (`Forbidden`, `NotFound`...), never its message: a code is all the outbox row needs. */
async function errorCode(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } };
    const code = body.error?.code;
    return typeof code === 'string' && /^[\w.]{1,60}$/.test(code) ? `_${code}` : '';
  } catch {
    return '';
  }
}
