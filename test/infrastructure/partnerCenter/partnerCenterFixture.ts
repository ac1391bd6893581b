import { createMsalTokenSources } from '../../../bot/infrastructure/providers/partnerCenter/msalTokenSource';
import {
  PartnerCenterLicenseProvider,
  type PartnerCenterOptions,
} from '../../../bot/infrastructure/providers/partnerCenter/partnerCenterLicenseProvider';
import type { Log } from '../../../bot/services/ports';
import { FakePartnerCenter } from '../../support/fakePartnerCenter';

/** The customer's subscriptions in the fake, named for what each one is there to show. */
export const IDS = {
  /** P1M, monthly, mapped to a Graph SKU by offerId. */
  basic: 'a4c1340d-6911-4758-bba3-0c4c60070001',
  /** P1Y billed monthly, friendlyName set, mapped to a Graph SKU by subscription id. */
  e3: 'a4c1340d-6911-4758-bba3-0c4c60070002',
  /** Suspended: listed, as suspended. */
  suspended: 'a4c1340d-6911-4758-bba3-0c4c60070003',
  /** Deleted: never listed. */
  deleted: 'a4c1340d-6911-4758-bba3-0c4c60070004',
  /** No configured price: never offered. */
  unpriced: 'a4c1340d-6911-4758-bba3-0c4c60070005',
  /** Legacy offer with no termDuration and no SKU mapping. */
  legacy: 'a4c1340d-6911-4758-bba3-0c4c60070006',
} as const;

export const E3_SKU_ID = '05e9a617-0261-4cee-bb44-138d3ef5d965';

export interface Fixture {
  readonly fake: FakePartnerCenter;
  readonly provider: PartnerCenterLicenseProvider;
  /** Every wait the provider asked for, in milliseconds (the injected sleep returns at once). */
  readonly sleeps: number[];
  readonly warnings: Array<{ obj: object; msg?: string }>;
  newProvider(overrides?: Partial<PartnerCenterOptions>): PartnerCenterLicenseProvider;
  stop(): Promise<void>;
}

/**
 * A fake Partner Center with a realistic customer, and a provider pointed at it through the real MSAL
 * client (its token endpoint is the fake's). Waits are recorded, not slept; jitter is always half.
 */
export async function startFixture(
  overrides: Partial<PartnerCenterOptions> = {},
  fakeOptions: ConstructorParameters<typeof FakePartnerCenter>[0] = {},
): Promise<Fixture> {
  const fake = new FakePartnerCenter(fakeOptions);
  await fake.start();
  seed(fake);
  const sleeps: number[] = [];
  const warnings: Array<{ obj: object; msg?: string }> = [];
  const log: Log = {
    info: () => undefined,
    warn: (obj, msg) => warnings.push({ obj, msg }),
    error: (obj, msg) => warnings.push({ obj, msg }),
  };
  const newProvider = (more: Partial<PartnerCenterOptions> = {}) =>
    new PartnerCenterLicenseProvider({
      customerTenantId: fake.customerTenantId,
      customerDomain: 'contoso.com',
      tokens: createMsalTokenSources({
        clientId: fake.clientId,
        clientSecret: fake.clientSecret,
        partnerTenantId: fake.partnerTenantId,
        customerTenantId: fake.customerTenantId,
        authorityMetadata: fake.authorityMetadata,
      }),
      partnerCenterUrl: fake.url,
      graphUrl: fake.url,
      prices: {
        'CFQ7TTC0LH18:0001': { amount: '6.00', currency: 'USD' },
        [IDS.e3]: { amount: '36.00', currency: 'USD' },
        'CFQ7TTC0LFLX:0002:CFQ7TTC0KDKZ': { amount: '12.50', currency: 'USD' },
        '796b6b5f-613c-4e24-a17c-eba730d49c02': { amount: '8.00', currency: 'EUR' },
      },
      skus: { 'CFQ7TTC0LH18:0001:CFQ7TTC0K971': 'O365_BUSINESS_ESSENTIALS', [IDS.e3]: E3_SKU_ID },
      requestTimeoutMs: 2_000,
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, maxTotalDelayMs: 120_000 },
      polling: { intervalMs: 250, maxPolls: 3 },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      log,
      ...overrides,
      ...more,
    });
  return { fake, provider: newProvider(), sleeps, warnings, newProvider, stop: () => fake.stop() };
}

function seed(fake: FakePartnerCenter): void {
  fake.addSubscription({
    id: IDS.basic,
    offerId: 'CFQ7TTC0LH18:0001:CFQ7TTC0K971',
    offerName: 'Microsoft 365 Business Basic',
    friendlyName: '',
    quantity: 10,
    termDuration: 'P1M',
    billingCycle: 'monthly',
    commitmentEndDate: '2026-02-13T00:00:00Z',
  });
  fake.addSubscription({
    id: IDS.e3,
    offerId: 'CFQ7TTC0LFK5:0001:CFQ7TTC0KDN5',
    offerName: 'Microsoft 365 E3',
    friendlyName: 'Contoso E3 (annual)',
    quantity: 120,
    termDuration: 'P1Y',
    billingCycle: 'monthly',
    commitmentEndDate: '2026-09-30T00:00:00Z',
  });
  fake.addSubscription({
    id: IDS.suspended,
    offerId: 'CFQ7TTC0LFLX:0002:CFQ7TTC0KDKZ',
    offerName: 'Microsoft 365 Business Standard',
    quantity: 5,
    status: 'suspended',
    termDuration: 'P1M',
  });
  fake.addSubscription({
    id: IDS.deleted,
    offerId: 'CFQ7TTC0LH18:0001:CFQ7TTC0K971',
    offerName: 'Microsoft 365 Business Basic',
    quantity: 3,
    status: 'deleted',
  });
  fake.addSubscription({
    id: IDS.unpriced,
    offerId: 'DZH318Z0BQ3Q:0001:DZH318Z0BPS6',
    offerName: 'Azure plan',
    quantity: 1,
    unitType: 'Usage-based',
    billingType: 'usage',
  });
  fake.addSubscription({
    id: IDS.legacy,
    offerId: '796b6b5f-613c-4e24-a17c-eba730d49c02',
    offerName: 'Office 365 E1',
    quantity: 40,
    termDuration: undefined,
    billingCycle: 'annual',
    commitmentEndDate: '2026-05-01T00:00:00Z',
  });
  fake.addSku({
    skuId: '3b555118-da6a-4418-894f-7df1e2096870',
    skuPartNumber: 'O365_BUSINESS_ESSENTIALS',
    consumedUnits: 7,
  });
  fake.addSku({ skuId: E3_SKU_ID, skuPartNumber: 'SPE_E3', consumedUnits: 117 });
  fake.addSku({
    skuId: '18181a46-0d4e-45cd-891e-60aabd171b4e',
    skuPartNumber: 'STANDARDPACK',
    consumedUnits: 39,
  });
}

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
