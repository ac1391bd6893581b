import { hasRole } from '../domain/access';
import {
  declineReasonRefusal,
  requestDeciderRefusal,
  requestReasonRefusal,
  type LicenseRequest,
} from '../domain/licenseRequest';
import type { LicenseRequestLink, Order } from '../domain/order';
import { ok, refuse, type Result } from '../domain/refusal';
import { planSeatChange } from '../domain/seatChange';
import type { SqlLicenseRequestStore } from '../infrastructure/requests/sqlLicenseRequestStore';
import type { LicenseService } from './licenseService';
import type { Requester } from './orderDecisions';
import type { OutboxMessage } from './outbox';
import type { AccessDirectory, Clock, Log } from './ports';

/** The messages a license request causes; each has one handler (bot/teams/requestMessageDelivery.ts). */
export const REQUEST_MESSAGES = {
  /** The request's card to one Licenses Manager of its billing profile (Order these seats, Decline). */
  card: 'request.card',
  /** Tells the requester what became of their request (ordered, declined, expired). */
  outcome: 'request.outcome',
} as const;

export interface LicenseRequestDependencies {
  readonly store: SqlLicenseRequestStore;
  readonly licenses: LicenseService;
  /** Makes the Licenses Manager's draft order (OrderService.request). */
  readonly orders: {
    request(
      requester: Requester,
      subscriptionId: string,
      kind: 'increase',
      seats: number,
      fromRequest?: LicenseRequestLink,
    ): Promise<Result<Order>>;
  };
  readonly directory: AccessDirectory;
  readonly clock: Clock;
  readonly log: Log;
  readonly newId: () => string;
  readonly settings: {
    readonly maxSeatsPerOrder: number;
    /** Requests expire like orders. */
    readonly expiryMs: number;
    readonly notificationGiveUpMs: number;
  };
  readonly messagesQueued?: () => void;
}

/**
 * License requests (README: Access): asked by someone without Licenses Manager, sent to the Licenses Managers of
 * the subscription's billing profile, ordered (a draft order of the manager's, then the usual approval rules) or
 * declined by one of them. Each move is conditional (two managers cannot both decide) and queues its messages in
 * the same transaction; every right is re-read at each tap.
 */
export class LicenseRequests {
  constructor(private readonly deps: LicenseRequestDependencies) {}

  /** The confirmation of a request: nothing is sent to anyone until its requester taps Send. */
  async draft(requester: Requester, subscriptionId: string, seats: number): Promise<Result<LicenseRequest>> {
    const { licenses, directory, clock, settings } = this.deps;
    const found = await licenses.subscriptionToAskFor(subscriptionId);
    if (!found.ok) return found;
    const { subscription, billingProfile } = found.value;
    const plan = planSeatChange(subscription, 'increase', seats, settings.maxSeatsPerOrder, clock.now());
    if (!plan.ok) return plan;
    const now = clock.now();
    return ok(
      await this.deps.store.create({
        id: this.deps.newId(),
        tenantId: requester.tenantId,
        requester: { id: requester.id, name: directory.user(requester.id)?.name ?? requester.name },
        subscriptionId: subscription.id,
        product: subscription.product,
        domain: subscription.domain,
        billingProfile: { id: billingProfile.id, name: billingProfile.name },
        seats,
        createdAt: now,
        expiresAt: new Date(now.getTime() + settings.expiryMs),
      }),
    );
  }

  /** The requester sends it, with an optional reason: a card goes to each Licenses Manager of the profile. */
  async send(
    actor: Requester,
    requestId: string,
    reason: string | undefined,
  ): Promise<Result<LicenseRequest>> {
    const request = await this.requestFor(actor, requestId);
    if (!request) return refuse({ code: 'request_not_found' });
    if (request.requester.id !== actor.id)
      return refuse({ code: 'not_request_requester', requesterName: request.requester.name });
    if (request.state !== 'draft')
      return refuse({
        code: 'request_already_decided',
        state: request.state,
        by: request.decidedBy?.name ?? null,
      });
    const tooLong = requestReasonRefusal(reason);
    if (tooLong) return refuse(tooLong);
    const managers = this.deps.directory
      .users()
      .filter((u) => hasRole(u, request.billingProfile.id, 'LicensesManager'));
    if (managers.length === 0) {
      const profile = this.deps.directory.billingProfile(request.billingProfile.id);
      return refuse({
        code: 'no_licenses_manager',
        billingProfile: request.billingProfile,
        grantors: profile?.accessAdministrators ?? [],
      });
    }
    const now = this.deps.clock.now();
    const note = (reason ?? '').trim();
    const moved = await this.deps.store.move(
      request.id,
      'draft',
      'waiting',
      { at: now, reason: note || null },
      (r) => managers.map((m) => this.message(r, REQUEST_MESSAGES.card, m.id, `card:${m.id}`)),
    );
    if (!moved) return this.alreadyDecided(request.id);
    this.deps.messagesQueued?.();
    return ok(moved);
  }

