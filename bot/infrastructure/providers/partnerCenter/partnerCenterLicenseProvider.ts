import { randomUUID } from 'node:crypto';
import { parseMoney, type Money } from '../../../domain/money';
import type { Subscription } from '../../../domain/subscription';
import {
  ProviderUnavailableError,
  type ChangeRecord,
  type Clock,
  type LicenseProvider,
  type Log,
  type QuantityChange,
  type QuantityChangeResult,
} from '../../../services/ports';
import { systemClock } from '../../clock';
import {
  isRecord,
  isSubscription,
  type GraphSubscribedSku,
  type PartnerCenterLink,
  type PartnerCenterSubscription,
} from './partnerCenterResources';
import { planForTermDuration } from './planForTermDuration';
import { rejectionReason } from './rejectionReason';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_RETRY,
  ResilientHttpClient,
  type ApiResponse,
  type RetryOptions,
} from './resilientHttpClient';
import type { TokenSource } from './tokenSource';
import { UnexpectedResponseError } from './unexpectedResponseError';

/** A seat's monthly price as configured: a plain decimal amount ("12.50") in an ISO 4217 currency. */
export interface SeatPrice {
  readonly amount: string;
  readonly currency: string;
}

export interface PartnerCenterOptions {
  /** The customer's Entra tenant id, which Partner Center uses as the customer id. */
  readonly customerTenantId: string;
  /** Reported as every subscription's domain: the billing profile that manages this customer. */
  readonly customerDomain: string;
  /** Bearer tokens: Partner Center's from the partner tenant, Graph's from the customer tenant. */
  readonly tokens: { readonly partnerCenter: TokenSource; readonly graph: TokenSource };
  /**
   * Seat prices, keyed by Partner Center subscription id, offerId, or the NCE offer's `productId:skuId`
   * (first match wins). Partner Center subscriptions carry no price, and a made-up one would slip past the
   * approval limits, so a subscription without a configured price is not offered at all (a warning is logged).
   */
  readonly prices: Readonly<Record<string, SeatPrice>>;
  /**
   * Which Graph SKU (skuId or skuPartNumber) counts a subscription's assigned seats, keyed like `prices`.
   * Microsoft documents no join between a Partner Center subscription and a Graph SKU, hence the map.
   * Unmapped subscriptions report 0 seats in use: the domain type has no "unknown". Graph counts per SKU,
   * so two subscriptions of the same SKU (say a monthly and an annual one) both report the SKU's total.
   */
  readonly skus?: Readonly<Record<string, string>>;
  /** Default https://api.partnercenter.microsoft.com. */
  readonly partnerCenterUrl?: string;
  /** Default https://graph.microsoft.com. */
  readonly graphUrl?: string;
  /** Per request, default 30 s. */
  readonly requestTimeoutMs?: number;
  readonly retry?: Partial<RetryOptions>;
  /** After a PATCH answered 202: how often and how many times to read the subscription back. */
  readonly polling?: { readonly intervalMs?: number; readonly maxPolls?: number };
  /** Injected so tests neither wait nor depend on chance. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly clock?: Clock;
  readonly newGuid?: () => string;
  readonly log?: Log;
}

const DEFAULT_PARTNER_CENTER_URL = 'https://api.partnercenter.microsoft.com';
const DEFAULT_GRAPH_URL = 'https://graph.microsoft.com';
const DEFAULT_POLL_INTERVAL_MS = 5_000;
const DEFAULT_MAX_POLLS = 12;
/** A guard against a server whose next link never ends. */
const MAX_PAGES = 100;
/**
 * The version a confirmation is sent against: none Partner Center ever issued. A PATCH whose MS-RequestId
 * Partner Center has seen is answered with its first answer; an unseen one is checked like any request, and
 * refused for writing a version that is not current (error 2055). So the confirmation can report an earlier
 * change, and never makes one.
 */
const NO_CURRENT_VERSION = 'license-desk-confirmation';

const NO_AUTO_RENEW_REASON =
  'Auto-renew is off for this subscription at Microsoft, so no reduction can be scheduled for its renewal. ' +
  'Ask your Microsoft 365 administrator to turn auto-renew on, then order again.';

const SUSPENDED_REASON =
  'The subscription is not active at Microsoft, so its seats cannot be changed. Ask your Microsoft 365 ' +
  'administrator to reactivate it, then order again.';

/**
 * License provider for one customer of a Microsoft CSP partner, through the Partner Center REST API.
 * A quantity change reads the subscription, checks it still has the expected quantity, and PATCHes the
 * whole resource with the new absolute quantity, MS-RequestId set to the order's idempotency key so a retry
 * is never applied twice. Seats in use come from Microsoft Graph subscribedSkus in the customer's tenant.
 */
export class PartnerCenterLicenseProvider implements LicenseProvider {
  private readonly partnerCenter: ResilientHttpClient;
  private readonly graph: ResilientHttpClient;
  private readonly partnerCenterUrl: URL;
  private readonly graphUrl: URL;
  private readonly prices = new Map<string, Money>();
  private readonly skus: ReadonlyMap<string, string>;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly pollIntervalMs: number;
  private readonly maxPolls: number;
  private readonly unpricedWarned = new Set<string>();

