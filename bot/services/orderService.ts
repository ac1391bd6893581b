import { licensesManagerRefusal, type Person } from '../domain/access';
import { approverRefusal, eligibleApprovers, needsApprover } from '../domain/approvalPolicy';
import {
  seatDelta,
  type Actor,
  type Order,
  type OrderOutcomeCode,
  type OrderState,
  type SeatChangeKind,
} from '../domain/order';
import { ok, refuse, type Refusal, type Result } from '../domain/refusal';
import { planSeatChange } from '../domain/seatChange';
import type { BackgroundWork } from './backgroundWork';
import type { RateLimiter } from './rateLimiter';
import type { LicenseService } from './licenseService';
import {
  ProviderUnavailableError,
  type AccessDirectory,
  type AuditEntry,
  type Clock,
  type LicenseProvider,
  type Log,
  type OrderNotifier,
  type OrderRepository,
  type TransitionChange,
} from './ports';

export interface OrderSettings {
  readonly maxSeatsPerOrder: number;
  /** Drafts and orders waiting for an approver expire after this long. */
  readonly orderExpiryMs: number;
  /** How long a worker holds a submission before another instance may take it over. */
  readonly submissionLeaseMs: number;
  readonly maxSubmissionAttempts: number;
  /** First retry delay after the provider was unavailable; doubles per attempt. */
  readonly retryDelayMs: number;
  /** Names this process in submission leases. */
  readonly instanceId: string;
}

export interface Requester extends Actor {
  readonly tenantId: string | null;
}

export const MAX_REASON_LENGTH = 500;

/** What the requester's or an approver's Approve led to. */
export type ApproveOutcome =
  | { kind: 'submitting'; order: Order }
  | { kind: 'awaiting_approver'; order: Order; approvers: Person[] }
  /** The quantity changed since the card was made: that draft expired, and a fresh one was made if still allowed. */
  | { kind: 'requoted'; previous: Order; fresh: Result<Order> }
  /** The quantity changed while the order waited for an approver: it expired, nothing was ordered. */
  | { kind: 'stale'; order: Order };

export interface OrderServiceDependencies {
  readonly orders: OrderRepository;
  readonly licenses: LicenseService;
  readonly provider: LicenseProvider;
  readonly directory: AccessDirectory;
  readonly notifier: OrderNotifier;
  readonly work: BackgroundWork;
  readonly clock: Clock;
  readonly log: Log;
  readonly newId: () => string;
  readonly settings: OrderSettings;
  /** Limits how often one person may request or decide orders. */
  readonly limiter?: RateLimiter;
}

/**
 * The order use cases. Every change of state is one conditional write (see OrderRepository.transition),
 * so two taps, two approvers or two instances cannot both win; the loser is told who won.
 */
export class OrderService {
  constructor(private readonly deps: OrderServiceDependencies) {}

