import type { BillingProfile, Person } from '../domain/access';
import {
  approvalsRequired,
  approverRefusal,
  onBehalfOf,
  dueApprovalStep,
  reassignCandidates,
  reassignRefusal,
  needsApprover,
  stepRecipients,
  type ApprovalLadderSettings,
} from '../domain/approvalPolicy';
import {
  isAwaitingDecision,
  seatDelta,
  type Actor,
  type LicenseRequestLink,
  type Order,
  type OrderState,
  type SeatChangeKind,
} from '../domain/order';
import { ok, refuse, type Refusal, type Result } from '../domain/refusal';
import { principalsFor, routeApprovalCards, type ApprovalRecipient } from '../domain/delegation';
import type { ApprovalDelegations } from './approvalDelegations';
import { planSeatChange } from '../domain/seatChange';
import type { Subscription } from '../domain/subscription';
import type { LicenseService } from './licenseService';
import type { OrderQueries } from './orderQueries';
import type { OrderTransitions } from './orderTransitions';
import type {
  AccessDirectory,
  Clock,
  LicenseProvider,
  Log,
  OrderRepository,
  TransitionChange,
} from './ports';
import type { RateLimiter } from './rateLimiter';

/** The person asking: who they are (Entra object id), and their tenant. */
export interface Requester extends Actor {
  readonly tenantId: string | null;
}

export const MAX_REASON_LENGTH = 500;

/** A reassignment: the order as it is now, whom it was reassigned to, and who got the card (them or their delegate). */
export interface Reassigned {
  readonly order: Order;
  readonly to: Person;
  readonly recipient: ApprovalRecipient;
}

/** What the requester's or an approver's Approve led to. */
export type ApproveOutcome =
  | { kind: 'submitting'; order: Order }
  | { kind: 'awaiting_approver'; order: Order; approvers: Person[] }
  /** An approval recorded; the order waits for another approver (two are needed above the second limit). */
  | { kind: 'partly_approved'; order: Order }
  /** The quantity changed since the card was made: that draft expired, and a fresh one was made if still allowed. */
  | { kind: 'requoted'; previous: Order; fresh: Result<Order> }
  /** The quantity changed while the order waited for an approver: it expired, nothing was ordered. */
  | { kind: 'stale'; order: Order };

export interface OrderDecisionSettings {
  readonly maxSeatsPerOrder: number;
  /** Drafts and orders waiting for an approver expire after this long. */
  readonly orderExpiryMs: number;
  /** How long the approving instance holds an approved order before another instance may submit it. */
  readonly submissionLeaseMs: number;
  readonly instanceId: string;
  /** When a waiting order reminds its approvers, escalates, and is called a last time. */
  readonly ladder: ApprovalLadderSettings;
}

export interface OrderDecisionsDependencies {
  readonly orders: OrderRepository;
  readonly queries: OrderQueries;
  readonly transitions: OrderTransitions;
  readonly licenses: LicenseService;
  readonly provider: LicenseProvider;
  readonly directory: AccessDirectory;
  readonly clock: Clock;
  readonly log: Log;
  readonly newId: () => string;
  readonly settings: OrderDecisionSettings;
  /** Starts the submission of an order just approved (in the background: the tap is answered first). */
  readonly submitSoon: (orderId: string) => void;
  /** Limits how often one person may request or decide orders. */
  readonly limiter?: RateLimiter;
  /** Approvers away and their delegates; none without it. */
  readonly delegations?: Pick<ApprovalDelegations, 'active' | 'today'>;
}

/**
 * Deciding orders: making a draft, the requester's confirmation, an approver's approval or rejection, the
 * requester's cancellation, expiry. Every change is one conditional transition, so two taps, two approvers or two
 * instances cannot both win; the loser is told who won.
 */
export class OrderDecisions {
  constructor(private readonly deps: OrderDecisionsDependencies) {}

