import type {
  AbsenceResponse,
  AccessChange,
  AccessResponse,
  ApprovalsResponse,
  BulkApproveResponse,
  ErrorResponse,
  MessageResponse,
  PeopleResponse,
  ReassignResponse,
  ProfileEdit,
  OrderRequest,
  OrderResponse,
  OrdersResponse,
  SubscriptionsResponse,
} from './contract.js';
import type { Messages } from './i18n.js';
import type { Host } from './teamsHost.js';

export type ApiResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: number; readonly error: ErrorResponse };

/** The Alex Wilber of the demo directory: who the page is outside Teams unless ?devUser= says otherwise. */
export const DEFAULT_DEV_USER = '00000000-0000-0000-0000-0000000000020';

/**
 * The tab's API, signed in: in Teams with the single sign-on token (fetched again once if the server refuses it),
 * outside Teams with the local development identity, which the server accepts only in local development.
 */
export class Api {
  constructor(
    private readonly host: Host,
    private readonly locale: string,
    private readonly words: Messages,
    private readonly devUser: string,
  ) {}

  subscriptions(): Promise<ApiResult<SubscriptionsResponse>> {
    return this.call('GET', '/tab/api/subscriptions');
  }

  recentOrders(): Promise<ApiResult<OrdersResponse>> {
    return this.call('GET', '/tab/api/orders');
  }

  requestOrder(request: OrderRequest): Promise<ApiResult<OrderResponse>> {
    return this.call('POST', '/tab/api/orders', request);
  }

  order(id: string): Promise<ApiResult<OrderResponse>> {
    return this.call('GET', `/tab/api/orders/${encodeURIComponent(id)}`);
  }

  approve(id: string): Promise<ApiResult<OrderResponse>> {
    return this.call('POST', `/tab/api/orders/${encodeURIComponent(id)}/approve`, {});
  }

  cancel(id: string): Promise<ApiResult<OrderResponse>> {
    return this.call('POST', `/tab/api/orders/${encodeURIComponent(id)}/cancel`, {});
  }

  access(): Promise<ApiResult<AccessResponse>> {
    return this.call('GET', '/tab/api/access');
  }

  people(query: string): Promise<ApiResult<PeopleResponse>> {
    return this.call('GET', `/tab/api/people?q=${encodeURIComponent(query)}`);
  }

  grant(change: AccessChange): Promise<ApiResult<MessageResponse>> {
    return this.call('POST', '/tab/api/access/grants', change);
  }

  revoke(change: AccessChange): Promise<ApiResult<MessageResponse>> {
    return this.call('POST', '/tab/api/access/revokes', change);
  }

  editProfile(id: string, edit: ProfileEdit): Promise<ApiResult<MessageResponse>> {
    return this.call('POST', `/tab/api/access/profiles/${encodeURIComponent(id)}`, edit);
  }

  /** The orders waiting for this person's approval. */
  approvals(): Promise<ApiResult<ApprovalsResponse>> {
    return this.call('GET', '/tab/api/approvals');
  }

  /** Approves one or several orders as their approver; each is answered on its own. */
  approveOrders(orderIds: readonly string[]): Promise<ApiResult<BulkApproveResponse>> {
    return this.call('POST', '/tab/api/approvals/approve', { orderIds });
  }

  rejectOrder(orderId: string, reason: string): Promise<ApiResult<OrderResponse>> {
    return this.call('POST', '/tab/api/approvals/reject', { orderId, reason });
  }

  /** An Access Admin sends an escalated order to another approver. */
  reassignOrder(orderId: string, personId: string): Promise<ApiResult<ReassignResponse>> {
    return this.call('POST', '/tab/api/approvals/reassign', { orderId, personId });
  }

  /** Away until a day, a delegate deciding meanwhile (the chat's `away`). */
  away(until: string, delegate: string): Promise<ApiResult<AbsenceResponse>> {
    return this.call('POST', '/tab/api/away', { until, delegate });
  }

  /** I'm back (the chat's `back`). */
  back(): Promise<ApiResult<AbsenceResponse>> {
    return this.call('POST', '/tab/api/away/end', {});
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: object,
    retried = false,
  ): Promise<ApiResult<T>> {
    let headers: Record<string, string>;
    try {
      headers = await this.headers(body !== undefined);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, status: 401, error: { error: this.words.t('signInFailed', { reason }) } };
    }
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      return { ok: false, status: 0, error: { error: this.words.t('networkError') } };
    }
    if (response.status === 401 && this.host.inTeams && !retried) return this.call(method, path, body, true);
    const json = (await response.json().catch(() => undefined)) as unknown;
    if (response.ok && json !== undefined) return { ok: true, value: json as T };
    const error =
      json && typeof json === 'object' && typeof (json as ErrorResponse).error === 'string'
        ? (json as ErrorResponse)
        : { error: this.words.t('serverError', { status: String(response.status) }) };
    return { ok: false, status: response.status, error };
  }

  private async headers(hasBody: boolean): Promise<Record<string, string>> {
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Locale': this.locale };
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (timeZone) headers['X-Time-Zone'] = timeZone;
    if (hasBody) headers['Content-Type'] = 'application/json';
    if (this.host.inTeams) {
      const token = await this.host.token();
      if (token) headers.Authorization = `Bearer ${token}`;
    } else {
      headers['X-Dev-User'] = this.devUser;
    }
    return headers;
  }
}
