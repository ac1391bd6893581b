import { hasRole, type BillingProfile, type UserAccess } from './access';
import { absolute } from './money';
import { monthlyChange, type Order } from './order';
import type { Refusal } from './refusal';

/**
 * An order needs an approver when its monthly cost changes by more than the billing profile's limit
 * (either way: a large decrease is as consequential as a large purchase). Within the limit, the
 * requester's own Approve submits it, as in the source document.
 */
export function needsApprover(
  order: Pick<Order, 'expectedQuantity' | 'targetQuantity' | 'pricePerSeat'>,
  profile: BillingProfile,
): boolean {
  const change = absolute(monthlyChange(order));
  if (change.currency !== profile.approvalLimit.currency) return true;
  return change.minor > profile.approvalLimit.minor;
}

/** An approver holds Approver on the order's billing profile and is not the requester. */
export function approverRefusal(
  actor: UserAccess | undefined,
  actorId: string,
  order: Pick<Order, 'requester' | 'billingProfileId' | 'billingProfileName'>,
): Refusal | undefined {
  if (actorId === order.requester.id) return { code: 'self_approval' };
  if (!hasRole(actor, order.billingProfileId, 'Approver')) {
    return {
      code: 'not_approver',
      billingProfile: { id: order.billingProfileId, name: order.billingProfileName },
    };
  }
  return undefined;
}

export function isEligibleApprover(
  user: UserAccess,
  order: Pick<Order, 'requester' | 'billingProfileId' | 'billingProfileName'>,
): boolean {
  return approverRefusal(user, user.id, order) === undefined;
}

/** Everyone who may approve this order now. */
export function eligibleApprovers(
  users: readonly UserAccess[],
  order: Pick<Order, 'requester' | 'billingProfileId' | 'billingProfileName'>,
): UserAccess[] {
  return users.filter((user) => isEligibleApprover(user, order));
}
