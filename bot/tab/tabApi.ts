import type { TabAccessApi } from './tabAccessApi';
import type {
  AbsenceResponse,
  AbsenceView,
  ApprovalResult,
  ApprovalsResponse,
  BulkApproveResponse,
  ErrorResponse,
  OrderResponse,
  OrdersResponse,
  ReassignResponse,
  SubscriptionsResponse,
} from '../../tab/src/contract';
import { reassignedText } from '../teams/presenters/approvalText';
import { awaySetText, backText } from '../teams/presenters/awayText';
import { safeLocale } from '../domain/money';
import { translator } from '../i18n';
import type { Order } from '../domain/order';
import type { Refusal, RefusalCode } from '../domain/refusal';
import type { PlainRequest, PlainResponse } from '../server';
import type { LicenseService } from '../services/licenseService';
import type { UndeliveredNotice } from '../services/orderQueries';
import { MAX_REASON_LENGTH, type OrderService } from '../services/orderService';
import type { OrderVisibility } from '../services/orderVisibility';
import type { Audience } from '../teams/presenters/format';
import { requotedText } from '../teams/presenters/orderCardPresenter';
import { refusalText } from '../teams/presenters/refusalText';
import { replies } from '../teams/presenters/replies';
import { requestedSeats } from './requestedSeats';
import { apiHeaders } from './securityHeaders';
import { header, type TabAuthentication, type TabUser } from './tabAuthentication';
import { orderView, subscriptionRow } from './tabViews';

export interface TabApiDependencies {
  readonly authentication: TabAuthentication;
  readonly licenses: LicenseService;
  readonly orders: OrderService;
  /** Who may see an order: the same rule as the bot's card refresh (bot/domain/orderVisibility.ts). */
  readonly visibility: OrderVisibility;
  readonly maxSeatsPerOrder: number;
  /** The Access page (bot/tab/tabAccessApi.ts); without it there is none. */
  readonly access?: TabAccessApi;
}

const RECENT_ORDERS = 5;
/** Orders on the Approvals page, and the most one bulk Approve decides. */
const MAX_BULK_APPROVALS = 20;
const ORDER_PATH = /^\/tab\/api\/orders\/([^/]{1,100})(?:\/(approve|cancel))?$/;
const MAX_SUBSCRIPTION_ID_LENGTH = 200;

/** The HTTP status of each refusal: who you are (403), what does not exist (404), what changed (409), the rest 422. */
const REFUSAL_STATUS: Readonly<Record<RefusalCode, number>> = {
  missing_identity: 401,
  missing_licenses_manager: 403,
  not_in_billing_profile: 403,
  nothing_to_manage: 403,
  not_requester: 403,
  not_approver: 403,
  self_approval: 403,
  already_approved_by_you: 409,
  away_approves_nothing: 403,
  away_date_invalid: 422,
  delegate_unknown: 422,
  delegate_self: 422,
  delegate_not_eligible: 422,
  not_away: 409,
  reassign_not_admin: 403,
  reassign_own_order: 403,
  reassign_not_escalated: 409,
  reassign_unknown_person: 422,
  reassign_to_requester: 422,
  reassign_to_self: 422,
  reassign_already_approved: 422,
  reassign_not_eligible: 422,
  subscription_not_found: 404,
  order_not_found: 404,
  already_decided: 409,
  quantity_changed: 409,
  not_awaiting_approval: 409,
  subscription_unmanaged: 422,
  subscription_suspended: 422,
  decrease_not_possible: 422,
  decrease_too_many: 422,
  nothing_scheduled: 409,
  below_in_use: 422,
  above_order_maximum: 422,
  no_approver: 422,
  reason_required: 422,
  rate_limited: 429,
  not_access_admin: 403,
  not_licenses_manager_of_request: 403,
  unknown_billing_profile: 404,
  request_not_found: 404,
  no_licenses_manager: 422,
  not_request_requester: 403,
  unknown_person: 422,
  unknown_role: 422,
  malformed_object_id: 422,
  person_outside_tenants: 422,
  grant_exists: 409,
  role_not_held: 409,
  last_access_admin: 409,
  request_already_decided: 409,
  reason_too_long: 422,
  profile_name_invalid: 422,
  domain_invalid: 422,
  domain_taken: 409,
  currency_invalid: 422,
  approval_limit_invalid: 422,
  second_approval_limit_below: 422,
  decline_reason_required: 422,
};

