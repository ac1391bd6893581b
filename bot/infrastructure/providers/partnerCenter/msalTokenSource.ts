import { ConfidentialClientApplication } from '@azure/msal-node';
import type { TokenSource } from './tokenSource';

export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** The app registration the License Desk signs in with (client credentials, app-only). */
export interface MsalCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The partner's Entra tenant: Partner Center tokens are issued there. */
  readonly partnerTenantId: string;
  /** The customer's Entra tenant: Graph tokens for its subscribedSkus are issued there. */
  readonly customerTenantId: string;
  /** Default https://login.microsoftonline.com; MSAL refuses anything but https. */
  readonly authorityHost?: string;
  /**
   * The authority's OpenID configuration as JSON, which spares MSAL the discovery call. `{tenant}` in its
   * endpoints is replaced per tenant. Tests use it to point the token endpoint at a local server.
   */
  readonly authorityMetadata?: string;
}

/** One scope from one tenant, through a shared MSAL client. */
export class MsalTokenSource implements TokenSource {
  constructor(
    private readonly client: ConfidentialClientApplication,
    private readonly authority: string,
    private readonly scope: string,
  ) {}

  async accessToken(): Promise<string> {
    // MSAL answers from its in-memory cache and renews shortly before expiry.
    const result = await this.client.acquireTokenByClientCredential({
      scopes: [this.scope],
      authority: this.authority,
    });
    if (!result?.accessToken) throw new Error(`no access token for ${this.scope}`);
    return result.accessToken;
  }
}

/**
 * The two token sources the Partner Center provider needs, sharing one ConfidentialClientApplication so
 * its token cache serves every request: Partner Center from the partner tenant, Graph from the customer's.
 */
export function createMsalTokenSources(credentials: MsalCredentials): {
  partnerCenter: TokenSource;
  graph: TokenSource;
} {
  const host = (credentials.authorityHost ?? DEFAULT_AUTHORITY_HOST).replace(/\/+$/, '');
  const partnerAuthority = `${host}/${credentials.partnerTenantId}`;
  const client = new ConfidentialClientApplication({
    auth: {
      clientId: credentials.clientId,
      clientSecret: credentials.clientSecret,
      authority: partnerAuthority,
      ...(credentials.authorityMetadata ? { authorityMetadata: credentials.authorityMetadata } : {}),
    },
  });
  return {
    partnerCenter: new MsalTokenSource(client, partnerAuthority, PARTNER_CENTER_SCOPE),
    graph: new MsalTokenSource(client, `${host}/${credentials.customerTenantId}`, GRAPH_SCOPE),
  };
}
