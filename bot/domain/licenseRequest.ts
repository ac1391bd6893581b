import { hasRole, type UserAccess } from './access';
import type { Actor } from './order';
import type { ProfileRef, Refusal } from './refusal';

/**
 * A license request (README: Access): someone without Licenses Manager asks for seats of a subscription; a Licenses
 * Manager of its billing profile orders them (a draft order of their own, then the usual approval rules) or
 * declines with a reason. It expires like an order.
 */
export type LicenseRequestState = 'draft' | 'waiting' | 'ordered' | 'declined' | 'expired' | 'cancelled';

export interface LicenseRequest {
  readonly id: string;
  readonly number: number;
  readonly tenantId: string | null;
  readonly requester: Actor;
  readonly subscriptionId: string;
  readonly product: string;
  readonly domain: string;
  readonly billingProfile: ProfileRef;
  readonly seats: number;
  readonly reason: string | null;
  readonly state: LicenseRequestState;
  readonly decidedBy: Actor | null;
  readonly decidedAt: Date | null;
  readonly declineReason: string | null;
  readonly orderId: string | null;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export const MAX_REQUEST_REASON_LENGTH = 500;

/** The states a request may move to from each state; the rest are final. */
export const REQUEST_TRANSITIONS: Readonly<Record<LicenseRequestState, readonly LicenseRequestState[]>> = {
  draft: ['waiting', 'cancelled', 'expired'],
  waiting: ['ordered', 'declined', 'expired'],
  ordered: [],
  declined: [],
  expired: [],
  cancelled: [],
};

/** Who may order or decline a request: a Licenses Manager of its billing profile, re-read at every tap. */
export function requestDeciderRefusal(
  user: UserAccess | undefined,
  request: Pick<LicenseRequest, 'billingProfile' | 'state' | 'decidedBy'>,
): Refusal | undefined {
  if (!hasRole(user, request.billingProfile.id, 'LicensesManager'))
    return { code: 'not_licenses_manager_of_request', billingProfile: request.billingProfile };
  if (request.state !== 'waiting')
    return { code: 'request_already_decided', state: request.state, by: request.decidedBy?.name ?? null };
  return undefined;
}

/** The requester's optional reason: at most MAX_REQUEST_REASON_LENGTH characters. */
export function requestReasonRefusal(reason: string | undefined): Refusal | undefined {
  return (reason ?? '').trim().length > MAX_REQUEST_REASON_LENGTH
    ? { code: 'reason_too_long', maxLength: MAX_REQUEST_REASON_LENGTH }
    : undefined;
}

/** A decline needs a reason of 1 to MAX_REQUEST_REASON_LENGTH characters. */
export function declineReasonRefusal(reason: string | undefined): Refusal | undefined {
  const text = (reason ?? '').trim();
  return text === '' || text.length > MAX_REQUEST_REASON_LENGTH
    ? { code: 'decline_reason_required', maxLength: MAX_REQUEST_REASON_LENGTH }
    : undefined;
}