/**
 * The tab's API under /tab/api/: the same use cases as the bot (LicenseService, OrderService), for the signed-in
 * person only. An order can be looked at by whoever may see it (the bot's rule); its requester confirms or
 * cancels it; on the Approvals page approvers approve, reject and (an Access Admin, once escalated) reassign,
 * and set their absence, through the same services and rules as the cards and the chat commands.
 */
export class TabApi {
  constructor(private readonly deps: TabApiDependencies) {}

  async handle(request: PlainRequest): Promise<PlainResponse> {
    const signIn = await this.deps.authentication.authenticate(request);
    if (!signIn.ok) {
      const response = json(signIn.status, {
        error: translator(audienceOf(request).locale).t(signIn.message),
      });
      return signIn.status === 401
        ? { ...response, headers: { ...response.headers, 'WWW-Authenticate': 'Bearer' } }
        : response;
    }
    const user = signIn.user;
    const audience = audienceOf(request);
    const { method, path } = request;

    if (path === '/tab/api/subscriptions') {
      return method === 'GET' ? this.subscriptions(user, audience) : methodNotAllowed('GET');
    }
    if (path === '/tab/api/orders') {
      if (method === 'GET') return this.recentOrders(user, audience);
      if (method === 'POST')
        return this.withJsonBody(request, (body) => this.requestOrder(user, body, audience));
      return methodNotAllowed('GET, POST');
    }
    if (this.deps.access?.handles(path)) return this.deps.access.handle(request, user, audience);
    if (path === '/tab/api/approvals') {
      return method === 'GET' ? this.approvals(user, audience) : methodNotAllowed('GET');
    }
    if (path === '/tab/api/approvals/reassign') {
      if (method !== 'POST') return methodNotAllowed('POST');
      return this.withJsonBody(request, (body) => this.reassign(user, body, audience));
    }
    if (path === '/tab/api/away' || path === '/tab/api/away/end') {
      if (method !== 'POST') return methodNotAllowed('POST');
      return this.withJsonBody(request, (body) =>
        path === '/tab/api/away' ? this.away(user, body, audience) : this.back(user, audience),
      );
    }
    if (path === '/tab/api/approvals/approve' || path === '/tab/api/approvals/reject') {
      if (method !== 'POST') return methodNotAllowed('POST');
      return this.withJsonBody(request, (body) =>
        path.endsWith('/approve')
          ? this.approveAsApprover(user, body, audience)
          : this.rejectAsApprover(user, body, audience),
      );
    }
    const match = ORDER_PATH.exec(path);
    if (match) {
      const [, orderId, verb] = match;
      if (!verb) return method === 'GET' ? this.order(user, orderId, audience) : methodNotAllowed('GET');
      if (method !== 'POST') return methodNotAllowed('POST');
      return this.withJsonBody(request, () =>
        verb === 'approve' ? this.approve(user, orderId, audience) : this.cancel(user, orderId, audience),
      );
    }
    return json(404, { error: 'There is nothing here.' });
  }

  private async subscriptions(user: TabUser, audience: Audience): Promise<PlainResponse> {
    const manageable = await this.deps.licenses.listManageable(user.requester.id);
    const body: SubscriptionsResponse = {
      user: { name: user.requester.name },
      mode: user.mode,
      subscriptions: manageable.ok
        ? manageable.value.map((s) =>
            subscriptionRow(s, this.deps.maxSeatsPerOrder, audience, this.deps.licenses.now()),
          )
        : [],
      notice: manageable.ok ? null : refusalText(manageable.refusal, audience),
    };
    return json(200, body);
  }

  private async recentOrders(user: TabUser, audience: Audience): Promise<PlainResponse> {
    const { orders } = await this.deps.orders.listRecent(user.requester.id, 1, RECENT_ORDERS);
    const undelivered = await this.deps.orders.undelivered(orders);
    const body: OrdersResponse = {
      orders: orders.map((order) => this.view(order, audience, 'requester', undelivered.get(order.id))),
    };
    return json(200, body);
  }

