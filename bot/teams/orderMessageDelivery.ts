import type { ConversationReference, TurnContext } from 'botbuilder';
import type { Order, OrderState } from '../domain/order';
import { parseRetryAfterMs } from '../infrastructure/providers/partnerCenter/retryAfter';
import { ORDER_MESSAGES } from '../services/orderMessages';
import type { DeliveryContext, DeliveryResult, MessageHandler, QueuedMessage } from '../services/outbox';
import type { Clock } from '../services/ports';
import { channelKey, type CardAudience, type CardCopy, type ConversationStore } from './conversationStore';
import { cardActivity, type OrderCards } from './orderCards';
import type { ProactiveMessenger } from './proactiveMessenger';
import { DEFAULT_AUDIENCE, type Audience } from './presenters/format';
import type { OrderCardOptions } from './presenters/orderCardPresenter';
import { approvalStepText, onBehalfText, reassignedToYouText } from './presenters/approvalText';
import { approvalRoutedText, outcomeText } from './presenters/outcomeText';

type Reference = Partial<ConversationReference>;

export interface OrderMessageDeliveryDependencies {
  /** Reads the order as it is now: every message is rendered at delivery. */
  readonly order: (orderId: string) => Promise<Order | undefined>;
  readonly cards: OrderCards;
  readonly messenger: ProactiveMessenger;
  readonly conversations: ConversationStore;
  readonly clock: Clock;
  /** A person's name by Entra object id (the approver a delegate decides for). */
  readonly personName: (id: string) => string | undefined;
}

/**
 * Delivers the outbox's order messages to Teams (README: Reliability): approval cards to approvers' personal
 * chats (opened if needed, learning members of the order's shared conversations), the approvals channel's
 * card, updates of every card copy, and what the requester is told. Each renders the order as it is when
 * delivered, in the reader's language, and is idempotent: a message that was sent and recorded is updated, not
 * sent again; an approval card for an order decided meanwhile is not sent at all.
 */
export class OrderMessageDelivery {
  constructor(private readonly deps: OrderMessageDeliveryDependencies) {}

  handlers(): Record<string, MessageHandler> {
    const guarded =
      (
        deliver: (message: QueuedMessage, order: Order, context: DeliveryContext) => Promise<DeliveryResult>,
      ) =>
      async (message: QueuedMessage, context: DeliveryContext): Promise<DeliveryResult> => {
        try {
          const order = message.orderId ? await this.deps.order(message.orderId) : undefined;
          if (!order) return { status: 'failed', reason: 'order_not_found' };
          return await deliver(message, order, context);
        } catch (error) {
          return connectorFailure(error, this.deps.clock.now());
        }
      };
    return {
      [ORDER_MESSAGES.approvalCard]: guarded((m, o, c) => this.approvalCard(m, o, c)),
      [ORDER_MESSAGES.channelCard]: guarded((m, o, c) => this.channelCard(m, o, c)),
      [ORDER_MESSAGES.cardUpdate]: guarded((m, o) => this.cardUpdate(m, o)),
      [ORDER_MESSAGES.outcome]: guarded((m, o, c) =>
        this.tellRequester(m, c, (view) => outcomeText(o, String(m.payload.from) as OrderState, view)),
      ),
      [ORDER_MESSAGES.approvalStep]: guarded((m, o, c) =>
        this.tellRequester(m, c, (view) => approvalStepText(o, Number(m.payload.step), view)),
      ),
      [ORDER_MESSAGES.noApproverReached]: guarded((m, o, c) =>
        o.state === 'pending_approval'
          ? this.tellRequester(m, c, (view) => approvalRoutedText(o, [], m.payload.channel === true, view))
          : Promise.resolve({ status: 'superseded', reason: `order is ${o.state}` }),
      ),
    };
  }

