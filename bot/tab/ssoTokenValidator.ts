import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { Clock } from '../services/ports';

/** Who a valid Teams single sign-on token names: Entra object id, display name, tenant. */
export interface SsoIdentity {
  readonly id: string;
  readonly name: string | undefined;
  readonly tenantId: string;
}

/**
 * `invalid`: the token proves nothing (forged, expired, for another app or tenant): the person signs in again.
 * `unavailable`: the token could not be checked (the published keys could not be fetched): try again later.
 * `detail` is for the log only, never for the response.
 */
export type TokenCheck =
  | { readonly ok: true; readonly identity: SsoIdentity }
  | { readonly ok: false; readonly reason: 'invalid' | 'unavailable'; readonly detail: string };

export interface SsoSettings {
  /** The bot's Microsoft App ID: the app registration the tab's SSO resource belongs to. */
  readonly appId: string;
  /** Host of the tab; the Application ID URI is api://<botDomain>/<appId>. */
  readonly botDomain: string | undefined;
  /** Where the tenant's token signing keys are published. */
  readonly jwksUrl: string;
  readonly allowedTenantIds: readonly string[] | 'any';
}

/** Entra tokens are RS256; anything else (none, HS256 with a guessed secret) is refused before any key lookup. */
const ALGORITHMS = ['RS256'];
/** Clocks of Entra and this server may differ a little. */
const CLOCK_TOLERANCE_SECONDS = 300;
/** Entra access tokens are a few kilobytes; far longer input is not worth parsing. */
const MAX_TOKEN_LENGTH = 16 * 1024;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The delegated scope the tab's app registration exposes (README: "Deploy to Teams"). */
export const SSO_SCOPE = 'access_as_user';
/**
 * The clients pre-authorised for that scope (README: "Deploy to Teams"): Teams on desktop and mobile, and Teams on
 * the web. A token any other client obtained for the scope is not the tab's.
 */
export const TEAMS_CLIENT_IDS: readonly string[] = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
];

/**
 * Validates the token `authentication.getAuthToken()` gives the tab: signature by a key the Microsoft identity
 * platform publishes, RS256 only, audience = the tab's Application ID URI (or the bare app id, as in v2.0
 * tokens), issuer = the v1.0 or v2.0 issuer of the token's own tenant, expiry, an allowed tenant; and that it is a
 * user's delegated token for the tab: the `access_as_user` scope, obtained by one of the Teams clients (`azp`, or
 * `appid` in v1.0 tokens), not an app-only token.
 */
export class SsoTokenValidator {
  private readonly audiences: string[];
  private readonly tenants: ReadonlySet<string> | 'any';

  constructor(
    settings: SsoSettings,
    private readonly clock: Clock,
    private readonly keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl)),
  ) {
    this.audiences = settings.botDomain
      ? [`api://${settings.botDomain}/${settings.appId}`, settings.appId]
      : [settings.appId];
    this.tenants =
      settings.allowedTenantIds === 'any'
        ? 'any'
        : new Set(settings.allowedTenantIds.map((t) => t.toLowerCase()));
  }

  async validate(token: string): Promise<TokenCheck> {
    const invalid = (detail: string): TokenCheck => ({ ok: false, reason: 'invalid', detail });
    if (token.length > MAX_TOKEN_LENGTH) return invalid('token too long');

    // Read before verifying only to pick the expected issuer and refuse cheaply; jwtVerify checks it all again.
    let tenantId: unknown;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (!alg || !ALGORITHMS.includes(alg)) return invalid(`algorithm ${String(alg)} not accepted`);
      tenantId = decodeJwt(token).tid;
    } catch {
      return invalid('not a JWT');
    }
    if (typeof tenantId !== 'string' || !GUID.test(tenantId)) return invalid('no tenant id');
    if (this.tenants !== 'any' && !this.tenants.has(tenantId.toLowerCase())) {
      return invalid('tenant not allowed');
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        algorithms: ALGORITHMS,
        audience: this.audiences,
        issuer: [
          `https://login.microsoftonline.com/${tenantId}/v2.0`,
          `https://sts.windows.net/${tenantId}/`,
        ],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: this.clock.now(),
        requiredClaims: ['exp', 'oid', 'tid'],
      }));
    } catch (error) {
      if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || !isJoseError(error)) {
        return { ok: false, reason: 'unavailable', detail: describe(error) };
      }
      return invalid(error.code);
    }

    const { oid, name, scp, idtyp } = payload;
    if (idtyp === 'app') return invalid('app-only token');
    if (typeof scp !== 'string' || !scp.split(' ').includes(SSO_SCOPE)) return invalid('scope missing');
    const client = payload.azp ?? payload.appid;
    if (typeof client !== 'string' || !TEAMS_CLIENT_IDS.includes(client.toLowerCase()))
      return invalid('not a Teams client');
    if (typeof oid !== 'string' || oid.trim() === '' || oid.length > 64) return invalid('no object id');
    return {
      ok: true,
      identity: {
        id: oid,
        name: typeof name === 'string' && name.trim() !== '' ? name.trim().slice(0, 200) : undefined,
        tenantId,
      },
    };
  }
}

function isJoseError(error: unknown): error is errors.JOSEError {
  return error instanceof errors.JOSEError;
}

function describe(error: unknown): string {
  if (isJoseError(error)) return error.code;
  return error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
}
