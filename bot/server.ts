import restify, { type Next, type Request, type Response } from 'restify';
import type { ActivityHandler, CloudAdapter, Response as SdkResponse } from 'botbuilder';
import { readBody } from './requestBody';
import type { Log } from './services/ports';

/** An HTTP request as the tab handler sees it: no restify types outside this file. */
export interface PlainRequest {
  readonly method: string;
  /** The path without the query string, e.g. /tab/api/subscriptions. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Each header once as a string; a header sent more than once is an array of its values. */
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

/** A refusal of the inbound gate: the status, what the log says, and the sentence the caller reads. */
export type GateVerdict = { ok: true } | { ok: false; status: number; reason: string; message: string };

export interface ServerDependencies {
  readonly adapter: CloudAdapter;
  readonly bot: ActivityHandler;
  readonly log: Log;
  /** The most a request body may hold once decoded (gzip included). */
  readonly maxBodyBytes: number;
  /**
   * Local development (no authentication): every request must be addressed to a loopback host name, so a web
   * page that rebinds its own DNS name to 127.0.0.1 cannot reach the bot or the development identity.
   */
  readonly loopbackHostsOnly: boolean;
  /** Whether the instance can serve (database reachable). */
  readonly ready: () => Promise<boolean>;
  readonly tab?: TabHandler;
  /**
   * Checked before the SDK sees a request: is the body a Bot Framework activity, and who may call at all
   * (teams/activityShape.ts, teams/inboundGate.ts).
   */
  readonly gate: (authorization: string | undefined, body: unknown) => GateVerdict;
}

export interface HttpServer {
  readonly server: restify.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting requests and waits for the turns in flight. */
  close(): Promise<void>;
}

/** Time allowed to receive a whole request (headers and body) before Node answers 408 and closes. */
const REQUEST_TIMEOUT_MS = 30_000;
const LOOPBACK_HOST_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SERVER_ERROR = 'Something went wrong on our side. Please try again in a moment.';

/**
 * The restify wiring: the only file that knows restify. Bodies are read by `readBody` (limits after decoding,
 * every stream error handled), never by restify's body parser, and the Bot Framework SDK answers into a
 * response of ours, so no error text of its own reaches a client (README: Security).
 */
export function createServer(deps: ServerDependencies): HttpServer {
  const server = restify.createServer({ name: 'license-desk', handleUncaughtExceptions: false });
  server.server.requestTimeout = REQUEST_TIMEOUT_MS;
  let inFlight = 0;
  let closing = false;
  let idle: (() => void) | undefined;

  const refuse = (res: Response, status: number, message: string) => {
    res.header('Cache-Control', 'no-store');
    res.header('X-Content-Type-Options', 'nosniff');
    // The rest of a refused body is not worth reading: the connection ends with this answer.
    if (status === 400 || status === 413 || status === 415) res.header('Connection', 'close');
    res.send(status, { error: message });
  };

  // Before routing, for every request: HTTP/1.1 allows one Host (RFC 9112, 3.2); Node keeps the first of several.
  server.pre((req: Request, res: Response, next: Next) => {
    const hosts = req.headersDistinct.host ?? [];
    if (hosts.length !== 1) {
      deps.log.warn({ hosts: hosts.length, remote: req.socket.remoteAddress }, 'request refused: Host');
      refuse(res, 400, 'A request must name exactly one Host.');
      return next(false);
    }
    if (deps.loopbackHostsOnly && !isLoopbackHost(hosts[0])) {
      deps.log.warn({ remote: req.socket.remoteAddress }, 'request refused: Host is not a loopback name');
      refuse(
        res,
        400,
        'In local development this bot answers only requests addressed to 127.0.0.1, localhost or [::1].',
      );
      return next(false);
    }
    return next();
  });

  server.use((req: Request, res: Response, next: Next) => {
    readBody(req, deps.maxBodyBytes).then(
      (result) => {
        if (!result.ok) {
          deps.log.warn(
            { status: result.status, path: req.getPath(), remote: req.socket.remoteAddress },
            'request body refused',
          );
          refuse(res, result.status, result.message);
          return next(false);
        }
        req.body = result.body;
        return next();
      },
      (error: unknown) => {
        deps.log.error({ err: error, path: req.getPath() }, 'request body failed');
        refuse(res, 400, 'The request body could not be read.');
        return next(false);
      },
    );
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    if (closing) {
      res.send(503, { error: 'The bot is shutting down. Please try again in a moment.' });
      return;
    }
    const verdict = deps.gate(req.headers.authorization, req.body);
    if (!verdict.ok) {
      deps.log.warn(
        { status: verdict.status, reason: verdict.reason, remote: req.socket.remoteAddress },
        'request refused',
      );
      refuse(res, verdict.status, verdict.message);
      return;
    }
    inFlight += 1;
    try {
      const answer = await runTurn(deps, req);
      // 501 without a body is the SDK's answer to an invoke the bot does not handle: Teams expects it as is.
      if (answer.status >= 500 && answer.status !== 501) {
        deps.log.error({ status: answer.status }, 'turn answered with a server error');
        res.send(500, { error: SERVER_ERROR });
      } else if (answer.status === 401) {
        res.send(401, { error: 'Unauthorized' });
      } else if (answer.body === undefined || answer.body === null) {
        res.writeHead(answer.status);
        res.end();
      } else {
        res.send(answer.status, answer.body);
      }
    } catch (error) {
      deps.log.error({ err: error }, 'request failed');
      if (!res.headersSent) res.send(500, { error: SERVER_ERROR });
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
          headers: Object.fromEntries(
            Object.entries(req.headersDistinct).map(([name, values]) => [
              name,
              values && values.length === 1 ? values[0] : values,
            ]),
          ),
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
        if (!res.headersSent) res.send(500, { error: SERVER_ERROR });
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

/**
 * Runs one activity through the SDK, which answers into this object rather than the real response: the status
 * and body it chose come back here, and the caller decides what the client sees.
 */
async function runTurn(deps: ServerDependencies, req: Request): Promise<{ status: number; body: unknown }> {
  const answer: { status: number; body: unknown } = { status: 200, body: undefined };
  const response = {
    socket: undefined,
    status(code: number) {
      answer.status = code;
    },
    header() {},
    send(body: unknown) {
      answer.body = body;
    },
    end() {},
  } as unknown as SdkResponse;
  await deps.adapter.process(
    {
      method: 'POST',
      headers: { authorization: req.headers.authorization },
      body: req.body as Record<string, unknown>,
    },
    response,
    (context) => deps.bot.run(context),
  );
  return answer;
}

/** Host as sent: a name or [IPv6] address, and maybe a port. */
function isLoopbackHost(host: string): boolean {
  const name = /^(\[[^\]]*\]|[^:]*)(?::\d*)?$/.exec(host.trim().toLowerCase())?.[1];
  return name !== undefined && LOOPBACK_HOST_NAMES.has(name);
}
