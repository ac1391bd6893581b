import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import {
  AuthenticationConstants,
  MicrosoftAppCredentials,
  PasswordServiceClientCredentialFactory,
} from 'botframework-connector';

export const CHANNEL_ISSUER = 'https://api.botframework.com';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly jwk: JWK;
}

/**
 * A local stand-in for the Bot Framework's OpenID metadata and signing keys (on 127.0.0.1): the bot's
 * own authentication checks tokens against it, exactly as it would against login.botframework.com.
 */
export class BotFrameworkKeys {
  private server: Server | undefined;
  private keys: SigningKey[] = [];

  async start(): Promise<void> {
    this.keys = [await this.key('teams-key', ['msteams']), await this.key('other-channel-key', ['skype'])];
    this.server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/.well-known/openidconfiguration') {
        res.end(
          JSON.stringify({
            issuer: CHANNEL_ISSUER,
            jwks_uri: `${this.url}/v1/.well-known/keys`,
            id_token_signing_alg_values_supported: ['RS256'],
            token_endpoint_auth_methods_supported: ['private_key_jwt'],
          }),
        );
      } else if (req.url === '/v1/.well-known/keys') {
        res.end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
      } else {
        res.statusCode = 404;
        res.end('{}');
      }
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

  get metadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
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

  private async key(kid: string, endorsements: string[]): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: 'RS256', endorsements } as JWK;
    return { kid, privateKey, jwk };
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
