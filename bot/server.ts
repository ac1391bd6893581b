import restify, { type Request, type Response } from 'restify';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import type { Log } from './services/ports';

export interface ServerDependencies {
  readonly adapter: CloudAdapter;
  readonly bot: ActivityHandler;
  readonly log: Log;
  readonly maxBodyBytes: number;
  /** Whether the instance can serve (database reachable). */
  readonly ready: () => Promise<boolean>;
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
