import type { ApprovalRecipient } from '../domain/delegation';
import { isFinal, type Order, type OrderState } from '../domain/order';
import type { MessageHandler, OutboxMessage, OutboxStore } from './outbox';
import type { Clock } from './ports';

/** The kinds of message an order causes; each has one handler (here, or in bot/teams/orderMessageDelivery.ts). */
export const ORDER_MESSAGES = {
  /** An approval card to one approver's personal chat (opened if needed). One per approver per order. */
  approvalCard: 'order.approval_card',
  /** Once the approval cards are out or given up: if nobody was reached, the channel and the requester. */
  approvalRouting: 'order.approval_routing',
  /** The approval card in the approvals channel, when no approver could be reached personally. */
  channelCard: 'order.approval_channel_card',
  /** Tells the requester that no approver could be reached (and whether the channel got the card). */
  noApproverReached: 'order.no_approver_reached',
  /** Every copy of the order's card is to show the order as it is now (expands into one update per copy). */
  cardsRefresh: 'order.cards_refresh',
  /** One copy of the order's card, updated to the order as it is when delivered. */
  cardUpdate: 'order.card_update',
  /** Tells the requester how their order ended (or that it expired waiting). */
  outcome: 'order.outcome',
  /**
   * Tells whoever asked for the seats in a license request how the order made from it ended (completed, failed,
   * rejected, expired or cancelled). Delivered with the request's messages (bot/teams/requestMessageDelivery.ts).
   */
  requestOrderOutcome: 'request.order_outcome',
  /** Tells the requester a step of the reminder ladder was taken (payload: step). */
  approvalStep: 'order.approval_step',
  /**
   * A notification in a person's Teams activity feed, beside an approval card or an outcome message, when the
   * activity feed is on (README: Activity feed). Payload: activityType, and the chat message's own payload.
   */
  activityFeed: 'order.activity_feed',
} as const;

/**
 * The activity types License Desk posts to the Teams activity feed; manifest/manifest.template.json declares each
 * one (`activities.activityTypes`) with its template text.
 */
export const ACTIVITY_TYPES = {
  approvalRequested: 'approvalRequested',
  approvalReminder: 'approvalReminder',
  approvalEscalated: 'approvalEscalated',
  approvalLastCall: 'approvalLastCall',
  orderOutcome: 'orderOutcome',
} as const;

export type ActivityType = (typeof ACTIVITY_TYPES)[keyof typeof ACTIVITY_TYPES];

/** The activity type of an approval card by the step of the reminder ladder it belongs to (0: the request). */
const APPROVAL_ACTIVITY_BY_STEP: Readonly<Record<number, ActivityType>> = {
  0: ACTIVITY_TYPES.approvalRequested,
  1: ACTIVITY_TYPES.approvalReminder,
  2: ACTIVITY_TYPES.approvalEscalated,
  3: ACTIVITY_TYPES.approvalLastCall,
};

/**
 * Adds an activity feed notification beside each approval card (the request and each step of the reminder
 * ladder) and each outcome message to the requester (README: Activity feed). Same recipient, same order; its
 * dedupe key is the chat message's with `:feed`, so it is queued once per step, like the card.
 */
export function withActivityFeed(messages: readonly OutboxMessage[]): OutboxMessage[] {
  return messages.flatMap((message) => {
    const activityType =
      message.kind === ORDER_MESSAGES.approvalCard
        ? APPROVAL_ACTIVITY_BY_STEP[Number(message.payload.step ?? 0)]
        : message.kind === ORDER_MESSAGES.outcome
          ? ACTIVITY_TYPES.orderOutcome
          : undefined;
    if (!activityType) return [message];
    return [
      message,
      {
        ...message,
        kind: ORDER_MESSAGES.activityFeed,
        dedupeKey: `${message.dedupeKey}:feed`,
        payload: { ...message.payload, activityType },
      },
    ];
  });
}

export interface MessageTiming {
  readonly now: Date;
  /** How long a message is tried before it is marked undeliverable. */
  readonly giveUpMs: number;
}

/**
 * The messages one transition of an order causes, written in the same statement as the transition: every copy
 * of its card updated; on confirmation above the approval limit, an approval card to each approver and the
 * routing that falls back to the approvals channel; the requester told the outcome when the card they tapped
 * did not already tell them. Payloads hold codes and ids only.
 */
