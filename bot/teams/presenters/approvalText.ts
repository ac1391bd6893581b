import { APPROVAL_STEP } from '../../domain/approvalPolicy';
import type { Person } from '../../domain/access';
import { orderNumberText, type Order } from '../../domain/order';
import { cardTime, formatTime, plainText, type Audience } from './format';

/**
 * Where a waiting order stands (README: Approvals), shown on every copy of its card and in `orders`: the
 * approvals given of those needed, and the steps of the reminder ladder taken. Null when there is nothing to say.
 */
export function approvalProgressText(order: Order): string | null {
  if (order.state !== 'pending_approval') return null;
  const parts: string[] = [];
  if (order.approvalsRequired > 1) {
    const names = order.approvals
      .map((a) => plainText(a.onBehalfOf ? `${a.name} for ${a.onBehalfOf.name}` : a.name))
      .join(', ');
    parts.push(
      `${order.approvals.length} of ${order.approvalsRequired} approvals${names ? `: ${names}` : ''}`,
    );
  }
  const at = order.approvalStepAt ? ` on ${cardTime(order.approvalStepAt)}` : '';
  if (order.approvalStep >= APPROVAL_STEP.reminded)
    parts.push(`Reminder sent${order.approvalStep === 1 ? at : ''}`);
  if (order.approvalStep >= APPROVAL_STEP.escalated)
    parts.push(
      `Escalated to the Access Admins of ${order.billingProfileName}${order.approvalStep === 2 ? at : ''}`,
    );
  const reassigned = order.reassignments.at(-1);
  if (reassigned)
    parts.push(
      `Reassigned to ${plainText(reassigned.to.name)} by ${plainText(reassigned.by.name)} on ${cardTime(reassigned.at)}`,
    );
  if (order.approvalStep >= APPROVAL_STEP.lastCall) parts.push(`Expires on ${cardTime(order.expiresAt)}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** What the Access Admin who reassigned an order is told on their card. */
export function reassignedText(to: Person, recipient: Person & { onBehalfOf?: Person }): string {
  return recipient.onBehalfOf
    ? `Reassigned to ${plainText(to.name)}, who is away: ${plainText(recipient.name)} has a fresh approval card and decides on their behalf.`
    : `Reassigned: ${plainText(to.name)} has a fresh approval card.`;
}

/** The line on top of the approval card a reassignment sends. */
export function reassignedToYouText(byName: string | undefined): string {
  return `${byName ? plainText(byName) : 'An Access Admin'} reassigned this order to you: approve or reject it.`;
}

/** What the requester is told when a step of the ladder is taken for their order. */
export function approvalStepText(order: Order, step: number, audience: Audience): string | undefined {
  if (order.state !== 'pending_approval') return undefined;
  const about = `Order ${orderNumberText(order)} for **${order.product}**`;
  switch (step) {
    case APPROVAL_STEP.reminded:
      return `${about} still waits for approval: I reminded its approvers with a fresh card.`;
    case APPROVAL_STEP.escalated:
      return `${about} still waits for approval: I asked the Access Admins of ${order.billingProfileName} to decide it too.`;
    case APPROVAL_STEP.lastCall:
      return `${about} expires on ${formatTime(order.expiresAt, audience)} unless someone approves it: I asked everyone who can approve it once more. Nothing is ordered if it expires.`;
    default:
      return undefined;
  }
}
