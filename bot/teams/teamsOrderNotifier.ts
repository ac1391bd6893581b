import type { ConversationReference, TurnContext } from 'botbuilder';
import { eligibleApprovers } from '../domain/approvalPolicy';
import type { Order, OrderState } from '../domain/order';
import type { AccessDirectory, Log, OrderNotifier, OrderRepository } from '../services/ports';
import {
  channelKey,
  memberKey,
  personalChatKey,
  type CardCopy,
  type ConversationStore,
} from './conversationStore';
import { cardActivity, type OrderCards } from './orderCards';
import type { ProactiveMessenger } from './proactiveMessenger';
import { DEFAULT_AUDIENCE, type Audience } from './presenters/format';
import { approvalRoutedText, outcomeText } from './presenters/outcomeText';

type Reference = Partial<ConversationReference>;

export interface TeamsOrderNotifierDependencies {
  readonly orders: OrderRepository;
  readonly cards: OrderCards;
  readonly messenger: ProactiveMessenger;
  readonly conversations: ConversationStore;
  readonly directory: AccessDirectory;
  /** A channel for approval cards when no approver can be reached personally. */
  readonly approvalsChannelId?: string;
  readonly log: Log;
}

/**
 * Tells Teams about order changes: updates every copy of the order's card, sends approval cards to the
 * approvers, and tells the requester the outcome. Work for one order runs in order, always rendering the
 * order as it is now, so a late update can never show an older state.
 */
export class TeamsOrderNotifier implements OrderNotifier {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly deps: TeamsOrderNotifierDependencies) {}

  orderChanged(order: Order, previousState: OrderState): Promise<void> {
    const before = this.queues.get(order.id) ?? Promise.resolve();
    const next = before.then(() => this.handle(order, previousState));
    const settled = next.catch((error: unknown) =>
      this.deps.log.error({ err: error, orderId: order.id }, 'order notification failed'),
    );
    this.queues.set(order.id, settled);
    void settled.then(() => {
      if (this.queues.get(order.id) === settled) this.queues.delete(order.id);
    });
    return settled;
  }

  private async handle(order: Order, previous: OrderState): Promise<void> {
    // The copies out before this change; approval cards sent now already show the order as it is.
    const copies = await this.deps.cards.copies(order.id);
    if (order.state === 'pending_approval' && previous === 'draft') await this.askApprovers(order, copies);
    const latest = (await this.deps.orders.get(order.id)) ?? order;
    await this.updateCopies(latest, copies);
    await this.tellRequester(order, (audience) => outcomeText(order, previous, audience));
  }

  /** Every copy, rendered for the people who see it, as the order is now. */
  private async updateCopies(order: Order, copies: readonly CardCopy[]): Promise<void> {
    for (const copy of copies) {
      const card = await this.deps.cards.render(order, copy.audience, audienceOf(copy.reference));
      await this.deps.messenger.inConversation(copy.reference, async (context) => {
        await context.updateActivity({ ...cardActivity(card), id: copy.activityId });
      });
    }
  }

  private async askApprovers(order: Order, copies: readonly CardCopy[]): Promise<void> {
    const { directory, messenger } = this.deps;
    const approvers = eligibleApprovers(directory.users(), order);
    if (await this.someUnknown(approvers.map((a) => a.id))) {
      // People who never chatted with the bot may share a group chat or team with the requester.
      for (const copy of copies.filter((c) => c.audience === 'shared'))
        await messenger.learnMembers(copy.reference);
    }
    const reached: string[] = [];
    for (const approver of approvers) {
      const chat = await messenger.personalChat(approver.id);
      if (chat && (await this.sendCard(order, chat, 'approver'))) reached.push(approver.name);
    }
    let channel = false;
    if (reached.length === 0 && this.deps.approvalsChannelId) {
      const reference = await this.channelReference(this.deps.approvalsChannelId, copies);
      channel = reference !== undefined && (await this.sendCard(order, reference, 'shared'));
    }
    const routed = approvalRoutedText(order, reached, channel);
    if (reached.length === 0) await this.tellRequester(order, () => routed);
    else this.deps.log.info({ orderId: order.id, approvers: reached.length }, 'approval requested');
  }

  private async sendCard(
    order: Order,
    reference: Reference,
    audience: 'approver' | 'shared',
  ): Promise<boolean> {
    let sent = false;
    await this.deps.messenger.inConversation(reference, async (context: TurnContext) => {
      await this.deps.cards.send(context, order, audience, audienceOf(reference));
      sent = true;
    });
    return sent;
  }

  /** A message in the requester's personal chat; `text` says nothing (undefined) when there is nothing to tell. */
  private async tellRequester(order: Order, text: (audience: Audience) => string | undefined): Promise<void> {
    if (text(DEFAULT_AUDIENCE) === undefined) return;
    const chat = await this.deps.messenger.personalChat(order.requester.id);
    if (!chat) {
      this.deps.log.warn({ orderId: order.id }, 'requester cannot be reached in a personal chat');
      return;
    }
    await this.deps.messenger.inConversation(chat, async (context) => {
      await context.sendActivity(text(audienceOf(chat)) ?? '');
    });
  }

  private async someUnknown(aadObjectIds: readonly string[]): Promise<boolean> {
    for (const id of aadObjectIds) {
      const known =
        (await this.deps.conversations.reference(personalChatKey(id))) ??
        (await this.deps.conversations.reference(memberKey(id)));
      if (!known) return true;
    }
    return false;
  }

  /** The approvals channel as the bot saw it, or addressed through the service the order's cards came from. */
  private async channelReference(
    channelId: string,
    copies: readonly CardCopy[],
  ): Promise<Reference | undefined> {
    const seen = await this.deps.conversations.reference(channelKey(channelId));
    if (seen) return seen;
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
