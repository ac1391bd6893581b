import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

/** One sendActivityNotification call as the fake received it. */
export interface FeedCall {
  readonly userId: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly body: {
    topic: { source: string; value: string; webUrl: string };
    activityType: string;
    previewText: { content: string };
    templateParameters: Array<{ name: string; value: string }>;
  };
  /** What the fake answered. */
  readonly status: number;
}

/**
 * A local stand-in for Microsoft Entra ID's token endpoint (client credentials) and Graph's
 * `POST /v1.0/users/{userId}/teamwork/sendActivityNotification` (204 No Content), on 127.0.0.1.
 * `throttle` answers the next calls 429 with a Retry-After, as Graph throttles.
 */
export class FakeGraph {
  readonly tenantId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  /** Every request, the token endpoint's included. */
  readonly requests: Array<{ method: string; path: string; raw: string }> = [];
  readonly feedCalls: FeedCall[] = [];
  readonly issuedTokens: Array<{ token: string; clientId: string; tenant: string; scope: string }> = [];
  readonly throttle = { times: 0, retryAfter: '120' };
  private server: Server | undefined;

  constructor(
    private readonly clientId: string,
    private readonly clientSecret: string,
  ) {}

  get url(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('fake Graph is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** The OpenID configuration MSAL gets as `authorityMetadata`: its token endpoint is this fake's. */
  get authorityMetadata(): string {
    const base = `${this.url}/{tenant}`;
    return JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
      jwks_uri: `${base}/discovery/v2.0/keys`,
    });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const method = req.method ?? 'GET';
        this.requests.push({ method, path, raw });
        const reply = this.route(method, path, req.headers, raw);
        res.writeHead(reply.status, {
          ...(reply.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...reply.headers,
        });
        res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The notifications Graph accepted (answered 204), in order. */
  delivered(): FeedCall[] {
    return this.feedCalls.filter((c) => c.status === 204);
  }

  private route(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    raw: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    path = new URL(path, 'http://fake').pathname;
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token && method === 'POST') {
      const form = new URLSearchParams(raw);
      if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
        return { status: 401, body: { error: 'invalid_client' } };
      const issued = `fake-graph-token-${randomUUID()}`;
      this.issuedTokens.push({
        token: issued,
        clientId: this.clientId,
        tenant: token[1],
        scope: form.get('scope') ?? '',
      });
      return {
        status: 200,
        body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: issued },
      };
    }
    const feed = /^\/v1\.0\/users\/([^/]+)\/teamwork\/sendActivityNotification$/.exec(path);
    if (!feed || method !== 'POST')
      return { status: 404, body: { error: { code: 'NotFound', message: `${method} ${path}` } } };
    const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
    const authorized = this.issuedTokens.some(
      (t) => t.token === bearer && t.scope.split(' ').includes('https://graph.microsoft.com/.default'),
    );
    let status = 204;
    let reply: { status: number; body?: unknown; headers?: Record<string, string> } = { status };
    if (!authorized) {
      status = 401;
      reply = { status, body: { error: { code: 'InvalidAuthenticationToken', message: 'no token' } } };
    } else if (this.throttle.times > 0) {
      this.throttle.times -= 1;
      status = 429;
      reply = {
        status,
        headers: { 'retry-after': this.throttle.retryAfter },
        body: { error: { code: 'TooManyRequests', message: 'Too many requests' } },
      };
    }
    this.feedCalls.push({
      userId: decodeURIComponent(feed[1]),
      headers,
      raw,
      body: JSON.parse(raw) as FeedCall['body'],
      status,
    });
    return reply;
  }
}