  constructor(private readonly options: PartnerCenterOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const shared = {
      retry: { ...DEFAULT_RETRY, ...options.retry },
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      sleep: this.sleep,
      random: options.random ?? Math.random,
      clock: options.clock ?? systemClock,
      newGuid: options.newGuid ?? randomUUID,
      log: options.log,
    };
    this.partnerCenter = new ResilientHttpClient({
      ...shared,
      service: 'Partner Center',
      idHeaders: 'partner-center',
      tokens: options.tokens.partnerCenter,
    });
    this.graph = new ResilientHttpClient({
      ...shared,
      service: 'Microsoft Graph',
      idHeaders: 'graph',
      tokens: options.tokens.graph,
    });
    this.partnerCenterUrl = new URL(options.partnerCenterUrl ?? DEFAULT_PARTNER_CENTER_URL);
    this.graphUrl = new URL(options.graphUrl ?? DEFAULT_GRAPH_URL);
    // Parsed now so a wrong price stops start-up instead of the first listing.
    for (const [key, price] of Object.entries(options.prices))
      this.prices.set(key, parseMoney(price.amount, price.currency));
    this.skus = new Map(Object.entries(options.skus ?? {}));
    this.pollIntervalMs = options.polling?.intervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.maxPolls = options.polling?.maxPolls ?? DEFAULT_MAX_POLLS;
  }

  async listSubscriptions(): Promise<Subscription[]> {
    const [resources, skus] = await Promise.all([this.listResources(), this.subscribedSkus()]);
    return resources
      .filter((resource) => resource.status !== 'deleted')
      .flatMap((resource) => this.toSubscription(resource, skus) ?? [])
      .sort((a, b) => a.product.localeCompare(b.product) || a.id.localeCompare(b.id));
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    const [resource, skus] = await Promise.all([this.readResource(id), this.subscribedSkus()]);
    if (!resource || resource.status === 'deleted') return undefined;
    return this.toSubscription(resource, skus);
  }

