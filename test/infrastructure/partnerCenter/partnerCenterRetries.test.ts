import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { ProviderUnavailableError } from '../../../bot/services/ports';
import { IDS, startFixture, type Fixture } from './partnerCenterFixture';

/** A port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function failureOf(promise: Promise<unknown>): Promise<ProviderUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ProviderUnavailableError))
    throw new Error(`expected ProviderUnavailableError, got ${String(error)}`);
  return error;
}

/**
 * How long an attempt waits for an answer. A request the fake answers must never run into it, even on a
 * loaded machine (at 300 ms, an answered retry was once abandoned under load), so it is generous; the hangs
 * the tests provoke each cost this long.
 */
const TIMEOUT_MS = 1_000;

describe('PartnerCenterLicenseProvider: timeouts, throttling and server errors', () => {
  let t: Fixture;

  beforeEach(async () => {
    t = await startFixture({ requestTimeoutMs: TIMEOUT_MS });
  });
  afterEach(async () => {
    await t.stop();
  });

  const tokensIssued = () => t.fake.issuedTokens.map((x) => x.token);
  const partnerCenterToken = () =>
    t.fake.issuedTokens.find((x) => x.tenant === t.fake.partnerTenantId)?.token ?? 'no token issued';

  describe('a PATCH applied but never answered', () => {
    it('is retried with the same MS-RequestId, and the quantity changes once', async () => {
      t.fake.faults.hangAfterApply = 1;
      const key = randomUUID();

      const result = await t.provider.changeQuantity({
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 15,
        idempotencyKey: key,
      });

      expect(result).toEqual({ status: 'applied', quantity: 15 });
      const patches = t.fake.partnerCenterRequests('PATCH');
      expect(patches).toHaveLength(2);
      expect(patches.map((p) => p.headers['ms-requestid'])).toEqual([key, key]);
      expect(patches[0].headers['ms-correlationid']).not.toBe(patches[1].headers['ms-correlationid']);
      expect(patches[1].body).toEqual(patches[0].body);
      expect(t.fake.applied).toEqual([{ subscriptionId: IDS.basic, from: 10, to: 15, requestId: key }]);
      expect(t.sleeps).toEqual([50]);
    });

    it('never answered at all: unavailable; the order’s next attempt asks Partner Center, which confirms it', async () => {
      t.fake.faults.hangAfterApply = 99;
      const change = {
        subscriptionId: IDS.basic,
        expectedQuantity: 10,
        targetQuantity: 15,
        idempotencyKey: randomUUID(),
      };

      const error = await failureOf(t.provider.changeQuantity(change));
      expect(error.message).toContain(`no answer within ${TIMEOUT_MS} ms`);
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(4);

      t.fake.faults.hangAfterApply = 0;
      await expect(t.provider.lookUpChange(change)).resolves.toEqual({ status: 'applied', quantity: 15 });
      // One more PATCH, the same MS-RequestId: Partner Center's first answer, replayed; nothing applied again.
      const patches = t.fake.partnerCenterRequests('PATCH');
      expect(patches).toHaveLength(5);
      expect(new Set(patches.map((p) => p.headers['ms-requestid']))).toEqual(
        new Set([change.idempotencyKey]),
      );
      expect(t.fake.applied).toHaveLength(1);
    });

    it('a request that keeps hanging ends within its total budget, attempts included', async () => {
      t.fake.faults.hangAfterApply = 99;
      const provider = t.newProvider({
        retry: {
          maxAttempts: 4,
          baseDelayMs: 100,
          maxDelayMs: 1_000,
          maxTotalDelayMs: 120_000,
          maxTotalMs: 2 * TIMEOUT_MS + 100,
        },
      });
      const started = Date.now();
      const error = await failureOf(
        provider.changeQuantity({
          subscriptionId: IDS.basic,
          expectedQuantity: 10,
          targetQuantity: 15,
          idempotencyKey: randomUUID(),
        }),
      );
      // Two attempts of TIMEOUT_MS and a wait of 50 ms: a third could not end within the budget.
      expect(error.message).toContain('after 2 attempt(s)');
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(2);
      expect(Date.now() - started).toBeLessThan(2 * TIMEOUT_MS + 5_000);
    });

    it('after a restart, an order that was not applied is sent with the same key and applied once', async () => {
      t.fake.faults.serverErrors = { times: 99, status: 503, only: 'PATCH' };
      const key = randomUUID();
      const change = {
        subscriptionId: IDS.e3,
        expectedQuantity: 120,
        targetQuantity: 130,
        idempotencyKey: key,
      };

      await failureOf(t.provider.changeQuantity(change));
      expect(t.fake.applied).toHaveLength(0);

      t.fake.faults.serverErrors.times = 0;
      const restarted = t.newProvider();
      await expect(restarted.lookUpChange(change)).resolves.toEqual({ status: 'not_applied' });
      await expect(restarted.changeQuantity(change)).resolves.toEqual({ status: 'applied', quantity: 130 });
      await expect(restarted.lookUpChange(change)).resolves.toEqual({ status: 'applied', quantity: 130 });

      const patches = t.fake.partnerCenterRequests('PATCH');
      expect(patches).toHaveLength(6); // 4 refused with 503, the one applied, the confirmation replayed
      expect(new Set(patches.map((p) => p.headers['ms-requestid']))).toEqual(new Set([key]));
      expect(t.fake.applied).toEqual([{ subscriptionId: IDS.e3, from: 120, to: 130, requestId: key }]);
    });
  });

  describe('throttling (429)', () => {
    it('waits the Retry-After seconds before each retry', async () => {
      t.fake.faults.throttle = { times: 2, retryAfter: '7', only: 'GET' };

      const list = await t.provider.listSubscriptions();

      expect(list.length).toBeGreaterThan(0);
      expect(t.sleeps).toEqual([7_000, 7_000]);
      expect(t.fake.partnerCenterRequests('GET')).toHaveLength(3);
    });

    it('reads a Retry-After given as an HTTP date', async () => {
      const now = new Date('2026-03-02T10:00:00Z');
      const provider = t.newProvider({ clock: { now: () => now } });
      t.fake.faults.throttle = {
        times: 1,
        retryAfter: new Date(now.getTime() + 12_000).toUTCString(),
        only: 'GET',
      };

      await provider.getSubscription(IDS.basic);

      expect(t.sleeps).toEqual([12_000]);
    });

    it('a Retry-After beyond the total delay budget ends at once, passing the wait on', async () => {
      const provider = t.newProvider({ retry: { maxTotalDelayMs: 60_000 } });
      t.fake.faults.throttle = { times: 99, retryAfter: '120', only: 'PATCH' };

      const error = await failureOf(
        provider.changeQuantity({
          subscriptionId: IDS.basic,
          expectedQuantity: 10,
          targetQuantity: 11,
          idempotencyKey: randomUUID(),
        }),
      );

      expect(error.retryAfterMs).toBe(120_000);
      expect(error.message).toContain('HTTP 429');
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(1);
      expect(t.sleeps).toEqual([]);
      expect(t.fake.applied).toHaveLength(0);
    });

    it('still throttled after every attempt: unavailable, with the last Retry-After', async () => {
      t.fake.faults.throttle = { times: 99, retryAfter: '2', only: 'GET' };

      const error = await failureOf(t.provider.getSubscription(IDS.basic));

      expect(error.retryAfterMs).toBe(2_000);
      expect(t.sleeps).toEqual([2_000, 2_000, 2_000]);
    });
  });

  describe('server errors and network failures', () => {
    it.each([408, 500, 502, 503, 504])(
      'retries HTTP %i with exponential backoff and full jitter',
      async (status) => {
        t.fake.faults.serverErrors = { times: 3, status };

        await expect(t.provider.getSubscription(IDS.basic)).resolves.toMatchObject({ quantity: 10 });

        // random() is 0.5: half of 100, 200, 400 ms.
        expect(t.sleeps).toEqual([50, 100, 200]);
      },
    );

    it('caps each backoff wait at maxDelayMs', async () => {
      const provider = t.newProvider({ retry: { baseDelayMs: 100, maxDelayMs: 150 }, random: () => 0.999 });
      t.fake.faults.serverErrors = { times: 3, status: 503 };

      await provider.getSubscription(IDS.basic);

      expect(t.sleeps).toEqual([99, 149, 149]);
    });

    it('gives up after maxAttempts with a clean ProviderUnavailableError and no change', async () => {
      t.fake.faults.serverErrors = { times: 99, status: 503, only: 'PATCH' };

      const error = await failureOf(
        t.provider.changeQuantity({
          subscriptionId: IDS.basic,
          expectedQuantity: 10,
          targetQuantity: 12,
          idempotencyKey: randomUUID(),
        }),
      );

      expect(error.name).toBe('ProviderUnavailableError');
      expect(error.message).toBe(
        `Partner Center did not complete PATCH /v1/customers/${t.fake.customerTenantId}/subscriptions/${IDS.basic} ` +
          'after 4 attempt(s); last: HTTP 503',
      );
      expect(error.retryAfterMs).toBeUndefined();
      expect(t.fake.partnerCenterRequests('PATCH')).toHaveLength(4);
      expect(t.fake.applied).toHaveLength(0);
    });

    it('retries a refused connection, then reports it as unavailable', async () => {
      const provider = t.newProvider({ partnerCenterUrl: `http://127.0.0.1:${await closedPort()}` });

      const error = await failureOf(provider.listSubscriptions());

      expect(error.message).toContain('network error (ECONNREFUSED)');
      expect(t.sleeps).toEqual([50, 100, 200]);
    });
  });

  it('never puts a token or an Authorization header in errors or logs', async () => {
    const messages: string[] = [];
    await t.provider.listSubscriptions();
    t.fake.faults.serverErrors = { times: 99, status: 503 };
    messages.push((await failureOf(t.provider.listSubscriptions())).message);
    t.fake.faults.serverErrors.times = 0;
    t.fake.faults.hangAfterApply = 99;
    messages.push(
      (
        await failureOf(
          t.provider.changeQuantity({
            subscriptionId: IDS.basic,
            expectedQuantity: 10,
            targetQuantity: 11,
            idempotencyKey: randomUUID(),
          }),
        )
      ).message,
    );
    t.fake.faults.hangAfterApply = 0;
    t.fake.faults.reject = {
      times: 1,
      status: 400,
      // A server echoing the credential it received into its error text.
      body: { code: 1, description: `echo: ${partnerCenterToken()}`, data: [], source: 'PartnerFD' },
    };
    const rejected = await t.provider.changeQuantity({
      subscriptionId: IDS.e3,
      expectedQuantity: 120,
      targetQuantity: 121,
      idempotencyKey: randomUUID(),
    });
    messages.push(rejected.status === 'rejected' ? rejected.reason : 'not rejected');

    expect(tokensIssued().length).toBeGreaterThan(0);
    expect(messages).toHaveLength(3);
    const written = JSON.stringify({ messages, warnings: t.warnings });
    expect(written).toContain('HTTP 503');
    for (const token of tokensIssued()) expect(written).not.toContain(token);
    expect(written.toLowerCase()).not.toContain('bearer');
    expect(written.toLowerCase()).not.toContain('authorization');
  });
});
