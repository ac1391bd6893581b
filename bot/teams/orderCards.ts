import { CardFactory, MessageFactory, TurnContext } from 'botbuilder';
import type { AdaptiveCardJson } from '../../cards/adaptiveCard';
import { approverRefusal, eligibleApprovers, reassignCandidates } from '../domain/approvalPolicy';
import { principalsFor, routeApprovalCards } from '../domain/delegation';
import type { ApprovalDelegations } from '../services/approvalDelegations';
import type { Order } from '../domain/order';
import type { AccessDirectory } from '../services/ports';
import {
  memberKey,
  personalChatKey,
  type CardAudience,
  type CardCopy,
  type ConversationStore,
} from './conversationStore';
import { isPersonalChat } from './identity';
import { wordsFor, type Audience } from './presenters/format';
import { orderCardFor, type OrderCardOptions, type ViewerRole } from './presenters/orderCardPresenter';

/**
 * A conversation id without the message a channel reply hangs from: Teams sends "19:…@thread.tacv2;messageid=…"
 * from a channel post, while a card posted to the channel is recorded under the channel's id.
 */
function threadOf(conversationId: string | undefined): string {
  return (conversationId ?? '').split(';')[0];
}

/** The card activity for an order card (attachment only: Teams gives it an id to update later). */
export function cardActivity(card: AdaptiveCardJson) {
  return MessageFactory.attachment(CardFactory.adaptiveCard(card));
}

/**
 * Renders order cards for each kind of viewer, sends them and remembers every copy, so that a decision
 * can later update them all.
 */
export class OrderCards {
  constructor(
    private readonly directory: AccessDirectory,
    private readonly conversations: ConversationStore,
    private readonly delegations?: Pick<ApprovalDelegations, 'active' | 'today'>,
  ) {}

  /**
   * What this person is to this order (Entra object id): requester, an eligible approver (in their own right or
   * as the delegate of an approver away), or neither.
   */
  async viewerRole(userId: string | undefined, order: Order): Promise<ViewerRole> {
    if (!userId) return 'other';
    if (userId === order.requester.id) return 'requester';
    const user = this.directory.user(userId);
    if (!user) return 'other';
    const actingFor = this.delegations
      ? principalsFor(
          user,
          order,
          await this.delegations.active(),
          this.directory.users(),
          this.delegations.today(),
        )
      : [];
    return approverRefusal(user, userId, order, actingFor) === undefined ? 'approver' : 'other';
  }

  /** The people the order waits for: its approvers, or the delegates of those away ("Adele Vance for Megan Bowen"). */
  private async waitingFor(order: Order, audience: Audience): Promise<string[]> {
    const approvers = eligibleApprovers(this.directory.users(), order).map(({ id, name }) => ({ id, name }));
    if (!this.delegations || order.state !== 'pending_approval') return approvers.map((a) => a.name);
    const routed = routeApprovalCards(
      approvers,
      order,
      await this.delegations.active(),
      this.directory.users(),
      this.delegations.today(),
    );
    const { t } = wordsFor(audience);
    return routed.map((r) =>
      r.onBehalfOf ? t('cards.approverFor', { name: r.name, principal: r.onBehalfOf.name }) : r.name,
    );
  }

  /** The audience of a card sent into the conversation of `context`. */
  audienceHere(context: TurnContext, personal: 'requester' | 'approver'): CardAudience {
    return isPersonalChat(context) ? personal : 'shared';
  }

  /**
   * Renders the card for a kind of viewer; with `viewerId` (the person whose view it is), an Access Admin of an
   * escalated order also gets Reassign.
   */
  async render(
    order: Order,
    viewer: ViewerRole,
    audience: Audience,
    extra: Partial<OrderCardOptions> = {},
    viewerId?: string,
  ): Promise<AdaptiveCardJson> {
    return orderCardFor(order, {
      audience,
      viewer,
      approverNames: await this.waitingFor(order, audience),
      refreshUserIds: await this.refreshUserIds(order),
      ...(viewerId && viewer !== 'shared' && viewer !== 'requester'
        ? { reassignTo: this.reassignTo(viewerId, order) }
        : {}),
      ...extra,
    });
  }

  /** Whom this person may reassign the order to (bot/domain/approvalPolicy.ts): none unless they may. */
  reassignTo(viewerId: string, order: Order) {
    if (order.state !== 'pending_approval') return [];
    return reassignCandidates(this.directory.user(viewerId), viewerId, order, this.directory.users());
  }

  /** Sends the card into the conversation of `context` and records the copy. */
  async send(context: TurnContext, order: Order, audience: CardAudience, view: Audience): Promise<void> {
    const posted = await this.post(context, order, audience, view);
    if (posted) await this.conversations.recordCard(posted, order.version);
  }

  /**
   * Sends the card into the conversation of `context` and returns the copy for the caller to record (the outbox
   * records it together with its delivery).
   */
  async post(
    context: TurnContext,
    order: Order,
    audience: CardAudience,
    view: Audience,
    extra: Partial<OrderCardOptions> = {},
    viewerId?: string,
  ): Promise<CardCopy | undefined> {
    // A copy's base view is its audience's: what everyone there sees until their own view arrives.
    const response = await context.sendActivity(
      cardActivity(await this.render(order, audience, view, extra, viewerId)),
    );
    if (!response?.id) return undefined;
    return {
      orderId: order.id,
      activityId: response.id,
      audience,
      reference: TurnContext.getConversationReference(context.activity),
    };
  }

  /** Records that the card a user acted on (replyToId) now shows another order (a fresh draft). */
  async recordActedOnCopy(context: TurnContext, order: Order, audience: CardAudience): Promise<void> {
    const activityId = context.activity.replyToId;
    if (activityId) await this.record(context, order, activityId, audience);
  }

  copies(orderId: string): Promise<CardCopy[]> {
    return this.conversations.cardsFor(orderId);
  }

  /** Whether a copy of the order's card was posted to the conversation of `context` (its members saw it). */
  postedWhereAsked(context: TurnContext): (order: Order) => Promise<boolean> {
    const here = threadOf(context.activity.conversation?.id);
    return async (order) =>
      here !== '' &&
      (await this.copies(order.id)).some((c) => threadOf(c.reference.conversation?.id) === here);
  }

  private async record(
    context: TurnContext,
    order: Order,
    activityId: string,
    audience: CardAudience,
  ): Promise<void> {
    await this.conversations.recordCard(
      {
        orderId: order.id,
        activityId,
        audience,
        reference: TurnContext.getConversationReference(context.activity),
      },
      order.version,
    );
  }

  /**
   * Teams user ids (MRI, "29:...") that get their own view through Universal Actions refresh: the
   * requester and every eligible approver whose Teams id the bot has seen.
   */
  private async refreshUserIds(order: Order): Promise<string[]> {
    const people = [order.requester.id, ...eligibleApprovers(this.directory.users(), order).map((a) => a.id)];
    const ids: string[] = [];
    for (const person of people) {
      const known =
        (await this.conversations.reference(memberKey(person))) ??
        (await this.conversations.reference(personalChatKey(person)));
      if (known?.user?.id) ids.push(known.user.id);
    }
    return ids;
  }
}
