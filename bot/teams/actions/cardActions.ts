import type { AdaptiveCardInvokeResponse, AdaptiveCardInvokeValue, TurnContext } from 'botbuilder';
import { CARD_VERBS, isCardVerb, type CardVerb } from '../../../cards/verbs';
import type { Log } from '../../services/ports';
import { audienceOf, requesterOf } from '../identity';
import { cardActivity } from '../orderCards';
import { refusalText } from '../presenters/refusalText';
import { replies } from '../presenters/replies';
import { approveOrderAction } from './approveOrderAction';
import { cancelOrderAction } from './cancelOrderAction';
import type { CardActionHandler, CardActionReply, CardActionRequest } from './cardAction';
import type { OrderActionDependencies } from './orderActionSupport';
import { reassignOrderAction } from './reassignOrderAction';
import { rejectOrderAction } from './rejectOrderAction';
import { viewOrderAction } from './viewOrderAction';

const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';
const MAX_REASON_INPUT = 2000;
const MAX_PERSON_ID_INPUT = 100;

/** Card data is untrusted: only these fields are read, and only if they have the right shape. */
interface ActionData {
  readonly orderId?: unknown;
  readonly reason?: unknown;
  readonly personId?: unknown;
  readonly verb?: unknown;
}

/**
 * Routes card actions to one handler per verb: Action.Execute invokes (Universal Actions, refresh included)
 * and the Action.Submit fallback of clients without Universal Actions.
 */
export class CardActions {
  private readonly handlers: Readonly<Record<CardVerb, CardActionHandler>>;

  constructor(
    deps: OrderActionDependencies,
    private readonly log: Log,
  ) {
    this.handlers = {
      [CARD_VERBS.approve]: approveOrderAction(deps),
      [CARD_VERBS.reject]: rejectOrderAction(deps),
      [CARD_VERBS.cancel]: cancelOrderAction(deps),
      [CARD_VERBS.view]: viewOrderAction(deps),
      [CARD_VERBS.reassign]: reassignOrderAction(deps),
    };
  }

  /** The verbs that have a handler (every verb the cards carry must be here). */
  get verbs(): string[] {
    return Object.keys(this.handlers);
  }

  /** An `adaptiveCard/action` invoke: the reply becomes the invoke response, for the tapper only. */
  async execute(context: TurnContext, invoke: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const reply = await this.dispatch(
      context,
      invoke?.action?.verb,
      invoke?.action?.data as ActionData | undefined,
    );
    return 'card' in reply
      ? {
          statusCode: 200,
          type: CARD_CONTENT_TYPE,
          value: reply.card as unknown as AdaptiveCardInvokeResponse['value'],
        }
      : {
          statusCode: 200,
          type: MESSAGE_CONTENT_TYPE,
          value: reply.message as unknown as AdaptiveCardInvokeResponse['value'],
        };
  }

  /** An Action.Submit from the fallback: the card it came from is updated in place, or a message is sent. */
  async submit(context: TurnContext, value: object): Promise<void> {
    const data = value as ActionData;
    const reply = await this.dispatch(context, data.verb, data);
    const cardId = context.activity.replyToId;
    if ('card' in reply && cardId) {
      await context.updateActivity({ ...cardActivity(reply.card), id: cardId });
    } else {
      await context.sendActivity('card' in reply ? cardActivity(reply.card) : reply.message);
    }
  }

  /** True when a message carries an Action.Submit of one of our cards. */
  static isSubmit(value: unknown): boolean {
    return typeof value === 'object' && value !== null && isCardVerb((value as ActionData).verb);
  }

  private async dispatch(
    context: TurnContext,
    verb: unknown,
    data: ActionData | undefined,
  ): Promise<CardActionReply> {
    const audience = audienceOf(context);
    if (!isCardVerb(verb))
      return { message: "This card's button is not one I know. Say **help** to see what I can do." };
    const orderId = typeof data?.orderId === 'string' ? data.orderId.trim() : '';
    if (orderId === '') return { message: refusalText({ code: 'order_not_found' }, audience) };
    const actor = requesterOf(context);
    if (!actor) return { message: refusalText({ code: 'missing_identity' }, audience) };
    const request: CardActionRequest = {
      context,
      verb,
      orderId,
      actor,
      audience,
      ...(typeof data?.reason === 'string' ? { reason: data.reason.slice(0, MAX_REASON_INPUT) } : {}),
      ...(typeof data?.personId === 'string'
        ? { personId: data.personId.slice(0, MAX_PERSON_ID_INPUT) }
        : {}),
    };
    try {
      return await this.handlers[verb](request);
    } catch (error) {
      this.log.error(
        {
          err: error,
          verb,
          orderId,
          conversationId: context.activity.conversation?.id,
          activityId: context.activity.id,
        },
        'card action failed',
      );
      return { message: replies.unexpectedErrorIn(audienceOf(context)) };
    }
  }
}
