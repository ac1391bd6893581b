import type { BillingProfile, UserAccess } from '../domain/access';
import type { Actor, Order, OrderOutcomeCode, OrderState } from '../domain/order';
import type { Subscription } from '../domain/subscription';

/** Where subscriptions live and where quantity changes are placed (sandbox or Partner Center). */
export interface LicenseProvider {
  listSubscriptions(): Promise<Subscription[]>;
  getSubscription(id: string): Promise<Subscription | undefined>;
  /**
   * Sets the subscription's absolute quantity if it still is `expectedQuantity`. The idempotency key is the
   * order's: calling again with the same key never changes the quantity twice.
   * Throws ProviderUnavailableError when the outcome is unknown and a retry with the same key is safe.
   */
  changeQuantity(change: QuantityChange): Promise<QuantityChangeResult>;
}

export interface QuantityChange {
  readonly subscriptionId: string;
  readonly expectedQuantity: number;
  readonly targetQuantity: number;
  readonly idempotencyKey: string;
}

export type QuantityChangeResult =
  | { status: 'applied'; quantity: number }
  | { status: 'conflict'; actualQuantity: number }
  /** The provider refused for good; `reason` is written for the person who ordered. */
  | { status: 'rejected'; reason: string };

export class ProviderUnavailableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderUnavailableError';
  }
}

/** Who may do what: billing profiles, their domains, and users' roles on them. */
export interface AccessDirectory {
  user(id: string): UserAccess | undefined;
  users(): readonly UserAccess[];
  billingProfile(id: string): BillingProfile | undefined;
  billingProfileForDomain(domain: string): BillingProfile | undefined;
  billingProfiles(): readonly BillingProfile[];
}

export type NewOrder = Omit<Order, 'number' | 'decidedBy' | 'decidedAt' | 'outcome' | 'note' | 'updatedAt'>;

export interface AuditEntry {
  readonly orderId: string;
  /** null when the system acted (submission, expiry). */
  readonly actor: Actor | null;
  readonly action: string;
  readonly fromState: OrderState | null;
  readonly toState: OrderState;
  readonly at: Date;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface TransitionChange {
  readonly at: Date;
  readonly decidedBy?: Actor;
  readonly outcome?: OrderOutcomeCode;
  readonly note?: string;
  /** For `submitting`: who holds the submission and until when. */
  readonly lease?: { owner: string; until: Date };
}

export interface OrderRepository {
  /** Stores a new draft and its audit entry together. */
  create(order: NewOrder, audit: Omit<AuditEntry, 'orderId'>): Promise<Order>;
  get(id: string): Promise<Order | undefined>;
  /**
   * One conditional write: moves the order from `from` to `to` only if it still is in `from`, and appends
   * the audit entry in the same transaction. Returns undefined when another writer got there first.
   */
  transition(
    id: string,
    from: OrderState,
    to: OrderState,
    change: TransitionChange,
    audit: AuditEntry,
  ): Promise<Order | undefined>;
  /**
   * Claims an order for submission: `approved`, or `submitting` whose lease has run out (its worker died
   * or asked to retry later). Exactly one caller wins; the claim counts an attempt.
   */
  claimSubmission(
    id: string,
    owner: string,
    leaseUntil: Date,
    now: Date,
  ): Promise<{ order: Order; attempt: number } | undefined>;
  /** Orders some worker should submit now. */
  listSubmittable(now: Date, limit: number): Promise<string[]>;
  /** Orders awaiting a decision past their expiry. */
  listOverdue(now: Date, limit: number): Promise<string[]>;
  /** Pushes a submission lease forward without changing state (retry later). */
  extendLease(id: string, owner: string, until: Date, audit: AuditEntry): Promise<boolean>;
  listByRequester(requesterId: string, limit: number, offset: number): Promise<Order[]>;
  countByRequester(requesterId: string): Promise<number>;
  listAwaitingApproval(billingProfileIds: readonly string[], limit: number): Promise<Order[]>;
  auditTrail(orderId: string): Promise<AuditEntry[]>;
}

export interface Clock {
  now(): Date;
}

/** Tells the people concerned that an order changed (cards updated, requester told, approvers asked). */
export interface OrderNotifier {
  orderChanged(order: Order, previousState: OrderState): Promise<void>;
}

export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
