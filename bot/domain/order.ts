import { times, type Money } from './money';
import type { Plan } from './subscription';

export type SeatChangeKind = 'increase' | 'decrease';

/**
 * When an order's change takes effect. `now`: the quantity changes at once. `at_renewal`: a reduction scheduled
 * for the renewal (targetQuantity is the quantity the subscription renews with). `cancel_scheduled`: the
 * scheduled reduction is cleared (expectedQuantity is the scheduled quantity, targetQuantity the current one, so
 * the subscription renews as it is). See bot/domain/decreaseOptions.ts.
 */
export type OrderTiming = 'now' | 'at_renewal' | 'cancel_scheduled';

export const ORDER_STATES = [
  'draft',
  'pending_approval',
  'approved',
  'submitting',
  'completed',
  'failed',
  'rejected',
  'cancelled',
  'expired',
] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/**
 * The order state machine. `draft`: the confirmation card is out. The requester's Approve moves it to
 * `approved` (within the approval policy) or `pending_approval`; an approver moves that to `approved`.
 * `submitting` is claimed by exactly one worker, which calls the provider with the order's idempotency key.
 */
const NEXT_STATES: Readonly<Record<OrderState, readonly OrderState[]>> = {
  draft: ['approved', 'pending_approval', 'cancelled', 'expired'],
  pending_approval: ['approved', 'rejected', 'cancelled', 'expired'],
  approved: ['submitting'],
  submitting: ['submitting', 'completed', 'failed'],
  completed: [],
  failed: [],
  rejected: [],
  cancelled: [],
  expired: [],
};

export function canTransition(from: OrderState, to: OrderState): boolean {
  return NEXT_STATES[from].includes(to);
}

/** A transition the state machine does not allow was attempted: a bug, never a user's mistake. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly from: OrderState,
    readonly to: OrderState,
  ) {
    super(`an order cannot go from ${from} to ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

/**
 * Every change of an order's state goes through here (the repository's conditional write calls it before
 * it writes): the table above is the only list of allowed transitions.
 */
export function assertTransition(from: OrderState, to: OrderState): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** The states from which an order may move to `to`, read from the table (e.g. what a submission may claim). */
export function statesLeadingTo(to: OrderState): OrderState[] {
  return ORDER_STATES.filter((from) => canTransition(from, to));
}

export function isFinal(state: OrderState): boolean {
  return NEXT_STATES[state].length === 0;
}

/** States in which a person can still decide the order (approve, reject, cancel). */
export function isAwaitingDecision(state: OrderState): boolean {
  return state === 'draft' || state === 'pending_approval';
}

export interface Actor {
  readonly id: string;
  readonly name: string;
}

/** Why an order ended the way it did, for the people who see it. */
export type OrderOutcomeCode =
  | 'rejected_by_approver'
  | 'cancelled_by_requester'
  | 'quantity_changed'
  | 'approval_timed_out'
  | 'permission_lost'
  | 'provider_rejected'
  | 'provider_unavailable'
  /** The rules, checked again at submission, no longer allow the change (see bot/domain/submissionCheck.ts). */
  | 'subscription_gone'
  | 'subscription_suspended'
  | 'decrease_not_allowed'
  | 'below_in_use'
  | 'above_order_maximum'
  /** A decrease now whose cancellation window closed before it was placed. */
  | 'window_closed'
  /** The reduction scheduled for the renewal is no longer the one the order saw (or none is left to cancel). */
  | 'scheduled_changed'
  | 'rules_changed'
  /** Every attempt failed on our side (not the provider's); the provider confirmed nothing was applied. */
  | 'submission_failed'
  /** An answer was lost and the provider's records cannot say whether the change was applied. */
  | 'could_not_confirm'
  /** Completed; the reduction scheduled for the renewal, which Microsoft deleted, was scheduled again. */
  | 'scheduled_restored'
  /** Completed; the scheduled reduction Microsoft deleted could not be scheduled again (`note`: why). */
  | 'scheduled_not_restored';

