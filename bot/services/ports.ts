import type { BillingProfile, Person, Role, UserAccess } from '../domain/access';
import type { DirectoryPerson } from '../domain/accessRules';
import type { Delegation } from '../domain/delegation';
import type { Actor, Order, OrderOutcomeCode, OrderState } from '../domain/order';
import type { Subscription } from '../domain/subscription';
import type { DeliveryResult, OutboxMessage } from './outbox';

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
  /**
   * What the provider's own records say about the change made with this idempotency key, after an answer was
   * lost: applied (the quantity it set), not applied (a retry with the same key is safe), or unknown (the
   * provider cannot tell). Never inferred from a matching quantity alone.
   */
  lookUpChange(change: QuantityChange): Promise<ChangeRecord>;
}

export type ChangeRecord =
  | { status: 'applied'; quantity: number }
  | { status: 'not_applied' }
  /** `detail` is for the administrator who checks the subscription by hand (codes and values, no secrets). */
  | { status: 'unknown'; detail: string };

export interface QuantityChange {
  readonly subscriptionId: string;
  /** The subscription's current quantity, which must still hold. */
  readonly expectedQuantity: number;
  /** `now`: the new quantity; `at_renewal`: the quantity the subscription renews with. */
  readonly targetQuantity: number;
  readonly idempotencyKey: string;
  /**
   * `at_renewal` schedules the quantity for the next term (Partner Center's scheduledNextTermInstructions;
   * a target equal to the current quantity clears a scheduled change) instead of changing it now. Default `now`.
   */
  readonly timing?: 'now' | 'at_renewal';
  /** For `at_renewal`: the quantity scheduled now (null: none), which must still be the scheduled one. */
  readonly expectedScheduled?: number | null;
}

export type QuantityChangeResult =
  | { status: 'applied'; quantity: number }
  | { status: 'conflict'; actualQuantity: number }
  /** At renewal: the scheduled change is no longer the one expected (`actualScheduled`, null when none). */
  | { status: 'scheduled_conflict'; actualScheduled: number | null }
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

/** One row of the access audit: a grant, a revoke, a profile edit, the first import, an ACCESS_ADMIN_IDS grant. */
export interface AccessAuditEntry {
  readonly id: number;
  readonly at: Date;
  readonly action: 'grant' | 'revoke' | 'profile' | 'import' | 'bootstrap';
  /** null when the system acted. */
  readonly actor: Person | null;
  readonly person: Person | null;
  readonly role: Role | null;
  readonly billingProfileId: string | null;
  readonly reason: string | null;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * The organisation's people, by Entra object id: Microsoft Graph (app-only) when configured, otherwise the people
 * License Desk already knows (the demo directory). Used to check a grant's person and to find people by name.
 */
export interface PeopleDirectory {
  find(objectId: string): Promise<DirectoryPerson | undefined>;
  search(text: string, limit: number): Promise<DirectoryPerson[]>;
}

/** One notification in a person's Teams activity feed (README: Activity feed). Words made by a presenter. */
export interface ActivityNotification {
  /** An activity type the app's manifest declares (ACTIVITY_TYPES in bot/services/orderMessages.ts). */
  readonly activityType: string;
  /** The topic's text, shown with the notification. */
  readonly topic: string;
  /** A Teams deep link: where tapping the notification leads (the Licenses tab, at the order). */
  readonly webUrl: string;
  readonly previewText: string;
  /** The values of the {parameters} of the activity type's template text in the manifest. */
  readonly templateParameters: Readonly<Record<string, string>>;
}

/** Posts to people's Teams activity feeds (Microsoft Graph, app-only); the outbox retries what it asks to. */
export interface ActivityFeed {
  notify(userId: string, notification: ActivityNotification): Promise<DeliveryResult>;
}

export type NewOrder = Omit<
  Order,
  | 'number'
  | 'version'
  | 'decidedBy'
  | 'decidedAt'
  | 'outcome'
  | 'note'
  | 'updatedAt'
  | 'approvalRequestedAt'
  | 'approvalStep'
  | 'approvalStepAt'
  | 'approvalsRequired'
  | 'approvals'
  | 'reassignments'
  | 'licenseRequest'
> & { readonly licenseRequest?: Order['licenseRequest'] };

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
  /**
   * For `approved`, the instance that approved holds it for a while (it submits at once; others take over only
   * when it did not); for `submitting`, who holds the submission and until when.
   */
  readonly lease?: { owner: string; until: Date };
}

/** Who holds a submission: the instance and the lease generation its claim took (the fencing token). */
export interface SubmissionFence {
  readonly owner: string;
  readonly token: number;
}

export interface TransitionOptions {
  /** Messages the transition causes, written in the same statement (README: Reliability, the outbox). */
  readonly messages?: readonly OutboxMessage[];
  /** A write about a submission: refused unless this is still the owner and token of the current claim. */
  readonly fence?: SubmissionFence;
  /** Moving to `pending_approval`: how many different approvers the order needs. */
  readonly approvalsRequired?: number;
  /** The approval that completes the set: added, only if the order still has `approvalsBefore` approvals. */
  readonly approval?: {
    readonly approver: Actor & { readonly onBehalfOf?: Actor };
    readonly approvalsBefore: number;
  };
}

