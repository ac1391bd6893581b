import type { Person } from '../domain/access';
import { LAST_CALL_MS } from '../domain/approvalPolicy';
import type { LicenseRequestLink, Order, SeatChangeKind } from '../domain/order';
import type { Result } from '../domain/refusal';
import type { BackgroundWork } from './backgroundWork';
import type { LicenseService } from './licenseService';
import { OrderDecisions, type ApproveOutcome, type Reassigned, type Requester } from './orderDecisions';
import { OrderQueries, type UndeliveredNotice } from './orderQueries';
import { OrderSubmission } from './orderSubmission';
import { OrderTransitions } from './orderTransitions';
import type { OutboxStore } from './outbox';
import { ApprovalDelegations } from './approvalDelegations';
import type { AccessDirectory, Clock, DelegationStore, LicenseProvider, Log, OrderRepository } from './ports';
import type { RateLimiter } from './rateLimiter';

export type { ApproveOutcome, Reassigned, Requester } from './orderDecisions';
export { MAX_REASON_LENGTH } from './orderDecisions';

export interface OrderSettings {
  readonly maxSeatsPerOrder: number;
  /** Drafts and orders waiting for an approver expire after this long. */
  readonly orderExpiryMs: number;
  /** How long a worker holds a submission before another instance may take it over. */
  readonly submissionLeaseMs: number;
  /** Attempts before a submission fails; every error counts. */
  readonly maxSubmissionAttempts: number;
  /** Bound of the first retry's wait after a failed attempt; it doubles per attempt, with jitter. */
  readonly retryDelayMs: number;
  /** How long a message about an order is tried before it is marked undeliverable. */
  readonly notificationGiveUpMs: number;
  /** Names this process in submission leases. */
  readonly instanceId: string;
  /** A waiting order reminds its approvers after this long (APPROVAL_REMINDER_HOURS). */
  readonly approvalReminderMs: number;
  /** A waiting order is escalated to its billing profile's Access Admins after this long (APPROVAL_ESCALATE_HOURS). */
  readonly approvalEscalateMs: number;
  /** Approval requests, reminders and outcomes also go to the Teams activity feed (ACTIVITY_FEED). */
  readonly activityFeed?: boolean;
}

export interface OrderServiceDependencies {
  readonly orders: OrderRepository;
  readonly outbox: Pick<OutboxStore, 'undeliverable'>;
  readonly licenses: LicenseService;
  readonly provider: LicenseProvider;
  readonly directory: AccessDirectory;
  readonly work: BackgroundWork;
  readonly clock: Clock;
  readonly log: Log;
  readonly newId: () => string;
  readonly settings: OrderSettings;
  /** Called when a change queued messages (this instance's outbox worker then delivers them at once). */
  readonly messagesQueued?: () => void;
  /** Limits how often one person may request or decide orders. */
  readonly limiter?: RateLimiter;
  /** Jitter of retries; Math.random by default. */
  readonly random?: () => number;
  /** Where approvers' absences are kept; without it, nobody is away. */
  readonly delegations?: DelegationStore;
}

/**
 * The order use cases, as the Teams layer and the tab use them. Each job lives in its own file: deciding
 * (orderDecisions.ts), submitting (orderSubmission.ts), reading (orderQueries.ts); every change of state goes
 * through orderTransitions.ts, which writes the messages it causes to the outbox.
 */
export class OrderService {
  readonly decisions: OrderDecisions;
  readonly submission: OrderSubmission;
  readonly queries: OrderQueries;
  /** `away` and `back`: approvers' delegates (undefined without a store). */
  readonly delegations: ApprovalDelegations | undefined;