  private async requestOrder(user: TabUser, body: Record<string, unknown>, audience: Audience) {
    const { subscriptionId, kind, seats } = body;
    if (
      typeof subscriptionId !== 'string' ||
      subscriptionId.trim() === '' ||
      subscriptionId.length > MAX_SUBSCRIPTION_ID_LENGTH
    ) {
      return refused({ code: 'subscription_not_found' }, audience, 400);
    }
    if (kind === 'cancel_scheduled') {
      const cancelling = await this.deps.orders.requestCancelScheduled(user.requester, subscriptionId);
      if (!cancelling.ok) return refused(cancelling.refusal, audience);
      return json(201, { order: this.view(cancelling.value, audience) } satisfies OrderResponse);
    }
    if (kind !== 'increase' && kind !== 'decrease') {
      return json(400, { error: 'Say whether to add seats ("increase") or remove them ("decrease").' });
    }
    const max = this.deps.maxSeatsPerOrder;
    const count = requestedSeats(seats, max);
    if (!count.ok) {
      return json(400, { error: replies.seatCountProblem(count.problem, count.answer, max, kind, audience) });
    }
    const result = await this.deps.orders.request(user.requester, subscriptionId, kind, count.seats);
    if (!result.ok) return refused(result.refusal, audience);
    const response: OrderResponse = { order: this.view(result.value, audience) };
    return json(201, response);
  }

  private async order(user: TabUser, orderId: string, audience: Audience): Promise<PlainResponse> {
    const order = await this.deps.visibility.visibleOrder(user.requester, orderId);
    if (!order) return refused({ code: 'order_not_found' }, audience);
    const viewer = order.requester.id === user.requester.id ? 'requester' : 'other';
    const undelivered = await this.deps.orders.undelivered([order]);
    return json(200, {
      order: this.view(order, audience, viewer, undelivered.get(order.id)),
    } satisfies OrderResponse);
  }

  /** The Approve of the confirmation: submits the draft, or sends it to an approver above the approval limit. */
  private async approve(user: TabUser, orderId: string, audience: Audience): Promise<PlainResponse> {
    if (!(await this.ownOrder(user, orderId))) return refused({ code: 'order_not_found' }, audience);
    const result = await this.deps.orders.approve(user.requester, orderId);
    if (!result.ok) return refused(result.refusal, audience);
    const outcome = result.value;
    switch (outcome.kind) {
      case 'submitting':
      case 'partly_approved':
        return json(200, { order: this.view(outcome.order, audience) } satisfies OrderResponse);
      case 'awaiting_approver':
        return json(200, {
          order: orderView(
            outcome.order,
            audience,
            outcome.approvers.map((a) => a.name),
          ),
        } satisfies OrderResponse);
      case 'requoted': {
        const changed = requotedText(outcome.previous, outcome.fresh, audience);
        if (!outcome.fresh.ok) {
          return json(409, { error: `${changed} ${refusalText(outcome.fresh.refusal, audience)}` });
        }
        const body: ErrorResponse = {
          error: `${changed} Check the new numbers, then Approve again.`,
          order: this.view(outcome.fresh.value, audience),
        };
        return json(409, body);
      }
      case 'stale':
        return json(409, {
          error:
            this.view(outcome.order, audience).status?.text ??
            translator(audience.locale).t('tab.orderNotPlaced'),
        });
    }
  }

  private async cancel(user: TabUser, orderId: string, audience: Audience): Promise<PlainResponse> {
    if (!(await this.ownOrder(user, orderId))) return refused({ code: 'order_not_found' }, audience);
    const result = await this.deps.orders.cancel(user.requester, orderId);
    if (!result.ok) return refused(result.refusal, audience);
    return json(200, { order: this.view(result.value, audience) } satisfies OrderResponse);
  }

