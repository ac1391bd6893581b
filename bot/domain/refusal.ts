import type { Contact } from './access';
import type { NotAtRenewalReason, NotNowReason } from './decreaseOptions';
import type { Order, OrderState } from './order';

export interface ProfileRef {
  readonly id: string;
  readonly name: string;
}

/**
 * Every reason the product says no, as data. The Teams layer turns each code into words
 * (bot/teams/text/refusalText.ts); nothing else decides what a refusal means.
 */
export type Refusal =
  | { code: 'missing_identity' }
  | { code: 'missing_licenses_manager'; billingProfile: ProfileRef; grantors: readonly Contact[] }
  | { code: 'not_in_billing_profile'; billingProfile: ProfileRef; grantors: readonly Contact[] }
  | { code: 'nothing_to_manage'; grantors: readonly Contact[] }
  | { code: 'subscription_not_found' }
  | { code: 'subscription_unmanaged'; domain: string }
  | { code: 'subscription_suspended'; product: string }
  /** Seats can be removed neither now nor at renewal: why not, each way. */
  | {
      code: 'decrease_not_possible';
      product: string;
      now: NotNowReason;
      atRenewal: NotAtRenewalReason;
      renewalDate: string | null;
    }
  /** More seats than can go now (the window) and than can go at renewal: both numbers. */
  | {
      code: 'decrease_too_many';
      product: string;
      requested: number;
      nowMax: number;
      nowUntil: Date | null;
      renewalMax: number;
      renewalDate: string | null;
      atRenewalReason: NotAtRenewalReason | null;
    }
  /** A scheduled change can be cancelled only while one is scheduled. */
  | { code: 'nothing_scheduled'; product: string }
  | {
      code: 'below_in_use';
      product: string;
      quantity: number;
      inUse: number;
      maxRemovable: number;
      requested?: number;
    }
  | { code: 'above_order_maximum'; maximum: number }
  | { code: 'order_not_found' }
  | { code: 'not_requester'; requesterName: string }
  | { code: 'not_approver'; billingProfile: ProfileRef }
  | { code: 'self_approval' }
  | { code: 'no_approver'; billingProfile: ProfileRef }
  | { code: 'not_awaiting_approval' }
  | { code: 'reason_required'; maxLength: number }
  | { code: 'already_decided'; state: OrderState; by: string | null; at: Date | null }
  | { code: 'quantity_changed'; product: string; expected: number; actual: number }
  | { code: 'rate_limited'; retryAfterSeconds: number };

export type RefusalCode = Refusal['code'];

/**
 * A use case's answer. A refusal about an order carries the order as it is now (`current`), so whoever shows
 * the refusal shows it on the order's current card without reading it again.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal; current?: Order };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = <T = never>(refusal: Refusal, current?: Order): Result<T> =>
  current ? { ok: false, refusal, current } : { ok: false, refusal };