  constructor(deps: OrderServiceDependencies) {
    const { orders, clock, settings, log } = deps;
    this.delegations = deps.delegations
      ? new ApprovalDelegations({ store: deps.delegations, directory: deps.directory, clock })
      : undefined;
    const transitions = new OrderTransitions({
      orders,
      clock,
      notificationGiveUpMs: settings.notificationGiveUpMs,
      messagesQueued: deps.messagesQueued,
      activityFeed: settings.activityFeed,
    });
    this.queries = new OrderQueries({
      orders,
      directory: deps.directory,
      outbox: deps.outbox,
      delegations: this.delegations,
    });
    this.submission = new OrderSubmission({
      orders,
      transitions,
      provider: deps.provider,
      directory: deps.directory,
      clock,
      log,
      settings,
      random: deps.random,
    });
    this.decisions = new OrderDecisions({
      orders,
      queries: this.queries,
      transitions,
      licenses: deps.licenses,
      provider: deps.provider,
      directory: deps.directory,
      clock,
      log,
      newId: deps.newId,
      settings: {
        ...settings,
        ladder: {
          reminderMs: settings.approvalReminderMs,
          escalateMs: settings.approvalEscalateMs,
          lastCallMs: LAST_CALL_MS,
        },
      },
      limiter: deps.limiter,
      delegations: this.delegations,
      submitSoon: (orderId) => deps.work.run(`submit ${orderId}`, () => this.submission.submit(orderId)),
    });
  }

  /** Makes a draft order: the confirmation card for it goes out next. Nothing is ordered yet. */
  /** A draft order; `fromRequest` when a Licenses Manager orders a license request ("Order these seats"). */
  request(
    requester: Requester,
    subscriptionId: string,
    kind: SeatChangeKind,
    seats: number,
    fromRequest?: LicenseRequestLink,
  ) {
    return this.decisions.request(requester, subscriptionId, kind, seats, fromRequest);
  }

  /** Makes a draft that cancels the reduction scheduled for the renewal (an order like any other). */
  requestCancelScheduled(requester: Requester, subscriptionId: string): Promise<Result<Order>> {
    return this.decisions.requestCancelScheduled(requester, subscriptionId);
  }

  /** Approve on any card: the requester confirms a draft, or an approver approves a waiting order. */
  approve(actor: Requester, orderId: string): Promise<Result<ApproveOutcome>> {
    return this.decisions.approve(actor, orderId);
  }

  reject(actor: Requester, orderId: string, reason: string | undefined): Promise<Result<Order>> {
    return this.decisions.reject(actor, orderId, reason);
  }

  /** An Access Admin sends an escalated order to another approver (README: Approvals). */
  reassign(actor: Requester, orderId: string, personId: string): Promise<Result<Reassigned>> {
    return this.decisions.reassign(actor, orderId, personId);
  }

  /** Whom this person may reassign the order to: empty when they may not reassign it. */
  reassignCandidates(actorId: string, order: Order): Person[] {
    return this.decisions.reassignCandidates(actorId, order);
  }

  /** The requester withdraws a draft or an order still waiting for an approver. */
  cancel(actor: Requester, orderId: string): Promise<Result<Order>> {
    return this.decisions.cancel(actor, orderId);
  }

  get(orderId: string): Promise<Order | undefined> {
    return this.queries.get(orderId);
  }

  /** The order, if it belongs to the actor's tenant: an order of another tenant does not exist for them. */
  orderFor(actor: Requester, orderId: string): Promise<Order | undefined> {
    return this.queries.orderFor(actor, orderId);
  }

  /** The requester's orders, newest first, one page at a time. */
  listRecent(requesterId: string, page: number, pageSize: number) {
    return this.queries.listRecent(requesterId, page, pageSize);
  }

  /** Orders waiting for this person's approval: their billing profiles, not their own orders. */
  awaitingApprovalBy(userId: string, limit?: number): Promise<Order[]> {
    return this.queries.awaitingApprovalBy(userId, limit);
  }

  /** The people who may approve this order now. */
  approversFor(order: Order): Person[] {
    return this.queries.approversFor(order);
  }

  /** Messages about these orders that could not be delivered, by order id. */
  undelivered(orders: readonly Order[]): Promise<Map<string, UndeliveredNotice[]>> {
    return this.queries.undelivered(orders);
  }

  /** Places an approved order with the provider, once (see OrderSubmission). */
  submit(orderId: string): Promise<void> {
    return this.submission.submit(orderId);
  }

  /** Submits every order left approved or mid-submission; one bad order never stops the others. */
  resumeSubmissions(limit?: number): Promise<number> {
    return this.submission.resumeSubmissions(limit);
  }

  /** Expires drafts and waiting orders nobody decided in time; the requester is told. */
  expireOverdue(limit?: number): Promise<number> {
    return this.decisions.expireOverdue(limit);
  }

  /** Reminds, escalates and calls a last time the waiting orders due for it, each step once. */
  advanceApprovalLadder(limit?: number): Promise<number> {
    return this.decisions.advanceApprovalLadder(limit);
  }
}
