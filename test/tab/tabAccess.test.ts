import { createServer, type Server } from 'node:http';
import { GraphPeopleDirectory } from '../../bot/infrastructure/directory/graphPeopleDirectory';
import { ALEX, MEGAN, PATTI } from '../support/demoUsers';
import { startTestApp, type TestApp } from '../support/testApp';
import { devUser, tabCall } from './support/tabClient';

interface AccessPage {
  profiles: Array<{
    id: string;
    name: string;
    secondApprovalLimit: { amount: string; currency: string } | null;
    roles: Array<{ role: string; people: Array<{ id: string; name: string }> }>;
  }>;
  audit: Array<{
    action: string;
    actor: string;
    person: string | null;
    role: string | null;
    reason: string | null;
  }>;
  error?: string;
}

describe("the tab's Access page API (local development identity)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('an Access Admin sees each profile, grants, revokes and reads the audit; nothing else changes', async () => {
    const page = await tabCall<AccessPage>(t.url, '/tab/api/access', { headers: devUser(MEGAN) });
    expect(page.status).toBe(200);
    expect(page.body.profiles.map((p) => p.name)).toEqual(['Contoso HQ', 'Contoso EMEA']);
    const granted = await tabCall(t.url, '/tab/api/access/grants', {
      method: 'POST',
      headers: devUser(MEGAN),
      body: {
        personId: PATTI.aadObjectId,
        role: 'Approver',
        billingProfileId: 'contoso-hq',
        reason: 'Covers for Isaiah',
      },
    });
    expect([granted.status, granted.body]).toEqual([201, { message: 'Patti Fernandez is now Approver.' }]);
    const again = await tabCall(t.url, '/tab/api/access/grants', {
      method: 'POST',
      headers: devUser(MEGAN),
      body: { personId: PATTI.aadObjectId, role: 'Approver', billingProfileId: 'contoso-hq' },
    });
    expect([again.status, again.body]).toEqual([
      409,
      { error: 'Patti Fernandez already is Approver on **Contoso HQ**: nothing changed.' },
    ]);
    const revoked = await tabCall(t.url, '/tab/api/access/revokes', {
      method: 'POST',
      headers: devUser(MEGAN),
      body: { personId: PATTI.aadObjectId, role: 'Approver', billingProfileId: 'contoso-hq' },
    });
    expect(revoked.status).toBe(200);
    const after = await tabCall<AccessPage>(t.url, '/tab/api/access', { headers: devUser(MEGAN) });
    expect(after.body.audit.slice(0, 2)).toEqual([
      expect.objectContaining({
        action: 'revoke',
        actor: 'Megan Bowen',
        person: 'Patti Fernandez',
        role: 'Approver',
      }),
      expect.objectContaining({ action: 'grant', person: 'Patti Fernandez', reason: 'Covers for Isaiah' }),
    ]);
    const edited = await tabCall(t.url, '/tab/api/access/profiles/contoso-hq', {
      method: 'POST',
      headers: devUser(MEGAN),
      body: { approvalLimit: '-5' },
    });
    expect([edited.status, edited.body]).toEqual([
      422,
      { error: 'The approval limit cannot be negative: 0 sends every order to an approver.' },
    ]);
  });

  it("an Access Admin sets Contoso HQ's second approval limit, sees it, and is told what is wrong with a bad one", async () => {
    const edit = (body: Record<string, string>) =>
      tabCall<{ message?: string; error?: string }>(t.url, '/tab/api/access/profiles/contoso-hq', {
        method: 'POST',
        headers: devUser(MEGAN),
        body,
      });
    const second = async () =>
      (await tabCall<AccessPage>(t.url, '/tab/api/access', { headers: devUser(MEGAN) })).body.profiles.find(
        (p) => p.id === 'contoso-hq',
      )?.secondApprovalLimit;
    expect(await second()).toBeNull();
    for (const [value, error] of [
      [
        '100',
        'The second approval limit must be at least the approval limit: above it, a second approver is needed. Leave it empty for one approver at any amount.',
      ],
      ['-1', 'The second approval limit cannot be negative. Leave it empty for one approver at any amount.'],
      [
        'lots',
        'The second approval limit "lots" is not an amount: write it like 5000 or 5000.00, or leave it empty for one approver at any amount.',
      ],
      [
        '10000000.01',
        'The second approval limit is at most 10,000,000 USD. Leave it empty for one approver at any amount.',
      ],
    ]) {
      const refused = await edit({ secondApprovalLimit: value });
      expect([refused.status, refused.body.error]).toEqual([422, error]);
      expect(await second()).toBeNull();
    }
    const saved = await edit({ secondApprovalLimit: '5,000' });
    expect([saved.status, saved.body.message]).toEqual([200, 'Contoso HQ is saved.']);
    expect(await second()).toEqual({ amount: '5000.00', currency: 'USD' });
    // Orders above it now need two approvers.
    expect(t.app.directory.billingProfile('contoso-hq')?.secondApprovalLimit).toEqual({
      minor: 500000,
      currency: 'USD',
    });
    // Someone who is not its Access Admin cannot change it.
    const denied = await tabCall<{ error: string }>(t.url, '/tab/api/access/profiles/contoso-hq', {
      method: 'POST',
      headers: devUser(ALEX),
      body: { secondApprovalLimit: '1000' },
    });
    expect(denied.status).toBe(403);
    expect((await edit({ secondApprovalLimit: '' })).status).toBe(200);
    expect(await second()).toBeNull();
  });

  it('finds people by name (the demo directory) for Access Admins only', async () => {
    const found = await tabCall<{ people: Array<{ name: string }> }>(t.url, '/tab/api/people?q=fern', {
      headers: devUser(MEGAN),
    });
    expect(found.body.people.map((p) => p.name)).toEqual(['Patti Fernandez']);
    const refused = await tabCall(t.url, '/tab/api/people?q=fern', { headers: devUser(ALEX) });
    expect(refused.status).toBe(403);
  });

  it('someone who is not an Access Admin is told who is, and cannot grant', async () => {
    const page = await tabCall<AccessPage>(t.url, '/tab/api/access', { headers: devUser(ALEX) });
    expect([page.status, page.body.error]).toEqual([
      403,
      'Only an Access Admin of a billing profile can change who does what there. Its Access Admin is Megan Bowen (meganb@contoso.com).',
    ]);
    const grant = await tabCall(t.url, '/tab/api/access/grants', {
      method: 'POST',
      headers: devUser(ALEX),
      body: { personId: ALEX.aadObjectId, role: 'AccessAdmin', billingProfileId: 'contoso-hq' },
    });
    expect(grant.status).toBe(403);
  });
});