  /** Makes a draft order: the confirmation card for it goes out next. Nothing is ordered yet. */
  async request(
    requester: Requester,
    subscriptionId: string,
    kind: SeatChangeKind,
    seats: number,
    fromRequest?: LicenseRequestLink,
  ): Promise<Result<Order>> {
    const { licenses, clock, settings } = this.deps;
    const limited = this.limited(requester);
    if (limited) return refuse(limited);
    const found = await licenses.subscriptionFor(requester.id, subscriptionId);
    if (!found.ok) return found;
    const { subscription, billingProfile } = found.value;
    const now = clock.now();
    const plan = planSeatChange(subscription, kind, seats, settings.maxSeatsPerOrder, now);
    if (!plan.ok) return plan;
    const priced = { ...plan.value, pricePerSeat: subscription.pricePerSeat };
    return this.createDraft(
      requester,
      subscription,
      billingProfile,
      kind,
      priced,
      fromRequest ? { kind, seats, licenseRequestId: fromRequest.id } : { kind, seats },
      fromRequest,
    );
  }

  /**
   * Makes a draft that cancels the reduction scheduled for the renewal: an order like any other (the same
   * approvals and submission), renewing with the current quantity.
   */
  async requestCancelScheduled(requester: Requester, subscriptionId: string): Promise<Result<Order>> {
    const limited = this.limited(requester);
    if (limited) return refuse(limited);
    const found = await this.deps.licenses.subscriptionFor(requester.id, subscriptionId);
    if (!found.ok) return found;
    const { subscription, billingProfile } = found.value;
    if (subscription.status !== 'active')
      return refuse({ code: 'subscription_suspended', product: subscription.product });
    const scheduled = subscription.scheduledQuantity;
    if (scheduled === null || scheduled >= subscription.quantity)
      return refuse({ code: 'nothing_scheduled', product: subscription.product });
    const priced = {
      expectedQuantity: scheduled,
      targetQuantity: subscription.quantity,
      timing: 'cancel_scheduled' as const,
      scheduledBefore: scheduled,
      renewalDate: subscription.renewalDate,
      pricePerSeat: subscription.pricePerSeat,
    };
    return this.createDraft(requester, subscription, billingProfile, 'increase', priced, {
      kind: 'cancel_scheduled',
      scheduled,
    });
  }

  private async createDraft(
    requester: Requester,
    subscription: Subscription,
    billingProfile: BillingProfile,
    kind: SeatChangeKind,
    priced: Pick<
      Order,
      'expectedQuantity' | 'targetQuantity' | 'timing' | 'scheduledBefore' | 'renewalDate' | 'pricePerSeat'
    >,
    detail: Record<string, unknown>,
    fromRequest?: LicenseRequestLink,
  ): Promise<Result<Order>> {
    const { directory, orders, clock, newId, settings } = this.deps;
    const now = clock.now();
    const order = await orders.create(
      {
        id: newId(),
        idempotencyKey: newId(),
        subscriptionId: subscription.id,
        product: subscription.product,
        domain: subscription.domain,
        plan: subscription.plan,
        billingProfileId: billingProfile.id,
        billingProfileName: billingProfile.name,
        requester: { id: requester.id, name: directory.user(requester.id)?.name ?? requester.name },
        tenantId: requester.tenantId,
        kind,
        ...priced,
        restoreKey: newId(),
        needsApprover: needsApprover(priced, billingProfile),
        state: 'draft',
        createdAt: now,
        expiresAt: new Date(now.getTime() + settings.orderExpiryMs),
        licenseRequest: fromRequest ?? null,
      },
      {
        actor: { id: requester.id, name: requester.name },
        action: 'requested',
        fromState: null,
        toState: 'draft',
        at: now,
        detail: { ...detail, timing: priced.timing },
      },
    );
    return ok(order);
  }

  /** Approve on any card: the requester confirms a draft, or an approver approves a waiting order. */
  async approve(actor: Requester, orderId: string): Promise<Result<ApproveOutcome>> {
    const limited = this.limited(actor);
    if (limited) return refuse(limited);
    const order = await this.deps.queries.orderFor(actor, orderId);
    if (!order) return refuse({ code: 'order_not_found' });
    if (order.state === 'draft') return this.confirmDraft(actor, order);
    if (order.state === 'pending_approval') return this.approveAsApprover(actor, order);
    return this.alreadyDecided(order);
  }

