import { randomUUID } from 'node:crypto';
import { createMsalTokenSources } from '../../../bot/infrastructure/providers/partnerCenter/msalTokenSource';
import { ProviderUnavailableError } from '../../../bot/services/ports';
import type { RecordedRequest } from '../../support/fakePartnerCenter';
import { GUID, IDS, startFixture, type Fixture } from './partnerCenterFixture';

const PC_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

describe('PartnerCenterLicenseProvider against a fake Partner Center, Entra ID and Graph', () => {
  let t: Fixture;

  beforeEach(async () => {
    t = await startFixture();
  });
  afterEach(async () => {
    await t.stop();
  });

  const header = (request: RecordedRequest | undefined, name: string) => request?.headers[name.toLowerCase()];

  describe('reading subscriptions', () => {
    it('lists the customer’s subscriptions mapped to the domain, without deleted or unpriced ones', async () => {
      const list = await t.provider.listSubscriptions();

      expect(list).toEqual([
        {
          id: IDS.e3,
          product: 'Contoso E3 (annual)',
          domain: 'contoso.com',
          plan: 'ANNUAL',
          quantity: 120,
          inUse: 117,
          pricePerSeat: { minor: 3600, currency: 'USD' },
          renewalDate: '2026-09-30',
          status: 'active',
          autoRenew: true,
          trial: false,
          removal: 'window',
          refundable: [],
          scheduledQuantity: null,
        },
        {
          id: IDS.basic,
          product: 'Microsoft 365 Business Basic',
          domain: 'contoso.com',
          plan: 'FLEXIBLE',
          quantity: 10,
          inUse: 7,
          pricePerSeat: { minor: 600, currency: 'USD' },
          renewalDate: '2026-02-13',
          status: 'active',
          autoRenew: true,
          trial: false,
          removal: 'window',
          refundable: [],
          scheduledQuantity: null,
        },
        expect.objectContaining({ id: IDS.suspended, status: 'suspended', plan: 'FLEXIBLE', inUse: 0 }),
        // Legacy offer: no termDuration means ANNUAL; no SKU mapping means 0 in use.
        expect.objectContaining({
          id: IDS.legacy,
          product: 'Office 365 E1',
          plan: 'ANNUAL',
          inUse: 0,
          pricePerSeat: { minor: 800, currency: 'EUR' },
        }),
      ]);
      expect(list.map((s) => s.id)).not.toContain(IDS.deleted);
      expect(list.map((s) => s.id)).not.toContain(IDS.unpriced);
      expect(t.warnings).toContainEqual(
        expect.objectContaining({ obj: expect.objectContaining({ subscriptionId: IDS.unpriced }) }),
      );
    });

    it('asks for the documented paths with the documented headers', async () => {
      await t.provider.listSubscriptions();

      const [list] = t.fake.partnerCenterRequests('GET');
      expect(list.path).toBe(`/v1/customers/${t.fake.customerTenantId}/subscriptions`);
      expect(header(list, 'accept')).toBe('application/json');
      expect(header(list, 'ms-correlationid')).toMatch(GUID);
      expect(header(list, 'ms-requestid')).toMatch(GUID);
      const [graph] = t.fake.graphRequests();
      expect(graph.path).toBe('/v1.0/subscribedSkus?%24select=skuId%2CskuPartNumber%2CconsumedUnits');
      const graphToken = t.fake.issuedTokens.find((x) => x.scope.includes(GRAPH_SCOPE));
      expect(header(graph, 'authorization')).toBe(`Bearer ${graphToken?.token}`);
    });

    it('follows links.next, with the continuation header the link asks for', async () => {
      await t.stop();
      t = await startFixture({}, { pageSize: 2 });

      const list = await t.provider.listSubscriptions();

      expect(list).toHaveLength(4);
      const pages = t.fake.partnerCenterRequests('GET');
      expect(pages.map((p) => p.path)).toEqual([
        `/v1/customers/${t.fake.customerTenantId}/subscriptions`,
        `/v1/customers/${t.fake.customerTenantId}/subscriptions?seekOperation=Next`,
        `/v1/customers/${t.fake.customerTenantId}/subscriptions?seekOperation=Next`,
      ]);
      expect(pages.map((p) => header(p, 'ms-continuationtoken'))).toEqual([undefined, '2', '4']);
    });

    it('reads one subscription; an unknown id (404, code 20003) is undefined', async () => {
      const one = await t.provider.getSubscription(IDS.basic);
      expect(one).toMatchObject({ id: IDS.basic, quantity: 10, inUse: 7, plan: 'FLEXIBLE' });
      expect(t.fake.partnerCenterRequests('GET').at(-1)?.path).toBe(
        `/v1/customers/${t.fake.customerTenantId}/subscriptions/${IDS.basic}`,
      );

      await expect(
        t.provider.getSubscription('00000000-0000-0000-0000-00000000dead'),
      ).resolves.toBeUndefined();
      await expect(t.provider.getSubscription(IDS.deleted)).resolves.toBeUndefined();
    });

    it('does not ask Graph when no SKU is mapped', async () => {
      const provider = t.newProvider({ skus: {} });

      const list = await provider.listSubscriptions();

      expect(list.every((s) => s.inUse === 0)).toBe(true);
      expect(t.fake.graphRequests()).toHaveLength(0);
    });
  });

  describe('tokens', () => {
    it('gets each token once through MSAL and reuses it from the cache', async () => {
      await t.provider.listSubscriptions();
      await t.provider.getSubscription(IDS.basic);
      await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 11,
        idempotencyKey: randomUUID(),
      });

      const tokenCalls = t.fake.tokenRequests();
      expect(tokenCalls.map((r) => r.path.split('?')[0])).toEqual(
        expect.arrayContaining([
          `/${t.fake.partnerTenantId}/oauth2/v2.0/token`,
          `/${t.fake.customerTenantId}/oauth2/v2.0/token`,
        ]),
      );
      expect(tokenCalls).toHaveLength(2);
      const form = new URLSearchParams(String(tokenCalls[0].body));
      expect(form.get('grant_type')).toBe('client_credentials');
      const pcToken = t.fake.issuedTokens.find((x) => x.tenant === t.fake.partnerTenantId);
      expect(pcToken?.scope).toContain(PC_SCOPE);
      const calls = t.fake.partnerCenterRequests();
      expect(calls.length).toBeGreaterThanOrEqual(4);
      for (const call of calls) expect(header(call, 'authorization')).toBe(`Bearer ${pcToken?.token}`);
    });

    it('a wrong client secret ends in ProviderUnavailableError that names no secret', async () => {
      const provider = t.newProvider({
        tokens: createMsalTokenSources({
          clientId: t.fake.clientId,
          clientSecret: 'not-the-secret',
          partnerTenantId: t.fake.partnerTenantId,
          customerTenantId: t.fake.customerTenantId,
          authorityMetadata: t.fake.authorityMetadata,
        }),
      });

      const error = await provider.listSubscriptions().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ProviderUnavailableError);
      expect(String((error as Error).message)).toContain('no access token');
      expect(String((error as Error).message)).not.toContain('not-the-secret');
      expect(t.fake.partnerCenterRequests()).toHaveLength(0);
    });
  });

  describe('changing the quantity', () => {
    it('PATCHes the whole resource once with the new absolute quantity, MS-RequestId = idempotency key', async () => {
      const before = structuredClone(t.fake.subscriptions.get(IDS.basic));
      const key = randomUUID();

      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 14,
        idempotencyKey: key,
      });

      expect(result).toEqual({ status: 'applied', quantity: 14 });
      expect(t.fake.applied).toEqual([{ subscriptionId: IDS.basic, from: 10, to: 14, requestId: key }]);
      const [read, patch] = t.fake.partnerCenterRequests();
      expect(read.method).toBe('GET');
      expect(patch.method).toBe('PATCH');
      expect(patch.path).toBe(`/v1/customers/${t.fake.customerTenantId}/subscriptions/${IDS.basic}`);
      expect(patch.body).toEqual({ ...before, quantity: 14 });
      expect(header(patch, 'ms-requestid')).toBe(key);
      expect(header(patch, 'content-type')).toBe('application/json');
      expect(header(patch, 'accept')).toBe('application/json');
      expect(header(read, 'ms-requestid')).toMatch(GUID);
      expect(header(read, 'ms-requestid')).not.toBe(key);
      expect(header(read, 'ms-correlationid')).toMatch(GUID);
      expect(header(patch, 'ms-correlationid')).toMatch(GUID);
      expect(header(read, 'ms-correlationid')).not.toBe(header(patch, 'ms-correlationid'));
      expect((await t.provider.getSubscription(IDS.basic))?.quantity).toBe(14);
    });

    it('gives every call its own MS-CorrelationId and every GET its own MS-RequestId', async () => {
      await t.provider.listSubscriptions();
      await t.provider.getSubscription(IDS.e3);
      await t.provider.changeQuantity({
        subscriptionId: IDS.e3,
        expectedQuantity: 120,
        targetQuantity: 125,
        idempotencyKey: randomUUID(),
      });

      const calls = t.fake.partnerCenterRequests();
      const correlationIds = calls.map((c) => header(c, 'ms-correlationid'));
      expect(new Set(correlationIds).size).toBe(calls.length);
      const getRequestIds = t.fake.partnerCenterRequests('GET').map((c) => header(c, 'ms-requestid'));
      expect(new Set(getRequestIds).size).toBe(getRequestIds.length);
    });

    it('reports a conflict, and sends nothing, when the quantity is no longer the expected one', async () => {
      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 9,
        targetQuantity: 12,
        idempotencyKey: randomUUID(),
      });

      expect(result).toEqual({ status: 'conflict', actualQuantity: 10 });
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(0);
      expect(t.fake.applied).toHaveLength(0);
    });

    it('treats a quantity already at the target as a conflict when Partner Center has no record of the key', async () => {
      const key = randomUUID();
      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 8,
        targetQuantity: 10,
        idempotencyKey: key,
      });

      expect(result).toEqual({ status: 'conflict', actualQuantity: 10 });
      // The confirmation went out against a version that is not current: refused, it changed nothing.
      const patches = t.fake.partnerCenterRequests('PATCH');
      expect(patches).toHaveLength(1);
      expect(patches[0].headers['ms-requestid']).toBe(key);
      expect(t.fake.applied).toHaveLength(0);
    });

    it('maps the documented decrease refusal (800090) to a sentence the requester can act on', async () => {
      t.fake.decreaseLocked.add(IDS.e3);

      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.e3,
        expectedQuantity: 120,
        targetQuantity: 100,
        idempotencyKey: randomUUID(),
      });

      expect(result).toEqual({
        status: 'rejected',
        reason:
          'Microsoft does not allow removing seats from this subscription now: seats can only be removed ' +
          'within 7 days of buying them or at the subscription’s renewal.',
      });
      expect(t.fake.applied).toHaveLength(0);
    });

    it('maps a quantity outside the offer’s limits (2002)', async () => {
      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 301,
        idempotencyKey: randomUUID(),
      });

      expect(result).toMatchObject({ status: 'rejected' });
      expect(result.status === 'rejected' && result.reason).toContain('outside the minimum and maximum');
    });

    it('an unknown 400 code becomes a general sentence with Microsoft’s description cut to 200 characters', async () => {
      await t.provider.listSubscriptions();
      const token = t.fake.issuedTokens[0].token;
      t.fake.faults.reject = {
        times: 1,
        status: 400,
        body: {
          code: 990001,
          description: `Order could not be processed for header Authorization: Bearer ${token}. ${'x'.repeat(400)}`,
          data: [],
          source: 'PartnerFD',
        },
      };

      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 12,
        idempotencyKey: randomUUID(),
      });

      expect(result.status).toBe('rejected');
      const reason = result.status === 'rejected' ? result.reason : '';
      expect(reason).toMatch(/^Microsoft refused the change \(error 990001\): Order could not be processed/);
      expect(reason.length).toBeLessThanOrEqual('Microsoft refused the change (error 990001): '.length + 200);
      expect(reason).not.toContain(token);
      expect(reason).not.toContain('fake-access-token');
    });

    it('refuses a suspended subscription without sending a PATCH', async () => {
      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.suspended,
        expectedQuantity: 5,
        targetQuantity: 6,
        idempotencyKey: randomUUID(),
      });

      expect(result).toMatchObject({ status: 'rejected', reason: expect.stringContaining('not active') });
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(0);
    });

    it('a subscription that no longer exists is rejected with the not-found sentence', async () => {
      const result = await t.provider.changeQuantity({
        subscriptionId: '00000000-0000-0000-0000-00000000dead',
        expectedQuantity: 5,
        targetQuantity: 6,
        idempotencyKey: randomUUID(),
      });

      expect(result).toEqual({
        status: 'rejected',
        reason:
          'The subscription no longer exists at Microsoft. Refresh the list of subscriptions and try again.',
      });
    });

    it('after a 202 it reads the Location until the new quantity shows', async () => {
      t.fake.faults.acceptLater = { times: 1, readsUntilApplied: 2 };

      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 13,
        idempotencyKey: randomUUID(),
      });

      expect(result).toEqual({ status: 'applied', quantity: 13 });
      const reads = t.fake.partnerCenterRequests('GET');
      expect(reads).toHaveLength(3); // the first read, then two polls of the Location
      expect(reads.at(-1)?.path).toBe(`/v1/customers/${t.fake.customerTenantId}/subscriptions/${IDS.basic}`);
      expect(t.sleeps).toEqual([250, 250]);
      expect(t.fake.applied).toHaveLength(1);
    });

    it('after a 202 that never shows, the outcome is unknown; the retry with the same key finds it applied', async () => {
      t.fake.faults.acceptLater = { times: 1, readsUntilApplied: 4 };
      const change = {
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 13,
        idempotencyKey: randomUUID(),
      };

      await expect(t.provider.changeQuantity(change)).rejects.toBeInstanceOf(ProviderUnavailableError);
      expect(t.sleeps).toEqual([250, 250, 250]);

      // The next attempt asks first: the subscription shows the target, and the replayed 202 says it is this key's.
      await expect(t.provider.lookUpChange(change)).resolves.toEqual({ status: 'applied', quantity: 13 });
      await expect(t.provider.changeQuantity(change)).resolves.toEqual({ status: 'applied', quantity: 13 });
      expect(t.fake.applied).toHaveLength(1);
    });
  });

  describe('confirming a change whose answer was lost (lookUpChange)', () => {
    const change = (key = randomUUID()) => ({
      subscriptionId: IDS.basic,
      expectedQuantity: 10,
      targetQuantity: 12,
      idempotencyKey: key,
    });

    it('not applied while the subscription still has the expected quantity; nothing is sent', async () => {
      await expect(t.provider.lookUpChange(change())).resolves.toEqual({ status: 'not_applied' });
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(0);
    });

    it('applied when Partner Center answers the same MS-RequestId with its first answer', async () => {
      const lost = change();
      t.fake.faults.hangAfterApply = 99;
      await expect(t.provider.changeQuantity(lost)).rejects.toBeInstanceOf(ProviderUnavailableError);
      t.fake.faults.hangAfterApply = 0;
      await expect(t.provider.lookUpChange(lost)).resolves.toEqual({ status: 'applied', quantity: 12 });
      expect(t.fake.applied).toEqual([
        { subscriptionId: IDS.basic, from: 10, to: 12, requestId: lost.idempotencyKey },
      ]);
    });

    it('unknown when the target was reached by another change: the confirmation is refused (2055), nothing applied', async () => {
      t.fake.addSubscription({ ...t.fake.subscriptions.get(IDS.basic)!, quantity: 12 });
      const record = await t.provider.lookUpChange(change());
      expect(record).toEqual({ status: 'unknown', detail: 'partner_center_http_400_code_2055' });
      expect(t.fake.applied).toHaveLength(0);
    });

    it('unknown when the quantity is neither: nothing is sent that could change it', async () => {
      t.fake.addSubscription({ ...t.fake.subscriptions.get(IDS.basic)!, quantity: 17 });
      await expect(t.provider.lookUpChange(change())).resolves.toEqual({
        status: 'unknown',
        detail: 'quantity_now_17',
      });
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(0);
    });
  });
});
