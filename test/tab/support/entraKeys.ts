import { SignJWT, UnsecuredJWT } from 'jose';
import { JsonEndpoints, signingKey, type SigningKey } from '../../support/localKeys';

export const APP_ID = '3f0e5d9c-8a41-4c8e-9f0b-6a1d2e3c4b5a';
export const TAB_TENANT_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
export const OTHER_TENANT_ID = '0b1c2d3e-4f50-4a6b-8c7d-111111111111';
export const BOT_DOMAIN = 'licenses.contoso.example';
export const TAB_AUDIENCE = `api://${BOT_DOMAIN}/${APP_ID}`;

/** The settings of a production deployment whose tab trusts the local key set. */
export function productionEnv(keys: EntraKeys): Record<string, string> {
  return {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'test-secret',
    MicrosoftAppTenantId: TAB_TENANT_ID,
    BOT_DOMAIN,
    SSO_JWKS_URL: keys.jwksUrl,
    HOST: '127.0.0.1',
  };
}

export interface TokenOptions {
  readonly claims?: Record<string, unknown>;
  /** Sign with a key the JWKS does not publish. */
  readonly foreignKey?: boolean;
  readonly expiresInSeconds?: number;
  readonly issuedSecondsAgo?: number;
  /** Leave out exp altogether. */
  readonly noExpiry?: boolean;
}

/**
 * A stand-in for the Microsoft identity platform's published signing keys (JWKS on 127.0.0.1), and a token
 * factory shaped like the v2.0 access tokens Teams single sign-on gives a tab.
 */
export class EntraKeys {
  private key: SigningKey | undefined;
  private foreign: SigningKey | undefined;
  /** How many times the JWKS was fetched. */
  fetches = 0;
  private readonly endpoints = new JsonEndpoints({
    '/common/discovery/v2.0/keys': () => {
      this.fetches += 1;
      return { keys: [this.key?.jwk] };
    },
  });

  async start(): Promise<void> {
    this.key = await signingKey('entra-test-key');
    this.foreign = await signingKey('entra-test-key');
    await this.endpoints.start();
  }

  stop(): Promise<void> {
    return this.endpoints.stop();
  }

  get jwksUrl(): string {
    return `${this.endpoints.url}/common/discovery/v2.0/keys`;
  }

  /** The claims of a good token for this user; every one can be replaced or removed (set to undefined). */
  claimsFor(user: { aadObjectId: string; name: string }, tenantId = TAB_TENANT_ID): Record<string, unknown> {
    return {
      aud: TAB_AUDIENCE,
      iss: `https://login.microsoftonline.com/${tenantId}/v2.0`,
      tid: tenantId,
      oid: user.aadObjectId,
      name: user.name,
      preferred_username: `${user.name.split(' ')[0].toLowerCase()}@contoso.com`,
      scp: 'access_as_user',
      ver: '2.0',
      azp: '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
    };
  }

  /** An RS256 token signed by the published key (or a foreign one). */
  async sign(claims: Record<string, unknown>, options: TokenOptions = {}): Promise<string> {
    if (!this.key || !this.foreign) throw new Error('not started');
    const now = Math.floor(Date.now() / 1000) - (options.issuedSecondsAgo ?? 0);
    const present = Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined));
    const jwt = new SignJWT(present)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.key.kid })
      .setIssuedAt(now)
      .setNotBefore(now);
    if (!options.noExpiry) jwt.setExpirationTime(now + (options.expiresInSeconds ?? 3600));
    return jwt.sign(options.foreignKey ? this.foreign.privateKey : this.key.privateKey);
  }

  /** The same claims with alg "none" and no signature. */
  unsigned(claims: Record<string, unknown>): string {
    const now = Math.floor(Date.now() / 1000);
    return new UnsecuredJWT(claims)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .encode();
  }

  /** HS256 with a secret: a key an attacker could choose, e.g. the public key's own bytes. */
  async hmacSigned(claims: Record<string, unknown>, secret: Uint8Array): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: this.key?.kid })
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(secret);
  }

  /** The published key's own text as an HMAC secret: the classic algorithm-confusion forgery. */
  publicKeyBytes(): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.key?.jwk));
  }
}