export function messagesForTransition(
  moved: Order,
  from: OrderState,
  timing: MessageTiming,
  approvers: readonly ApprovalRecipient[] = [],
): OutboxMessage[] {
  const { now, giveUpMs } = timing;
  const deliverBy = new Date(now.getTime() + giveUpMs);
  const base = { orderId: moved.id, dueAt: now, deliverBy };
  const messages: OutboxMessage[] = [
    {
      ...base,
      kind: ORDER_MESSAGES.cardsRefresh,
      recipient: { kind: 'card_copies', orderId: moved.id },
      dedupeKey: `order:${moved.id}:cards`,
      rearm: true,
      payload: {},
    },
  ];
  if (from === 'draft' && moved.state === 'pending_approval') {
    for (const approver of approvers) {
      messages.push({
        ...base,
        kind: ORDER_MESSAGES.approvalCard,
        recipient: { kind: 'person', id: approver.id },
        dedupeKey: `order:${moved.id}:approval-card:${approver.id}`,
        payload: approver.onBehalfOf ? { onBehalfOf: approver.onBehalfOf.id } : {},
      });
    }
    messages.push({
      ...base,
      // Decides after the cards' own deadline at the latest.
      deliverBy: new Date(now.getTime() + 2 * giveUpMs),
      kind: ORDER_MESSAGES.approvalRouting,
      recipient: { kind: 'person', id: moved.requester.id },
      dedupeKey: `order:${moved.id}:approval-routing`,
      payload: {},
    });
  }
  if (tellsRequester(moved, from)) {
    messages.push({
      ...base,
      kind: ORDER_MESSAGES.outcome,
      recipient: { kind: 'person', id: moved.requester.id },
      dedupeKey: `order:${moved.id}:outcome`,
      payload: { state: moved.state, from },
    });
  }
  const request = moved.licenseRequest;
  if (request && isFinal(moved.state)) {
    // One per request: an order ends once, and the key keeps a second queueing out.
    messages.push({
      ...base,
      orderId: null,
      kind: ORDER_MESSAGES.requestOrderOutcome,
      recipient: { kind: 'person', id: request.requesterId },
      dedupeKey: `request:${request.id}:order-outcome`,
      payload: { requestId: request.id, orderId: moved.id, state: moved.state },
    });
  }
  return messages;
}

/**
 * The messages of one step of the reminder ladder (bot/domain/approvalPolicy.ts), written with its step marker:
 * a fresh approval card to each recipient (keyed by step, so a step never sends one twice), every older copy
 * updated (it now says the reminder was sent), and the requester told.
 */
export function messagesForApprovalStep(
  order: Order,
  step: number,
  recipients: readonly ApprovalRecipient[],
  timing: MessageTiming,
): OutboxMessage[] {
  const { now, giveUpMs } = timing;
  const base = { orderId: order.id, dueAt: now, deliverBy: new Date(now.getTime() + giveUpMs) };
  return [
    {
      ...base,
      kind: ORDER_MESSAGES.cardsRefresh,
      recipient: { kind: 'card_copies', orderId: order.id },
      dedupeKey: `order:${order.id}:cards`,
      rearm: true,
      payload: {},
    },
    ...recipients.map((person): OutboxMessage => ({
      ...base,
      kind: ORDER_MESSAGES.approvalCard,
      recipient: { kind: 'person', id: person.id },
      dedupeKey: `order:${order.id}:approval-card:${person.id}:step-${step}`,
      payload: person.onBehalfOf ? { step, onBehalfOf: person.onBehalfOf.id } : { step },
    })),
    {
      ...base,
      kind: ORDER_MESSAGES.approvalStep,
      recipient: { kind: 'person', id: order.requester.id },
      dedupeKey: `order:${order.id}:approval-step-${step}`,
      payload: { step, recipients: recipients.length },
    },
  ];
}

/**
 * The messages of a reassignment (bot/domain/approvalPolicy.ts), written with it: a fresh approval card to the
 * new approver (or their delegate), keyed by the reassignment's number so it goes out once, and every older copy
 * updated (it now says to whom the order was reassigned).
 */
