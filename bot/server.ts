import restify, { type Request, type Response } from 'restify';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Log } from './services/ports';

/** An HTTP request as the tab handler sees it: no restify types outside this file. */
export interface PlainRequest {
  readonly method: string;
  /** The path without the query string, e.g. /tab/api/subscriptions. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  /** The peer's address (127.0.0.1 for local development). */
  readonly remoteAddress: string;
}

export interface PlainResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON; a string or Buffer as is. */
  readonly body?: unknown;
}

/** Serves everything under /tab/ (the page, its scripts, its API). */
export interface TabHandler {
  handle(request: PlainRequest): Promise<PlainResponse>;
}

export interface ServerDependencies {
  readonly adapter: CloudAdapter;
  readonly bot: ActivityHandler;
  readonly log: Log;
  readonly maxBodyBytes: number;
  /** Whether the instance can serve (database reachable). */
  readonly ready: () => Promise<boolean>;
  readonly tab?: TabHandler;
  /** Checked before the SDK sees a request: who may call at all (teams/inboundGate.ts). */
  readonly gate: (
    authorization: string | undefined,
    body: unknown,
  ) => { ok: true } | { ok: false; status: number; reason: string };
}

export interface HttpServer {
  readonly server: restify.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting requests and waits for the turns in flight. */
  close(): Promise<void>;
}

/** The restify wiring: the only file that knows restify. */
export function createServer(deps: ServerDependencies): HttpServer {
  const server = restify.createServer({ name: 'license-desk', handleUncaughtExceptions: false });
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;

  server.use(
    restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, mapFiles: false }),
  );

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (closing) {
      res.send(503, { error: 'shutting down' });
      return;
    }
    const verdict = deps.gate(req.headers.authorization, req.body);
    if (!verdict.ok) {
      deps.log.warn(
        { status: verdict.status, reason: verdict.reason, remote: req.socket.remoteAddress },
        'request refused',
      );
      res.send(verdict.status, { error: verdict.status === 401 ? 'Unauthorized' : 'Forbidden' });
      return;
    }
    inFlight += 1;
    try {
      await deps.adapter.process(req, res, (context) => deps.bot.run(context));
    } catch (error) {
      deps.log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    }
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const ready = !closing && (await deps.ready().catch(() => false));
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' });
  });

  if (deps.tab) {
    const tab = deps.tab;
    const serveTab = async (req: Request, res: Response) => {
      try {
        const reply = await tab.handle({
          method: req.method ?? 'GET',
          path: req.getPath(),
          query: Object.fromEntries(new URL(req.url ?? '/', 'http://tab').searchParams),
          headers: req.headers,
          body: req.body,
          remoteAddress: req.socket.remoteAddress ?? '',
        });
        for (const [name, value] of Object.entries(reply.headers ?? {})) res.header(name, value);
        if (Buffer.isBuffer(reply.body) || typeof reply.body === 'string') {
          res.writeHead(reply.status);
          res.end(reply.body);
        } else {
          res.send(reply.status, reply.body ?? {});
        }
      } catch (error) {
        deps.log.error({ err: error, path: req.getPath() }, 'tab request failed');
        if (!res.headersSent) res.send(500, { error: 'Something went wrong on our side.' });
      }
    };
    server.get('/tab/*', serveTab);
    server.post('/tab/api/*', serveTab);
  }

  return {
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as { port: number };
          resolve(address.port);
        });
      }),
    close: async () => {
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      server.server.closeIdleConnections();
      await stopped;
    },
  };
}
