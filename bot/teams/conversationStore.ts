import type { ConversationReference } from 'botbuilder';

/** How the bot reaches a conversation later, as botbuilder describes it; stored as JSON. */
export type StoredReference = Partial<ConversationReference>;

/**
 * Who a copy of a card was sent to: the requester's or an approver's personal chat, or a conversation
 * several people share (a group chat or a channel).
 */
export type CardAudience = 'requester' | 'approver' | 'shared';

/** One copy of an order's card in one conversation. */
export interface CardCopy {
  readonly orderId: string;
  readonly activityId: string;
  readonly audience: CardAudience;
  readonly reference: Partial<ConversationReference>;
}

/**
 * Where the bot can reach people without being messaged first, and where each order's cards are, so a
 * decision can update every copy. Implemented on the product's database (bot/infrastructure).
 */
export interface ConversationStore {
  saveReference(key: string, reference: Partial<ConversationReference>): Promise<void>;
  reference(key: string): Promise<Partial<ConversationReference> | undefined>;
  /**
   * Records a copy of an order's card showing the order at `renderedVersion`; if the order moved on since, an
   * update of the copy is queued (so a copy never stays behind).
   */
  recordCard(copy: CardCopy, renderedVersion: number): Promise<void>;
  cardsFor(orderId: string): Promise<CardCopy[]>;
  card(orderId: string, conversationId: string, activityId: string): Promise<CardCopy | undefined>;
}

/** The key of a user's personal chat with the bot. */
export const personalChatKey = (aadObjectId: string) => `user:${aadObjectId}`;
/** The key of a team channel the bot can post in. */
export const channelKey = (channelId: string) => `channel:${channelId}`;
/** The key of what is known of a Teams member (their Teams user id), to open a personal chat with them. */
export const memberKey = (aadObjectId: string) => `member:${aadObjectId}`;