export function messagesForReassignment(
  order: Order,
  reassignment: number,
  recipient: ApprovalRecipient,
  by: { readonly id: string },
  timing: MessageTiming,
): OutboxMessage[] {
  const { now, giveUpMs } = timing;
  const base = { orderId: order.id, dueAt: now, deliverBy: new Date(now.getTime() + giveUpMs) };
  return [
    {
      ...base,
      kind: ORDER_MESSAGES.cardsRefresh,
      recipient: { kind: 'card_copies', orderId: order.id },
      dedupeKey: `order:${order.id}:cards`,
      rearm: true,
      payload: {},
    },
    {
      ...base,
      kind: ORDER_MESSAGES.approvalCard,
      recipient: { kind: 'person', id: recipient.id },
      dedupeKey: `order:${order.id}:approval-card:${recipient.id}:reassign-${reassignment}`,
      payload: {
        reassignedBy: by.id,
        ...(recipient.onBehalfOf ? { onBehalfOf: recipient.onBehalfOf.id } : {}),
      },
    },
  ];
}

/** What an approval that does not complete the set causes: every copy of the card shows it. */
export function messagesForPartialApproval(order: Order, timing: MessageTiming): OutboxMessage[] {
  const { now, giveUpMs } = timing;
  return [
    {
      orderId: order.id,
      dueAt: now,
      deliverBy: new Date(now.getTime() + giveUpMs),
      kind: ORDER_MESSAGES.cardsRefresh,
      recipient: { kind: 'card_copies', orderId: order.id },
      dedupeKey: `order:${order.id}:cards`,
      rearm: true,
      payload: {},
    },
  ];
}

/**
 * Whether the requester gets a message about this transition: how it ended, unless the card they tapped already
 * said so (they approved it themselves and it completed; they cancelled it; a draft they never confirmed expired).
 */
function tellsRequester(
  moved: Pick<Order, 'state' | 'decidedBy' | 'requester' | 'outcome'>,
  from: OrderState,
): boolean {
  switch (moved.state) {
    case 'completed':
      // A scheduled reduction that Microsoft deleted and that could not come back is always said.
      return (
        (moved.decidedBy !== null && moved.decidedBy.id !== moved.requester.id) ||
        moved.outcome === 'scheduled_not_restored'
      );
    case 'failed':
    case 'rejected':
      return true;
    case 'expired':
      return from === 'pending_approval';
    default:
      return false;
  }
}

/** Expands an order's `cardsRefresh` into one update per copy of its card (each retried on its own). */
export function cardsRefreshHandler(store: OutboxStore, clock: Clock, giveUpMs: number): MessageHandler {
  return async (message) => {
    if (!message.orderId) return { status: 'failed', reason: 'no order' };
    const now = clock.now();
    await store.expandCardCopies(message.orderId, now, new Date(now.getTime() + giveUpMs));
    return { status: 'delivered' };
  };
}

/**
 * After the approval cards of an order went out or were given up: if no approver got one, the card goes to the
 * approvals channel (when one is configured) and the requester is told. Waits while a card is still being tried.
 */
export function approvalRoutingHandler(
  store: OutboxStore,
  clock: Clock,
  settings: { readonly giveUpMs: number; readonly approvalsChannelId?: string },
): MessageHandler {
  return async (message) => {
    const orderId = message.orderId;
    if (!orderId) return { status: 'failed', reason: 'no order' };
    const cards = await store.statesOf(orderId, ORDER_MESSAGES.approvalCard);
    if (cards.some((c) => c.state === 'pending'))
      return { status: 'retry', reason: 'approval cards are still being delivered' };
    // Delivered: an approver has it. Superseded: the order was decided before the card could go out.
    if (cards.some((c) => c.state !== 'failed')) return { status: 'delivered' };
    const now = clock.now();
    const base = { orderId, dueAt: now, deliverBy: new Date(now.getTime() + settings.giveUpMs), payload: {} };
    const channel = settings.approvalsChannelId;
    const messages: OutboxMessage[] = [
      {
        ...base,
        kind: ORDER_MESSAGES.noApproverReached,
        recipient: { kind: 'person', id: message.recipient },
        dedupeKey: `order:${orderId}:no-approver-reached`,
        payload: { channel: channel !== undefined },
      },
    ];
    if (channel) {
      messages.unshift({
        ...base,
        kind: ORDER_MESSAGES.channelCard,
        recipient: { kind: 'conversation', key: channel },
        dedupeKey: `order:${orderId}:approval-channel`,
      });
    }
    await store.enqueue(messages, now);
    return { status: 'delivered' };
  };
}