export interface Order {
  readonly id: string;
  /** Human-facing order number, shown as LD-<number>. */
  readonly number: number;
  /** Sent with every provider call that changes the quantity, the same on every retry. */
  readonly idempotencyKey: string;
  readonly subscriptionId: string;
  readonly product: string;
  readonly domain: string;
  readonly plan: Plan;
  readonly billingProfileId: string;
  readonly billingProfileName: string;
  readonly requester: Actor;
  readonly tenantId: string | null;
  readonly kind: SeatChangeKind;
  /** The subscription's quantity when the order was made; the change is applied only if it still holds. */
  readonly expectedQuantity: number;
  /** The absolute quantity the order sets (at renewal: the quantity the subscription renews with). */
  readonly targetQuantity: number;
  readonly timing: OrderTiming;
  /**
   * The quantity scheduled for the renewal when the order was made (null: none). A change at renewal replaces
   * it; a change now makes Microsoft delete it, and the submission restores it afterwards (restoreKey).
   */
  readonly scheduledBefore: number | null;
  /** When a change at renewal takes effect (ISO date); null for a change now. */
  readonly renewalDate: string | null;
  /** The idempotency key of the follow-up that restores a scheduled reduction after a change now. */
  readonly restoreKey: string;
  /** Price per seat per month when the order was made. */
  readonly pricePerSeat: Money;
  readonly needsApprover: boolean;
  readonly state: OrderState;
  /** Counts the order's transitions: a card rendered at an older version is out of date. */
  readonly version: number;
  readonly decidedBy: Actor | null;
  readonly decidedAt: Date | null;
  readonly outcome: OrderOutcomeCode | null;
  /** A reject reason, the provider's message on failure, or the value an outcome code refers to. */
  readonly note: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly expiresAt: Date;
  /** The license request the order was made from ("Order these seats"); null for any other order. */
  readonly licenseRequest: LicenseRequestLink | null;
  /** When the order started waiting for an approver (null before). */
  readonly approvalRequestedAt: Date | null;
  /** The last step of the reminder ladder taken (bot/domain/approvalPolicy.ts), and when. */
  readonly approvalStep: ApprovalStepNumber;
  readonly approvalStepAt: Date | null;
  /** How many different approvers must approve (2 above the billing profile's second approval limit). */
  readonly approvalsRequired: number;
  /** The approvals given so far, oldest first (the one that completes the set moves the order on). */
  readonly approvals: readonly Approval[];
  /** Escalated orders an Access Admin sent to another approver (bot/domain/approvalPolicy.ts), oldest first. */
  readonly reassignments: readonly Reassignment[];
}

/** An Access Admin (`by`) sent a fresh approval card of an escalated order to another approver (`to`). */
export interface Reassignment {
  readonly to: Actor;
  readonly by: Actor;
  readonly at: Date;
}

/** 0: none yet; 1: approvers reminded; 2: escalated to the Access Admins; 3: the last call before expiry. */
export type ApprovalStepNumber = 0 | 1 | 2 | 3;

export interface Approval extends Actor {
  readonly at: Date;
  /** The approver away whom this delegate stood in for (bot/domain/delegation.ts). */
  readonly onBehalfOf?: Actor;
}

/** The license request an order was made from, and who asked: they are told how the order ends. */
export interface LicenseRequestLink {
  readonly id: string;
  readonly requesterId: string;
}

export function orderNumberText(order: Pick<Order, 'number'>): string {
  return `LD-${order.number}`;
}

export function seatDelta(order: Pick<Order, 'expectedQuantity' | 'targetQuantity'>): number {
  return order.targetQuantity - order.expectedQuantity;
}

/** Positive when the monthly payment rises, negative for a credit. */
export function monthlyChange(
  order: Pick<Order, 'expectedQuantity' | 'targetQuantity' | 'pricePerSeat'>,
): Money {
  return times(order.pricePerSeat, seatDelta(order));
}

export function newMonthlyCost(order: Pick<Order, 'targetQuantity' | 'pricePerSeat'>): Money {
  return times(order.pricePerSeat, order.targetQuantity);
}