  async changeQuantity(change: QuantityChange): Promise<QuantityChangeResult> {
    const url = this.subscriptionUrl(change.subscriptionId);
    const read = await this.partnerCenter.send({ method: 'GET', url });
    if (read.status >= 400 && read.status < 500)
      return { status: 'rejected', reason: rejectionReason(read.status, read.body) };
    const current = this.expectSubscription(read, 'GET subscription');
    if (current.status === 'deleted')
      return { status: 'rejected', reason: rejectionReason(400, { code: 2011 }) };
    if (change.timing === 'at_renewal') return this.schedule(change, current, url);

    if (current.quantity !== change.expectedQuantity) {
      // Already at the target: this key's own change (an answer lost on the way) or someone else's.
      // Partner Center's record of the key tells which; the quantity alone does not.
      if (current.quantity === change.targetQuantity) {
        const record = await this.confirm(change, current, url);
        if (record.status === 'applied') return { status: 'applied', quantity: record.quantity };
      }
      return { status: 'conflict', actualQuantity: current.quantity };
    }
    if (current.status !== undefined && current.status !== 'active')
      return { status: 'rejected', reason: SUSPENDED_REASON };

    const patched = await this.partnerCenter.send({
      method: 'PATCH',
      url,
      requestId: change.idempotencyKey,
      body: { ...current, quantity: change.targetQuantity },
    });
    if (patched.status === 202)
      return this.awaitQuantity(
        patched,
        url,
        (s) => s.quantity === change.targetQuantity,
        change.targetQuantity,
      );
    if (patched.status >= 200 && patched.status < 300) {
      const quantity = isSubscription(patched.body) ? patched.body.quantity : change.targetQuantity;
      return { status: 'applied', quantity };
    }
    if (patched.status >= 400 && patched.status < 500)
      return { status: 'rejected', reason: rejectionReason(patched.status, patched.body) };
    throw new ProviderUnavailableError(
      `Partner Center answered PATCH subscription with HTTP ${patched.status}`,
    );
  }

  /**
   * After a lost answer: the subscription still at the expected quantity means the change is not in effect (a
   * retry with the same MS-RequestId is safe); at the target quantity, Partner Center's record of the request
   * id decides (see confirm); any other quantity cannot be explained safely and is reported as unknown.
   */
  async lookUpChange(change: QuantityChange): Promise<ChangeRecord> {
    const url = this.subscriptionUrl(change.subscriptionId);
    const read = await this.partnerCenter.send({ method: 'GET', url });
    if (read.status >= 400 && read.status < 500)
      return { status: 'unknown', detail: `read_http_${read.status}` };
    const current = this.expectSubscription(read, 'GET subscription');
    if (change.timing === 'at_renewal') {
      const scheduled = scheduledQuantity(current);
      if (scheduled === scheduledTarget(change)) return this.confirm(change, current, url);
      if (scheduled === (change.expectedScheduled ?? null)) return { status: 'not_applied' };
      return { status: 'unknown', detail: `scheduled_now_${scheduled ?? 'none'}` };
    }
    if (current.quantity === change.expectedQuantity) return { status: 'not_applied' };
    if (current.quantity === change.targetQuantity) return this.confirm(change, current, url);
    return { status: 'unknown', detail: `quantity_now_${current.quantity}` };
  }

  /**
   * Sends the order's PATCH again with the same MS-RequestId, which Partner Center answers idempotently: a
   * request id it has applied gets its first answer back. Sent only when the quantity already is the target,
   * against a version that is not current: as a new request it could change nothing, and is refused (2055).
   */
  private async confirm(
    change: QuantityChange,
    current: PartnerCenterSubscription,
    url: string,
  ): Promise<ChangeRecord> {
    const replay = await this.partnerCenter.send({
      method: 'PATCH',
      url,
      requestId: change.idempotencyKey,
      body: {
        ...(change.timing === 'at_renewal' ? scheduleBody(current, change) : current),
        ...(change.timing === 'at_renewal' ? {} : { quantity: change.targetQuantity }),
        attributes: { ...current.attributes, etag: NO_CURRENT_VERSION },
      },
    });
    if (replay.status === 200 || replay.status === 201) {
      if (change.timing === 'at_renewal') {
        const scheduled = isSubscription(replay.body)
          ? scheduledQuantity(replay.body)
          : scheduledTarget(change);
        if (scheduled === scheduledTarget(change))
          return { status: 'applied', quantity: change.targetQuantity };
      } else {
        const quantity = isSubscription(replay.body) ? replay.body.quantity : change.targetQuantity;
        if (quantity === change.targetQuantity) return { status: 'applied', quantity };
      }
    }
    // Accepted earlier (202) and now showing the target: that accepted change is in effect.
    if (replay.status === 202) return { status: 'applied', quantity: change.targetQuantity };
    const code = isRecord(replay.body) ? replay.body.code : undefined;
    return {
      status: 'unknown',
      detail: `partner_center_http_${replay.status}${code !== undefined ? `_code_${String(code)}` : ''}`,
    };
  }