  /** The Approvals page: the orders waiting for this person's approval (as in `orders` in chat). */
  private async approvals(user: TabUser, audience: Audience): Promise<PlainResponse> {
    const waiting = await this.deps.orders.awaitingApprovalBy(user.requester.id, MAX_BULK_APPROVALS);
    // An order of another tenant does not exist for this person (as everywhere in the tab).
    const visible = waiting.filter((o) => o.tenantId === null || o.tenantId === user.requester.tenantId);
    const reassign: Record<string, { id: string; name: string }[]> = {};
    for (const order of visible) {
      const to = this.deps.orders.reassignCandidates(user.requester.id, order);
      if (to.length > 0) reassign[order.id] = to;
    }
    return json(200, {
      orders: visible.map((order) => this.view(order, audience, 'other')),
      reassign,
      absence: await this.absence(user),
    } satisfies ApprovalsResponse);
  }

  /** Reassign on the Approvals page: the same service and rule as the card's (bot/domain/approvalPolicy.ts). */
  private async reassign(
    user: TabUser,
    body: Record<string, unknown>,
    audience: Audience,
  ): Promise<PlainResponse> {
    const { orderId, personId } = body;
    if (typeof orderId !== 'string' || orderId.length > 100)
      return refused({ code: 'order_not_found' }, audience, 404);
    // Someone who may not see the order learns nothing of it (bot/domain/orderVisibility.ts).
    if (!(await this.deps.visibility.visibleOrder(user.requester, orderId)))
      return refused({ code: 'order_not_found' }, audience);
    const person = typeof personId === 'string' ? personId.slice(0, 100) : '';
    const result = await this.deps.orders.reassign(user.requester, orderId, person);
    if (!result.ok) return refused(result.refusal, audience);
    const { order, to, recipient } = result.value;
    return json(200, {
      message: reassignedText(to, recipient),
      order: this.view(order, audience, 'other'),
    } satisfies ReassignResponse);
  }

  private async absence(user: TabUser): Promise<AbsenceView> {
    const delegations = this.deps.orders.delegations;
    if (!delegations) return { approves: false, away: null, delegates: [] };
    const { approves, away, candidates } = await delegations.status(user.requester.id);
    return {
      approves,
      away: away ? { until: away.until, delegate: away.delegate.name } : null,
      delegates: candidates,
    };
  }

