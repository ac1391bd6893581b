import { readFileSync } from 'node:fs';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import type { Order } from '../../bot/domain/order';
import type { Result } from '../../bot/domain/refusal';
import { ORDER_MESSAGES } from '../../bot/services/orderMessages';
import type { ApproveOutcome, OrderService, Requester } from '../../bot/services/orderService';
import { approvalProgressText, approvalStepText } from '../../bot/teams/presenters/approvalText';
import { outcomeText } from '../../bot/teams/presenters/outcomeText';
import { DEFAULT_AUDIENCE } from '../../bot/teams/presenters/format';
import { refusalText } from '../../bot/teams/presenters/refusalText';
import {
  ADELE,
  ALEX,
  ISAIAH,
  LYNNE,
  MEGAN,
  PATTI,
  SUBSCRIPTIONS,
  TENANT_ID,
  type TeamsUser,
} from '../support/demoUsers';
import { DEMO_ACCESS_FILE, serviceHarness, type ServiceHarness } from '../support/services';

const HOUR = 60 * 60 * 1000;
const as = (user: TeamsUser): Requester => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

/** The order an Approve left (every outcome but a requote has one). */
function orderOf(outcome: ApproveOutcome): Order {
  if (outcome.kind === 'requoted') throw new Error('unexpected requote');
  return outcome.order;
}

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${result.refusal.code}`);
  return result.value;
}

/** The demo access with changes to Contoso HQ and, optionally, Lynne Robbins as its Access Admin only. */
function demoAccessWith(hq: Record<string, unknown>, lynneAdmin = false): JsonAccessDirectory {
  const json = JSON.parse(readFileSync(DEMO_ACCESS_FILE, 'utf8')) as {
    billingProfiles: Array<Record<string, unknown>>;
    users: Array<{ aadObjectId: string; assignments: unknown[] }>;
  };
  json.billingProfiles = json.billingProfiles.map((p) => (p.id === 'contoso-hq' ? { ...p, ...hq } : p));
  if (lynneAdmin) {
    const lynne = json.users.find((u) => u.aadObjectId === LYNNE.aadObjectId);
    lynne!.assignments = [{ billingProfile: 'contoso-hq', roles: ['AccessAdmin'] }];
  }
  return JsonAccessDirectory.fromJson(json);
}

describe('approvals that never get stuck (real embedded database, a clock the test moves)', () => {
  let h: ServiceHarness;
  afterEach(async () => {
    await h.close();
  });

  /** Alex confirms 30 seats of Office 365 E3 (+690.00 a month, above Contoso HQ's 500.00): it waits. */
  const waitingOrder = async (orders: OrderService = h.orders): Promise<Order> => {
    const draft = value(await orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30));
    const outcome = value(await orders.approve(as(ALEX), draft.id));
    expect(outcome.kind).toBe('awaiting_approver');
    return orderOf(outcome);
  };

  const rows = async (orderId: string, kind: string) =>
    (await h.messages(orderId)).filter((m) => m.kind === kind).map((m) => `${m.recipient}:${m.dedupe_key}`);

  describe('the reminder ladder', () => {
    beforeEach(async () => {
      h = await serviceHarness();
    });

    it('an order nobody decides: reminded at 24 h, escalated at 48 h, called a last time a day before it expires, expired at 7 days; the requester told at each step', async () => {
      const order = await waitingOrder();
      const cardsAtStart = (await rows(order.id, ORDER_MESSAGES.approvalCard)).length;
      expect(cardsAtStart).toBe(2);

      h.clock.advance(24 * HOUR - 1000);
      expect(await h.orders.advanceApprovalLadder()).toBe(0);
      h.clock.advance(1000);
      expect(await h.orders.advanceApprovalLadder()).toBe(1);
      let current = (await h.orders.get(order.id))!;
      expect(current).toMatchObject({ state: 'pending_approval', approvalStep: 1 });
      expect(await rows(order.id, ORDER_MESSAGES.approvalCard)).toEqual(
        expect.arrayContaining([
          `${MEGAN.aadObjectId}:order:${order.id}:approval-card:${MEGAN.aadObjectId}:step-1`,
          `${ISAIAH.aadObjectId}:order:${order.id}:approval-card:${ISAIAH.aadObjectId}:step-1`,
        ]),
      );
      expect(await rows(order.id, ORDER_MESSAGES.approvalStep)).toEqual([
        `${ALEX.aadObjectId}:order:${order.id}:approval-step-1`,
      ]);
      // Every older copy of the card is updated: it now says the reminder was sent.
      expect(approvalProgressText(current)).toMatch(/^Reminder sent on /);
      expect(approvalStepText(current, 1, { locale: 'en-US' })).toBe(
        `Order LD-${order.number} for **Office 365 E3** still waits for approval: I reminded its approvers with a fresh card.`,
      );

      // Nothing more until 48 h, however often the workers look.
      h.clock.advance(23 * HOUR);
      expect(await h.orders.advanceApprovalLadder()).toBe(0);
      expect(await h.another().advanceApprovalLadder()).toBe(0);
      h.clock.advance(HOUR);
      expect(await h.orders.advanceApprovalLadder()).toBe(1);
      current = (await h.orders.get(order.id))!;
      expect(current.approvalStep).toBe(2);
      // The Access Admins of Contoso HQ (Megan Bowen) get a fresh card; Isaiah Langer is no Access Admin.
      expect(
        (await rows(order.id, ORDER_MESSAGES.approvalCard)).filter((r) => r.endsWith(':step-2')),
      ).toEqual([`${MEGAN.aadObjectId}:order:${order.id}:approval-card:${MEGAN.aadObjectId}:step-2`]);
      expect(approvalProgressText(current)).toMatch(/Escalated to the Access Admins of Contoso HQ on /);

      // 24 h before it expires (day 6 after the draft): everyone is asked once more, the requester is told.
      h.clock.advance(4 * 24 * HOUR - 60_000);
      expect(await h.orders.advanceApprovalLadder()).toBe(0);
      h.clock.advance(60_000);
      expect(await h.orders.advanceApprovalLadder()).toBe(1);
      current = (await h.orders.get(order.id))!;
      expect(current.approvalStep).toBe(3);
      expect(
        (await rows(order.id, ORDER_MESSAGES.approvalCard)).filter((r) => r.endsWith(':step-3')).length,
      ).toBe(2);
      expect(approvalStepText(current, 3, { locale: 'en-US' })).toMatch(
        /expires on .* unless someone approves it/,
      );
      expect(await h.orders.advanceApprovalLadder()).toBe(0);

      h.clock.advance(24 * HOUR + 1000);
      expect(await h.orders.advanceApprovalLadder()).toBe(0);
      expect(await h.orders.expireOverdue()).toBe(1);
      expect(await h.orders.get(order.id)).toMatchObject({ state: 'expired', outcome: 'approval_timed_out' });
      expect(await rows(order.id, ORDER_MESSAGES.approvalStep)).toEqual(
        [1, 2, 3].map((step) => `${ALEX.aadObjectId}:order:${order.id}:approval-step-${step}`),
      );
      expect(await rows(order.id, ORDER_MESSAGES.outcome)).toEqual([
        `${ALEX.aadObjectId}:order:${order.id}:outcome`,
      ]);
      expect(
        (await h.repository.auditTrail(order.id))
          .map((e) => e.action)
          .filter((a) => a.startsWith('approval_')),
      ).toEqual(['approval_reminded', 'approval_escalated', 'approval_lastCall']);
    });

    it('each step once, whatever instance: two instances looking at once take the reminder once', async () => {
      const order = await waitingOrder();
      h.clock.advance(25 * HOUR);
      const taken = await Promise.all([
        h.orders.advanceApprovalLadder(),
        h.another().advanceApprovalLadder(),
        h.another({ instanceId: 'third' }).advanceApprovalLadder(),
      ]);
      expect(taken.reduce((a, b) => a + b, 0)).toBe(1);
      expect(await rows(order.id, ORDER_MESSAGES.approvalStep)).toHaveLength(1);
      expect(
        (await rows(order.id, ORDER_MESSAGES.approvalCard)).filter((r) => r.endsWith(':step-1')),
      ).toHaveLength(2);
    });

    it('after a long outage the steps are taken in order, each once, in one round', async () => {
      const order = await waitingOrder();
      h.clock.advance(6 * 24 * HOUR + HOUR);
      expect(await h.orders.advanceApprovalLadder()).toBe(3);
      expect(await rows(order.id, ORDER_MESSAGES.approvalStep)).toHaveLength(3);
      expect(await h.orders.advanceApprovalLadder()).toBe(0);
    });

    it('a decided order takes no step', async () => {
      const order = await waitingOrder();
      value(await h.orders.reject(as(MEGAN), order.id, 'Not this quarter'));
      h.clock.advance(25 * HOUR);
      expect(await h.orders.advanceApprovalLadder()).toBe(0);
      expect(await rows(order.id, ORDER_MESSAGES.approvalStep)).toEqual([]);
    });

    it('fractions of hours: APPROVAL_REMINDER_HOURS=0.01 reminds after 36 seconds', async () => {
      await h.close();
      h = await serviceHarness({ approvalReminderMs: 36_000, approvalEscalateMs: 72_000 });
      const order = await waitingOrder();
      h.clock.advance(35_000);
      expect(await h.orders.advanceApprovalLadder()).toBe(0);
      h.clock.advance(1_000);
      expect(await h.orders.advanceApprovalLadder()).toBe(1);
      h.clock.advance(36_000);
      expect(await h.orders.advanceApprovalLadder()).toBe(1);
      expect((await h.orders.get(order.id))?.approvalStep).toBe(2);
    });

    it("once escalated, an Access Admin who is no Approver may approve (not before); it shows in their 'orders'", async () => {
      const orders = h.another({ directory: demoAccessWith({}, true) });
      const order = await waitingOrder(orders);
      expect(await orders.approve(as(LYNNE), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'not_approver' },
      });
      expect(await orders.awaitingApprovalBy(LYNNE.aadObjectId)).toEqual([]);
      h.clock.advance(48 * HOUR);
      expect(await orders.advanceApprovalLadder()).toBe(2);
      expect(
        (await rows(order.id, ORDER_MESSAGES.approvalCard)).filter((r) => r.endsWith(':step-2')).sort(),
      ).toEqual(
        [MEGAN, LYNNE]
          .map((u) => `${u.aadObjectId}:order:${order.id}:approval-card:${u.aadObjectId}:step-2`)
          .sort(),
      );
      expect((await orders.awaitingApprovalBy(LYNNE.aadObjectId)).map((o) => o.id)).toEqual([order.id]);
      expect(value(await orders.approve(as(LYNNE), order.id)).kind).toBe('submitting');
      await h.work.idle();
      expect(await h.orders.get(order.id)).toMatchObject({
        state: 'completed',
        decidedBy: { name: 'Lynne Robbins' },
      });
    });
  });

  describe('a second approver above the second approval limit', () => {
    let orders: OrderService;
    beforeEach(async () => {
      h = await serviceHarness();
      orders = h.another({
        directory: demoAccessWith({ secondApprovalLimit: { amount: '5000.00', currency: 'USD' } }),
        settings: { maxSeatsPerOrder: 1000 },
        instanceId: 'test-instance',
      });
    });

    /** +480 seats of Business Standard at 12.50: +6,000.00 a month, above the second limit of 5,000.00. */
    const largeOrder = async (): Promise<Order> => {
      const draft = value(await orders.request(as(ALEX), SUBSCRIPTIONS.businessStandard, 'increase', 480));
      const outcome = value(await orders.approve(as(ALEX), draft.id));
      expect(outcome.kind).toBe('awaiting_approver');
      expect(orderOf(outcome).approvalsRequired).toBe(2);
      return orderOf(outcome);
    };

    it('a 6,000.00 order completes only after Megan and Isaiah both approve, with one provider change', async () => {
      const order = await largeOrder();
      const first = value(await orders.approve(as(MEGAN), order.id));
      expect(first.kind).toBe('partly_approved');
      expect(approvalProgressText(orderOf(first))).toBe('1 of 2 approvals: Megan Bowen');
      await h.work.idle();
      expect(await h.provider.appliedChanges()).toBe(0);
      expect(await orders.approve(as(MEGAN), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'already_approved_by_you' },
      });
      // Every copy of the card shows it: the one refresh row was re-armed by the approval.
      const refresh = (await h.messages(order.id)).filter((m) => m.kind === ORDER_MESSAGES.cardsRefresh);
      expect(refresh.map((m) => [m.state, m.generation])).toEqual([['pending', 2]]);
      // Megan's 'orders' no longer lists it as waiting for her; Isaiah's does.
      expect(await orders.awaitingApprovalBy(MEGAN.aadObjectId)).toEqual([]);
      expect((await orders.awaitingApprovalBy(ISAIAH.aadObjectId)).map((o) => o.id)).toEqual([order.id]);

      expect(value(await orders.approve(as(ISAIAH), order.id)).kind).toBe('submitting');
      await h.work.idle();
      expect(await h.orders.get(order.id)).toMatchObject({
        state: 'completed',
        targetQuantity: 505,
        approvals: [{ name: 'Megan Bowen' }, { name: 'Isaiah Langer' }],
        decidedBy: { name: 'Isaiah Langer' },
      });
      expect(await h.provider.appliedChanges()).toBe(1);
      const completed = (await h.orders.get(order.id))!;
      expect(outcomeText(completed, 'submitting', { locale: 'en-US' })).toMatch(
        /is complete: Megan Bowen and Isaiah Langer approved it/,
      );
    });

    it('the requester is not one of the two', async () => {
      const order = await largeOrder();
      expect(await orders.approve(as(ALEX), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'self_approval' },
      });
    });

    it('a reject by either ends it, even after the first approval; nothing is ordered', async () => {
      const order = await largeOrder();
      value(await orders.approve(as(MEGAN), order.id));
      expect(value(await orders.reject(as(ISAIAH), order.id, 'Too many'))).toMatchObject({
        state: 'rejected',
      });
      expect(await orders.approve(as(MEGAN), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'already_decided', state: 'rejected' },
      });
      await h.work.idle();
      expect(await h.provider.appliedChanges()).toBe(0);
    });

    it('Megan and Isaiah tapping at the same moment: one records the first approval, the other submits, once', async () => {
      const order = await largeOrder();
      const other = h.another({
        directory: demoAccessWith({ secondApprovalLimit: { amount: '5000.00', currency: 'USD' } }),
        settings: { maxSeatsPerOrder: 1000 },
        instanceId: 'other-instance',
      });
      const outcomes = await Promise.all([
        orders.approve(as(MEGAN), order.id),
        other.approve(as(ISAIAH), order.id),
      ]);
      expect(outcomes.map((o) => value(o).kind).sort()).toEqual(['partly_approved', 'submitting']);
      await h.work.idle();
      expect((await h.orders.get(order.id))?.state).toBe('completed');
      expect(await h.provider.appliedChanges()).toBe(1);
    });

    it('an order between the two limits needs one approver, as before', async () => {
      const draft = value(await orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30));
      const outcome = value(await orders.approve(as(ALEX), draft.id));
      expect(orderOf(outcome).approvalsRequired).toBe(1);
      expect(value(await orders.approve(as(MEGAN), orderOf(outcome).id)).kind).toBe('submitting');
    });
  });

  describe('reassigning an escalated order (Lynne Robbins: Access Admin of Contoso HQ only)', () => {
    let orders: OrderService;
    beforeEach(async () => {
      h = await serviceHarness();
      orders = h.another({ directory: demoAccessWith({}, true) });
    });

    const escalated = async (): Promise<Order> => {
      const order = await waitingOrder(orders);
      h.clock.advance(48 * HOUR);
      expect(await orders.advanceApprovalLadder()).toBe(2);
      return (await orders.get(order.id))!;
    };
    const reassignCards = async (orderId: string) =>
      (await h.messages(orderId))
        .filter((m) => m.kind === ORDER_MESSAGES.approvalCard && m.dedupe_key.includes(':reassign-'))
        .map((m) => [m.recipient, m.dedupe_key.split(':').at(-1), m.payload]);

    it('Lynne sends it to Isaiah: one fresh card (through the outbox), an audited event, every copy says so; Isaiah approves', async () => {
      const order = await escalated();
      expect(orders.reassignCandidates(LYNNE.aadObjectId, order).map((p) => p.name)).toEqual([
        'Megan Bowen',
        'Isaiah Langer',
      ]);
      const done = value(await orders.reassign(as(LYNNE), order.id, ISAIAH.aadObjectId));
      expect(done.to).toEqual({ id: ISAIAH.aadObjectId, name: 'Isaiah Langer' });
      expect(done.order.reassignments).toEqual([
        {
          to: { id: ISAIAH.aadObjectId, name: 'Isaiah Langer' },
          by: { id: LYNNE.aadObjectId, name: 'Lynne Robbins' },
          at: h.clock.now(),
        },
      ]);
      expect(await reassignCards(order.id)).toEqual([
        [ISAIAH.aadObjectId, 'reassign-1', { reassignedBy: LYNNE.aadObjectId }],
      ]);
      // A second tap sends nothing more.
      value(await orders.reassign(as(LYNNE), order.id, ISAIAH.aadObjectId));
      expect(await reassignCards(order.id)).toHaveLength(1);
      const refreshes = (await h.messages(order.id)).filter((m) => m.kind === ORDER_MESSAGES.cardsRefresh);
      expect(refreshes.length).toBeGreaterThan(0);
      const audit = await h.repository.auditTrail(order.id);
      expect(audit.filter((e) => e.action === 'approval_reassigned')).toEqual([
        expect.objectContaining({
          actor: { id: LYNNE.aadObjectId, name: 'Lynne Robbins' },
          fromState: 'pending_approval',
          toState: 'pending_approval',
          detail: expect.objectContaining({ recipient: ISAIAH.aadObjectId }),
        }),
      ]);
      expect(approvalProgressText((await orders.get(order.id))!)).toContain(
        'Reassigned to Isaiah Langer by Lynne Robbins',
      );
      expect(value(await orders.approve(as(ISAIAH), order.id)).kind).toBe('submitting');
      await h.work.idle();
      expect(await orders.reassign(as(LYNNE), order.id, MEGAN.aadObjectId)).toMatchObject({
        ok: false,
        refusal: { code: 'already_decided' },
      });
    });

    it('to someone away: the card goes to their delegate, on their behalf', async () => {
      const order = await escalated();
      value(await orders.delegations!.away(as(ISAIAH), { until: '2026-12-24', delegate: 'Megan Bowen' }));
      const done = value(await orders.reassign(as(LYNNE), order.id, ISAIAH.aadObjectId));
      expect(done.recipient).toMatchObject({ id: MEGAN.aadObjectId, onBehalfOf: { id: ISAIAH.aadObjectId } });
      expect(await reassignCards(order.id)).toEqual([
        [
          MEGAN.aadObjectId,
          'reassign-1',
          { reassignedBy: LYNNE.aadObjectId, onBehalfOf: ISAIAH.aadObjectId },
        ],
      ]);
    });

    it('bad input is answered and changes nothing', async () => {
      const order = await waitingOrder(orders);
      const refused = async (actor: TeamsUser, personId: string) => {
        const result = await orders.reassign(as(actor), order.id, personId);
        return result.ok ? 'ok' : result.refusal.code;
      };
      expect(await refused(LYNNE, ISAIAH.aadObjectId)).toBe('reassign_not_escalated');
      h.clock.advance(48 * HOUR);
      expect(await orders.advanceApprovalLadder()).toBe(2);
      expect(await refused(ISAIAH, MEGAN.aadObjectId)).toBe('reassign_not_admin');
      expect(await refused(ALEX, ISAIAH.aadObjectId)).toBe('reassign_not_admin');
      expect(await refused(LYNNE, ALEX.aadObjectId)).toBe('reassign_to_requester');
      expect(await refused(LYNNE, LYNNE.aadObjectId)).toBe('reassign_to_self');
      expect(await refused(LYNNE, ADELE.aadObjectId)).toBe('reassign_not_eligible');
      expect(await refused(LYNNE, PATTI.aadObjectId)).toBe('reassign_not_eligible');
      expect(await refused(LYNNE, '00000000-0000-4000-8000-000000000000')).toBe('reassign_unknown_person');
      expect(await refused(LYNNE, '')).toBe('reassign_unknown_person');
      expect(await reassignCards(order.id)).toEqual([]);
      expect((await orders.get(order.id))?.reassignments).toEqual([]);
      const refusal = await orders.reassign(as(LYNNE), order.id, ADELE.aadObjectId);
      expect(!refusal.ok && refusalText(refusal.refusal, DEFAULT_AUDIENCE)).toBe(
        "Adele Vance can't approve orders of billing profile **Contoso HQ**. Choose one of its approvers, or ask an Access Admin to grant them the Approver role.",
      );
    });
  });

  describe('delegates', () => {
    beforeEach(async () => {
      h = await serviceHarness();
    });

    const delegations = () => h.orders.delegations!;
    const cardsOf = async (orderId: string) =>
      (await h.messages(orderId))
        .filter((m) => m.kind === ORDER_MESSAGES.approvalCard)
        .map((m) => [m.recipient, m.payload.onBehalfOf ?? null]);

    /** Alex confirms 10 seats of Microsoft 365 E5 on Contoso EMEA (+570.00 a month): Megan approves that profile. */
    const emeaOrder = async (requester: TeamsUser = ALEX): Promise<Order> => {
      const draft = value(await h.orders.request(as(requester), SUBSCRIPTIONS.e5, 'increase', 10));
      return orderOf(value(await h.orders.approve(as(requester), draft.id)));
    };

    it("an order on Contoso EMEA during Megan's absence reaches Adele, not Megan; Adele approves on her behalf", async () => {
      value(await delegations().away(as(MEGAN), { until: '2026-12-24', delegate: 'Adele Vance' }));
      const order = await emeaOrder();
      expect(await cardsOf(order.id)).toEqual([[ADELE.aadObjectId, MEGAN.aadObjectId]]);
      expect((await h.orders.awaitingApprovalBy(ADELE.aadObjectId)).map((o) => o.id)).toEqual([order.id]);
      expect(value(await h.orders.approve(as(ADELE), order.id)).kind).toBe('submitting');
      await h.work.idle();
      expect(await h.orders.get(order.id)).toMatchObject({
        state: 'completed',
        decidedBy: { name: 'Adele Vance' },
        approvals: [{ name: 'Adele Vance', onBehalfOf: { name: 'Megan Bowen' } }],
      });
    });

    it('the reminder of an order goes to the delegate too', async () => {
      value(await delegations().away(as(MEGAN), { until: '2026-12-24', delegate: 'Adele Vance' }));
      const order = await emeaOrder();
      h.clock.advance(24 * HOUR);
      expect(await h.orders.advanceApprovalLadder()).toBe(1);
      expect((await cardsOf(order.id)).map(([to]) => to)).toEqual([ADELE.aadObjectId, ADELE.aadObjectId]);
    });

    it('never the requester: an order Adele requested stays with Megan, and Adele cannot approve it', async () => {
      value(await delegations().away(as(MEGAN), { until: '2026-12-24', delegate: 'Adele Vance' }));
      const order = await emeaOrder(ADELE);
      expect(await cardsOf(order.id)).toEqual([[MEGAN.aadObjectId, null]]);
      expect(await h.orders.approve(as(ADELE), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'self_approval' },
      });
    });

    it('only where the delegate holds a role: a Contoso HQ order still goes to Megan and Isaiah; Adele may not approve it', async () => {
      value(await delegations().away(as(MEGAN), { until: '2026-12-24', delegate: 'Adele Vance' }));
      const order = await waitingOrder();
      expect((await cardsOf(order.id)).map(([to]) => to)).toEqual([MEGAN.aadObjectId, ISAIAH.aadObjectId]);
      expect(await h.orders.approve(as(ADELE), order.id)).toMatchObject({
        ok: false,
        refusal: { code: 'not_approver' },
      });
    });

    it('ends with back, or after the last day', async () => {
      value(await delegations().away(as(MEGAN), { until: '2026-11-27', delegate: 'Adele Vance' }));
      expect(value(await delegations().back(as(MEGAN))).delegate.name).toBe('Adele Vance');
      expect(await delegations().back(as(MEGAN))).toMatchObject({ ok: false, refusal: { code: 'not_away' } });
      expect(await cardsOf((await emeaOrder()).id)).toEqual([[MEGAN.aadObjectId, null]]);

      value(await delegations().away(as(MEGAN), { until: '2026-11-27', delegate: 'Adele Vance' }));
      expect(await cardsOf((await emeaOrder()).id)).toEqual([[ADELE.aadObjectId, MEGAN.aadObjectId]]);
      h.clock.advance(2 * 24 * HOUR);
      const later = await emeaOrder();
      expect(await cardsOf(later.id)).toEqual([[MEGAN.aadObjectId, null]]);
      expect(await h.orders.approve(as(ADELE), later.id)).toMatchObject({
        ok: false,
        refusal: { code: 'not_approver' },
      });
    });

    it('bad input changes nothing', async () => {
      expect(
        await delegations().away(as(ALEX), { until: '2026-12-24', delegate: 'Adele Vance' }),
      ).toMatchObject({
        ok: false,
        refusal: { code: 'away_approves_nothing' },
      });
      expect(
        await delegations().away(as(MEGAN), { until: '2025-12-24', delegate: 'Adele Vance' }),
      ).toMatchObject({
        ok: false,
        refusal: { code: 'away_date_invalid', problem: 'past' },
      });
      expect(await delegations().active()).toEqual([]);
      expect(await cardsOf((await emeaOrder()).id)).toEqual([[MEGAN.aadObjectId, null]]);
    });
  });
});
