import { ALEX, MEGAN } from '../support/demoUsers';
import { adaptiveCardOf, cardText, textOf } from '../support/cards';
import { message } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

describe('odd activities and the HTTP surface', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const storedRows = async () =>
    (
      await t.app.database.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM bot_state) + (SELECT count(*) FROM conversation_references) AS n',
      )
    ).rows[0].n;

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('a message without text gets a hint', async () => {
    const activity = message(ALEX, '', where());
    delete activity.text;
    activity.attachments = [{ contentType: 'image/png', contentUrl: 'https://example.invalid/a.png' }];
    await t.post(activity);
    expect(textOf(t.connector.messages().at(-1))).toContain('I work with text messages');
  });

  it('a message without from.aadObjectId is refused and nothing is stored', async () => {
    const activity = message(ALEX, 'buy licenses', where());
    activity.from = { id: ALEX.teamsId, name: ALEX.name };
    await t.post(activity);
    expect(textOf(t.connector.messages().at(-1))).toContain("I can't tell who you are");
    expect(Number(await storedRows())).toBe(0);
  });

  it('an oversized payload is refused with 413 before any bot logic', async () => {
    const activity = message(ALEX, 'x'.repeat(300 * 1024), where());
    const response = await t.post(activity);
    expect(response.status).toBe(413);
    expect(t.connector.calls).toHaveLength(0);
  });

  it('a message it does not understand says what it can do', async () => {
    await t.post(message(ALEX, 'make me a sandwich', where()));
    expect(textOf(t.connector.messages().at(-1))).toBe(
      'I didn\'t understand "make me a sandwich". Say **buy licenses** to add seats, or **help** to see everything I can do.',
    );
  });

  it('help lists the commands; cancel with nothing open says so', async () => {
    await t.post(message(ALEX, 'help', where()));
    expect(textOf(t.connector.messages().at(-1))).toContain('**remove licenses**');
    await t.post(message(ALEX, 'cancel', where()));
    expect(textOf(t.connector.messages().at(-1))).toBe(
      'There is nothing to cancel. Say **help** to see what I can do.',
    );
  });

  it('a new request or list command in the middle of a question replaces the question', async () => {
    await t.post(message(ALEX, 'buy licenses', where()));
    await t.post(message(ALEX, 'orders', where()));
    expect(textOf(t.connector.messages().at(-1))).toContain('You have no orders yet');
    await t.post(message(ALEX, 'remove licenses', where()));
    await t.post(message(ALEX, 'add 5 seats to E3', where()));
    expect(cardText(adaptiveCardOf(t.connector.messages().at(-1)))).toContain('Seats: 120 → 125 (+5)');
  });

  it('in a group chat it hears its @mention and keeps each person’s dialog apart', async () => {
    const group = {
      ...where(),
      conversationId: '19:group@thread.v2',
      conversationType: 'groupChat' as const,
    };
    await t.post(message(ALEX, 'buy licenses', group));
    expect(JSON.stringify(t.connector.messages().at(-1)?.body.attachments)).toContain('Which subscription');
    await t.post(message(MEGAN, 'E3', group));
    expect(textOf(t.connector.messages().at(-1))).toContain('I didn\'t understand "E3"');
    await t.post(message(ALEX, 'E3', group));
    expect(textOf(t.connector.messages().at(-1))).toContain(
      'How many seats do you want to add to **Office 365 E3**',
    );
  });
});