  /** The requester withdraws a request not sent yet. */
  async cancel(actor: Requester, requestId: string): Promise<Result<LicenseRequest>> {
    const request = await this.requestFor(actor, requestId);
    if (!request) return refuse({ code: 'request_not_found' });
    if (request.requester.id !== actor.id)
      return refuse({ code: 'not_request_requester', requesterName: request.requester.name });
    const moved = await this.deps.store.move(request.id, 'draft', 'cancelled', { at: this.deps.clock.now() });
    return moved ? ok(moved) : this.alreadyDecided(request.id);
  }

  /**
   * A Licenses Manager of the profile orders the seats: a draft order of theirs for the same seats (its normal
   * confirmation card goes to them next; then the usual approval rules), and the requester is told.
   */
  async order(
    actor: Requester,
    requestId: string,
  ): Promise<Result<{ request: LicenseRequest; order: Order }>> {
    const request = await this.requestFor(actor, requestId);
    if (!request) return refuse({ code: 'request_not_found' });
    const refusal = requestDeciderRefusal(this.deps.directory.user(actor.id), request);
    if (refusal) return refuse(refusal);
    const order = await this.deps.orders.request(actor, request.subscriptionId, 'increase', request.seats, {
      id: request.id,
      requesterId: request.requester.id,
    });
    if (!order.ok) return order;
    const moved = await this.deps.store.move(
      request.id,
      'waiting',
      'ordered',
      { at: this.deps.clock.now(), decidedBy: this.decider(actor), orderId: order.value.id },
      (r) => [this.message(r, REQUEST_MESSAGES.outcome, r.requester.id, 'outcome')],
    );
    if (!moved) return this.alreadyDecided(request.id);
    this.deps.messagesQueued?.();
    return ok({ request: moved, order: order.value });
  }

  /** A Licenses Manager of the profile declines, with a reason the requester is told. */
  async decline(
    actor: Requester,
    requestId: string,
    reason: string | undefined,
  ): Promise<Result<LicenseRequest>> {
    const request = await this.requestFor(actor, requestId);
    if (!request) return refuse({ code: 'request_not_found' });
    const refusal =
      requestDeciderRefusal(this.deps.directory.user(actor.id), request) ?? declineReasonRefusal(reason);
    if (refusal) return refuse(refusal);
    const moved = await this.deps.store.move(
      request.id,
      'waiting',
      'declined',
      { at: this.deps.clock.now(), decidedBy: this.decider(actor), declineReason: (reason ?? '').trim() },
      (r) => [this.message(r, REQUEST_MESSAGES.outcome, r.requester.id, 'outcome')],
    );
    if (!moved) return this.alreadyDecided(request.id);
    this.deps.messagesQueued?.();
    return ok(moved);
  }

  /** Requests nobody decided in time expire like orders; a sent one's requester is told. */
  async expireOverdue(limit = 100): Promise<number> {
    const { store, clock, log } = this.deps;
    let expired = 0;
    for (const request of await store.listOverdue(clock.now(), limit)) {
      try {
        const moved = await store.move(request.id, request.state, 'expired', { at: clock.now() }, (r) =>
          request.state === 'waiting'
            ? [this.message(r, REQUEST_MESSAGES.outcome, r.requester.id, 'outcome')]
            : [],
        );
        if (moved) expired += 1;
      } catch (error) {
        log.error({ err: error, requestId: request.id }, 'could not expire a license request');
      }
    }
    if (expired > 0) this.deps.messagesQueued?.();
    return expired;
  }

  get(requestId: string): Promise<LicenseRequest | undefined> {
    return this.deps.store.get(requestId);
  }

  /** A person's requests, newest first (the `orders` list shows them). */
  listFor(requesterId: string, limit = 10): Promise<LicenseRequest[]> {
    return this.deps.store.listByRequester(requesterId, limit);
  }

  /** The request, if it belongs to the actor's tenant: one of another tenant does not exist for them. */
  private async requestFor(actor: Requester, requestId: string): Promise<LicenseRequest | undefined> {
    const request = await this.deps.store.get(requestId.trim());
    if (!request) return undefined;
    if (request.tenantId && actor.tenantId && request.tenantId !== actor.tenantId) return undefined;
    return request;
  }

  private decider(actor: Requester) {
    return { id: actor.id, name: this.deps.directory.user(actor.id)?.name ?? actor.name };
  }

  private async alreadyDecided<T>(requestId: string): Promise<Result<T>> {
    const current = await this.deps.store.get(requestId);
    return current
      ? refuse({ code: 'request_already_decided', state: current.state, by: current.decidedBy?.name ?? null })
      : refuse({ code: 'request_not_found' });
  }

  private message(request: LicenseRequest, kind: string, personId: string, key: string): OutboxMessage {
    const now = this.deps.clock.now();
    return {
      kind,
      orderId: null,
      recipient: { kind: 'person', id: personId },
      dedupeKey: `request:${request.id}:${key}`,
      payload: { requestId: request.id, state: request.state },
      dueAt: now,
      deliverBy: new Date(now.getTime() + this.deps.settings.notificationGiveUpMs),
    };
  }
}
