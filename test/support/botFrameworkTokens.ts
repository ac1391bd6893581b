import { SignJWT } from 'jose';
import {
  AuthenticationConstants,
  MicrosoftAppCredentials,
  PasswordServiceClientCredentialFactory,
} from 'botframework-connector';
import { JsonEndpoints, signingKey, type SigningKey } from './localKeys';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

/**
 * A local stand-in for the Bot Framework's OpenID metadata and signing keys (on 127.0.0.1): the bot's
 * own authentication checks tokens against it, exactly as it would against login.botframework.com.
 */
export class BotFrameworkKeys {
  private keys: SigningKey[] = [];
  private readonly endpoints: JsonEndpoints = new JsonEndpoints({
    '/v1/.well-known/openidconfiguration': (): object => ({
      issuer: CHANNEL_ISSUER,
      jwks_uri: `${this.endpoints.url}/v1/.well-known/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
    }),
    '/v1/.well-known/keys': () => ({ keys: this.keys.map((k) => k.jwk) }),
  });

  async start(): Promise<void> {
    this.keys = [
      await signingKey('teams-key', { endorsements: ['msteams'] }),
      await signingKey('other-channel-key', { endorsements: ['skype'] }),
    ];
    await this.endpoints.start();
  }

  stop(): Promise<void> {
    return this.endpoints.stop();
  }

  get metadataUrl(): string {
    return `${this.endpoints.url}/v1/.well-known/openidconfiguration`;
  }

  /**
   * The public cloud's authentication settings with this key set as the channel's: botbuilder takes
   * either none of these settings or all of them.
   */
  get authenticationSettings() {
    return {
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl: this.metadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: this.metadataUrl,
      CallerId: 'urn:botframework:azure',
    };
  }

  /** A channel token; every claim and the key can be changed to make a bad one. */
  async token(
    claims: { aud: string; serviceurl: string } & Record<string, unknown>,
    options: { kid?: string; expiresInSeconds?: number; keyName?: 'teams-key' | 'other-channel-key' } = {},
  ): Promise<string> {
    const key = this.keys.find((k) => k.kid === (options.keyName ?? 'teams-key')) as SigningKey;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ iss: CHANNEL_ISSUER, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? key.kid, typ: 'JWT' })
      .setIssuedAt(now - 60)
      .setNotBefore(now - 60)
      .setExpirationTime(now + (options.expiresInSeconds ?? 3600))
      .sign(key.privateKey);
  }
}

/** The bot's outbound credentials with a fixed token: no call to Microsoft Entra from tests. */
export class FixedOutboundToken extends PasswordServiceClientCredentialFactory {
  static readonly TOKEN = 'outbound-test-token-3f9a';

  override async createCredentials(appId: string): Promise<MicrosoftAppCredentials> {
    const credentials = new MicrosoftAppCredentials(appId, 'unused', this.tenantId ?? undefined);
    credentials.getToken = async () => FixedOutboundToken.TOKEN;
    return credentials;
  }
}