describe('people from Microsoft Graph (a local fake Graph server)', () => {
  let server: Server;
  let url: string;
  const seen: Array<{ path: string; authorization?: string; consistency?: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({
        path: decodeURIComponent(req.url ?? ''),
        authorization: req.headers.authorization,
        consistency: req.headers.consistencylevel as string | undefined,
      });
      const path = req.url ?? '';
      res.setHeader('content-type', 'application/json');
      if (path.startsWith('/v1.0/users?')) {
        res.end(
          JSON.stringify({
            value: [
              {
                id: '11111111-1111-4111-8111-111111111111',
                displayName: 'Patti Fernandez',
                mail: 'pattif@contoso.com',
                userType: 'Member',
              },
              {
                id: '22222222-2222-4222-8222-222222222222',
                displayName: 'Pat Guest',
                mail: null,
                userPrincipalName: 'pat_fabrikam.com#EXT#@contoso.onmicrosoft.com',
                userType: 'Guest',
              },
            ],
          }),
        );
      } else if (path.startsWith('/v1.0/users/11111111-1111-4111-8111-111111111111')) {
        res.end(
          JSON.stringify({
            id: '11111111-1111-4111-8111-111111111111',
            displayName: 'Patti Fernandez',
            mail: 'pattif@contoso.com',
            userType: 'Member',
          }),
        );
      } else {
        res.statusCode = 404;
        res.end(JSON.stringify({ error: { code: 'Request_ResourceNotFound' } }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const directory = () => new GraphPeopleDirectory(url, 'tenant-1', { accessToken: async () => 'token-1' });

  it('searches /users?$search app-only, eventual consistency, a guest marked as of another organisation', async () => {
    const people = await directory().search('pat"ti', 5);
    expect(people).toEqual([
      {
        id: '11111111-1111-4111-8111-111111111111',
        name: 'Patti Fernandez',
        email: 'pattif@contoso.com',
        tenantId: 'tenant-1',
      },
      {
        id: '22222222-2222-4222-8222-222222222222',
        name: 'Pat Guest',
        email: 'pat_fabrikam.com#EXT#@contoso.onmicrosoft.com',
        tenantId: 'guest',
      },
    ]);
    expect(seen.at(-1)).toEqual({
      path: '/v1.0/users?$search="displayName:pat ti" OR "mail:pat ti"&$select=id,displayName,mail,userPrincipalName,userType&$top=5',
      authorization: 'Bearer token-1',
      consistency: 'eventual',
    });
  });

  it('finds one person by object id; an unknown or malformed id is nobody', async () => {
    expect(await directory().find('11111111-1111-4111-8111-111111111111')).toMatchObject({
      name: 'Patti Fernandez',
    });
    expect(await directory().find('33333333-3333-4333-8333-333333333333')).toBeUndefined();
    const calls = seen.length;
    expect(await directory().find('../me')).toBeUndefined();
    expect(seen).toHaveLength(calls);
  });
});
