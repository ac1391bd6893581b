import type {
  AbsenceResponse,
  ApprovalsResponse,
  OrderResponse,
  ReassignResponse,
} from '../../tab/src/contract';
import { adaptiveCardOf, cardText } from '../support/cards';
import { ADELE, ALEX, ISAIAH, MEGAN, PATTI, SUBSCRIPTIONS, type TeamsUser } from '../support/demoUsers';
import { TestClock } from '../support/services';
import { message, personalConversationId } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';
import { devUser, tabCall } from './support/tabClient';

const HOUR = 60 * 60 * 1000;

describe("the tab's Approvals page: Reassign of an escalated order, and an approver's absence", () => {
  let t: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock();
    t = await startTestApp({ overrides: { clock } });
  });
  afterEach(async () => {
    await t.close();
  });

  const get = <T>(user: TeamsUser, path: string) => tabCall<T>(t.url, path, { headers: devUser(user) });
  const post = <T>(user: TeamsUser, path: string, body: unknown = {}) =>
    tabCall<T & { error?: string }>(t.url, path, { method: 'POST', headers: devUser(user), body });

  /** Alex orders 30 seats of Office 365 E3 (+690.00 a month, above Contoso HQ's 500.00) and confirms: it waits. */
  async function waiting(): Promise<string> {
    const draft = await post<OrderResponse>(ALEX, '/tab/api/orders', {
      subscriptionId: SUBSCRIPTIONS.e3,
      kind: 'increase',
      seats: 30,
    });
    const confirmed = await post<OrderResponse>(ALEX, `/tab/api/orders/${draft.body.order.id}/approve`);
    expect(confirmed.body.order.state).toBe('pending_approval');
    return draft.body.order.id;
  }

  const cardsIn = (user: TeamsUser) =>
    t.connector.messages(personalConversationId(user)).filter((call) => call.body.attachments?.length);

  it('Megan, Access Admin, reassigns an escalated order to Isaiah: one fresh card, the old copies say so, bad input is answered', async () => {
    for (const approver of [MEGAN, ISAIAH]) {
      await t.post(message(approver, 'help', { serviceUrl: t.connector.serviceUrl }));
    }
    const id = await waiting();
    await t.settle();
    const reassign = (user: TeamsUser, personId: string) =>
      post<ReassignResponse>(user, '/tab/api/approvals/reassign', { orderId: id, personId });

    // Not yet escalated: no Reassign offered, and asking is answered.
    expect((await get<ApprovalsResponse>(MEGAN, '/tab/api/approvals')).body.reassign).toEqual({});
    const early = await reassign(MEGAN, ISAIAH.aadObjectId);
    expect([early.status, early.body.error]).toEqual([409, expect.stringContaining('once it is escalated')]);

    clock.advance(48 * HOUR);
    await t.app.maintenance.tick();
    await t.settle();
    const page = await get<ApprovalsResponse>(MEGAN, '/tab/api/approvals');
    expect(page.body.reassign).toEqual({ [id]: [{ id: ISAIAH.aadObjectId, name: 'Isaiah Langer' }] });
    expect((await get<ApprovalsResponse>(ISAIAH, '/tab/api/approvals')).body.reassign).toEqual({});

    for (const [user, personId, status, error] of [
      [MEGAN, ALEX.aadObjectId, 422, 'Alex Wilber asked for this order'],
      [MEGAN, MEGAN.aadObjectId, 422, 'You may approve this order yourself'],
      [MEGAN, ADELE.aadObjectId, 422, "Adele Vance can't approve orders of billing profile **Contoso HQ**"],
      [MEGAN, '00000000-0000-4000-8000-000000000000', 422, "I don't know"],
      [MEGAN, '', 422, 'Choose the approver who gets this order.'],
      [ISAIAH, MEGAN.aadObjectId, 403, 'Only an Access Admin of billing profile **Contoso HQ**'],
      [PATTI, ISAIAH.aadObjectId, 404, "I can't find that order"],
    ] as const) {
      const refused = await reassign(user, personId);
      expect([refused.status, refused.body.error]).toEqual([status, expect.stringContaining(error)]);
    }
    expect((await t.app.orders.get(id))?.reassignments).toEqual([]);
    const isaiahCards = cardsIn(ISAIAH).length;

    const done = await reassign(MEGAN, ISAIAH.aadObjectId);
    expect([done.status, done.body.message]).toEqual([
      200,
      'Reassigned: Isaiah Langer has a fresh approval card.',
    ]);
    expect(done.body.order.status?.text).toBeDefined();
    await t.settle();
    // A second tap: answered the same, no second card.
    expect((await reassign(MEGAN, ISAIAH.aadObjectId)).status).toBe(200);
    await t.settle();

    const fresh = cardsIn(ISAIAH).slice(isaiahCards);
    expect(fresh).toHaveLength(1);
    const freshText = cardText(adaptiveCardOf(fresh[0]));
    expect(freshText).toContain('Megan Bowen reassigned this order to you: approve or reject it.');
    // Megan's escalation card, updated: it says to whom.
    const meganCard = cardsIn(MEGAN).at(-1)!;
    expect(cardText(adaptiveCardOf(t.connector.updates(meganCard.activityId).at(-1)))).toContain(
      'Reassigned to Isaiah Langer by Megan Bowen on',
    );
    const audit = await t.app.orderRepository.auditTrail(id);
    expect(audit.filter((e) => e.action === 'approval_reassigned')).toHaveLength(1);

    const approved = await post<{ results: Array<{ error: string | null }> }>(
      ISAIAH,
      '/tab/api/approvals/approve',
      { orderIds: [id] },
    );
    expect(approved.body.results[0].error).toBeNull();
    await t.settle();
    const late = await reassign(MEGAN, ISAIAH.aadObjectId);
    expect([late.status, late.body.error]).toEqual([
      409,
      expect.stringContaining('already approved by Isaiah'),
    ]);
  });

  it('an approver sets "away until, delegate to" and "I\'m back", with the chat command\'s checks and words', async () => {
    const alex = await get<ApprovalsResponse>(ALEX, '/tab/api/approvals');
    expect(alex.body.absence).toEqual({ approves: false, away: null, delegates: [] });
    const notApprover = await post(ALEX, '/tab/api/away', { until: '2026-12-24', delegate: 'Adele Vance' });
    expect([notApprover.status, notApprover.body.error]).toEqual([
      403,
      expect.stringContaining("You don't approve orders on any billing profile"),
    ]);

    const page = await get<ApprovalsResponse>(MEGAN, '/tab/api/approvals');
    expect(page.body.absence.approves).toBe(true);
    expect(page.body.absence.away).toBeNull();
    expect(page.body.absence.delegates.map((p) => p.name).sort()).toEqual([
      'Adele Vance',
      'Alex Wilber',
      'Isaiah Langer',
    ]);

    // Today is 2026-11-26 on the test clock.
    for (const [until, delegate, error] of [
      ['soon', 'Adele Vance', '"soon" is not a date I can read.'],
      ['2026-11-25', 'Adele Vance', '2026-11-25 has passed.'],
      ['2027-12-24', 'Adele Vance', '2027-12-24 is more than a year away.'],
      ['2026-12-24', 'Megan Bowen', "You can't delegate to yourself."],
      ['2026-12-24', 'Nobody Here', 'I don\'t know anyone called "Nobody Here" in License Desk.'],
      [
        '2026-12-24',
        'Patti Fernandez',
        'Patti Fernandez holds no role on the billing profiles you approve for',
      ],
      ['2026-12-24', '', 'Who decides while you are away?'],
    ]) {
      const refused = await post(MEGAN, '/tab/api/away', { until, delegate });
      expect([refused.status, refused.body.error]).toEqual([422, expect.stringContaining(error)]);
    }
    expect(await t.app.orders.delegations!.active()).toEqual([]);

    const set = await post<AbsenceResponse>(MEGAN, '/tab/api/away', {
      until: '2026-12-24',
      delegate: 'adelev@contoso.com',
    });
    expect(set.status).toBe(200);
    expect(set.body.message).toMatch(
      /^You're away until Dec(ember)? 24, 2026\. New approval cards for you go to Adele Vance/,
    );
    expect(set.body.absence.away).toEqual({ until: '2026-12-24', delegate: 'Adele Vance' });
    // The same store as the chat command: an order on Contoso EMEA now goes to Adele.
    expect((await t.app.orders.delegations!.active()).map((d) => d.delegate.name)).toEqual(['Adele Vance']);

    const back = await post<AbsenceResponse>(MEGAN, '/tab/api/away/end');
    expect([back.status, back.body.message]).toEqual([
      200,
      'Welcome back. New approval cards come to you again; Adele Vance no longer decides on your behalf.',
    ]);
    expect(back.body.absence.away).toBeNull();
    const again = await post(MEGAN, '/tab/api/away/end');
    expect([again.status, again.body.error]).toEqual([
      409,
      "You weren't away: your approval cards come to you.",
    ]);
  });
});