  private async listResources(): Promise<PartnerCenterSubscription[]> {
    const items: PartnerCenterSubscription[] = [];
    let url: string | undefined = this.partnerCenterPath(
      `/v1/customers/${encodeURIComponent(this.options.customerTenantId)}/subscriptions`,
    );
    let headers: Record<string, string> | undefined;
    for (let page = 1; url; page += 1) {
      if (page > MAX_PAGES)
        throw new Error(`Partner Center listed more than ${MAX_PAGES} pages of subscriptions`);
      const response = await this.partnerCenter.send({ method: 'GET', url, headers });
      if (response.status !== 200 || !isRecord(response.body) || !Array.isArray(response.body.items))
        throw new UnexpectedResponseError(
          'Partner Center',
          'GET subscriptions',
          response.status,
          response.body,
        );
      for (const item of response.body.items) {
        if (isSubscription(item)) items.push(item);
        else
          this.options.log?.warn(
            { customer: this.options.customerTenantId },
            'skipped a malformed subscription',
          );
      }
      const next = isRecord(response.body.links) ? response.body.links.next : undefined;
      ({ url, headers } = isLink(next)
        ? { url: this.resolveLink(next.uri), headers: linkHeaders(next) }
        : { url: undefined, headers: undefined });
    }
    return items;
  }

  private async readResource(id: string): Promise<PartnerCenterSubscription | undefined> {
    const response = await this.partnerCenter.send({ method: 'GET', url: this.subscriptionUrl(id) });
    if (response.status === 404) return undefined;
    return this.expectSubscription(response, 'GET subscription');
  }

  /** Graph's subscribedSkus, or none when no SKU is mapped (then Graph is not asked, nor needs granting). */
  private async subscribedSkus(): Promise<GraphSubscribedSku[]> {
    if (this.skus.size === 0) return [];
    const skus: GraphSubscribedSku[] = [];
    const first = new URL('/v1.0/subscribedSkus', this.graphUrl);
    first.searchParams.set('$select', 'skuId,skuPartNumber,consumedUnits');
    let url: string | undefined = first.toString();
    for (let page = 1; url; page += 1) {
      if (page > MAX_PAGES) throw new Error(`Microsoft Graph listed more than ${MAX_PAGES} pages of SKUs`);
      const response = await this.graph.send({ method: 'GET', url });
      if (response.status !== 200 || !isRecord(response.body) || !Array.isArray(response.body.value))
        throw new UnexpectedResponseError(
          'Microsoft Graph',
          'GET subscribedSkus',
          response.status,
          response.body,
        );
      skus.push(...response.body.value.filter(isRecord));
      const next = response.body['@odata.nextLink'];
      url = typeof next === 'string' ? this.sameOrigin(new URL(next), this.graphUrl) : undefined;
    }
    return skus;
  }

  /**
   * A change at renewal: PATCHes the subscription with scheduledNextTermInstructions for the same product, SKU,
   * availability, billing cycle and term, changing only the quantity; a target equal to the current quantity
   * clears the instructions (the subscription renews as it is). The current quantity and the scheduled quantity
   * must still be the ones the order saw. MS-RequestId is the order's key, as for a change now.
   */
  private async schedule(
    change: QuantityChange,
    current: PartnerCenterSubscription,
    url: string,
  ): Promise<QuantityChangeResult> {
    const scheduled = scheduledQuantity(current);
    const target = scheduledTarget(change);
    if (current.quantity !== change.expectedQuantity || scheduled !== (change.expectedScheduled ?? null)) {
      // Already as asked: this key's own change (an answer lost on the way) or someone else's; the record decides.
      if (current.quantity === change.expectedQuantity && scheduled === target) {
        const record = await this.confirm(change, current, url);
        if (record.status === 'applied') return { status: 'applied', quantity: change.targetQuantity };
      }
      return current.quantity !== change.expectedQuantity
        ? { status: 'conflict', actualQuantity: current.quantity }
        : { status: 'scheduled_conflict', actualScheduled: scheduled };
    }
    if (current.status !== undefined && current.status !== 'active')
      return { status: 'rejected', reason: SUSPENDED_REASON };
    if (target !== null && current.autoRenewEnabled === false)
      return { status: 'rejected', reason: NO_AUTO_RENEW_REASON };
    const patched = await this.partnerCenter.send({
      method: 'PATCH',
      url,
      requestId: change.idempotencyKey,
      body: scheduleBody(current, change),
    });
    if (patched.status === 202)
      return this.awaitQuantity(patched, url, (s) => scheduledQuantity(s) === target, change.targetQuantity);
    if (patched.status >= 200 && patched.status < 300)
      return { status: 'applied', quantity: change.targetQuantity };
    if (patched.status >= 400 && patched.status < 500)
      return { status: 'rejected', reason: rejectionReason(patched.status, patched.body) };
    throw new ProviderUnavailableError(
      `Partner Center answered PATCH subscription with HTTP ${patched.status}`,
    );
  }

