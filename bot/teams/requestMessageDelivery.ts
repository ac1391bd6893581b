import type { LicenseRequest } from '../domain/licenseRequest';
import type { Order } from '../domain/order';
import { ORDER_MESSAGES } from '../services/orderMessages';
import { REQUEST_MESSAGES } from '../services/licenseRequests';
import type { DeliveryContext, DeliveryResult, MessageHandler, QueuedMessage } from '../services/outbox';
import type { Clock } from '../services/ports';
import { cardActivity } from './orderCards';
import { connectorFailure } from './orderMessageDelivery';
import type { ProactiveMessenger } from './proactiveMessenger';
import { DEFAULT_AUDIENCE } from './presenters/format';
import { requestCardFor, requestOrderOutcomeText, requestOutcomeText } from './presenters/requestPresenter';

export interface RequestMessageDeliveryDependencies {
  /** Reads the request as it is now: every message is rendered at delivery. */
  readonly request: (requestId: string) => Promise<LicenseRequest | undefined>;
  /** Reads an order as it is now (the one made from a request). */
  readonly order: (orderId: string) => Promise<Order | undefined>;
  readonly messenger: ProactiveMessenger;
  readonly clock: Clock;
}

/**
 * Delivers the outbox's license request messages to Teams (README: Reliability): the request's card to each
 * Licenses Manager's personal chat, and what its requester is told. A message recorded as sent is not sent again.
 */
export class RequestMessageDelivery {
  constructor(private readonly deps: RequestMessageDeliveryDependencies) {}

  handlers(): Record<string, MessageHandler> {
    const guarded =
      (
        deliver: (
          message: QueuedMessage,
          request: LicenseRequest,
          context: DeliveryContext,
        ) => Promise<DeliveryResult>,
      ) =>
      async (message: QueuedMessage, context: DeliveryContext): Promise<DeliveryResult> => {
        try {
          // Sent and recorded by an earlier attempt: done (never sent twice).
          if (message.activityId) return { status: 'delivered' };
          const id = message.payload.requestId;
          const request = typeof id === 'string' ? await this.deps.request(id) : undefined;
          if (!request) return { status: 'failed', reason: 'request_not_found' };
          return await deliver(message, request, context);
        } catch (error) {
          return connectorFailure(error, this.deps.clock.now());
        }
      };
    return {
      [REQUEST_MESSAGES.card]: guarded(async (message, request, context) => {
        if (request.state !== 'waiting')
          return { status: 'superseded', reason: `request is ${request.state}` };
        return this.send(message, context, (locale) =>
          cardActivity(requestCardFor(request, 'manager', { locale })),
        );
      }),
      [REQUEST_MESSAGES.outcome]: guarded(async (message, request, context) => {
        if (requestOutcomeText(request, DEFAULT_AUDIENCE) === undefined)
          return { status: 'superseded', reason: 'nothing to tell' };
        return this.send(message, context, (locale) => requestOutcomeText(request, { locale }) ?? '');
      }),
      [ORDER_MESSAGES.requestOrderOutcome]: guarded(async (message, request, context) => {
        const id = message.payload.orderId;
        const order = typeof id === 'string' ? await this.deps.order(id) : undefined;
        // Only the order the request was ordered as (a second manager's stray draft is not it), once it ended.
        if (
          !order ||
          request.orderId !== order.id ||
          order.licenseRequest?.id !== request.id ||
          requestOrderOutcomeText(request, order, DEFAULT_AUDIENCE) === undefined
        )
          return { status: 'superseded', reason: 'nothing to tell' };
        return this.send(
          message,
          context,
          (locale) => requestOrderOutcomeText(request, order, { locale }) ?? '',
        );
      }),
    };
  }

  private async send(
    message: QueuedMessage,
    context: DeliveryContext,
    render: (locale: string) => Parameters<import('botbuilder').TurnContext['sendActivity']>[0],
  ): Promise<DeliveryResult> {
    const chat = await this.deps.messenger.personalChat(message.recipient);
    if (!chat) return { status: 'failed', reason: 'recipient_unreachable' };
    await this.deps.messenger.inConversation(chat, async (turn) => {
      const response = await turn.sendActivity(render(chat.locale || DEFAULT_AUDIENCE.locale));
      if (response?.id)
        await context.recordSent({ activityId: response.id, conversationId: turn.activity.conversation.id });
    });
    return { status: 'delivered' };
  }
}