  /** Makes a draft order: the confirmation card for it goes out next. Nothing is ordered yet. */
  async request(
    requester: Requester,
    subscriptionId: string,
    kind: SeatChangeKind,
    seats: number,
  ): Promise<Result<Order>> {
    const { licenses, directory, orders, clock, newId, settings } = this.deps;
    const limited = this.limited(requester);
    if (limited) return refuse(limited);
    const found = await licenses.subscriptionFor(requester.id, subscriptionId);
    if (!found.ok) return found;
    const { subscription, billingProfile } = found.value;
    const plan = planSeatChange(subscription, kind, seats, settings.maxSeatsPerOrder);
    if (!plan.ok) return plan;
    const now = clock.now();
    const priced = { ...plan.value, pricePerSeat: subscription.pricePerSeat };
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
        needsApprover: needsApprover(priced, billingProfile),
        state: 'draft',
        createdAt: now,
        expiresAt: new Date(now.getTime() + settings.orderExpiryMs),
      },
      {
        actor: { id: requester.id, name: requester.name },
        action: 'requested',
        fromState: null,
        toState: 'draft',
        at: now,
        detail: { kind, seats },
      },
    );
    return ok(order);
  }

  async get(orderId: string): Promise<Order | undefined> {
    return this.deps.orders.get(orderId);
  }

  private limited(actor: Actor): Refusal | undefined {
    const verdict = this.deps.limiter?.take(actor.id);
    return verdict && !verdict.ok
      ? { code: 'rate_limited', retryAfterSeconds: verdict.retryAfterSeconds }
      : undefined;
  }

  /** The order, if it belongs to the actor's tenant: an order of another tenant does not exist for them. */
  async orderFor(actor: Requester, orderId: string): Promise<Order | undefined> {
    const order = await this.deps.orders.get(orderId);
    if (!order) return undefined;
    return order.tenantId === null || order.tenantId === actor.tenantId ? order : undefined;
  }

  /** Approve on any card: the requester confirms a draft, or an approver approves a waiting order. */
  async approve(actor: Requester, orderId: string): Promise<Result<ApproveOutcome>> {
    const limited = this.limited(actor);
    if (limited) return refuse(limited);
    const order = await this.orderFor(actor, orderId);
    if (!order) return refuse({ code: 'order_not_found' });
    if (order.state === 'draft') return this.confirmDraft(actor, order);
    if (order.state === 'pending_approval') return this.approveAsApprover(actor, order);
    return this.alreadyDecided(order);
  }

  async reject(actor: Requester, orderId: string, reason: string | undefined): Promise<Result<Order>> {
    const limited = this.limited(actor);
    if (limited) return refuse(limited);
    const order = await this.orderFor(actor, orderId);
    if (!order) return refuse({ code: 'order_not_found' });
    const refusal = approverRefusal(this.deps.directory.user(actor.id), actor.id, order);
    if (refusal) return refuse(refusal, order);
    if (order.state === 'draft') return refuse({ code: 'not_awaiting_approval' }, order);
    if (order.state !== 'pending_approval') return this.alreadyDecided(order);
    const note = (reason ?? '').trim();
    if (note === '' || note.length > MAX_REASON_LENGTH) {
      return refuse({ code: 'reason_required', maxLength: MAX_REASON_LENGTH }, order);
    }
    return this.decide(order, 'rejected', actor, 'rejected', { outcome: 'rejected_by_approver', note });
  }

  /** The requester withdraws a draft or an order still waiting for an approver. */
  async cancel(actor: Requester, orderId: string): Promise<Result<Order>> {
    const limited = this.limited(actor);
    if (limited) return refuse(limited);
    const order = await this.orderFor(actor, orderId);
    if (!order) return refuse({ code: 'order_not_found' });
    if (actor.id !== order.requester.id)
      return refuse({ code: 'not_requester', requesterName: order.requester.name }, order);
    if (order.state !== 'draft' && order.state !== 'pending_approval') return this.alreadyDecided(order);
    return this.decide(order, 'cancelled', actor, 'cancelled', { outcome: 'cancelled_by_requester' });
  }

  /** The requester's orders, newest first, one page at a time. */
  async listRecent(
    requesterId: string,
    page: number,
    pageSize: number,
  ): Promise<{ orders: Order[]; total: number }> {
    const offset = (Math.max(1, page) - 1) * pageSize;
    const [orders, total] = await Promise.all([
      this.deps.orders.listByRequester(requesterId, pageSize, offset),
      this.deps.orders.countByRequester(requesterId),
    ]);
    return { orders, total };
  }

  /** Orders waiting for this person's approval: their billing profiles, not their own orders. */
  async awaitingApprovalBy(userId: string, limit = 20): Promise<Order[]> {
    const user = this.deps.directory.user(userId);
    if (!user) return [];
    const profiles = user.assignments
      .filter((a) => a.roles.includes('Approver'))
      .map((a) => a.billingProfileId);
    const waiting = await this.deps.orders.listAwaitingApproval(profiles, limit + 1);
    return waiting.filter((order) => order.requester.id !== userId).slice(0, limit);
  }

  /** The people who may approve this order now. */
  approversFor(order: Order): Person[] {
    return eligibleApprovers(this.deps.directory.users(), order).map(({ id, name, email }) =>
      email ? { id, name, email } : { id, name },
    );
  }

  /**
   * Places an approved order with the provider, once. Safe to call from any instance, any number of
   * times: only the caller that claims the order works on it, and the provider sees the order's
   * idempotency key on every attempt.
   */
  async submit(orderId: string): Promise<void> {
    const { orders, provider, directory, clock, settings, log } = this.deps;
    const now = clock.now();
    const claim = await orders.claimSubmission(
      orderId,
      settings.instanceId,
      new Date(now.getTime() + settings.submissionLeaseMs),
      now,
    );
    if (!claim) return;
    const { order, attempt } = claim;

    const profile = directory.billingProfile(order.billingProfileId);
    const permission = profile
      ? licensesManagerRefusal(directory.user(order.requester.id), profile)
      : ({ code: 'subscription_unmanaged', domain: order.domain } as const);
    if (permission) {
      await this.finishSubmission(order, 'failed', 'permission_lost', undefined, {
        refusal: permission.code,
      });
      return;
    }

    try {
      const result = await provider.changeQuantity({
        subscriptionId: order.subscriptionId,
        expectedQuantity: order.expectedQuantity,
        targetQuantity: order.targetQuantity,
        idempotencyKey: order.idempotencyKey,
      });
      if (result.status === 'applied') {
        await this.finishSubmission(order, 'completed', undefined, undefined, { quantity: result.quantity });
      } else if (
        result.status === 'conflict' &&
        attempt > 1 &&
        result.actualQuantity === order.targetQuantity
      ) {
        // A retry after an answer was lost (a crash, a timeout): the target holds, so the earlier attempt applied it.
        await this.finishSubmission(order, 'completed', undefined, undefined, {
          quantity: result.actualQuantity,
          verified: true,
        });
      } else if (result.status === 'conflict') {
        await this.finishSubmission(order, 'failed', 'quantity_changed', String(result.actualQuantity), {
          actualQuantity: result.actualQuantity,
        });
      } else {
        await this.finishSubmission(order, 'failed', 'provider_rejected', result.reason);
      }
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      log.warn(
        { orderId, attempt, reason: error.message },
        'provider unavailable; submission will be retried',
      );
      await this.retryLater(order, attempt, error);
    }
  }

  /** Submits every order left approved or mid-submission (after a crash, or retries that are due). */
  async resumeSubmissions(limit = 50): Promise<number> {
    const ids = await this.deps.orders.listSubmittable(this.deps.clock.now(), limit);
    for (const id of ids) await this.submit(id);
    return ids.length;
  }

  /** Expires drafts and waiting orders nobody decided in time; the requester is told. */
  async expireOverdue(limit = 100): Promise<number> {
    const { orders, clock } = this.deps;
    let expired = 0;
    for (const id of await orders.listOverdue(clock.now(), limit)) {
      const order = await orders.get(id);
      if (!order || (order.state !== 'draft' && order.state !== 'pending_approval')) continue;
      const moved = await this.move(order, 'expired', null, 'expired', { outcome: 'approval_timed_out' });
      if (moved) expired += 1;
    }
    return expired;
  }

  private async confirmDraft(actor: Requester, order: Order): Promise<Result<ApproveOutcome>> {
    if (actor.id !== order.requester.id)
      return refuse({ code: 'not_requester', requesterName: order.requester.name }, order);
    const found = await this.deps.licenses.subscriptionFor(actor.id, order.subscriptionId);
    if (!found.ok) return found;
    const { subscription, billingProfile } = found.value;
    if (subscription.quantity !== order.expectedQuantity) return this.requote(actor, order);

    if (needsApprover(order, billingProfile)) {
      const approvers = this.approversFor(order);
      if (approvers.length === 0)
        return refuse({
          code: 'no_approver',
          billingProfile: { id: billingProfile.id, name: billingProfile.name },
        });
      const moved = await this.move(
        order,
        'pending_approval',
        actor,
        'confirmed',
        {},
        { approvers: approvers.map((a) => a.id) },
      );
      return moved
        ? ok({ kind: 'awaiting_approver', order: moved, approvers })
        : this.reloadDecided(order.id);
    }
    const moved = await this.move(order, 'approved', actor, 'approved', { decidedBy: actor });
    if (!moved) return this.reloadDecided(order.id);
    this.scheduleSubmission(moved.id);
    return ok({ kind: 'submitting', order: moved });
  }

  private async approveAsApprover(actor: Actor, order: Order): Promise<Result<ApproveOutcome>> {
    const refusal = approverRefusal(this.deps.directory.user(actor.id), actor.id, order);
    if (refusal) return refuse(refusal, order);
    const approver = { id: actor.id, name: this.deps.directory.user(actor.id)?.name ?? actor.name };
    const subscription = await this.deps.provider.getSubscription(order.subscriptionId);
    if (subscription && subscription.quantity !== order.expectedQuantity) {
      const expired = await this.move(order, 'expired', approver, 'quantity_changed', {
        outcome: 'quantity_changed',
        note: String(subscription.quantity),
      });
      return expired ? ok({ kind: 'stale', order: expired }) : this.reloadDecided(order.id);
    }
    const moved = await this.move(order, 'approved', approver, 'approved', { decidedBy: approver });
    if (!moved) return this.reloadDecided(order.id);
    this.scheduleSubmission(moved.id);
    return ok({ kind: 'submitting', order: moved });
  }

  /** The card was made before the quantity changed: expire it and offer a fresh draft for the same seats. */
  private async requote(actor: Requester, order: Order): Promise<Result<ApproveOutcome>> {
    const previous = await this.move(order, 'expired', actor, 'quantity_changed', {
      outcome: 'quantity_changed',
    });
    if (!previous) return this.reloadDecided(order.id);
    const fresh = await this.request(actor, order.subscriptionId, order.kind, Math.abs(seatDelta(order)));
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
    const moved = await this.move(order, to, decidedBy, action, { ...change, decidedBy });
    return moved ? ok(moved) : this.reloadDecided(order.id);
  }

  private async finishSubmission(
    order: Order,
    to: 'completed' | 'failed',
    outcome: OrderOutcomeCode | undefined,
    note: string | undefined,
    detail: Record<string, unknown> = {},
  ): Promise<void> {
    const action = to === 'completed' ? 'submitted' : 'submission_failed';
    await this.move(
      order,
      to,
      null,
      action,
      { ...(outcome ? { outcome } : {}), ...(note ? { note } : {}) },
      detail,
      'submitting',
    );
  }

  private async retryLater(order: Order, attempt: number, error: ProviderUnavailableError): Promise<void> {
    const { orders, provider, clock, settings } = this.deps;
    if (attempt >= settings.maxSubmissionAttempts) {
      // Out of retries. Absolute quantities make the outcome checkable: if the target holds, it was applied.
      const current = await provider.getSubscription(order.subscriptionId).catch(() => undefined);
      if (current?.quantity === order.targetQuantity) {
        await this.finishSubmission(order, 'completed', undefined, undefined, {
          quantity: current.quantity,
          verified: true,
        });
      } else {
        await this.finishSubmission(order, 'failed', 'provider_unavailable', error.message, {
          attempts: attempt,
        });
      }
      return;
    }
    const now = clock.now();
    const delay = Math.max(error.retryAfterMs ?? 0, settings.retryDelayMs * 2 ** (attempt - 1));
    await orders.extendLease(order.id, settings.instanceId, new Date(now.getTime() + delay), {
      orderId: order.id,
      actor: null,
      action: 'submission_retry_scheduled',
      fromState: 'submitting',
      toState: 'submitting',
      at: now,
      detail: { attempt, retryInMs: delay },
    });
  }

  private scheduleSubmission(orderId: string): void {
    this.deps.work.run(`submit ${orderId}`, () => this.submit(orderId));
  }

  /** One conditional transition with its audit entry; the people concerned are told in the background. */
  private async move(
    order: Order,
    to: OrderState,
    actor: Actor | null,
    action: string,
    change: Omit<TransitionChange, 'at'>,
    detail: Record<string, unknown> = {},
    from: OrderState = order.state,
  ): Promise<Order | undefined> {
    const at = this.deps.clock.now();
    const audit: AuditEntry = { orderId: order.id, actor, action, fromState: from, toState: to, at, detail };
    const moved = await this.deps.orders.transition(order.id, from, to, { ...change, at }, audit);
    if (moved) {
      this.deps.work.run(`notify ${order.id} ${to}`, () => this.deps.notifier.orderChanged(moved, from));
    }
    return moved;
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
