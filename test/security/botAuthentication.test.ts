import { SignJWT } from 'jose';
import { createHmac } from 'node:crypto';
import { ALEX, TENANT_ID } from '../support/demoUsers';
import { textOf } from '../support/cards';
import { BotFrameworkKeys, CHANNEL_ISSUER, FixedOutboundToken } from '../support/botFrameworkTokens';
import { checkInbound } from '../../bot/teams/inboundGate';
import { message } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

const APP_ID = '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f';
const APP_PASSWORD = 'bot-secret-value-do-not-log';

describe('production: only requests with a valid Bot Framework token reach the bot', () => {
  const keys = new BotFrameworkKeys();
  let t: TestApp;

  beforeAll(async () => {
    await keys.start();
  });
  afterAll(async () => {
    await keys.stop();
  });
  beforeEach(async () => {
    t = await startTestApp({
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppTenantId: TENANT_ID },
      overrides: {
        authentication: keys.authenticationSettings,
        credentialsFactory: new FixedOutboundToken(APP_ID, APP_PASSWORD, TENANT_ID),
      },
    });
  });
  afterEach(async () => {
    await t.close();
  });

  const activity = () => message(ALEX, 'help', { serviceUrl: t.connector.serviceUrl });
  const valid = () => keys.token({ aud: APP_ID, serviceurl: t.connector.serviceUrl });
  const nothingHappened = async () => {
    expect(t.connector.calls).toHaveLength(0);
    const { rows } = await t.app.database.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM bot_state) + (SELECT count(*) FROM conversation_references) AS n',
    );
    expect(Number(rows[0].n)).toBe(0);
  };
  const unsigned = (claims: object, alg: string, secret?: string) => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const head = `${part({ alg, typ: 'JWT', kid: 'teams-key' })}.${part(claims)}`;
    const signature = secret ? createHmac('sha256', secret).update(head).digest('base64url') : '';
    return `${head}.${signature}`;
  };
  const baseClaims = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: CHANNEL_ISSUER,
      aud: APP_ID,
      serviceurl: t.connector.serviceUrl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + 3600,
    };
  };

  it('serves a valid token: the bot answers, with its own outbound token', async () => {
    const response = await t.post(activity(), { authorization: `Bearer ${await valid()}` });
    expect(response.status).toBe(200);
    const reply = t.connector.messages().at(-1);
    expect(textOf(reply)).toContain('**License Desk** commands');
    expect(reply?.headers.authorization).toBe(`Bearer ${FixedOutboundToken.TOKEN}`);
  });

  it.each<[string, (() => Promise<string | undefined>) | undefined]>([
    ['no Authorization header', undefined],
    ['a malformed token', async () => 'Bearer not.a.jwt'],
    ['another scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    [
      'a wrong audience',
      async () => `Bearer ${await keys.token({ aud: 'another-bot', serviceurl: t.connector.serviceUrl })}`,
    ],
    [
      'a wrong issuer',
      async () =>
        `Bearer ${await new SignJWT({ ...baseClaims(), iss: 'https://sts.windows.net/evil/' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('k'.repeat(32)))}`,
    ],
    [
      'a token signed with the Teams key, RS256, but issued by another issuer',
      async () =>
        `Bearer ${await keys.token({ aud: APP_ID, serviceurl: t.connector.serviceUrl, iss: 'https://sts.windows.net/c0ffee00-0000-4000-8000-000000000000/' })}`,
    ],
    [
      'an emulator token (another issuer)',
      async () =>
        `Bearer ${unsigned({ ...baseClaims(), iss: 'https://login.microsoftonline.com/d6d49420-f39b-4df7-a1dc-d59a935871db/v2.0' }, 'none')}`,
    ],
    [
      'a token expired beyond the 5-minute skew',
      async () =>
        `Bearer ${await keys.token({ aud: APP_ID, serviceurl: t.connector.serviceUrl }, { expiresInSeconds: -600 })}`,
    ],
    ['alg none', async () => `Bearer ${unsigned(baseClaims(), 'none')}`],
    [
      'HS256 signed with a shared secret',
      async () => `Bearer ${unsigned(baseClaims(), 'HS256', APP_PASSWORD)}`,
    ],
    [
      'an unknown key id',
      async () =>
        `Bearer ${await keys.token({ aud: APP_ID, serviceurl: t.connector.serviceUrl }, { kid: 'unknown-key' })}`,
    ],
    [
      'a serviceUrl claim that is not the activity’s',
      async () => `Bearer ${await keys.token({ aud: APP_ID, serviceurl: 'https://smba.evil.example/' })}`,
    ],
    [
      'a key not endorsed for msteams',
      async () =>
        `Bearer ${await keys.token({ aud: APP_ID, serviceurl: t.connector.serviceUrl }, { keyName: 'other-channel-key' })}`,
    ],
  ])('refuses %s with 401 before any bot logic, state write or outbound call', async (_name, header) => {
    const authorization = header ? await header() : undefined;
    const response = await t.post(activity(), authorization ? { authorization } : {});
    expect(response.status).toBe(401);
    await nothingHappened();
  });

  it('refuses a valid token for another channel than Microsoft Teams', async () => {
    const webchat = { ...activity(), channelId: 'webchat' };
    expect((await t.post(webchat, { authorization: `Bearer ${await valid()}` })).status).toBe(401);
    await nothingHappened();
  });

  it('accepts a token that expired less than 5 minutes ago (clock skew)', async () => {
    const token = await keys.token(
      { aud: APP_ID, serviceurl: t.connector.serviceUrl },
      { expiresInSeconds: -120 },
    );
    expect((await t.post(activity(), { authorization: `Bearer ${token}` })).status).toBe(200);
  });

  it('refuses another tenant, and an activity without a tenant, even with a valid token; nothing is stored', async () => {
    const other = activity();
    other.conversation = { ...other.conversation!, tenantId: 'c0ffee00-0000-4000-8000-000000000000' };
    other.channelData = { tenant: { id: 'c0ffee00-0000-4000-8000-000000000000' } };
    expect((await t.post(other, { authorization: `Bearer ${await valid()}` })).status).toBe(403);
    const none = activity();
    none.conversation = { ...none.conversation!, tenantId: undefined };
    none.channelData = {};
    expect((await t.post(none, { authorization: `Bearer ${await valid()}` })).status).toBe(403);
    await nothingHappened();
  });
});

describe('the inbound gate: the issuer rule on its own', () => {
  const keys = new BotFrameworkKeys();
  beforeAll(() => keys.start());
  afterAll(() => keys.stop());

  const policy = {
    requireChannelToken: true,
    channelIssuer: CHANNEL_ISSUER,
    allowedTenantIds: 'any' as const,
  };
  const body = { channelId: 'msteams', conversation: { tenantId: TENANT_ID } };

  it('refuses a correctly signed RS256 token whose issuer is not the Bot Framework channel', async () => {
    const token = await keys.token({
      aud: APP_ID,
      serviceurl: 'https://smba.trafficmanager.net/amer/',
      iss: 'https://login.microsoftonline.com/c0ffee00-0000-4000-8000-000000000000/v2.0',
    });
    expect(checkInbound(`Bearer ${token}`, body, policy)).toEqual({
      ok: false,
      status: 401,
      reason: 'token not issued by the Bot Framework channel',
    });
  });

  it('lets the same token through with the channel issuer (the SDK then verifies it)', async () => {
    const token = await keys.token({ aud: APP_ID, serviceurl: 'https://smba.trafficmanager.net/amer/' });
    expect(checkInbound(`Bearer ${token}`, body, policy)).toEqual({ ok: true });
  });
});
