/**
 * The parts of Partner Center's and Microsoft Graph's JSON this provider reads. Fields it does not name
 * are kept as they came: a quantity change sends the whole subscription resource back.
 */

/** A link in a Partner Center resource: `uri` is relative to the API version (`/customers/...`). */
export interface PartnerCenterLink {
  readonly uri: string;
  readonly method?: string;
  readonly headers?: ReadonlyArray<{ readonly key: string; readonly value: string }>;
}

/** Partner Center's Subscription resource (subscription-resources in the Partner Center REST docs). */
export interface PartnerCenterSubscription {
  readonly id: string;
  readonly quantity: number;
  /** NCE form `productId:skuId:availabilityId`; legacy offers use a GUID. */
  readonly offerId?: string;
  readonly offerName?: string;
  readonly friendlyName?: string;
  /** none, active, pending, suspended, deleted (later docs add expired, disabled). */
  readonly status?: string;
  /** ISO 8601: P1M, P1Y, P3Y; missing on legacy offers. */
  readonly termDuration?: string;
  readonly billingCycle?: string;
  /** The current term's last day; the subscription renews the day after (NCE end dates are inclusive). */
  readonly commitmentEndDate?: string;
  readonly autoRenewEnabled?: boolean;
  readonly isTrial?: boolean;
  /** Seats still inside their cancellation window (NCE): how many, and until when, per batch. */
  readonly refundableQuantity?: {
    readonly totalQuantity?: number;
    readonly details?: ReadonlyArray<{ readonly quantity?: number; readonly allowedUntilDateTime?: string }>;
  };
  /** What the next term starts with (NCE): the same product and term, a quantity; null or absent when none. */
  readonly scheduledNextTermInstructions?: ScheduledNextTermInstructions | null;
  readonly attributes?: { readonly etag?: string; readonly objectType?: string };
  readonly [field: string]: unknown;
}

/** Partner Center's scheduledNextTermInstructions: the product of the next term and its quantity. */
export interface ScheduledNextTermInstructions {
  readonly product?: {
    readonly productId?: string;
    readonly skuId?: string;
    readonly availabilityId?: string;
    readonly billingCycle?: string;
    readonly termDuration?: string;
    readonly promotionId?: string;
  };
  readonly quantity?: number;
  readonly customTermEndDate?: string;
}

/** Partner Center's collection envelope. */
export interface PartnerCenterCollection<T> {
  readonly totalCount?: number;
  readonly items: readonly T[];
  readonly links?: { readonly next?: PartnerCenterLink };
}

/** One row of Graph `GET /v1.0/subscribedSkus`. */
export interface GraphSubscribedSku {
  readonly skuId?: string;
  readonly skuPartNumber?: string;
  /** Licenses assigned to users and groups. */
  readonly consumedUnits?: number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSubscription(value: unknown): value is PartnerCenterSubscription {
  return isRecord(value) && typeof value.id === 'string' && Number.isInteger(value.quantity);
}