  private async approvalCard(
    message: QueuedMessage,
    order: Order,
    context: DeliveryContext,
  ): Promise<DeliveryResult> {
    const sent = await this.updateSent(message, order);
    if (sent) return sent;
    if (order.state !== 'pending_approval')
      return { status: 'superseded', reason: `order is ${order.state}` };
    const chat = await this.reach(message.recipient, order);
    if (!chat) return { status: 'failed', reason: 'recipient_unreachable' };
    const principal =
      typeof message.payload.onBehalfOf === 'string'
        ? this.deps.personName(message.payload.onBehalfOf)
        : undefined;
    // The approver's own chat: their locale, as stored with its conversation reference.
    const view = audienceOf(chat);
    const away = principal ? onBehalfText(principal, view) : '';
    const reassigned =
      typeof message.payload.reassignedBy === 'string'
        ? reassignedToYouText(this.deps.personName(message.payload.reassignedBy), view)
        : '';
    const alert = [reassigned, away].filter((t) => t !== '').join(' ');
    return this.postCard(
      chat,
      order,
      'approver',
      context,
      alert ? { alert: { text: alert, style: 'accent' } } : {},
      message.recipient,
    );
  }

  private async channelCard(
    message: QueuedMessage,
    order: Order,
    context: DeliveryContext,
  ): Promise<DeliveryResult> {
    const sent = await this.updateSent(message, order);
    if (sent) return sent;
    if (order.state !== 'pending_approval')
      return { status: 'superseded', reason: `order is ${order.state}` };
    const channel = await this.channelReference(message.recipient, order.id);
    if (!channel) return { status: 'failed', reason: 'channel_unknown' };
    return this.postCard(channel, order, 'shared', context);
  }

  /** One copy of the order's card, as the order is now, for the people who see it. */
  private async cardUpdate(message: QueuedMessage, order: Order): Promise<DeliveryResult> {
    const copy = message.activityId
      ? await this.deps.conversations.card(order.id, message.recipient, message.activityId)
      : undefined;
    if (!copy) return { status: 'failed', reason: 'card_copy_unknown' };
    await this.update(copy.reference, copy.activityId, order, copy.audience);
    return { status: 'delivered' };
  }

  /** A message in the requester's personal chat; nothing when `text` has nothing to say. */
  private async tellRequester(
    message: QueuedMessage,
    context: DeliveryContext,
    text: (view: Audience) => string | undefined,
  ): Promise<DeliveryResult> {
    // Sent and recorded by an earlier attempt: done (a text message is never sent twice).
    if (message.activityId) return { status: 'delivered' };
    if (text(DEFAULT_AUDIENCE) === undefined) return { status: 'superseded', reason: 'nothing to tell' };
    const chat = await this.deps.messenger.personalChat(message.recipient);
    if (!chat) return { status: 'failed', reason: 'recipient_unreachable' };
    await this.deps.messenger.inConversation(chat, async (turn) => {
      const response = await turn.sendActivity(text(audienceOf(chat)) ?? '');
      if (response?.id)
        await context.recordSent({ activityId: response.id, conversationId: turn.activity.conversation.id });
    });
    return { status: 'delivered' };
  }

  /** An earlier attempt sent the card and recorded it (then died): update it to the order as it is now. */
  private async updateSent(message: QueuedMessage, order: Order): Promise<DeliveryResult | undefined> {
    if (!message.activityId || !message.conversationId) return undefined;
    const copy = await this.deps.conversations.card(order.id, message.conversationId, message.activityId);
    if (!copy) return undefined;
    await this.update(copy.reference, copy.activityId, order, copy.audience);
    return { status: 'delivered' };
  }

  private async postCard(
    reference: Reference,
    order: Order,
    audience: CardAudience,
    context: DeliveryContext,
    extra: Partial<OrderCardOptions> = {},
    viewerId?: string,
  ): Promise<DeliveryResult> {
    await this.deps.messenger.inConversation(reference, async (turn) => {
      const copy = await this.deps.cards.post(turn, order, audience, audienceOf(reference), extra, viewerId);
      if (!copy) return;
      await context.recordSent({
        activityId: copy.activityId,
        conversationId: turn.activity.conversation.id,
        cardCopy: {
          orderId: order.id,
          audience,
          reference: copy.reference,
          renderedVersion: order.version,
        },
      });
    });
    return { status: 'delivered' };
  }

