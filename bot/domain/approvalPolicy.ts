import { hasRole, type BillingProfile, type Person, type UserAccess } from './access';
import { absolute, type Money } from './money';
import { monthlyChange, type ApprovalStepNumber, type Order } from './order';
import type { Refusal } from './refusal';

/**
 * The approval rules (README: Approvals), in one place: when an order needs an approver, when it needs two,
 * who may approve it, and the reminder ladder of an order nobody decides.
 */

type Priced = Pick<Order, 'expectedQuantity' | 'targetQuantity' | 'pricePerSeat'>;

function above(change: Money, limit: Money): boolean {
  // A limit in another currency cannot be compared: the order needs the approval (never less control).
  if (change.currency !== limit.currency) return true;
  return change.minor > limit.minor;
}

/**
 * An order needs an approver when its monthly cost changes by more than the billing profile's limit
 * (either way: a large decrease is as consequential as a large purchase). Within the limit, the
 * requester's own Approve submits it.
 */
export function needsApprover(order: Priced, profile: BillingProfile): boolean {
  return above(absolute(monthlyChange(order)), profile.approvalLimit);
}

/**
 * How many different approvers (neither the requester) must approve: two above the profile's second approval
 * limit, one otherwise. Fixed when the order starts waiting.
 */
export function approvalsRequired(order: Priced, profile: BillingProfile): number {
  const second = profile.secondApprovalLimit;
  return second && above(absolute(monthlyChange(order)), second) ? 2 : 1;
}

type Decidable = Pick<Order, 'requester' | 'billingProfileId' | 'billingProfileName'> &
  Partial<Pick<Order, 'approvalStep' | 'approvals'>>;

/**
 * An approver holds Approver on the order's billing profile and is not the requester. Once the order was
 * escalated, the profile's Access Admins may approve it too. Nobody approves twice.
 */
export function approverRefusal(
  actor: UserAccess | undefined,
  actorId: string,
  order: Decidable,
  actingFor: readonly Person[] = [],
): Refusal | undefined {
  if (actorId === order.requester.id) return { code: 'self_approval' };
  if (approvedBy(order, actorId)) return { code: 'already_approved_by_you' };
  if (hasApproverRights(actor, order) || onBehalfOf(actor, order, actingFor)) return undefined;
  return {
    code: 'not_approver',
    billingProfile: { id: order.billingProfileId, name: order.billingProfileName },
  };
}

/** Whether this person's approval is among the order's, given by them or by their delegate. */
function approvedBy(order: Decidable, personId: string): boolean {
  return (order.approvals ?? []).some((a) => a.id === personId || a.onBehalfOf?.id === personId);
}

/**
 * The approver away a delegate decides for (bot/domain/delegation.ts): none when the person may approve in
 * their own right, or when every approver they stand in for has approved already (nobody counts twice).
 */
export function onBehalfOf(
  actor: UserAccess | undefined,
  order: Decidable,
  actingFor: readonly Person[],
): Person | undefined {
  if (hasApproverRights(actor, order)) return undefined;
  return actingFor.find((p) => p.id !== order.requester.id && !approvedBy(order, p.id));
}

function hasApproverRights(actor: UserAccess | undefined, order: Decidable): boolean {
  if (hasRole(actor, order.billingProfileId, 'Approver')) return true;
  return isEscalated(order) && hasRole(actor, order.billingProfileId, 'AccessAdmin');
}

export function isEscalated(order: Partial<Pick<Order, 'approvalStep'>>): boolean {
  return (order.approvalStep ?? 0) >= APPROVAL_STEP.escalated;
}

export function isEligibleApprover(user: UserAccess, order: Decidable): boolean {
  return approverRefusal(user, user.id, order) === undefined;
}

/** Everyone who may approve this order now (those who already approved it are not asked again). */
export function eligibleApprovers(users: readonly UserAccess[], order: Decidable): UserAccess[] {
  return users.filter((user) => isEligibleApprover(user, order));
}

// Reassigning an escalated order -----------------------------------------------------------------------------

function profileOf(order: Decidable) {
  return { id: order.billingProfileId, name: order.billingProfileName };
}

/**
 * Who may reassign a waiting order (README: Approvals): once it was escalated, an Access Admin of its billing
 * profile who did not request it.
 */
export function reassignerRefusal(
  actor: UserAccess | undefined,
  actorId: string,
  order: Decidable,
): Refusal | undefined {
  if (!hasRole(actor, order.billingProfileId, 'AccessAdmin'))
    return { code: 'reassign_not_admin', billingProfile: profileOf(order) };
  if (actorId === order.requester.id) return { code: 'reassign_own_order' };
  if (!isEscalated(order)) return { code: 'reassign_not_escalated', billingProfile: profileOf(order) };
  return undefined;
}

