import { TEAMS_CLIENT_IDS } from '../../bot/tab/ssoTokenValidator';
import { SIGN_IN_AGAIN } from '../../bot/tab/tabAuthentication';
import type { SubscriptionsResponse } from '../../tab/src/contract';
import { ALEX, PATTI, SUBSCRIPTIONS } from '../support/demoUsers';
import { startTestApp, type TestApp } from '../support/testApp';
import {
  APP_ID,
  EntraKeys,
  OTHER_TENANT_ID,
  TAB_TENANT_ID,
  productionEnv,
  type TokenOptions,
} from './support/entraKeys';
import { bearer, devUser, tabCall } from './support/tabClient';

/** Words that would tell whoever forged a token what to fix. */
const HINTS = /expire|audience|issuer|tenant|signature|algorithm|alg|kid|claim|jwt|jws|token/i;

describe('tab sign-in in production: only a valid Teams SSO token for an allowed tenant is served', () => {
  const keys = new EntraKeys();
  let t: TestApp;

  beforeAll(async () => {
    await keys.start();
    t = await startTestApp({ env: productionEnv(keys) });
  });
  afterAll(async () => {
    await t?.close();
    await keys.stop();
  });

  const subscriptions = (headers: Record<string, string>) =>
    tabCall<SubscriptionsResponse & { error?: string }>(t.url, '/tab/api/subscriptions', { headers });
  const token = (claims: Record<string, unknown>, options?: TokenOptions) => keys.sign(claims, options);
  const alex = (changes: Record<string, unknown> = {}) => ({ ...keys.claimsFor(ALEX), ...changes });

  it('production mode: the configuration has an app id, so no development identity exists', () => {
    expect(t.app.config.localDevelopment).toBe(false);
  });

  it.each<[string, () => Promise<string>]>([
    ['v2.0 token for api://<bot domain>/<app id>', () => token(alex())],
    ['v2.0 token whose audience is the bare app id', () => token(alex({ aud: APP_ID }))],
    [
      'v1.0 token (issuer sts.windows.net)',
      () =>
        token(
          alex({
            iss: `https://sts.windows.net/${TAB_TENANT_ID}/`,
            ver: '1.0',
            azp: undefined,
            appid: TEAMS_CLIENT_IDS[1],
          }),
        ),
    ],
    [
      'token obtained by Teams on desktop or mobile, with other scopes too',
      () => token(alex({ azp: TEAMS_CLIENT_IDS[0], scp: 'User.Read access_as_user' })),
    ],
    ['token that expired 2 minutes ago (clock tolerance)', () => token(alex(), { expiresInSeconds: -120 })],
  ])('served: %s', async (_, make) => {
    const reply = await subscriptions(bearer(await make()));
    expect(reply.status).toBe(200);
    expect(reply.body.mode).toBe('teams');
    expect(reply.body.user.name).toBe('Alex Wilber');
    expect(reply.body.subscriptions.map((s) => s.id)).toEqual(Object.values(SUBSCRIPTIONS));
  });

  it.each<[string, () => Promise<Record<string, string>>]>([
    ['no Authorization header', async () => ({})],
    [
      'not a bearer token',
      async () => ({ Authorization: `Basic ${Buffer.from('alex:pw').toString('base64')}` }),
    ],
    ['a bearer that is not a JWT', async () => bearer('not-a-token')],
    ['expired 10 minutes ago', async () => bearer(await token(alex(), { expiresInSeconds: -600 }))],
    [
      'not valid yet (issued an hour ahead)',
      async () => bearer(await token(alex(), { issuedSecondsAgo: -3600 })),
    ],
    [
      'wrong audience: another app id',
      async () => bearer(await token(alex({ aud: '11111111-2222-4333-8444-555555555555' }))),
    ],
    [
      'wrong audience: another host',
      async () => bearer(await token(alex({ aud: `api://evil.example/${APP_ID}` }))),
    ],
    [
      'wrong audience: Microsoft Graph',
      async () => bearer(await token(alex({ aud: 'https://graph.microsoft.com' }))),
    ],
    ['no audience', async () => bearer(await token(alex({ aud: undefined })))],
    [
      'wrong issuer: an unknown host',
      async () => bearer(await token(alex({ iss: `https://login.evil.example/${TAB_TENANT_ID}/v2.0` }))),
    ],
    [
      "wrong issuer: another tenant's issuer with this tenant's tid",
      async () =>
        bearer(await token(alex({ iss: `https://login.microsoftonline.com/${OTHER_TENANT_ID}/v2.0` }))),
    ],
    [
      'another tenant (signed, its own issuer, but not allowed)',
      async () => bearer(await token(keys.claimsFor(ALEX, OTHER_TENANT_ID))),
    ],
    ['no tenant id', async () => bearer(await token(alex({ tid: undefined })))],
    ['no object id', async () => bearer(await token(alex({ oid: undefined })))],
    ['no expiry', async () => bearer(await token(alex(), { noExpiry: true }))],
    ['unsigned (alg none)', async () => bearer(keys.unsigned(alex()))],
    [
      'HS256, keyed with the published key',
      async () => bearer(await keys.hmacSigned(alex(), keys.publicKeyBytes())),
    ],
    [
      'HS256 with a guessed secret',
      async () => bearer(await keys.hmacSigned(alex(), new TextEncoder().encode('secret'))),
    ],
    [
      'signed by a key the tenant does not publish',
      async () => bearer(await token(alex(), { foreignKey: true })),
    ],
    [
      'a valid signature glued to other claims',
      async () => {
        const [header, , signature] = (await token(alex())).split('.');
        const payload = Buffer.from(JSON.stringify(keys.claimsFor(PATTI))).toString('base64url');
        return bearer(`${header}.${payload}.${signature}`);
      },
    ],
    ['the development identity header', async () => devUser(ALEX)],
    ['no scope (scp)', async () => bearer(await token(alex({ scp: undefined })))],
    ['a scope other than access_as_user', async () => bearer(await token(alex({ scp: 'User.Read' })))],
    [
      'obtained by another client than Teams',
      async () => bearer(await token(alex({ azp: '99999999-8888-4777-8666-555555555555' }))),
    ],
    ['no client id (azp or appid)', async () => bearer(await token(alex({ azp: undefined })))],
    [
      'an app-only token (idtyp app, roles, no scope)',
      async () =>
        bearer(await token(alex({ idtyp: 'app', scp: undefined, roles: ['Licenses.ReadWrite.All'] }))),
    ],
    ['an app-only token that also claims the scope', async () => bearer(await token(alex({ idtyp: 'app' })))],
  ])('refused with 401 and only "sign in again": %s', async (_, headers) => {
    const reply = await subscriptions(await headers());
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual({ error: SIGN_IN_AGAIN });
    expect(SIGN_IN_AGAIN).not.toMatch(HINTS);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('the identity comes from the token only: a development header next to it changes nothing', async () => {
    const patti = await token(keys.claimsFor(PATTI));
    const reply = await subscriptions({ ...bearer(patti), ...devUser(ALEX) });
    expect(reply.status).toBe(200);
    expect(reply.body.user.name).toBe('Patti Fernandez');
    expect(reply.body.subscriptions).toEqual([]);
    expect(reply.body.notice).toContain("You don't have the **Licenses Manager** permission");
  });

  it("an order placed with a token is Alex's, in Alex's tenant, and shows in the bot's orders", async () => {
    const headers = bearer(await token(alex()));
    const requested = await tabCall<{ order: { id: string; state: string } }>(t.url, '/tab/api/orders', {
      method: 'POST',
      headers,
      body: { subscriptionId: SUBSCRIPTIONS.businessBasic, kind: 'increase', seats: 2 },
    });
    expect(requested.status).toBe(201);
    const order = await t.app.orders.get(requested.body.order.id);
    expect([order?.requester, order?.tenantId, order?.state]).toEqual([
      { id: ALEX.aadObjectId, name: 'Alex Wilber' },
      TAB_TENANT_ID,
      'draft',
    ]);
    const { orders } = await t.app.orders.listRecent(ALEX.aadObjectId, 1, 10);
    expect(orders.map((o) => o.id)).toContain(requested.body.order.id);

    const forged = bearer(await token(alex(), { foreignKey: true }));
    const approve = await tabCall(t.url, `/tab/api/orders/${requested.body.order.id}/approve`, {
      method: 'POST',
      headers: forged,
      body: {},
    });
    expect(approve.status).toBe(401);
    expect((await t.app.orders.get(requested.body.order.id))?.state).toBe('draft');
  });
});

describe('tab sign-in when the published keys cannot be fetched', () => {
  it('answers 503 "try again" (not "sign in again"), and serves nothing', async () => {
    const keys = new EntraKeys();
    await keys.start();
    const good = await keys.sign(keys.claimsFor(ALEX));
    const env = { ...productionEnv(keys), SSO_JWKS_URL: 'http://127.0.0.1:9/common/discovery/v2.0/keys' };
    await keys.stop();
    const t = await startTestApp({ env });
    try {
      const reply = await tabCall(t.url, '/tab/api/subscriptions', { headers: bearer(good) });
      expect(reply.status).toBe(503);
      expect(reply.body).toEqual({
        error: 'Your sign-in can’t be checked right now. Try again in a moment.',
      });
    } finally {
      await t.close();
    }
  });
});
