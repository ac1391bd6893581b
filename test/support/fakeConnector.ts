import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Activity, ChannelAccount } from 'botbuilder';

/** One call the bot made to the Bot Connector, as the connector received it. */
export interface ConnectorCall {
  readonly kind: 'send' | 'reply' | 'update' | 'createConversation';
  readonly conversationId: string;
  /** For reply: the activity replied to; for update: the activity updated; for send/reply: the new id. */
  readonly activityId: string;
  readonly body: Partial<Activity> & Record<string, unknown>;
  readonly headers: IncomingMessage['headers'];
}

/** Which calls a fault or a hold applies to (all when absent). */
export type CallFilter = (call: Pick<ConnectorCall, 'kind' | 'conversationId'>) => boolean;

/**
 * The connector failing: matching calls are answered with `status` (and a Retry-After when given) instead of
 * being carried out, while the fault lasts (until `until`, a Date.now() value, and/or for `times` calls).
 */
export interface ConnectorFault {
  readonly status: number;
  readonly retryAfter?: string;
  readonly until?: number;
  times?: number;
  readonly only?: CallFilter;
}

/**
 * A local Bot Connector on 127.0.0.1: the bot's replies, updates and proactive conversations arrive here
 * at the activity's serviceUrl, byte for byte what Teams would receive. Faults make it fail like the real one
 * (503 outages, 429 with Retry-After); a hold keeps requests unanswered, and one whose caller went away before
 * an answer was never carried out (a bot process killed mid-call).
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Calls answered with a fault instead of being carried out, with when they came. */
  readonly refused: Array<Pick<ConnectorCall, 'kind' | 'conversationId'> & { status: number; at: number }> =
    [];
  /** Calls held unanswered right now (a call whose caller went away leaves this list). */
  readonly held: Array<Pick<ConnectorCall, 'kind' | 'conversationId'>> = [];
  faults: ConnectorFault[] = [];
  /** Holds matching calls unanswered until `release()` (or until the caller goes away). */
  hold: CallFilter | undefined;
  private releases: Array<() => void> = [];
  /** The members of every conversation (getPagedMembers), as Teams would list them. */
  roster: ChannelAccount[] = [];
  private server: Server | undefined;
  private nextId = 1;
  private listeners: Array<() => void> = [];

  get serviceUrl(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('fake connector is not listening');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const call = describeCall(req);
        const answer = () => {
          const fault = call && this.activeFault(call);
          if (call && fault) {
            this.refused.push({ ...call, status: fault.status, at: Date.now() });
            res.writeHead(fault.status, {
              'content-type': 'application/json',
              ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
            });
            res.end(JSON.stringify({ error: { code: 'ServiceError', message: `HTTP ${fault.status}` } }));
          } else {
            const reply = this.handle(req, body);
            res.writeHead(reply.status, { 'content-type': 'application/json' });
            res.end(JSON.stringify(reply.body));
          }
          this.listeners.forEach((l) => l());
        };
        if (call && this.hold?.(call)) {
          this.held.push(call);
          this.listeners.forEach((l) => l());
          let gone = false;
          const forget = () => {
            const at = this.held.indexOf(call);
            if (at >= 0) this.held.splice(at, 1);
          };
          // The caller went away before an answer (a killed process): the call is dropped, never carried out.
          res.on('close', () => {
            if (res.writableFinished) return;
            gone = true;
            forget();
            this.listeners.forEach((l) => l());
          });
          this.releases.push(() => {
            forget();
            if (!gone && !res.destroyed) answer();
          });
          return;
        }
        answer();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    this.release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Answers every held call whose caller is still there; stops holding. */
  release(): void {
    this.hold = undefined;
    for (const release of this.releases.splice(0)) release();
  }

  /** Fails every call (or those `only` selects) with `status` for `ms` from now. */
  outage(ms: number, status = 503, only?: CallFilter): void {
    this.faults.push({ status, until: Date.now() + ms, only });
  }

  /** Messages (not typing indicators) sent or replied, in order. */
  messages(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) =>
        (c.kind === 'send' || c.kind === 'reply') &&
        c.body.type === 'message' &&
        (conversationId === undefined || c.conversationId === conversationId),
    );
  }

  updates(activityId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) => c.kind === 'update' && (activityId === undefined || c.activityId === activityId),
    );
  }

  /** Waits until `predicate` holds for the calls received (or fails after `timeoutMs`). */
  async waitFor(predicate: (calls: ConnectorCall[]) => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate(this.calls)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(
          new Error(
            `fake connector: condition not met in ${timeoutMs} ms; ${this.calls.length} calls received`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (!predicate(this.calls)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  clear(): void {
    this.calls.length = 0;
    this.refused.length = 0;
    this.faults = [];
    this.release();
  }

  private activeFault(call: Pick<ConnectorCall, 'kind' | 'conversationId'>): ConnectorFault | undefined {
    const now = Date.now();
    const fault = this.faults.find(
      (f) =>
        (f.until === undefined || now < f.until) &&
        (f.times === undefined || f.times > 0) &&
        (f.only === undefined || f.only(call)),
    );
    if (fault?.times !== undefined) fault.times -= 1;
    return fault;
  }

  private handle(req: IncomingMessage, raw: string): { status: number; body: unknown } {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const body = raw ? (JSON.parse(raw) as ConnectorCall['body']) : {};
    const record = (kind: ConnectorCall['kind'], conversationId: string, activityId: string) =>
      this.calls.push({ kind, conversationId, activityId, body, headers: req.headers });

    let m = /^\/v3\/conversations\/(.+)\/activities\/([^/]+)$/.exec(path);
    if (m && req.method === 'PUT') {
      record('update', m[1], m[2]);
      return { status: 200, body: { id: m[2] } };
    }
    if (m && req.method === 'POST') {
      const id = `activity-${this.nextId++}`;
      record('reply', m[1], id);
      return { status: 200, body: { id } };
    }
    m = /^\/v3\/conversations\/(.+)\/activities$/.exec(path);
    if (m && req.method === 'POST') {
      const id = `activity-${this.nextId++}`;
      record('send', m[1], id);
      return { status: 200, body: { id } };
    }
    m = /^\/v3\/conversations\/(.+)\/pagedmembers$/.exec(path);
    if (m && req.method === 'GET') return { status: 200, body: { members: this.roster } };
    m = /^\/v3\/conversations\/(.+)\/members\/(.+)$/.exec(path);
    if (m && req.method === 'GET') {
      const member = this.roster.find((r) => r.id === m?.[2] || r.aadObjectId === m?.[2]);
      return member ? { status: 200, body: member } : { status: 404, body: { error: { code: 'NotFound' } } };
    }
    if (path === '/v3/conversations' && req.method === 'POST') {
      const members = (body.members as ChannelAccount[] | undefined) ?? [];
      const id = `a:personal-${members.map((x) => x.id).join(',')}`;
      record('createConversation', id, '');
      return { status: 201, body: { id } };
    }
    return { status: 404, body: { error: { code: 'NotFound', message: `${req.method} ${path}` } } };
  }
}

/** What a request to the connector is (as recorded in `calls`), before it is carried out. */
function describeCall(req: IncomingMessage): Pick<ConnectorCall, 'kind' | 'conversationId'> | undefined {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  let m = /^\/v3\/conversations\/(.+)\/activities\/([^/]+)$/.exec(path);
  if (m) return { kind: req.method === 'PUT' ? 'update' : 'reply', conversationId: m[1] };
  m = /^\/v3\/conversations\/(.+)\/activities$/.exec(path);
  if (m) return { kind: 'send', conversationId: m[1] };
  if (path === '/v3/conversations' && req.method === 'POST')
    return { kind: 'createConversation', conversationId: '' };
  return undefined;
}
