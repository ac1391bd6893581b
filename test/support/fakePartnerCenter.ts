import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';

/**
 * A local stand-in for Microsoft Entra ID's token endpoint, the Partner Center subscriptions API and Graph
 * subscribedSkus, on 127.0.0.1. Requests and responses follow Microsoft's documented shapes
 * (Partner Center REST: subscription resources, change quantity, error codes, throttling; Graph subscribedSku).
 * Where Microsoft documents nothing, the fake says so next to what it invented.
 */

/** One request as the fake received it. Header names are lower case (node:http). */
export interface RecordedRequest {
  readonly method: string;
  /** Path and query, e.g. /v1/customers/{id}/subscriptions. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** Partner Center's Subscription resource, as the documented NCE example shows it. */
export interface FakeSubscription {
  id: string;
  offerId: string;
  offerName: string;
  friendlyName: string;
  quantity: number;
  unitType: string;
  hasPurchasableAddons: boolean;
  creationDate: string;
  effectiveStartDate: string;
  commitmentEndDate: string;
  status: 'none' | 'active' | 'pending' | 'suspended' | 'deleted' | 'expired' | 'disabled';
  autoRenewEnabled: boolean;
  isTrial: boolean;
  billingType: 'none' | 'usage' | 'license';
  billingCycle: 'unknown' | 'monthly' | 'annual' | 'none' | 'one_time' | 'triennial';
  termDuration?: string;
  renewalTermDuration: string;
  isMicrosoftProduct: boolean;
  partnerId: string;
  contractType: 'subscription' | 'product_key' | 'redemption_code';
  orderId: string;
  publisherName: string;
  links: Record<string, { uri: string; method: string; headers: Array<{ key: string; value: string }> }>;
  attributes: { etag: string; objectType: 'Subscription' };
  /** NCE: seats still inside their 7-day cancellation window, per purchase, increase or renewal. */
  refundableQuantity?: {
    totalQuantity: number;
    details: Array<{ quantity: number; allowedUntilDateTime: string }>;
  };
  /** NCE: what the next term starts with; null when nothing is scheduled. */
  scheduledNextTermInstructions?: FakeNextTermInstructions | null;
}

/** scheduledNextTermInstructions, as the "schedule changes" article documents it. */
export interface FakeNextTermInstructions {
  product: {
    productId: string;
    skuId: string;
    availabilityId: string;
    billingCycle: string;
    termDuration: string;
  };
  quantity: number;
}

/** One row of Graph subscribedSkus, as documented. */
export interface FakeSubscribedSku {
  accountName: string;
  accountId: string;
  appliesTo: 'User' | 'Company';
  capabilityStatus: 'Enabled' | 'Warning' | 'Suspended' | 'Deleted' | 'LockedOut';
  consumedUnits: number;
  id: string;
  prepaidUnits: { enabled: number; lockedOut: number; suspended: number; warning: number };
  servicePlans: Array<{
    servicePlanId: string;
    servicePlanName: string;
    provisioningStatus: string;
    appliesTo: string;
  }>;
  skuId: string;
  skuPartNumber: string;
  subscriptionIds: string[];
}

type PartnerCenterMethod = 'GET' | 'PATCH';

/** Faults the next Partner Center calls suffer; each counter counts down as it fires. */
export interface FakeFaults {
  /** Answer 429 with the documented throttling body and this Retry-After (seconds or an HTTP date). */
  throttle: { times: number; retryAfter: string; only?: PartnerCenterMethod };
  /** Answer with this 5xx status before doing anything. */
  serverErrors: { times: number; status: number; only?: PartnerCenterMethod };
  /** Successful PATCHes (fresh or replayed by MS-RequestId) are applied, then never answered. */
  hangAfterApply: number;
  /** PATCHes answer 202 with a Location; the change shows after that many GETs of the subscription. */
  acceptLater: { times: number; readsUntilApplied: number };
  /** PATCHes are refused with this status and body before anything is applied. */
  reject: { times: number; status: number; body: unknown };
}

export interface FakePartnerCenterOptions {
  readonly partnerTenantId?: string;
  readonly customerTenantId?: string;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Items per page of the subscription list; the rest follow through links.next. */
  readonly pageSize?: number;
  /** The fake's clock: cancellation windows close by it. */
  readonly now?: () => Date;
}

/** Microsoft's cancellation window after a purchase, an increase or a renewal. */
const WINDOW_MS = 168 * 3_600_000;

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface IssuedToken {
  readonly token: string;
  readonly tenant: string;
  readonly scope: string;
}

const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const MAX_QUANTITY = 300;

/** Partner Center's documented error body. */
function pcError(status: number, code: number, description: string): Reply {
  return { status, body: { code, description, data: [], source: 'PartnerFD' } };
}

export class FakePartnerCenter {
  readonly partnerTenantId: string;
  readonly customerTenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly requests: RecordedRequest[] = [];
  readonly subscriptions = new Map<string, FakeSubscription>();
  skus: FakeSubscribedSku[] = [];
  /** Subscriptions past their 7-day window: a decrease is refused with the documented 800090. */
  readonly decreaseLocked = new Set<string>();
  /**
   * Scheduled changes set or cleared, in order; and those a change now deleted (Microsoft: "If you make a mid-term
   * (immediate) change before your renewal date, all scheduled changes ... are deleted").
   */
  readonly scheduled: Array<{
    subscriptionId: string;
    quantity: number | null;
    requestId: string | undefined;
  }> = [];
  readonly deletedSchedules: Array<{ subscriptionId: string; quantity: number }> = [];
  now: () => Date;
  readonly faults: FakeFaults = {
    throttle: { times: 0, retryAfter: '1' },
    serverErrors: { times: 0, status: 503 },
    hangAfterApply: 0,
    acceptLater: { times: 0, readsUntilApplied: 1 },
    reject: { times: 0, status: 400, body: {} },
  };
  /** Every quantity change actually applied, in order: what a test counts. */
  readonly applied: Array<{
    subscriptionId: string;
    from: number;
    to: number;
    requestId: string | undefined;
  }> = [];
  readonly issuedTokens: IssuedToken[] = [];
  private readonly pageSize: number | undefined;
  /**
   * MS-RequestId → the first answer, replayed on a repeat without applying again. Microsoft documents the header
   * as the call's idempotency key, to be reused when a call timed out; it documents neither how long a key is
   * remembered nor whether a repeat's body is looked at. This fake remembers every key and answers a repeat
   * before reading its body: what the provider's confirmation after a lost answer relies on (lookUpChange).
   */
  private readonly answered = new Map<string, Reply>();
  private readonly pending = new Map<
    string,
    { quantity: number; readsLeft: number; requestId: string | undefined }
  >();
  private server: Server | undefined;
  private etagVersion = 0;

