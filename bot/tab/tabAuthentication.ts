import type { SignInMode } from '../../tab/src/contract';
import { translator } from '../i18n';
import type { PlainRequest } from '../server';
import type { Requester } from '../services/orderService';
import type { AccessDirectory, Log } from '../services/ports';
import type { SsoTokenValidator } from './ssoTokenValidator';

/** The person behind a tab request, and how they were identified. */
export interface TabUser {
  readonly requester: Requester;
  readonly mode: SignInMode;
}

export type Authentication =
  | { readonly ok: true; readonly user: TabUser }
  | { readonly ok: false; readonly status: 401 | 503; readonly message: SignInRefusal };

/** The header the page sends outside Teams, in local development only. */
export const DEV_USER_HEADER = 'x-dev-user';

/**
 * Every refused sign-in gets these words (the `tab` catalogue's, in the reader's language), whatever was wrong with
 * it: no hint for whoever forged it. SIGN_IN_AGAIN is the English.
 */
export const SIGN_IN_AGAIN = translator('en').t('tab.signInAgain');
export type SignInRefusal = 'tab.signInAgain' | 'tab.signInUnavailable';

const LOOPBACK_ADDRESSES = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEV_USER_ID = /^[0-9A-Za-z-]{1,64}$/;

export interface TabAuthenticationDependencies {
  readonly localDevelopment: boolean;
  /** Absent in local development: there is no app registration to check tokens against. */
  readonly sso: SsoTokenValidator | undefined;
  readonly directory: AccessDirectory;
  readonly log: Log;
}

/**
 * Identifies the person behind an API request, only from what proves it: the Teams single sign-on token in
 * production; in local development (no app id, loopback only) the X-Dev-User header, and only from a browser on
 * this machine talking to a loopback host name (a DNS-rebinding page names its own host). The header is a custom
 * one, so another site cannot make a browser send it without a CORS preflight, which this server never grants.
 */
export class TabAuthentication {
  constructor(private readonly deps: TabAuthenticationDependencies) {}

  async authenticate(request: PlainRequest): Promise<Authentication> {
    return this.deps.localDevelopment ? this.developmentUser(request) : this.teamsUser(request);
  }

  private async teamsUser(request: PlainRequest): Promise<Authentication> {
    const refused = (detail: string): Authentication => {
      this.deps.log.warn({ path: request.path, detail }, 'tab sign-in refused');
      return { ok: false, status: 401, message: 'tab.signInAgain' };
    };
    const bearer = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header(request, 'authorization') ?? '');
    if (!bearer) return refused('no bearer token');
    if (!this.deps.sso) return refused('single sign-on is not configured');
    const check = await this.deps.sso.validate(bearer[1]);
    if (!check.ok) {
      if (check.reason === 'unavailable') {
        this.deps.log.error({ detail: check.detail }, 'tab sign-in keys unavailable');
        return { ok: false, status: 503, message: 'tab.signInUnavailable' };
      }
      return refused(check.detail);
    }
    const { id, name, tenantId } = check.identity;
    return {
      ok: true,
      user: {
        requester: { id, name: name ?? this.deps.directory.user(id)?.name ?? 'Someone', tenantId },
        mode: 'teams',
      },
    };
  }

  private developmentUser(request: PlainRequest): Authentication {
    const refused = (detail: string): Authentication => {
      this.deps.log.warn({ path: request.path, detail }, 'tab development identity refused');
      return { ok: false, status: 401, message: 'tab.signInAgain' };
    };
    if (!LOOPBACK_ADDRESSES.has(request.remoteAddress)) return refused('request not from this machine');
    const host = header(request, 'host') ?? '';
    const hostName = host.replace(/:\d+$/, '').toLowerCase();
    if (!LOOPBACK_HOSTS.has(hostName)) return refused('host name is not a loopback name');
    const id = header(request, DEV_USER_HEADER)?.trim() ?? '';
    if (!DEV_USER_ID.test(id)) return refused('no development identity');
    return {
      ok: true,
      user: {
        requester: { id, name: this.deps.directory.user(id)?.name ?? 'Local developer', tenantId: null },
        mode: 'development',
      },
    };
  }
}

/** One header's value; a repeated header is refused as absent. */
export function header(request: PlainRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
