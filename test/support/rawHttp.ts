import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  /**
   * Header lines as sent, in order, duplicates included: [name, value]. Host is not added for you;
   * Content-Length is, for a body, unless a Content-Length or Transfer-Encoding is given.
   */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Buffer | string;
  /** Sends only this many bytes of the body, then closes the connection (a client that gives up). */
  readonly abortAfterBytes?: number;
}

/**
 * One HTTP/1.1 request written byte for byte on a fresh connection (what curl or an attacker sends, malformed
 * headers and bodies included), then the response as the server wrote it, read until it closes the connection.
 * Resolves `undefined` when the server closed without answering.
 */
export function rawRequest(port: number, request: RawRequest): Promise<RawResponse | undefined> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body);
    const framed = request.headers.some(([name]) => /^(content-length|transfer-encoding)$/i.test(name));
    const headers = [...request.headers];
    if (body.length > 0 && !framed) headers.push(['Content-Length', String(body.length)]);
    socket.on('connect', () => {
      const head =
        `${request.method} ${request.path} HTTP/1.1\r\n` +
        headers.map(([name, value]) => `${name}: ${value}\r\n`).join('') +
        'Connection: close\r\n\r\n';
      socket.write(head);
      if (request.abortAfterBytes !== undefined) {
        socket.write(body.subarray(0, request.abortAfterBytes), () => socket.destroy());
        return;
      }
      // Not ended: a client that half-closes gets no answer from Node's HTTP server (curl does not either).
      // A large body is written as fast as the server reads it; the server may answer and close first.
      socket.write(body);
    });
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may answer and close while the rest of a refused body is still being written.
      if (error.code === 'EPIPE' || error.code === 'ECONNRESET') return;
      reject(error);
    });
    socket.on('close', () => resolve(parse(Buffer.concat(received))));
  });
}

function parse(raw: Buffer): RawResponse | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status, headers, body: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    const lineEnd = data.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
