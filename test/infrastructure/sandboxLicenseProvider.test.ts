import { SandboxLicenseProvider } from '../../bot/infrastructure/providers/sandboxLicenseProvider';
import { DEMO_CATALOGUE } from '../../bot/infrastructure/providers/demoCatalogue';
import { ProviderUnavailableError } from '../../bot/services/ports';
import type { PgliteDatabase } from '../../bot/infrastructure/database/pgliteDatabase';
import { freshDatabase } from '../support/database';
import { SUBSCRIPTIONS } from '../support/demoUsers';
import { TestClock } from '../support/services';

describe('the sandbox license provider', () => {
  let db: PgliteDatabase;
  let provider: SandboxLicenseProvider;
  beforeEach(async () => {
    db = await freshDatabase();
    provider = new SandboxLicenseProvider(db, new TestClock());
    await provider.seed(DEMO_CATALOGUE);
  });
  afterEach(async () => {
    await db.close();
  });

  it('is seeded with the demo catalogue once; a second seed changes nothing', async () => {
    await provider.adjust(SUBSCRIPTIONS.businessStandard, { quantity: 99 });
    await provider.seed(DEMO_CATALOGUE);
    const all = await provider.listSubscriptions();
    expect(all.map((s) => [s.product, s.domain, s.plan, s.quantity, s.inUse, s.pricePerSeat.minor])).toEqual([
      ['Microsoft 365 Business Standard', 'contoso.com', 'FLEXIBLE', 99, 21, 1250],
      ['Office 365 E3', 'contoso.com', 'ANNUAL', 120, 118, 2300],
      ['Microsoft 365 Business Basic', 'contoso.eu', 'FLEXIBLE', 40, 12, 600],
      ['Microsoft 365 E5', 'contoso.eu', 'ANNUAL', 10, 10, 5700],
    ]);
    expect(all[1].renewalDate).toMatch(/^\d{4}-\d{2}-01$/);
  });

  const change = (key: string, expected = 25, target = 30) => ({
    subscriptionId: SUBSCRIPTIONS.businessStandard,
    expectedQuantity: expected,
    targetQuantity: target,
    idempotencyKey: key,
  });

  it('applies a request id once: a retry returns the first result', async () => {
    expect(await provider.changeQuantity(change('k1'))).toEqual({ status: 'applied', quantity: 30 });
    expect(await provider.changeQuantity(change('k1'))).toEqual({ status: 'applied', quantity: 30 });
    expect(await provider.appliedChanges()).toBe(1);
  });

  it('reports a conflict when the quantity is not the expected one', async () => {
    expect(await provider.changeQuantity(change('k2', 24, 29))).toEqual({
      status: 'conflict',
      actualQuantity: 25,
    });
  });

  it('refuses to go below the seats in use or to decrease an annual plan', async () => {
    expect(await provider.changeQuantity(change('k3', 25, 20))).toMatchObject({ status: 'rejected' });
    const annual = { ...change('k4', 120, 119), subscriptionId: SUBSCRIPTIONS.e3 };
    expect(await provider.changeQuantity(annual)).toMatchObject({ status: 'rejected' });
  });

  it('injects faults before and after applying', async () => {
    provider.faults.failBeforeApply = 1;
    await expect(provider.changeQuantity(change('k5'))).rejects.toThrow(ProviderUnavailableError);
    expect(await provider.appliedChanges()).toBe(0);
    provider.faults.failAfterApply = 1;
    await expect(provider.changeQuantity(change('k5'))).rejects.toThrow(ProviderUnavailableError);
    expect(await provider.appliedChanges()).toBe(1);
    expect(await provider.changeQuantity(change('k5'))).toEqual({ status: 'applied', quantity: 30 });
  });
});
