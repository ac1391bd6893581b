import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK, type KeyLike } from 'jose';

/** An RS256 key pair with its public half as a JWK (extra members such as endorsements included). */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly jwk: JWK;
}

export async function signingKey(kid: string, extra: Record<string, unknown> = {}): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig', ...extra } as JWK,
  };
}

/** JSON documents at fixed paths on 127.0.0.1: a local stand-in for published OpenID metadata and keys. */
export class JsonEndpoints {
  private server: Server | undefined;

  constructor(private readonly routes: Readonly<Record<string, () => unknown>>) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      const route: (() => unknown) | undefined = Object.hasOwn(this.routes, req.url ?? '')
        ? this.routes[req.url ?? '']
        : undefined;
      res.statusCode = route ? 200 : 404;
      res.end(JSON.stringify(route ? route() : {}));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get url(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${address.port}`;
  }
}
