import type { Log } from '../../bot/services/ports';
import { adaptiveCardOf, cardText, executeActions } from '../support/cards';
import { MEGAN, PATTI, type TeamsUser } from '../support/demoUsers';
import { describeWithPostgres, scratchSchema, type ScratchSchema } from '../support/postgres';
import { message, personalConversationId } from '../support/teamsActivities';
import { capturingLog, startTestApp, type TestApp } from '../support/testApp';

describeWithPostgres('access on one PostgreSQL shared by two instances', () => {
  let schema: ScratchSchema;
  const apps: TestApp[] = [];

  beforeEach(async () => {
    schema = await scratchSchema();
  });
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await schema.drop();
  });

  async function instance(env: Record<string, string> = {}, log?: Log): Promise<TestApp> {
    const app = await startTestApp({
      env,
      overrides: { database: await schema.open(4) },
      ...(log ? { log } : {}),
    });
    apps.push(app);
    return app;
  }

  const personal = (t: TestApp, user: TeamsUser) => ({
    serviceUrl: t.connector.serviceUrl,
    conversationId: personalConversationId(user),
  });

  /** What Patti's `add 5 seats to Business Standard` gets on this instance: an order, or a license request. */
  async function pattiAsks(t: TestApp): Promise<string> {
    await t.post(message(PATTI, 'add 5 seats to Business Standard', personal(t, PATTI)));
    const card = adaptiveCardOf(t.connector.messages(personalConversationId(PATTI)).at(-1));
    const text = cardText(card);
    if (text.includes('Confirm: add 5 seats')) {
      expect(executeActions(card).map((a) => a.title)).toContain('Approve');
      return 'order';
    }
    if (text.includes('Ask for 5 seats')) return 'request';
    return text;
  }

  it('a grant made on one instance counts on the other at its next turn; so does a revoke', async () => {
    const a = await instance();
    const b = await instance();
    // b has read access once (its first turn), before the grant.
    expect(await pattiAsks(b)).toBe('request');

    const megan = { id: MEGAN.aadObjectId, name: MEGAN.name };
    const grant = { personId: PATTI.aadObjectId, role: 'LicensesManager', billingProfileId: 'contoso-hq' };
    expect((await a.app.access.grant(megan, grant)).ok).toBe(true);
    expect(await pattiAsks(b)).toBe('order');

    expect((await b.app.access.revoke(megan, grant)).ok).toBe(true);
    expect(await pattiAsks(a)).toBe('request');
    // The audit holds both, whichever instance wrote them.
    const audit = await a.app.access.auditTrail(megan.id);
    expect(audit.ok && audit.value.slice(0, 2).map((e) => e.action)).toEqual(['revoke', 'grant']);
  });

  it('ACCESS_FILE is imported once: the first start says so, the next says the database holds access', async () => {
    const first = capturingLog();
    await instance({ ACCESS_FILE: 'bot/infrastructure/directory/demoAccess.json' }, first.log);
    expect(first.lines.map((l) => l.msg)).toContain(
      'access imported from ACCESS_FILE; from now on the database holds access (change it in Teams or the tab)',
    );
    const second = capturingLog();
    // The file is not read again: a path that does not exist does not stop the start.
    await instance({ ACCESS_FILE: '/nonexistent/access.json' }, second.log);
    const line = second.lines.find((l) => l.msg.startsWith('access read from the database'));
    expect(line?.msg).toBe(
      'access read from the database; ACCESS_FILE is no longer read (it was imported on the first start)',
    );
    expect(line?.importedFrom).toBe('bot/infrastructure/directory/demoAccess.json');
  });
});
