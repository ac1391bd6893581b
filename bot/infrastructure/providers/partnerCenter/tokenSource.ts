/**
 * Where the bearer token for one API comes from. The provider asks before every request; the source
 * decides when to reuse a cached token (MSAL does, until shortly before it expires).
 */
export interface TokenSource {
  accessToken(): Promise<string>;
}