  /** "Away until <date>, delegate to <person>": the chat command's service and checks (bot/domain/delegation.ts). */
  private async away(
    user: TabUser,
    body: Record<string, unknown>,
    audience: Audience,
  ): Promise<PlainResponse> {
    const delegations = this.deps.orders.delegations;
    if (!delegations) return refused({ code: 'away_approves_nothing' }, audience);
    const text = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : '');
    const set = await delegations.away(user.requester, {
      until: text(body.until).trim(),
      delegate: text(body.delegate),
    });
    if (!set.ok) return refused(set.refusal, audience);
    return json(200, {
      message: awaySetText(set.value, audience, translator(audience.locale).t('tab.awayTapBack')),
      absence: await this.absence(user),
    } satisfies AbsenceResponse);
  }

  private async back(user: TabUser, audience: Audience): Promise<PlainResponse> {
    const delegations = this.deps.orders.delegations;
    if (!delegations) return refused({ code: 'not_away' }, audience);
    const ended = await delegations.back(user.requester);
    if (!ended.ok) return refused(ended.refusal, audience);
    return json(200, {
      message: backText(ended.value, audience),
      absence: await this.absence(user),
    } satisfies AbsenceResponse);
  }

  /**
   * Approve (one order, or several at once) through the same service and rules as the approval card; each order
   * answered on its own, nothing decided twice. Only orders waiting for an approver: never one's own draft.
   */
  private async approveAsApprover(
    user: TabUser,
    body: Record<string, unknown>,
    audience: Audience,
  ): Promise<PlainResponse> {
    const ids = body.orderIds;
    if (
      !Array.isArray(ids) ||
      ids.length === 0 ||
      ids.length > MAX_BULK_APPROVALS ||
      !ids.every((id) => typeof id === 'string' && id.length <= 100)
    ) {
      return json(400, {
        error: `Send "orderIds": the ids of 1 to ${MAX_BULK_APPROVALS} orders waiting for your approval.`,
      });
    }
    const results: ApprovalResult[] = [];
    for (const orderId of [...new Set(ids as string[])]) {
      results.push(await this.approveOne(user, orderId, audience));
    }
    return json(200, { results } satisfies BulkApproveResponse);
  }

  private async approveOne(user: TabUser, orderId: string, audience: Audience): Promise<ApprovalResult> {
    const order = await this.deps.orders.orderFor(user.requester, orderId);
    const answer = (refusal: Refusal, current?: Order): ApprovalResult => ({
      orderId,
      order: current ? this.view(current, audience, 'other') : null,
      error: refusalText(refusal, audience),
    });
    if (!order) return answer({ code: 'order_not_found' });
    if (order.requester.id === user.requester.id) return answer({ code: 'self_approval' }, order);
    if (order.state === 'draft') return answer({ code: 'not_awaiting_approval' }, order);
    const result = await this.deps.orders.approve(user.requester, orderId);
    if (!result.ok) return answer(result.refusal, result.current ?? order);
    const outcome = result.value;
    const now = outcome.kind === 'requoted' ? outcome.previous : outcome.order;
    return { orderId, order: this.view(now, audience, 'other'), error: null };
  }

  private async rejectAsApprover(
    user: TabUser,
    body: Record<string, unknown>,
    audience: Audience,
  ): Promise<PlainResponse> {
    const { orderId, reason } = body;
    if (typeof orderId !== 'string' || orderId.length > 100)
      return refused({ code: 'order_not_found' }, audience, 404);
    if (reason !== undefined && typeof reason !== 'string')
      return refused({ code: 'reason_required', maxLength: MAX_REASON_LENGTH }, audience);
    const result = await this.deps.orders.reject(user.requester, orderId, reason);
    if (!result.ok) return refused(result.refusal, audience);
    return json(200, { order: this.view(result.value, audience, 'other') } satisfies OrderResponse);
  }

  /** An order of someone else, or of another tenant, does not exist for this person. */
  private async ownOrder(user: TabUser, orderId: string): Promise<Order | undefined> {
    const order = await this.deps.orders.orderFor(user.requester, orderId);
    return order && order.requester.id === user.requester.id ? order : undefined;
  }

  private view(
    order: Order,
    audience: Audience,
    viewer: 'requester' | 'other' = 'requester',
    undelivered?: readonly UndeliveredNotice[],
  ) {
    const approverNames =
      order.state === 'pending_approval' ? this.deps.orders.approversFor(order).map((a) => a.name) : [];
    return orderView(order, audience, approverNames, viewer, undelivered);
  }

  /** POSTs carry JSON (a form or text body is refused): what a cross-site form could send never gets here. */
  async withJsonBody(
    request: PlainRequest,
    next: (body: Record<string, unknown>) => Promise<PlainResponse>,
  ): Promise<PlainResponse> {
    const type = header(request, 'content-type') ?? '';
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      return json(415, { error: 'Send the request as JSON (Content-Type: application/json).' });
    }
    const body = request.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body) || Buffer.isBuffer(body)) {
      return json(400, { error: 'The request body must be a JSON object.' });
    }
    return next(body as Record<string, unknown>);
  }
}

/** The reader's locale and time zone, as the page read them from Teams; anything odd falls back to en-US. */
function audienceOf(request: PlainRequest): Audience {
  const locale = safeLocale((header(request, 'x-locale') ?? '').slice(0, 35) || undefined);
  const timeZone = (header(request, 'x-time-zone') ?? '').slice(0, 64);
  return timeZone ? { locale, timeZone } : { locale };
}

export function refused(refusal: Refusal, audience: Audience, status?: number): PlainResponse {
  return json(status ?? REFUSAL_STATUS[refusal.code], { error: refusalText(refusal, audience) });
}

export function methodNotAllowed(allow: string): PlainResponse {
  const response = json(405, { error: 'That method is not allowed here.' });
  return { ...response, headers: { ...response.headers, Allow: allow } };
}

export function json(status: number, body: object): PlainResponse {
  return { status, headers: apiHeaders(), body: JSON.stringify(body) };
}
