import type { TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import type { CardVerb } from '../../../cards/verbs';
import type { Requester } from '../../services/orderService';
import type { Audience } from '../presenters/format';

/** A card action after the untrusted card data was checked: a verb, an order id, maybe a reason. */
export interface CardActionRequest {
  readonly context: TurnContext;
  readonly verb: CardVerb;
  readonly orderId: string;
  readonly reason?: string;
  /** Reassign: the approver chosen on the card (an Entra object id; checked like everything else). */
  readonly personId?: string;
  /** Who tapped, from Teams' own fields. */
  readonly actor: Requester;
  readonly audience: Audience;
}

/** What the person who tapped sees: their new view of the card, or a short message. */
export type CardActionReply = { card: AdaptiveCardJson } | { message: string };

export type CardActionHandler = (request: CardActionRequest) => Promise<CardActionReply>;