/** An approval that does not complete the set (the first of two), with the messages it causes. */
export interface ApprovalWrite {
  readonly approver: Actor & { readonly onBehalfOf?: Actor };
  /** Written only if the order still has exactly this many approvals (and not one of this approver's). */
  readonly approvalsBefore: number;
  readonly at: Date;
  readonly messages: readonly OutboxMessage[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** A step of the reminder ladder (bot/domain/approvalPolicy.ts), with the messages it causes. */
export interface StepWrite {
  readonly fromStep: number;
  readonly toStep: number;
  readonly at: Date;
  /** The audit entry's action: approval_reminded, approval_escalated, approval_last_call. */
  readonly action: string;
  readonly messages: readonly OutboxMessage[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

/** An escalated order reassigned to another approver (bot/domain/approvalPolicy.ts), with its approval card. */
export interface ReassignWrite {
  readonly by: Actor;
  readonly to: Actor;
  /** Written only if the order still waits with exactly this many reassignments. */
  readonly reassignmentsBefore: number;
  readonly at: Date;
  readonly messages: readonly OutboxMessage[];
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface OrderRepository {
  /** Stores a new draft and its audit entry together. */
  create(order: NewOrder, audit: Omit<AuditEntry, 'orderId'>): Promise<Order>;
  get(id: string): Promise<Order | undefined>;
  /**
   * One conditional write: moves the order from `from` to `to` only if it still is in `from` (and, with a
   * fence, only if the fence still holds the submission), appends the audit entry and queues the messages in
   * the same statement. Only transitions of the state machine (bot/domain/order.ts) are accepted. Returns
   * undefined when another writer got there first.
   */
  transition(
    id: string,
    from: OrderState,
    to: OrderState,
    change: TransitionChange,
    audit: AuditEntry,
    options?: TransitionOptions,
  ): Promise<Order | undefined>;
  /**
   * Claims an order for submission: `approved` (once the approving instance's hold ran out, unless `owner` is
   * that instance), or `submitting` whose lease has run out (its worker died or asked to retry later). Exactly
   * one caller wins; the claim counts an attempt and takes the next lease generation, its fencing token.
   */
  claimSubmission(
    id: string,
    owner: string,
    leaseUntil: Date,
    now: Date,
  ): Promise<{ order: Order; attempt: number; fence: SubmissionFence } | undefined>;
  /** Orders some worker (`owner`) should submit now. */
  listSubmittable(now: Date, limit: number, owner: string): Promise<string[]>;
  /** Orders awaiting a decision past their expiry. */
  listOverdue(now: Date, limit: number): Promise<string[]>;
  /** Keeps a submission's lease while its provider call is in flight; false when the fence no longer holds. */
  renewLease(id: string, fence: SubmissionFence, until: Date): Promise<boolean>;
  /** Lets the lease run until `until` to retry then (a `submitting -> submitting` transition), if the fence holds. */
  scheduleRetry(id: string, fence: SubmissionFence, until: Date, audit: AuditEntry): Promise<boolean>;
  /**
   * Writes an audit entry about an order without changing it (a late answer that was refused); its states are
   * the order's current state, read under the order's lock so the log stays a chain.
   */
  appendEvent(id: string, audit: Omit<AuditEntry, 'fromState' | 'toState'>): Promise<void>;
  listByRequester(requesterId: string, limit: number, offset: number): Promise<Order[]>;
  countByRequester(requesterId: string): Promise<number>;
  listAwaitingApproval(billingProfileIds: readonly string[], limit: number): Promise<Order[]>;
  /**
   * Records an approval that does not complete the set, with its audit entry and messages, in one statement;
   * undefined when the order is no longer waiting or its approvals changed since it was read.
   */
  recordApproval(id: string, write: ApprovalWrite): Promise<Order | undefined>;
  /**
   * Takes a step of the reminder ladder: the step marker, its audit entry and its messages in one statement, only
   * if the order still waits at `fromStep`. undefined when another instance took it (or the order was decided).
   */
  advanceApprovalStep(id: string, write: StepWrite): Promise<Order | undefined>;
  /**
   * Records a reassignment with its audit entry (approval_reassigned) and messages in one statement; undefined
   * when the order is no longer waiting or was reassigned since it was read.
   */
  recordReassignment(id: string, write: ReassignWrite): Promise<Order | undefined>;
  /** Orders waiting for an approver whose ladder is not finished, longest waiting first. */
  listWaitingForApproval(limit: number): Promise<Order[]>;
  auditTrail(orderId: string): Promise<AuditEntry[]>;
}

/** Approvers' absences and their delegates (bot/domain/delegation.ts). */
export interface DelegationStore {
  list(): Promise<Delegation[]>;
  /** Sets (or replaces) the person's absence. */
  set(delegation: Delegation, at: Date): Promise<void>;
  /** Ends the person's absence; the one ended, if there was one. */
  clear(personId: string): Promise<Delegation | undefined>;
}

export interface Clock {
  now(): Date;
}

export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