  /** After a 202, reads the subscription back until it shows the change (a bounded wait). */
  private async awaitQuantity(
    accepted: ApiResponse,
    url: string,
    shows: (subscription: PartnerCenterSubscription) => boolean,
    target: number,
  ): Promise<QuantityChangeResult> {
    const location = accepted.headers.get('location');
    const pollUrl = location ? this.resolveLink(location) : url;
    for (let poll = 1; poll <= this.maxPolls; poll += 1) {
      await this.sleep(this.pollIntervalMs);
      const response = await this.partnerCenter.send({ method: 'GET', url: pollUrl });
      if (response.status === 200 && isSubscription(response.body) && shows(response.body))
        return { status: 'applied', quantity: target };
    }
    // The order's next attempt asks Partner Center about its key (lookUpChange) before doing anything else.
    throw new ProviderUnavailableError(
      `Partner Center accepted the quantity change but did not show it after ${this.maxPolls} checks`,
    );
  }

  private toSubscription(
    resource: PartnerCenterSubscription,
    skus: readonly GraphSubscribedSku[],
  ): Subscription | undefined {
    const pricePerSeat = this.lookup(this.prices, resource);
    if (!pricePerSeat) {
      if (!this.unpricedWarned.has(resource.id)) {
        this.unpricedWarned.add(resource.id);
        this.options.log?.warn(
          { subscriptionId: resource.id, offerId: resource.offerId },
          'no seat price configured for this Partner Center subscription; it is not offered',
        );
      }
      return undefined;
    }
    return {
      id: resource.id,
      product: resource.friendlyName || resource.offerName || resource.offerId || resource.id,
      domain: this.options.customerDomain,
      plan: planForTermDuration(resource.termDuration),
      quantity: resource.quantity,
      inUse: this.consumedUnits(resource, skus),
      pricePerSeat,
      renewalDate: datePart(resource.commitmentEndDate),
      status: resource.status === 'active' ? 'active' : 'suspended',
      autoRenew: resource.autoRenewEnabled === true,
      trial: resource.isTrial === true,
      removal: 'window',
      refundable: refundableSeats(resource),
      scheduledQuantity: scheduledQuantity(resource),
    };
  }

  private consumedUnits(resource: PartnerCenterSubscription, skus: readonly GraphSubscribedSku[]): number {
    const wanted = this.lookup(this.skus, resource)?.toLowerCase();
    if (!wanted) return 0;
    const sku = skus.find(
      (s) => s.skuId?.toLowerCase() === wanted || s.skuPartNumber?.toLowerCase() === wanted,
    );
    return typeof sku?.consumedUnits === 'number' ? sku.consumedUnits : 0;
  }

  /** By subscription id, then offerId, then an NCE offer's `productId:skuId` (its availability part varies). */
  private lookup<T>(map: ReadonlyMap<string, T>, resource: PartnerCenterSubscription): T | undefined {
    const offer = resource.offerId;
    const productSku = offer?.split(':').slice(0, 2).join(':');
    return map.get(resource.id) ?? (offer ? (map.get(offer) ?? map.get(productSku ?? '')) : undefined);
  }