/**
 * Reassigning sends a fresh approval card to another person who may approve the order now (the rule above:
 * Approver of its billing profile, or one of its Access Admins once escalated), never its requester, nor someone
 * who already approved it, nor the one reassigning. It gives nobody a right they did not have.
 */
export function reassignRefusal(
  actor: UserAccess | undefined,
  actorId: string,
  order: Decidable,
  target: UserAccess | undefined,
  targetId: string,
): Refusal | undefined {
  const denied = reassignerRefusal(actor, actorId, order);
  if (denied) return denied;
  if (!target) return { code: 'reassign_unknown_person', value: targetId };
  if (target.id === order.requester.id) return { code: 'reassign_to_requester', name: target.name };
  if (target.id === actorId) return { code: 'reassign_to_self' };
  if (approvedBy(order, target.id)) return { code: 'reassign_already_approved', name: target.name };
  if (!isEligibleApprover(target, order))
    return { code: 'reassign_not_eligible', name: target.name, billingProfile: profileOf(order) };
  return undefined;
}

/** The people this actor may reassign the order to: none when they may not reassign it. */
export function reassignCandidates(
  actor: UserAccess | undefined,
  actorId: string,
  order: Decidable,
  users: readonly UserAccess[],
): Person[] {
  if (reassignerRefusal(actor, actorId, order)) return [];
  return users
    .filter((u) => reassignRefusal(actor, actorId, order, u, u.id) === undefined)
    .map(({ id, name }) => ({ id, name }));
}

// The reminder ladder -----------------------------------------------------------------------------------------

export const APPROVAL_STEP = { none: 0, reminded: 1, escalated: 2, lastCall: 3 } as const;
export type ApprovalStepName = 'reminded' | 'escalated' | 'lastCall';

const STEP_NAMES: Readonly<Record<ApprovalStepNumber, ApprovalStepName | undefined>> = {
  0: undefined,
  1: 'reminded',
  2: 'escalated',
  3: 'lastCall',
};

export function approvalStepName(step: ApprovalStepNumber): ApprovalStepName | undefined {
  return STEP_NAMES[step];
}

export interface ApprovalLadderSettings {
  /** After this long waiting, the approvers get a fresh approval card (APPROVAL_REMINDER_HOURS). */
  readonly reminderMs: number;
  /** After this long waiting, the profile's Access Admins are asked too (APPROVAL_ESCALATE_HOURS). */
  readonly escalateMs: number;
  /** This long before it expires, everyone is asked once more and the requester is told. */
  readonly lastCallMs: number;
}

/** The requester is told this long before their waiting order expires. */
export const LAST_CALL_MS = 24 * 60 * 60 * 1000;

/**
 * The next step of the ladder this waiting order is due for at `now`, if any. Steps are taken in order, one at a
 * time (an order that was down for days is reminded, then escalated, then called a last time); none once it
 * expired or was decided.
 */
export function dueApprovalStep(
  order: Pick<Order, 'state' | 'approvalStep' | 'approvalRequestedAt' | 'expiresAt'>,
  now: Date,
  settings: ApprovalLadderSettings,
): ApprovalStepNumber | undefined {
  if (order.state !== 'pending_approval' || !order.approvalRequestedAt) return undefined;
  const at = now.getTime();
  if (at >= order.expiresAt.getTime()) return undefined;
  const since = order.approvalRequestedAt.getTime();
  const dueAt: Record<ApprovalStepName, number> = {
    reminded: since + settings.reminderMs,
    escalated: since + settings.escalateMs,
    lastCall: order.expiresAt.getTime() - settings.lastCallMs,
  };
  const next = (order.approvalStep + 1) as ApprovalStepNumber;
  const name = STEP_NAMES[next];
  return name && at >= dueAt[name] ? next : undefined;
}

/**
 * Who gets a fresh approval card at a step: the approvers at the reminder, the profile's Access Admins at the
 * escalation, all of them at the last call. Never the requester, never someone who already approved.
 */
export function stepRecipients(
  step: ApprovalStepNumber,
  users: readonly UserAccess[],
  order: Decidable & Pick<Order, 'approvalStep'>,
): Person[] {
  const after = { ...order, approvalStep: step };
  const eligible = eligibleApprovers(users, after);
  const admins = eligible.filter((u) => hasRole(u, order.billingProfileId, 'AccessAdmin'));
  const approvers = eligible.filter((u) => hasRole(u, order.billingProfileId, 'Approver'));
  const chosen =
    step === APPROVAL_STEP.reminded ? approvers : step === APPROVAL_STEP.escalated ? admins : eligible;
  return chosen.map(({ id, name }) => ({ id, name }));
}