  async reject(actor: Requester, orderId: string, reason: string | undefined): Promise<Result<Order>> {
    const limited = this.limited(actor);
    if (limited) return refuse(limited);
    const order = await this.deps.queries.orderFor(actor, orderId);
    if (!order) return refuse({ code: 'order_not_found' });
    const { refusal } = await this.asApprover(actor, order);
    if (refusal) return refuse(refusal, order);
    if (order.state === 'draft') return refuse({ code: 'not_awaiting_approval' }, order);
    if (order.state !== 'pending_approval') return this.alreadyDecided(order);
    const note = (reason ?? '').trim();
    if (note === '' || note.length > MAX_REASON_LENGTH) {
      return refuse({ code: 'reason_required', maxLength: MAX_REASON_LENGTH }, order);
    }
    return this.decide(order, 'rejected', actor, 'rejected', { outcome: 'rejected_by_approver', note });
  }

  /**
   * An Access Admin reassigns an escalated order (README: Approvals; the rule in bot/domain/approvalPolicy.ts):
   * a fresh approval card goes to the person chosen (to their delegate while they are away), through the
   * outbox, once; every older copy then says to whom it was reassigned.
   */
  async reassign(actor: Requester, orderId: string, personId: string): Promise<Result<Reassigned>> {
    const limited = this.limited(actor);
    if (limited) return refuse(limited);
    const { directory, queries, orders, transitions } = this.deps;
    let order = await queries.orderFor(actor, orderId);
    if (!order) return refuse({ code: 'order_not_found' });
    const targetId = personId.trim();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (order.state === 'draft') return refuse({ code: 'not_awaiting_approval' }, order);
      if (order.state !== 'pending_approval') return this.alreadyDecided(order);
      const target = targetId === '' ? undefined : directory.user(targetId);
      const refusal = reassignRefusal(directory.user(actor.id), actor.id, order, target, targetId);
      if (refusal) return refuse(refusal, order);
      const to = { id: target!.id, name: target!.name };
      const [recipient] = await this.route([to], order);
      // A second tap (or a second admin) sending it to the one it was just sent to: done, no second card.
      if (order.reassignments.at(-1)?.to.id === to.id) return ok({ order, to, recipient });
      const by = { id: actor.id, name: directory.user(actor.id)?.name ?? actor.name };
      const moved = await transitions.reassign(order, by, to, recipient);
      if (moved) return ok({ order: moved, to, recipient });
      const current = await orders.get(order.id);
      if (!current) return refuse({ code: 'order_not_found' });
      order = current;
    }
    return this.reloadDecided(order.id);
  }

  /** Whom this person may reassign the order to (empty when they may not reassign it). */
  reassignCandidates(actorId: string, order: Order): Person[] {
    const { directory } = this.deps;
    return reassignCandidates(directory.user(actorId), actorId, order, directory.users());
  }

  /** The requester withdraws a draft or an order still waiting for an approver. */
  async cancel(actor: Requester, orderId: string): Promise<Result<Order>> {
    const limited = this.limited(actor);
    if (limited) return refuse(limited);
    const order = await this.deps.queries.orderFor(actor, orderId);
    if (!order) return refuse({ code: 'order_not_found' });
    if (actor.id !== order.requester.id)
      return refuse({ code: 'not_requester', requesterName: order.requester.name }, order);
    if (!isAwaitingDecision(order.state)) return this.alreadyDecided(order);
    return this.decide(order, 'cancelled', actor, 'cancelled', { outcome: 'cancelled_by_requester' });
  }

  /**
   * Expires drafts and waiting orders nobody decided in time; the requester is told. One order that cannot be
   * expired (a database error) is logged and skipped: the others still are.
   */
  async expireOverdue(limit = 100): Promise<number> {
    const { orders, clock, log } = this.deps;
    let expired = 0;
    for (const id of await orders.listOverdue(clock.now(), limit)) {
      try {
        const order = await orders.get(id);
        if (!order || !isAwaitingDecision(order.state)) continue;
        const moved = await this.deps.transitions.move(order, 'expired', null, 'expired', {
          outcome: 'approval_timed_out',
        });
        if (moved) expired += 1;
      } catch (error) {
        log.error({ err: error, orderId: id }, 'could not expire an order');
      }
    }
    return expired;
  }

  /**
   * Whether the actor may decide this order as an approver: in their own right, or as the delegate of an
   * approver away (then `principal` names them).
   */
  private async asApprover(actor: Actor, order: Order): Promise<{ refusal?: Refusal; principal?: Actor }> {
    const { directory, delegations } = this.deps;
    const user = directory.user(actor.id);
    const actingFor = delegations
      ? principalsFor(user, order, await delegations.active(), directory.users(), delegations.today())
      : [];
    const refusal = approverRefusal(user, actor.id, order, actingFor);
    if (refusal) return { refusal };
    const principal = onBehalfOf(user, order, actingFor);
    return principal ? { principal: { id: principal.id, name: principal.name } } : {};
  }

  /** Where new approval cards go: to the delegates of approvers away (bot/domain/delegation.ts). */
  private async route(approvers: readonly Person[], order: Order): Promise<ApprovalRecipient[]> {
    const { delegations, directory } = this.deps;
    if (!delegations) return [...approvers];
    return routeApprovalCards(
      approvers,
      order,
      await delegations.active(),
      directory.users(),
      delegations.today(),
    );
  }

  private limited(actor: Actor): Refusal | undefined {
    const verdict = this.deps.limiter?.take(actor.id);
    return verdict && !verdict.ok
      ? { code: 'rate_limited', retryAfterSeconds: verdict.retryAfterSeconds }
      : undefined;
  }

  private async confirmDraft(actor: Requester, order: Order): Promise<Result<ApproveOutcome>> {
    if (actor.id !== order.requester.id)
      return refuse({ code: 'not_requester', requesterName: order.requester.name }, order);
    const found = await this.deps.licenses.subscriptionFor(actor.id, order.subscriptionId);
    if (!found.ok) return found;
    const { subscription, billingProfile } = found.value;
    if (this.outdated(order, subscription)) return this.requote(actor, order);

    if (needsApprover(order, billingProfile)) {
      const approvers = await this.route(this.deps.queries.approversFor(order), order);
      if (approvers.length === 0)
        return refuse({
          code: 'no_approver',
          billingProfile: { id: billingProfile.id, name: billingProfile.name },
        });
      const required = approvalsRequired(order, billingProfile);
      const moved = await this.deps.transitions.move(
        order,
        'pending_approval',
        actor,
        'confirmed',
        {},
        { approvers: approvers.map((a) => a.id), approvalsRequired: required },
        { approvers, approvalsRequired: required },
      );
      return moved
        ? ok({ kind: 'awaiting_approver', order: moved, approvers })
        : this.reloadDecided(order.id);
    }
    return this.approveNow(order, actor);
  }

  private async approveAsApprover(actor: Actor, read: Order): Promise<Result<ApproveOutcome>> {
    let order = read;
    const { refusal, principal } = await this.asApprover(actor, order);
    if (refusal) return refuse(refusal, order);
    const approver = {
      id: actor.id,
      name: this.deps.directory.user(actor.id)?.name ?? actor.name,
      ...(principal ? { onBehalfOf: principal } : {}),
    };
    const subscription = await this.deps.provider.getSubscription(order.subscriptionId);
    if (subscription && this.outdated(order, subscription)) {
      const expired = await this.deps.transitions.move(order, 'expired', approver, 'quantity_changed', {
        outcome: 'quantity_changed',
        note: String(subscription.quantity),
      });
      return expired ? ok({ kind: 'stale', order: expired }) : this.reloadDecided(order.id);
    }
    // Two approvers tapping together: each write holds only if the approvals are still as read; the loser reads
    // again and is either the second approval (which completes the set) or told who decided.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (order.approvals.length + 1 >= order.approvalsRequired) {
        const result = await this.approveNow(order, approver, order.approvals.length);
        if (result.ok || attempt === 2) return result;
      } else {
        const recorded = await this.deps.transitions.recordApproval(order, approver);
        if (recorded) return ok({ kind: 'partly_approved', order: recorded });
      }
      const current = await this.deps.orders.get(order.id);
      if (!current || current.state !== 'pending_approval') return this.reloadDecided(order.id);
      const again = await this.asApprover(actor, current);
      if (again.refusal) return refuse(again.refusal, current);
      order = current;
    }
    return this.reloadDecided(order.id);
  }

  /**
   * The reminder ladder (README: Approvals): every order waiting for an approver takes the steps it is due for,
   * each once (the step marker is written with its messages; another instance's attempt at the same step finds
   * it taken). One order that fails is logged and skipped.
   */
  async advanceApprovalLadder(limit = 100): Promise<number> {
    const { orders, clock, log, directory, settings } = this.deps;
    let steps = 0;
    for (const waiting of await orders.listWaitingForApproval(limit)) {
      try {
        let order: Order | undefined = waiting;
        for (let step = dueApprovalStep(order, clock.now(), settings.ladder); order && step;) {
          const recipients = await this.route(stepRecipients(step, directory.users(), order), order);
          order = await this.deps.transitions.takeApprovalStep(order, step, recipients);
          if (!order) break;
          steps += 1;
          step = dueApprovalStep(order, clock.now(), settings.ladder);
        }
      } catch (error) {
        log.error({ err: error, orderId: waiting.id }, 'could not take a step of the approval ladder');
      }
    }
    return steps;
  }

  /**
   * Approved: this instance holds the order for a lease's time and submits it at once; another instance takes
   * it over only if this one did not (it died).
   */
  private async approveNow(
    order: Order,
    approver: Actor,
    approvalsBefore?: number,
  ): Promise<Result<ApproveOutcome>> {
    const { clock, settings } = this.deps;
    const moved = await this.deps.transitions.move(
      order,
      'approved',
      approver,
      'approved',
      {
        decidedBy: approver,
        lease: {
          owner: settings.instanceId,
          until: new Date(clock.now().getTime() + settings.submissionLeaseMs),
        },
      },
      approvalsBefore === undefined ? {} : { approvals: approvalsBefore + 1 },
      approvalsBefore === undefined ? {} : { approval: { approver, approvalsBefore } },
    );
    if (!moved) return this.reloadDecided(order.id);
    this.deps.submitSoon(moved.id);
    return ok({ kind: 'submitting', order: moved });
  }

  /**
   * The card no longer says what would happen: the quantity changed, the reduction scheduled for the renewal
   * changed, or a decrease now no longer fits its cancellation window (it closed between the card and the tap).
   */
  private outdated(order: Order, subscription: Subscription): boolean {
    if (order.timing === 'cancel_scheduled')
      return (
        subscription.quantity !== order.targetQuantity ||
        subscription.scheduledQuantity !== order.expectedQuantity
      );
    if (subscription.quantity !== order.expectedQuantity) return true;
    // The card warned about (or replaced) the scheduled reduction it saw: another one needs another card.
    if (subscription.scheduledQuantity !== order.scheduledBefore) return true;
    if (order.kind !== 'decrease') return false;
    const still = planSeatChange(
      subscription,
      order.kind,
      Math.abs(seatDelta(order)),
      this.deps.settings.maxSeatsPerOrder,
      this.deps.clock.now(),
    );
    return !still.ok || still.value.timing !== order.timing;
  }

  /**
   * The card was made before the subscription changed: expire it and offer a fresh draft for the same seats, with
   * what is possible now (a decrease whose window closed is offered at renewal, if it can be).
   */
  private async requote(actor: Requester, order: Order): Promise<Result<ApproveOutcome>> {
    const previous = await this.deps.transitions.move(order, 'expired', actor, 'quantity_changed', {
      outcome: 'quantity_changed',
    });
    if (!previous) return this.reloadDecided(order.id);
    const fresh =
      order.timing === 'cancel_scheduled'
        ? await this.requestCancelScheduled(actor, order.subscriptionId)
        : await this.request(actor, order.subscriptionId, order.kind, Math.abs(seatDelta(order)));
    return ok({ kind: 'requoted', previous, fresh });
  }

  private async decide(
    order: Order,
    to: OrderState,
    actor: Actor,
    action: string,
    change: Omit<TransitionChange, 'at'>,
  ): Promise<Result<Order>> {
    const decidedBy = { id: actor.id, name: this.deps.directory.user(actor.id)?.name ?? actor.name };
    const moved = await this.deps.transitions.move(order, to, decidedBy, action, { ...change, decidedBy });
    return moved ? ok(moved) : this.reloadDecided(order.id);
  }

  private async reloadDecided<T>(orderId: string): Promise<Result<T>> {
    const current = await this.deps.orders.get(orderId);
    return current ? this.alreadyDecided(current) : refuse({ code: 'order_not_found' });
  }

  private alreadyDecided<T>(order: Order): Result<T> {
    const refusal: Refusal = {
      code: 'already_decided',
      state: order.state,
      by: order.decidedBy?.name ?? null,
      at: order.decidedAt ?? (order.state === 'draft' ? null : order.updatedAt),
    };
    return refuse(refusal, order);
  }
}
