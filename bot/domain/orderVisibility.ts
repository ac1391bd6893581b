import { hasRole, type BillingProfile, type UserAccess } from './access';
import { isEligibleApprover } from './approvalPolicy';
import type { Order } from './order';

/** Why someone may see an order: the one place that decides who sees an order (README: Security). */
export type OrderViewerGround = 'requester' | 'approver' | 'access_administrator' | 'conversation_member';

export interface OrderViewer {
  /** The Entra object id of the person asking. */
  readonly id: string;
  /** What the access directory says of them (undefined: nothing). */
  readonly access: UserAccess | undefined;
  /** They ask from a conversation a copy of the order's card was posted to (Teams tells which one). */
  readonly inConversationWithCard: boolean;
}

/**
 * Who may see an order, and why: its requester, the people who may approve it, the access administrators of its
 * billing profile, and the members of a conversation its card was posted to (they saw it there already). Anyone
 * else learns nothing of it: undefined. Orders of another tenant never get this far (OrderService.orderFor).
 */
export function whyMayView(
  order: Order,
  viewer: OrderViewer,
  profile: BillingProfile | undefined,
): OrderViewerGround | undefined {
  if (viewer.id === order.requester.id) return 'requester';
  if (viewer.access && isEligibleApprover(viewer.access, order)) return 'approver';
  if (isAccessAdministrator(viewer.access, profile)) return 'access_administrator';
  if (viewer.inConversationWithCard) return 'conversation_member';
  return undefined;
}

/** An access administrator of the billing profile: the person holds Access Admin on it (README: Access). */
export function isAccessAdministrator(
  user: UserAccess | undefined,
  profile: BillingProfile | undefined,
): boolean {
  return !!profile && hasRole(user, profile.id, 'AccessAdmin');
}
