import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALEX } from '../support/demoUsers';
import { adaptiveCardOf, cardText, executeActions, textOf, type CardJson } from '../support/cards';
import { FakePartnerCenter } from '../support/fakePartnerCenter';
import { cardAction, message } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

const BASIC = 'a4c1340d-6911-4758-bba3-0c4c60071001';
const E3 = 'a4c1340d-6911-4758-bba3-0c4c60071002';
const DAY = 24 * 3_600_000;

/** "January 13, 2027", as the bot writes a date in en-US. */
const longDate = (iso: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

describe('LICENSE_PROVIDER=partner-center: the bot on a (fake) Partner Center and Graph', () => {
  let fake: FakePartnerCenter;
  let t: TestApp;
  let dir: string;

  /** Business Basic renewed 4 days ago: its 40 seats are inside their 7-day window for 3 more days. */
  let basicRenews: string;
  beforeEach(async () => {
    fake = new FakePartnerCenter();
    await fake.start();
    basicRenews = new Date(Date.now() + 26 * DAY).toISOString().slice(0, 10);
    fake.addSubscription({
      id: BASIC,
      offerId: 'CFQ7TTC0LH18:0001:CFQ7TTC0K971',
      offerName: 'Microsoft 365 Business Basic',
      quantity: 40,
      termDuration: 'P1M',
      commitmentEndDate: `${basicRenews}T00:00:00Z`,
      refundableQuantity: {
        totalQuantity: 40,
        details: [{ quantity: 40, allowedUntilDateTime: new Date(Date.now() + 3 * DAY).toISOString() }],
      },
      scheduledNextTermInstructions: null,
    });
    fake.addSubscription({
      id: E3,
      offerId: 'CFQ7TTC0LFK5:0001:CFQ7TTC0KDN5',
      offerName: 'Office 365 E3',
      quantity: 120,
      termDuration: 'P1Y',
      commitmentEndDate: '2027-04-30T00:00:00Z',
    });
    fake.addSku({
      skuId: '3b555118-da6a-4418-894f-7df1e2096870',
      skuPartNumber: 'O365_BUSINESS_ESSENTIALS',
      consumedUnits: 12,
    });
    dir = mkdtempSync(join(tmpdir(), 'license-desk-pc-'));
    const catalog = join(dir, 'catalog.json');
    writeFileSync(
      catalog,
      JSON.stringify({
        subscriptions: {
          'CFQ7TTC0LH18:0001': { price: '6.00', currency: 'USD', graphSku: 'O365_BUSINESS_ESSENTIALS' },
          [E3]: { price: '23.00', currency: 'USD' },
        },
      }),
    );
    t = await startTestApp({
      env: {
        LICENSE_PROVIDER: 'partner-center',
        PARTNER_CENTER_CLIENT_ID: fake.clientId,
        PARTNER_CENTER_CLIENT_SECRET: fake.clientSecret,
        PARTNER_TENANT_ID: fake.partnerTenantId,
        CUSTOMER_TENANT_ID: fake.customerTenantId,
        CUSTOMER_DOMAIN: 'contoso.eu',
        PARTNER_CENTER_CATALOG_FILE: catalog,
        PARTNER_CENTER_URL: fake.url,
        GRAPH_URL: fake.url,
      },
      overrides: { msalAuthorityMetadata: fake.authorityMetadata },
    });
  });
  afterEach(async () => {
    await t.close();
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const where = () => ({ serviceUrl: t.connector.serviceUrl });

  it('lists the customer’s subscriptions with seats in use from Graph, FLEXIBLE from a monthly term', async () => {
    await t.post(message(ALEX, 'licenses', where()));
    const text = cardText(adaptiveCardOf(t.connector.messages().at(-1)));
    expect(text).toContain('Microsoft 365 Business Basic');
    expect(text).toContain(
      `contoso.eu · FLEXIBLE · Monthly term · renews ${longDate(basicRenews)} · auto-renew on`,
    );
    expect(text).toContain('40 seats · 12 in use · 28 free');
    expect(text).toMatch(
      /You can remove now \(up to 28; a credit of \$6\.00 a seat on next month's bill, possible until /,
    );
    expect(text).toContain('Office 365 E3');
    expect(text).toContain('contoso.eu · ANNUAL · Annual term · renews April 30, 2027 · auto-renew on');
    expect(text).toContain(
      'You can remove at renewal on April 30, 2027 (up to 120; you keep paying for them until then).',
    );
  });

  it('a subscription whose window closed and whose renewal date passed is explained; nothing else is offered in its place', async () => {
    const basic = fake.subscriptions.get(BASIC);
    if (!basic) throw new Error('setup');
    fake.subscriptions.set(BASIC, {
      ...basic,
      commitmentEndDate: '2026-01-13T00:00:00Z',
      refundableQuantity: { totalQuantity: 0, details: [] },
    });
    const before = t.connector.messages().length;
    await t.post(message(ALEX, 'remove 5 Business Basic', where()));
    const replies = t.connector.messages().slice(before);
    expect(textOf(replies[0])).toContain(
      'Seats cannot be removed now: Microsoft allows it only within 7 days (168 hours) of buying, adding or renewing seats, and that window has closed. Nor at renewal: the renewal date Microsoft reports (January 13, 2026) has passed, so the renewal date is unknown.',
    );
    expect(await t.app.orderRepository.countByRequester(ALEX.aadObjectId)).toBe(0);
    expect(fake.partnerCenterRequests('PATCH')).toEqual([]);
  });

  it('places an order with one PATCH of the whole resource, the order’s key as MS-RequestId', async () => {
    await t.post(message(ALEX, 'remove 5 Business Basic', where()));
    const card = adaptiveCardOf(t.connector.messages().at(-1));
    expect(cardText(card)).toContain('Seats: 40 → 35 (−5)');
    const orderId = String(executeActions(card)[0].data.orderId);
    const response = await t.post(cardAction(ALEX, 'order.approve', { orderId }, where()));
    expect(cardText((response.body as { value: CardJson }).value)).toContain('Approved. Placing the order…');
    await t.settle();
    const order = await t.app.orders.get(orderId);
    expect(order?.state).toBe('completed');
    const patches = fake.partnerCenterRequests('PATCH');
    expect(patches).toHaveLength(1);
    expect(patches[0].headers['ms-requestid']).toBe(order?.idempotencyKey);
    expect((patches[0].body as { quantity: number; offerId: string }).quantity).toBe(35);
    expect((patches[0].body as { offerId: string }).offerId).toBe('CFQ7TTC0LH18:0001:CFQ7TTC0K971');
    expect(fake.subscriptions.get(BASIC)?.quantity).toBe(35);
  });
});