  constructor(options: FakePartnerCenterOptions = {}) {
    this.partnerTenantId = options.partnerTenantId ?? 'b0c2c8f5-1f9e-4c6a-9d1e-000000000001';
    this.customerTenantId = options.customerTenantId ?? 'd8202a51-69cb-4b8a-8c3e-000000000002';
    this.clientId = options.clientId ?? '11111111-2222-3333-4444-555555555555';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret';
    this.pageSize = options.pageSize;
    this.now = options.now ?? (() => new Date());
  }

  get url(): string {
    const address = this.server?.address();
    if (!address || typeof address === 'string') throw new Error('fake Partner Center is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /**
   * The OpenID configuration MSAL gets as `authorityMetadata`: only the token endpoint is used, here.
   * The authority itself stays https://login.microsoftonline.com (MSAL requires https).
   */
  get authorityMetadata(): string {
    const base = `${this.url}/{tenant}`;
    return JSON.stringify({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
      jwks_uri: `${base}/discovery/v2.0/keys`,
    });
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.receive(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    // Hanging responses keep their sockets open; close them so the server can stop.
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Adds a subscription built from the docs' NCE example; `fields` override its values. */
  addSubscription(
    fields: Partial<FakeSubscription> & Pick<FakeSubscription, 'id' | 'offerId' | 'offerName'>,
  ): FakeSubscription {
    const subscription: FakeSubscription = {
      friendlyName: fields.offerName,
      quantity: 10,
      unitType: 'Licenses',
      hasPurchasableAddons: false,
      creationDate: '2025-01-14T16:57:15.0966728Z',
      effectiveStartDate: '2025-01-14T16:57:14.498252Z',
      commitmentEndDate: '2026-01-13T00:00:00Z',
      status: 'active',
      autoRenewEnabled: true,
      isTrial: false,
      billingType: 'license',
      billingCycle: 'monthly',
      termDuration: 'P1Y',
      renewalTermDuration: '',
      isMicrosoftProduct: true,
      partnerId: '',
      contractType: 'subscription',
      orderId: '34b37d7340cc',
      publisherName: 'Microsoft Corporation',
      links: {},
      attributes: { etag: this.nextEtag(fields.id), objectType: 'Subscription' },
      ...fields,
    };
    subscription.links = {
      ...subscription.links,
      self: {
        uri: `/customers/${this.customerTenantId}/subscriptions/${subscription.id}`,
        method: 'GET',
        headers: [],
      },
    };
    this.subscriptions.set(subscription.id, subscription);
    return subscription;
  }

  /** Adds a Graph SKU with the documented fields. */
  addSku(
    fields: Pick<FakeSubscribedSku, 'skuId' | 'skuPartNumber' | 'consumedUnits'> & Partial<FakeSubscribedSku>,
  ): void {
    this.skus.push({
      accountName: 'Contoso',
      accountId: this.customerTenantId,
      appliesTo: 'User',
      capabilityStatus: 'Enabled',
      id: `${this.customerTenantId}_${fields.skuId}`,
      prepaidUnits: { enabled: 25, lockedOut: 0, suspended: 0, warning: 0 },
      servicePlans: [],
      subscriptionIds: [],
      ...fields,
    });
  }

  /** Requests to the Partner Center API only (not the token endpoint, not Graph). */
  partnerCenterRequests(method?: string): RecordedRequest[] {
    return this.requests.filter(
      (r) => r.path.startsWith('/v1/') && (method === undefined || r.method === method),
    );
  }

  tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.includes('/oauth2/v2.0/token'));
  }

  graphRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/v1.0/'));
  }

  private receive(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    let body: unknown = raw;
    if ((req.headers['content-type'] ?? '').includes('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    this.requests.push({ method, path, headers: req.headers, body });
    const reply = this.route(method, new URL(path, 'http://fake'), req.headers, body, raw);
    if (!reply) return; // a hang: the client gives up on its own
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
    res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  private route(
    method: string,
    url: URL,
    headers: IncomingHttpHeaders,
    body: unknown,
    raw: string,
  ): Reply | undefined {
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (token && method === 'POST') return this.issueToken(token[1], raw);

    if (url.pathname === '/v1.0/subscribedSkus' && method === 'GET') {
      if (!this.authorized(headers, this.customerTenantId, GRAPH_SCOPE)) return graphUnauthorized();
      return {
        status: 200,
        body: {
          '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscribedSkus',
          value: this.skus,
        },
      };
    }

    const list = /^\/v1\/customers\/([^/]+)\/subscriptions$/.exec(url.pathname);
    const one = /^\/v1\/customers\/([^/]+)\/subscriptions\/([^/]+)$/.exec(url.pathname);
    if (!list && !one) return pcError(404, 0, `${method} ${url.pathname} is not part of this fake`);
    if (!this.authorized(headers, this.partnerTenantId, PARTNER_CENTER_SCOPE))
      return {
        ...pcError(401, 400, 'Access denied'),
        headers: { 'www-authenticate': 'OAuth realm=urn:cpsvc:cpid:fake' },
      };
    const customer = (list ?? one)?.[1];
    if (customer !== this.customerTenantId)
      return pcError(403, 20002, 'Partner does not have commerce relationship with the customer.');

    const fault = this.transientFault(method as PartnerCenterMethod);
    if (fault) return fault;
    if (list && method === 'GET') return this.listPage(url, headers);
    if (one && method === 'GET') return this.read(decodeURIComponent(one[2]));
    if (one && method === 'PATCH') return this.patch(decodeURIComponent(one[2]), headers, body);
    return pcError(405, 0, `${method} is not allowed here`);
  }

  private issueToken(tenant: string, raw: string): Reply {
    const form = new URLSearchParams(raw);
    if (form.get('grant_type') !== 'client_credentials')
      return { status: 400, body: { error: 'unsupported_grant_type', error_description: 'AADSTS70003' } };
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret)
      return {
        status: 401,
        body: {
          error: 'invalid_client',
          error_description: 'AADSTS7000215: Invalid client secret provided.',
        },
      };
    const scope = form.get('scope') ?? '';
    const token = `fake-access-token-${randomUUID()}`;
    this.issuedTokens.push({ token, tenant, scope });
    return {
      status: 200,
      body: { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token },
    };
  }

  private authorized(headers: IncomingHttpHeaders, tenant: string, scope: string): boolean {
    const match = /^Bearer (.+)$/.exec(headers.authorization ?? '');
    return this.issuedTokens.some(
      (t) => t.token === match?.[1] && t.tenant === tenant && t.scope.split(' ').includes(scope),
    );
  }

  private transientFault(method: PartnerCenterMethod): Reply | undefined {
    const { throttle, serverErrors } = this.faults;
    if (throttle.times > 0 && (throttle.only === undefined || throttle.only === method)) {
      throttle.times -= 1;
      const seconds = /^\d+$/.test(throttle.retryAfter) ? throttle.retryAfter : 'a few';
      return {
        status: 429,
        headers: { 'retry-after': throttle.retryAfter },
        body: { statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
      };
    }
    if (serverErrors.times > 0 && (serverErrors.only === undefined || serverErrors.only === method)) {
      serverErrors.times -= 1;
      return pcError(serverErrors.status, 0, 'Exception not defined');
    }
    return undefined;
  }

  /**
   * The documented envelope. Paging: the subscriptions page documents no paging parameters; this follows
   * Partner Center's pattern for other collections (links.next with an MS-ContinuationToken header).
   */
  private listPage(url: URL, headers: IncomingHttpHeaders): Reply {
    const all = [...this.subscriptions.values()].map((s) => this.observe(s.id) ?? s);
    const continuation = headers['ms-continuationtoken'];
    const start =
      url.searchParams.get('seekOperation') === 'Next' && typeof continuation === 'string'
        ? Number(continuation)
        : 0;
    const size = this.pageSize ?? all.length;
    const items = all.slice(start, start + size);
    const next = start + size < all.length;
    return {
      status: 200,
      body: {
        totalCount: items.length,
        items,
        ...(next
          ? {
              links: {
                next: {
                  uri: `/customers/${this.customerTenantId}/subscriptions?seekOperation=Next`,
                  method: 'GET',
                  headers: [{ key: 'MS-ContinuationToken', value: String(start + size) }],
                },
              },
            }
          : {}),
        attributes: { objectType: 'Collection' },
      },
    };
  }

  private read(id: string): Reply {
    const subscription = this.observe(id) ?? this.subscriptions.get(id);
    return subscription ? { status: 200, body: subscription } : notFound(id);
  }

  /** A PATCH whose outcome is a success can be made to hang after the fact: the answer is lost, not the change. */
  private patch(id: string, headers: IncomingHttpHeaders, body: unknown): Reply | undefined {
    const reply = this.patchOnce(id, headers, body);
    if (reply.status >= 200 && reply.status < 300 && this.faults.hangAfterApply > 0) {
      this.faults.hangAfterApply -= 1;
      return undefined;
    }
    return reply;
  }

  private patchOnce(id: string, headers: IncomingHttpHeaders, body: unknown): Reply {
    const requestId = typeof headers['ms-requestid'] === 'string' ? headers['ms-requestid'] : undefined;
    const first = requestId ? this.answered.get(requestId) : undefined;
    if (first) return first;
    if (
      !(headers['content-type'] ?? '').includes('application/json') ||
      typeof body !== 'object' ||
      body === null
    )
      return pcError(400, 0, 'The request body must be a JSON Subscription resource.');

    const { reject, acceptLater } = this.faults;
    if (reject.times > 0) {
      reject.times -= 1;
      return this.remember(requestId, { status: reject.status, body: reject.body });
    }
    const current = this.subscriptions.get(id);
    if (!current) return this.remember(requestId, notFound(id));
    const wanted = body as Partial<FakeSubscription>;
    if (current.status === 'deleted')
      return this.remember(
        requestId,
        pcError(400, 2011, `Subscription with ID ${id} and deleted status cannot be updated.`),
      );
    if (current.status === 'suspended')
      return this.remember(
        requestId,
        pcError(
          400,
          2001,
          'Subscription quantity cannot be increased or decreased while subscription is being suspended',
        ),
      );
    if (wanted.attributes?.etag !== undefined && wanted.attributes.etag !== current.attributes.etag)
      return this.remember(requestId, pcError(400, 2055, 'Etag is no longer valid'));
    const quantity = wanted.quantity;
    if (
      typeof quantity !== 'number' ||
      !Number.isInteger(quantity) ||
      quantity < 1 ||
      quantity > MAX_QUANTITY
    )
      return this.remember(
        requestId,
        pcError(400, 2002, 'Subscription quantity is not within minimum and maximum allowed quantity'),
      );
    if (
      'scheduledNextTermInstructions' in wanted &&
      quantity === current.quantity &&
      JSON.stringify(wanted.scheduledNextTermInstructions ?? null) !==
        JSON.stringify(current.scheduledNextTermInstructions ?? null)
    )
      return this.remember(
        requestId,
        this.schedule(current, wanted.scheduledNextTermInstructions ?? null, requestId),
      );
    if (quantity < current.quantity && this.decreaseLocked.has(id))
      return this.remember(requestId, pcError(400, 800090, 'Subscription quantity cannot be decreased.'));
    if (quantity < current.quantity && current.refundableQuantity) {
      const open = this.openWindows(current).reduce((sum, d) => sum + d.quantity, 0);
      if (current.quantity - quantity > open)
        return this.remember(requestId, pcError(400, 800090, 'Subscription quantity cannot be decreased.'));
    }

    if (acceptLater.times > 0) {
      acceptLater.times -= 1;
      this.pending.set(id, { quantity, readsLeft: acceptLater.readsUntilApplied, requestId });
      return this.remember(requestId, {
        status: 202,
        headers: { location: `/customers/${this.customerTenantId}/subscriptions/${id}` },
      });
    }
    return this.remember(requestId, { status: 200, body: this.apply(id, quantity, requestId) });
  }

  /**
   * A scheduled change (set or cleared), enforced as the "schedule changes" article describes it: auto-renew must
   * be on; this fake accepts only a change of quantity (the same product, SKU, availability, billing cycle and
   * term as the subscription). The refusal's code and words are the fake's own: Microsoft documents none.
   */
  private schedule(
    current: FakeSubscription,
    instructions: FakeNextTermInstructions | null,
    requestId: string | undefined,
  ): Reply {
    if (instructions !== null) {
      if (!current.autoRenewEnabled)
        return pcError(400, 0, 'Scheduled changes require auto renew to be enabled on the subscription.');
      const [productId, skuId, availabilityId] = current.offerId.split(':');
      const p = instructions.product;
      if (
        p?.productId !== productId ||
        p.skuId !== skuId ||
        p.availabilityId !== availabilityId ||
        p.billingCycle !== current.billingCycle ||
        p.termDuration !== current.termDuration
      )
        return pcError(400, 0, 'This fake schedules quantity changes only: the product and term must stay.');
      if (
        !Number.isInteger(instructions.quantity) ||
        instructions.quantity < 1 ||
        instructions.quantity > MAX_QUANTITY
      )
        return pcError(400, 2002, 'Subscription quantity is not within minimum and maximum allowed quantity');
    }
    const updated: FakeSubscription = {
      ...current,
      scheduledNextTermInstructions: instructions,
      attributes: { ...current.attributes, etag: this.nextEtag(current.id) },
    };
    this.subscriptions.set(current.id, updated);
    this.scheduled.push({ subscriptionId: current.id, quantity: instructions?.quantity ?? null, requestId });
    return { status: 200, body: updated };
  }

  /** The windows still open by the fake's clock. */
  private openWindows(
    subscription: FakeSubscription,
  ): Array<{ quantity: number; allowedUntilDateTime: string }> {
    const now = this.now().getTime();
    return (subscription.refundableQuantity?.details ?? []).filter(
      (d) => d.quantity > 0 && Date.parse(d.allowedUntilDateTime) > now,
    );
  }

  /** A change now: uses up or opens cancellation windows, and deletes any scheduled change. */
  private apply(id: string, quantity: number, requestId: string | undefined): FakeSubscription {
    const current = this.subscriptions.get(id);
    if (!current) throw new Error(`fake: no subscription ${id}`);
    let refundableQuantity = current.refundableQuantity;
    if (refundableQuantity) {
      let details = this.openWindows(current).map((d) => ({ ...d }));
      let removed = current.quantity - quantity;
      for (const d of details) {
        const used = Math.min(Math.max(removed, 0), d.quantity);
        d.quantity -= used;
        removed -= used;
      }
      details = details.filter((d) => d.quantity > 0);
      if (quantity > current.quantity)
        details.push({
          quantity: quantity - current.quantity,
          allowedUntilDateTime: new Date(this.now().getTime() + WINDOW_MS).toISOString(),
        });
      refundableQuantity = { totalQuantity: details.reduce((sum, d) => sum + d.quantity, 0), details };
    }
    if (current.scheduledNextTermInstructions)
      this.deletedSchedules.push({
        subscriptionId: id,
        quantity: current.scheduledNextTermInstructions.quantity,
      });
    const updated: FakeSubscription = {
      ...current,
      quantity,
      ...(refundableQuantity ? { refundableQuantity } : {}),
      ...('scheduledNextTermInstructions' in current ? { scheduledNextTermInstructions: null } : {}),
      attributes: { ...current.attributes, etag: this.nextEtag(id) },
    };
    this.subscriptions.set(id, updated);
    this.applied.push({ subscriptionId: id, from: current.quantity, to: quantity, requestId });
    return updated;
  }

  /** A read of a subscription with a change accepted (202) counts towards that change taking effect. */
  private observe(id: string): FakeSubscription | undefined {
    const pending = this.pending.get(id);
    if (!pending) return undefined;
    pending.readsLeft -= 1;
    if (pending.readsLeft > 0) return undefined;
    this.pending.delete(id);
    return this.apply(id, pending.quantity, pending.requestId);
  }

  private remember(requestId: string | undefined, reply: Reply): Reply {
    if (requestId) this.answered.set(requestId, reply);
    return reply;
  }

  private nextEtag(id: string): string {
    this.etagVersion += 1;
    return Buffer.from(JSON.stringify({ id, version: this.etagVersion })).toString('base64');
  }
}

function notFound(id: string): Reply {
  return pcError(404, 20003, `Subscription with ID ${id} not found.`);
}

function graphUnauthorized(): Reply {
  return {
    status: 401,
    body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } },
  };
}
