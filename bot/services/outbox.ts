/**
 * The outbox: every message the bot sends on its own is a row, written in the same statement as the change that
 * causes it, and delivered by a worker on every instance (README: Reliability). A message is a kind, a recipient,
 * a dedupe key and a payload of codes and ids; the words are made when it is delivered, from the data as it is
 * then. A new kind of message is a new kind string and a handler for it: the mechanism stays as it is.
 */

/** Who a message goes to. */
export type Recipient =
  /** A person, by Entra object id: their personal chat with the bot, opened if needed. */
  | { readonly kind: 'person'; readonly id: string }
  /** A conversation the bot knows by key (the approvals channel: `channel:<id>`). */
  | { readonly kind: 'conversation'; readonly key: string }
  /** Every copy of an order's card (expanded into one `card_copy` message per copy when delivered). */
  | { readonly kind: 'card_copies'; readonly orderId: string };

export type RecipientKind = Recipient['kind'] | 'card_copy';

/** Codes, ids and numbers only: never a sentence (a later reader may need another language). */
export type Payload = Readonly<Record<string, string | number | boolean | null>>;

export interface OutboxMessage {
  /** What to deliver: `order.approval_card`, `order.outcome`, ... (bot/services/orderMessages.ts). */
  readonly kind: string;
  readonly orderId: string | null;
  readonly recipient: Recipient;
  /**
   * One row per key. A message whose key exists is not queued again (one approval card per approver per order),
   * unless `rearm` says a newer version replaces it (a card copy's update shows the newest state only).
   */
  readonly dedupeKey: string;
  readonly rearm?: boolean;
  readonly payload: Payload;
  readonly dueAt: Date;
  /** After this, a failed attempt makes the message undeliverable instead of being retried. */
  readonly deliverBy: Date;
}

/** A message claimed by a worker for one delivery attempt. */
export interface QueuedMessage {
  readonly id: number;
  readonly kind: string;
  readonly orderId: string | null;
  readonly recipientKind: RecipientKind;
  /** The Entra object id, conversation key, order id or conversation id, by recipient kind. */
  readonly recipient: string;
  readonly dedupeKey: string;
  readonly payload: Payload;
  /** Attempts so far, this one included. */
  readonly attempts: number;
  /** The fencing token of this claim: a worker that lost its claim cannot record anything. */
  readonly claimToken: number;
  /** The version of the message this attempt delivers (a card copy's update is re-armed by newer changes). */
  readonly generation: number;
  /** Set once a send succeeded (a retry then updates that message) or, for a card copy, the copy's message. */
  readonly activityId: string | null;
  readonly conversationId: string | null;
  readonly createdAt: Date;
  readonly deliverBy: Date;
}

export type DeliveryResult =
  | { readonly status: 'delivered' }
  /** Nothing to send any more (the order was decided before its approval card could go out). */
  | { readonly status: 'superseded'; readonly reason: string }
  /** Worth trying again later: an outage, throttling (with the Retry-After asked for), a timeout. */
  | { readonly status: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  /** Will never work (the recipient cannot be reached, the conversation is gone): undeliverable now. */
  | { readonly status: 'failed'; readonly reason: string };

/** What a send got, recorded right after sending: a retry of the same message updates it instead of sending. */
export interface SentMessage {
  readonly activityId: string;
  readonly conversationId: string;
  /** When the message is an order's card: the copy to update on later changes, and the version it shows. */
  readonly cardCopy?: {
    readonly orderId: string;
    readonly audience: 'requester' | 'approver' | 'shared';
    /** A conversation reference (JSON), as the Teams layer stores it. */
    readonly reference: unknown;
    readonly renderedVersion: number;
  };
}

export interface DeliveryContext {
  recordSent(sent: SentMessage): Promise<void>;
}

/** Delivers one kind of message. Throwing counts as a failed attempt, retried like any other. */
export type MessageHandler = (message: QueuedMessage, context: DeliveryContext) => Promise<DeliveryResult>;

/** A message that could not be delivered within its time, as people are shown it (codes, ids, names). */
export interface UndeliveredMessage {
  readonly orderId: string;
  readonly kind: string;
  readonly recipientKind: RecipientKind;
  readonly recipient: string;
}

/** Where queued messages live (the product's database). */
export interface OutboxStore {
  /** Queues messages (outside an order's transition: one handler's follow-up messages). */
  enqueue(messages: readonly OutboxMessage[], now: Date): Promise<void>;
  /** Claims due messages nobody holds (`FOR UPDATE SKIP LOCKED`), counting an attempt for each. */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<QueuedMessage[]>;
  /** Keeps a claim while its delivery is still in flight; false when the claim was lost. */
  renew(message: QueuedMessage, owner: string, until: Date): Promise<boolean>;
  recordSent(message: QueuedMessage, owner: string, sent: SentMessage, now: Date): Promise<boolean>;
  /**
   * Ends a claim: `rearmed` when a newer version of the message arrived meanwhile (it stays due), `lost` when the
   * claim had been taken over.
   */
  finish(
    message: QueuedMessage,
    owner: string,
    state: 'delivered' | 'superseded' | 'failed',
    reason: string | null,
    now: Date,
  ): Promise<'done' | 'rearmed' | 'lost'>;
  retryLater(message: QueuedMessage, owner: string, dueAt: Date, reason: string, now: Date): Promise<boolean>;
  /** Queues an update of every copy of the order's card (each copy its own message). */
  expandCardCopies(orderId: string, now: Date, deliverBy: Date): Promise<number>;
  /** The states of an order's messages of one kind (an approval's routing waits for its cards). */
  statesOf(orderId: string, kind: string): Promise<Array<QueuedMessage & { state: string }>>;
  undeliverable(orderIds: readonly string[]): Promise<UndeliveredMessage[]>;
}
