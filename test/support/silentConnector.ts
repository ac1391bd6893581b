import { createServer as createHttpServer, type ServerResponse, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';

const HEAD = '{"id":';
const BODY_LENGTH = 1000;

/**
 * A Bot Connector that misbehaves for real, on 127.0.0.1: it accepts connections and never answers
 * (`silent`), or answers the headers of a response and never its body (`stalled`). Requests are counted.
 * `stop` finally answers what is still waiting, so the bot's calls end instead of retrying a closed port.
 */
export class SilentConnector {
  requests = 0;
  private waiters: Array<() => void> = [];
  private server: Server | HttpServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<ServerResponse>();

  constructor(private readonly mode: 'silent' | 'stalled' = 'silent') {}

  get serviceUrl(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('silent connector is not listening');
    return `http://127.0.0.1:${address.port}/`;
  }

  async start(): Promise<void> {
    if (this.mode === 'silent') {
      this.server = createServer((socket) => {
        this.counted();
        this.sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => this.sockets.delete(socket));
      });
    } else {
      const server = createHttpServer((_req, res) => {
        this.counted();
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(BODY_LENGTH) });
        res.write(HEAD);
        this.stalled.add(res);
      });
      server.on('connection', (socket) => {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
      });
      this.server = server;
    }
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }

  /** Resolves once `count` requests (connections, when silent) have arrived. */
  waitForRequests(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.requests < count) return false;
        resolve();
        return true;
      };
      if (!check()) this.waiters.push(() => void check());
    });
  }

  private counted(): void {
    this.requests += 1;
    this.waiters.forEach((w) => w());
  }

  async stop(): Promise<void> {
    for (const res of this.stalled) res.end(`"late"}`.padEnd(BODY_LENGTH - HEAD.length, ' '));
    if (this.mode === 'silent') {
      for (const socket of this.sockets)
        socket.end(
          'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"id":"late"}',
        );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A local port nothing listens on: connections to it are refused at once. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}
