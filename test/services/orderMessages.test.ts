import type { Order } from '../../bot/domain/order';
import type { Result } from '../../bot/domain/refusal';
import {
  ACTIVITY_TYPES,
  approvalRoutingHandler,
  ORDER_MESSAGES,
  withActivityFeed,
} from '../../bot/services/orderMessages';
import type { OutboxMessage } from '../../bot/services/outbox';
import type { Requester } from '../../bot/services/orderService';
import { ALEX, ISAIAH, MEGAN, SUBSCRIPTIONS, TENANT_ID, type TeamsUser } from '../support/demoUsers';
import { serviceHarness, type ServiceHarness } from '../support/services';

const as = (user: TeamsUser): Requester => ({ id: user.aadObjectId, name: user.name, tenantId: TENANT_ID });

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got refusal ${result.refusal.code}`);
  return result.value;
}

describe('what each transition queues in the outbox (same statement as the transition)', () => {
  let h: ServiceHarness;
  beforeEach(async () => {
    h = await serviceHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  /** Alex confirms 30 seats of Office 365 E3 (+690.00 a month): it waits for an approver. */
  async function waiting(): Promise<Order> {
    const order = value(await h.orders.request(as(ALEX), SUBSCRIPTIONS.e3, 'increase', 30));
    value(await h.orders.approve(as(ALEX), order.id));
    return order;
  }
  const summary = async (orderId: string) =>
    (await h.messages(orderId)).map((m) => `${m.kind} ${m.recipient_kind}:${m.recipient}`);

  it('a confirmation above the limit: an approval card per approver, the routing, every card copy refreshed', async () => {
    const order = await waiting();
    expect(await summary(order.id)).toEqual([
      `order.cards_refresh card_copies:${order.id}`,
      `order.approval_card person:${MEGAN.aadObjectId}`,
      `order.approval_card person:${ISAIAH.aadObjectId}`,
      `order.approval_routing person:${ALEX.aadObjectId}`,
    ]);
    const payloads = (await h.messages(order.id)).map((m) => m.payload);
    // Codes and ids only: the words are made when a message is delivered.
    expect(JSON.stringify(payloads)).not.toMatch(/[A-Za-z]{3,} [A-Za-z]{3,}/);
  });

  it('an approval by someone else that completes: the requester is told, once', async () => {
    const order = await waiting();
    value(await h.orders.approve(as(MEGAN), order.id));
    await h.work.idle();
    const outcome = (await h.messages(order.id)).filter((m) => m.kind === ORDER_MESSAGES.outcome);
    expect(outcome).toEqual([
      expect.objectContaining({
        recipient: ALEX.aadObjectId,
        dedupe_key: `order:${order.id}:outcome`,
        payload: { state: 'completed', from: 'submitting' },
      }),
    ]);
    // One row refreshes every copy, re-armed by each transition: confirmed, approved, completed.
    const refresh = (await h.messages(order.id)).filter((m) => m.kind === ORDER_MESSAGES.cardsRefresh);
    expect(refresh.map((m) => m.generation)).toEqual([3]);
  });

  it.each([
    ['rejected', async (o: Order) => h.orders.reject(as(MEGAN), o.id, 'Not this quarter'), true],
    ['cancelled by the requester', async (o: Order) => h.orders.cancel(as(ALEX), o.id), false],
  ])('%s: the requester told = %s', async (_, decide, told) => {
    const order = await waiting();
    value(await decide(order));
    const kinds = (await h.messages(order.id)).map((m) => m.kind);
    expect(kinds.includes(ORDER_MESSAGES.outcome)).toBe(told);
  });

  it('expiry tells the requester of an order that waited for approval, not of an unconfirmed draft', async () => {
    const pending = await waiting();
    const draft = value(await h.orders.request(as(ALEX), SUBSCRIPTIONS.businessStandard, 'increase', 2));
    h.clock.advance(8 * 24 * 60 * 60 * 1000);
    expect(await h.orders.expireOverdue()).toBe(2);
    expect((await h.messages(pending.id)).map((m) => m.kind)).toContain(ORDER_MESSAGES.outcome);
    expect((await h.messages(draft.id)).map((m) => m.kind)).not.toContain(ORDER_MESSAGES.outcome);
  });

  describe('the approval routing', () => {
    const route = (channel?: string) =>
      approvalRoutingHandler(h.outbox, h.clock, { giveUpMs: 60_000, approvalsChannelId: channel });
    const routingMessage = async (orderId: string) => {
      const [claimed] = (await h.outbox.claimDue('w', h.clock.now(), h.clock.now(), 50)).filter(
        (m) => m.kind === ORDER_MESSAGES.approvalRouting && m.orderId === orderId,
      );
      return claimed;
    };
    const setCards = (orderId: string, state: string) =>
      h.db.query(`UPDATE outbox SET state = $2 WHERE order_id = $1 AND kind = 'order.approval_card'`, [
        orderId,
        state,
      ]);
    const recordContext = { recordSent: async () => undefined };

    it('waits while approval cards are still being tried', async () => {
      const order = await waiting();
      const result = await route()(await routingMessage(order.id), recordContext);
      expect(result.status).toBe('retry');
    });

    it('nobody reached: the card goes to the approvals channel and the requester is told', async () => {
      const order = await waiting();
      await setCards(order.id, 'failed');
      expect(await route('19:approvals@thread.tacv2')(await routingMessage(order.id), recordContext)).toEqual(
        {
          status: 'delivered',
        },
      );
      expect(await summary(order.id)).toEqual(
        expect.arrayContaining([
          `order.approval_channel_card conversation:19:approvals@thread.tacv2`,
          `order.no_approver_reached person:${ALEX.aadObjectId}`,
        ]),
      );
    });

    it('an approver has the card: nothing more', async () => {
      const order = await waiting();
      await setCards(order.id, 'delivered');
      await route('19:approvals@thread.tacv2')(await routingMessage(order.id), recordContext);
      expect((await h.messages(order.id)).map((m) => m.kind)).not.toContain(ORDER_MESSAGES.channelCard);
    });
  });
});

describe('withActivityFeed: a feed notification beside each approval card and outcome (README: Activity feed)', () => {
  const base = {
    orderId: 'o1',
    dueAt: new Date('2026-11-26T09:00:00Z'),
    deliverBy: new Date('2026-11-27T09:00:00Z'),
  };
  const card = (step: number | undefined, onBehalfOf?: string): OutboxMessage => ({
    ...base,
    kind: ORDER_MESSAGES.approvalCard,
    recipient: { kind: 'person', id: 'megan' },
    dedupeKey: `order:o1:approval-card:megan${step ? `:step-${step}` : ''}`,
    payload: { ...(step ? { step } : {}), ...(onBehalfOf ? { onBehalfOf } : {}) },
  });

  it('maps the request and each step of the ladder to its activity type, keyed once per step', () => {
    const messages = withActivityFeed([card(undefined, 'isaiah'), card(1), card(2), card(3)]);
    const feed = messages.filter((m) => m.kind === ORDER_MESSAGES.activityFeed);
    expect(feed.map((m) => [m.dedupeKey, m.payload.activityType, m.recipient])).toEqual([
      ['order:o1:approval-card:megan:feed', 'approvalRequested', { kind: 'person', id: 'megan' }],
      ['order:o1:approval-card:megan:step-1:feed', 'approvalReminder', { kind: 'person', id: 'megan' }],
      ['order:o1:approval-card:megan:step-2:feed', 'approvalEscalated', { kind: 'person', id: 'megan' }],
      ['order:o1:approval-card:megan:step-3:feed', 'approvalLastCall', { kind: 'person', id: 'megan' }],
    ]);
    expect(feed[0].payload).toEqual({ onBehalfOf: 'isaiah', activityType: 'approvalRequested' });
    expect(new Set(Object.values(ACTIVITY_TYPES))).toEqual(
      new Set([...feed.map((m) => m.payload.activityType), 'orderOutcome']),
    );
  });

  it('the outcome to the requester gets one; card refreshes, routing and ladder steps to the requester do not', () => {
    const messages = withActivityFeed([
      {
        ...base,
        kind: ORDER_MESSAGES.cardsRefresh,
        recipient: { kind: 'card_copies', orderId: 'o1' },
        dedupeKey: 'order:o1:cards',
        rearm: true,
        payload: {},
      },
      {
        ...base,
        kind: ORDER_MESSAGES.approvalStep,
        recipient: { kind: 'person', id: 'alex' },
        dedupeKey: 'order:o1:approval-step-1',
        payload: { step: 1 },
      },
      {
        ...base,
        kind: ORDER_MESSAGES.outcome,
        recipient: { kind: 'person', id: 'alex' },
        dedupeKey: 'order:o1:outcome',
        payload: { state: 'rejected', from: 'pending_approval' },
      },
    ]);
    expect(messages.map((m) => m.kind)).toEqual([
      ORDER_MESSAGES.cardsRefresh,
      ORDER_MESSAGES.approvalStep,
      ORDER_MESSAGES.outcome,
      ORDER_MESSAGES.activityFeed,
    ]);
    expect(messages[3]).toMatchObject({
      dedupeKey: 'order:o1:outcome:feed',
      recipient: { kind: 'person', id: 'alex' },
      payload: { state: 'rejected', from: 'pending_approval', activityType: 'orderOutcome' },
    });
  });
});
