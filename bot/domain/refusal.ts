import type { Contact, Role } from './access';
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
  /** The order needs a second approver, and this person already gave the first approval. */
  | { code: 'already_approved_by_you' }
  // Delegates (bot/domain/delegation.ts)
  | { code: 'away_approves_nothing' }
  | { code: 'away_date_invalid'; value: string; problem: 'malformed' | 'past' | 'too_far' }
  | { code: 'delegate_unknown'; value: string }
  | { code: 'delegate_self' }
  | { code: 'delegate_not_eligible'; name: string }
  | { code: 'not_away' }
  // Reassigning an escalated order (bot/domain/approvalPolicy.ts)
  | { code: 'reassign_not_admin'; billingProfile: ProfileRef }
  | { code: 'reassign_own_order' }
  | { code: 'reassign_not_escalated'; billingProfile: ProfileRef }
  | { code: 'reassign_unknown_person'; value: string }
  | { code: 'reassign_to_requester'; name: string }
  | { code: 'reassign_to_self' }
  | { code: 'reassign_already_approved'; name: string }
  | { code: 'reassign_not_eligible'; name: string; billingProfile: ProfileRef }
  | { code: 'no_approver'; billingProfile: ProfileRef }
  | { code: 'not_awaiting_approval' }
  | { code: 'reason_required'; maxLength: number }
  | { code: 'already_decided'; state: OrderState; by: string | null; at: Date | null }
  | { code: 'quantity_changed'; product: string; expected: number; actual: number }
  | { code: 'rate_limited'; retryAfterSeconds: number }
  // Access (bot/domain/accessRules.ts)
  | { code: 'not_access_admin'; billingProfile: ProfileRef | null; grantors: readonly Contact[] }
  | { code: 'unknown_billing_profile'; value: string }
  | { code: 'unknown_role'; value: string }
  | { code: 'malformed_object_id'; value: string }
  | { code: 'unknown_person'; value: string }
  | { code: 'person_outside_tenants'; name: string }
  | { code: 'grant_exists'; person: string; role: Role; billingProfile: ProfileRef }
  | { code: 'role_not_held'; person: string; role: Role; billingProfile: ProfileRef }
  | { code: 'last_access_admin'; billingProfile: ProfileRef }
  | { code: 'reason_too_long'; maxLength: number }
  | { code: 'profile_name_invalid'; maxLength: number }
  | { code: 'domain_invalid'; value: string }
  | { code: 'domain_taken'; domain: string; billingProfile: ProfileRef }
  | { code: 'currency_invalid'; value: string }
  | {
      code: 'approval_limit_invalid';
      value: string;
      problem: 'not_a_number' | 'negative' | 'too_large';
      maximum: number;
      currency: string;
      /** Which limit: the approval limit (absent) or the second approval limit. */
      limit?: 'second';
    }
  /** A second approval limit below the approval limit (README: Approvals). */
  | { code: 'second_approval_limit_below'; value: string }
  // License requests (bot/services/licenseRequests.ts)
  | { code: 'request_not_found' }
  | { code: 'no_licenses_manager'; billingProfile: ProfileRef; grantors: readonly Contact[] }
  | { code: 'not_request_requester'; requesterName: string }
  | { code: 'not_licenses_manager_of_request'; billingProfile: ProfileRef }
  | { code: 'request_already_decided'; state: string; by: string | null }
  | { code: 'decline_reason_required'; maxLength: number };

export type RefusalCode = Refusal['code'];

/**
 * A use case's answer. A refusal about an order carries the order as it is now (`current`), so whoever shows
 * the refusal shows it on the order's current card without reading it again.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal; current?: Order };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const refuse = <T = never>(refusal: Refusal, current?: Order): Result<T> =>
  current ? { ok: false, refusal, current } : { ok: false, refusal };