  private expectSubscription(response: ApiResponse, operation: string): PartnerCenterSubscription {
    if (response.status === 200 && isSubscription(response.body)) return response.body;
    throw new UnexpectedResponseError(
      'Partner Center',
      operation,
      response.status,
      response.body,
      response.status === 200 ? 'not a subscription' : undefined,
    );
  }

  private subscriptionUrl(id: string): string {
    const customer = encodeURIComponent(this.options.customerTenantId);
    return this.partnerCenterPath(`/v1/customers/${customer}/subscriptions/${encodeURIComponent(id)}`);
  }

  private partnerCenterPath(path: string): string {
    return new URL(path, this.partnerCenterUrl).toString();
  }

  /**
   * Partner Center links and Location headers are relative to the API version (`/customers/...`). Only
   * the configured origin is followed: the bearer token goes wherever the link points.
   */
  private resolveLink(uri: string): string {
    if (/^https?:\/\//i.test(uri)) return this.sameOrigin(new URL(uri), this.partnerCenterUrl);
    const path = uri.startsWith('/v1/') ? uri : `/v1${uri.startsWith('/') ? '' : '/'}${uri}`;
    return this.sameOrigin(new URL(path, this.partnerCenterUrl), this.partnerCenterUrl);
  }

  private sameOrigin(url: URL, base: URL): string {
    if (url.origin !== base.origin)
      throw new Error(`refusing to follow a link to another host (${url.origin})`);
    return url.toString();
  }
}

function isLink(value: unknown): value is PartnerCenterLink {
  return isRecord(value) && typeof value.uri === 'string' && value.uri.length > 0;
}

/** Headers a next link asks for (Partner Center pages with an MS-ContinuationToken header). */
function linkHeaders(link: PartnerCenterLink): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const header of link.headers ?? []) {
    if (typeof header?.key === 'string' && typeof header.value === 'string')
      headers[header.key] = header.value;
  }
  return headers;
}

/** The scheduled quantity a change at renewal leaves: null when it renews with the current quantity (cleared). */
function scheduledTarget(change: QuantityChange): number | null {
  return change.targetQuantity === change.expectedQuantity ? null : change.targetQuantity;
}

/**
 * The subscription with scheduledNextTermInstructions set for `change`: the product of the instructions already
 * there, or the subscription's own (productId:skuId:availabilityId of its NCE offerId, its billing cycle and
 * term); only the quantity is the order's. Null clears them.
 */
function scheduleBody(current: PartnerCenterSubscription, change: QuantityChange): PartnerCenterSubscription {
  const target = scheduledTarget(change);
  if (target === null) return { ...current, scheduledNextTermInstructions: null };
  const [productId, skuId, availabilityId] = (current.offerId ?? '').split(':');
  const product = current.scheduledNextTermInstructions?.product ?? {
    productId,
    skuId,
    availabilityId,
    billingCycle: current.billingCycle,
    termDuration: current.termDuration,
  };
  return { ...current, scheduledNextTermInstructions: { product, quantity: target } };
}

/** Seats inside their cancellation window, per batch; legacy offers (no refundableQuantity) have none. */
function refundableSeats(resource: PartnerCenterSubscription): Subscription['refundable'] {
  const details = resource.refundableQuantity?.details;
  if (!Array.isArray(details)) return [];
  return details.flatMap((d) =>
    typeof d?.quantity === 'number' &&
    Number.isInteger(d.quantity) &&
    d.quantity > 0 &&
    typeof d.allowedUntilDateTime === 'string' &&
    Number.isFinite(Date.parse(d.allowedUntilDateTime))
      ? [{ quantity: d.quantity, until: new Date(d.allowedUntilDateTime).toISOString() }]
      : [],
  );
}

/** The quantity scheduled for the next term, when it differs from nothing at all. */
function scheduledQuantity(resource: PartnerCenterSubscription): number | null {
  const quantity = resource.scheduledNextTermInstructions?.quantity;
  return typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 0 ? quantity : null;
}

/** "2026-03-31T00:00:00Z" → "2026-03-31": the current term's last day (NCE end dates are inclusive). */
function datePart(value: string | undefined): string | null {
  const match = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})/.exec(value) : null;
  return match ? match[1] : null;
}