  private async update(reference: Reference, activityId: string, order: Order, audience: CardAudience) {
    // An approver's copy is in their personal chat: their own view (Reassign for an Access Admin of an escalated order).
    const viewerId = audience === 'approver' ? reference.user?.aadObjectId : undefined;
    const card = await this.deps.cards.render(order, audience, audienceOf(reference), {}, viewerId);
    await this.deps.messenger.inConversation(reference, async (turn: TurnContext) => {
      await turn.updateActivity({ ...cardActivity(card), id: activityId });
    });
  }

  /**
   * A person's personal chat. Someone who never chatted with the bot may share a group chat or team where the
   * order's card was posted: learn that conversation's members, then open a chat with them.
   */
  private async reach(aadObjectId: string, order: Order): Promise<Reference | undefined> {
    const { messenger, conversations } = this.deps;
    const known = await messenger.personalChat(aadObjectId);
    if (known) return known;
    const shared = (await conversations.cardsFor(order.id)).filter((c) => c.audience === 'shared');
    for (const copy of shared) await messenger.learnMembers(copy.reference);
    return shared.length > 0 ? messenger.personalChat(aadObjectId) : undefined;
  }

  /** The approvals channel as the bot saw it, or addressed through the service the order's cards came from. */
  private async channelReference(channelId: string, orderId: string): Promise<Reference | undefined> {
    const seen = await this.deps.conversations.reference(channelKey(channelId));
    if (seen) return seen;
    const copies: CardCopy[] = await this.deps.conversations.cardsFor(orderId);
    const any = copies[0]?.reference;
    if (!any?.serviceUrl) return undefined;
    return {
      channelId: any.channelId,
      serviceUrl: any.serviceUrl,
      bot: any.bot,
      conversation: {
        id: channelId,
        isGroup: true,
        conversationType: 'channel',
        tenantId: any.conversation?.tenantId,
        name: '',
      },
    };
  }
}

function audienceOf(reference: Reference): Audience {
  return { locale: reference.locale || DEFAULT_AUDIENCE.locale };
}

/**
 * What a failed call to the Bot Connector means for the message: throttled (429, honouring Retry-After), down,
 * slow or timed out (retried), or refused for good (the bot was removed, the conversation is gone: undeliverable).
 */
export function connectorFailure(error: unknown, now: Date): DeliveryResult {
  const { statusCode, code, name, retryAfter } = errorFacts(error);
  if (statusCode === 429)
    return {
      status: 'retry',
      reason: 'connector_http_429',
      retryAfterMs: parseRetryAfterMs(retryAfter, now),
    };
  if (statusCode !== undefined && [400, 403, 404, 410, 413].includes(statusCode))
    return { status: 'failed', reason: `connector_http_${statusCode}` };
  if (statusCode !== undefined) return { status: 'retry', reason: `connector_http_${statusCode}` };
  return { status: 'retry', reason: `connector_${code ?? name ?? 'error'}` };
}

/** The fields of a connector error (RestError from @azure/core-rest-pipeline, or a network error), read safely. */
function errorFacts(error: unknown): {
  statusCode?: number;
  code?: string;
  name?: string;
  retryAfter?: string;
} {
  if (typeof error !== 'object' || error === null) return {};
  const e = error as {
    statusCode?: unknown;
    code?: unknown;
    name?: unknown;
    response?: { headers?: { get?: (name: string) => string | undefined } };
  };
  const retryAfter =
    typeof e.response?.headers?.get === 'function' ? e.response.headers.get('retry-after') : undefined;
  return {
    statusCode: typeof e.statusCode === 'number' ? e.statusCode : undefined,
    code: typeof e.code === 'string' ? e.code : undefined,
    name: typeof e.name === 'string' ? e.name : undefined,
    retryAfter,
  };
}
