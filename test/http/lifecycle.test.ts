import { ALEX } from '../support/demoUsers';
import { adaptiveCardOf, cardText } from '../support/cards';
import { message } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

describe('a slow provider: typing indicator, and a graceful stop that finishes turns in flight', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp({ env: { SANDBOX_LATENCY_MS: '1500' } });
  });
  afterEach(async () => {
    await t.close().catch(() => undefined);
  });

  it('shows a typing indicator while a turn takes more than a moment', async () => {
    await t.post(message(ALEX, 'licenses', { serviceUrl: t.connector.serviceUrl }));
    const kinds = t.connector.calls.map((c) => c.body.type);
    expect(kinds[0]).toBe('typing');
    expect(cardText(adaptiveCardOf(t.connector.messages().at(-1)))).toContain('Your subscriptions');
  });

  it('on stop, a turn in flight still completes, then the database closes', async () => {
    const inFlight = t.post(message(ALEX, 'licenses', { serviceUrl: t.connector.serviceUrl }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closing = t.app.close();
    const response = await inFlight;
    await closing;
    expect(response.status).toBe(200);
    expect(cardText(adaptiveCardOf(t.connector.messages().at(-1)))).toContain('Your subscriptions');
    await expect(t.app.database.query('SELECT 1')).rejects.toThrow();
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
  });
});
