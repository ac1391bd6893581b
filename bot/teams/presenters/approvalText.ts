import { APPROVAL_STEP } from '../../domain/approvalPolicy';
import type { Person } from '../../domain/access';
import { orderNumberText, type Order } from '../../domain/order';
import { cardTime, DEFAULT_AUDIENCE, formatTime, plainText, wordsFor, type Audience } from './format';

/**
 * Where a waiting order stands (README: Approvals), shown on every copy of its card and in `orders`: the
 * approvals given of those needed, and the steps of the reminder ladder taken. Null when there is nothing to say.
 */
export function approvalProgressText(order: Order, audience: Audience = DEFAULT_AUDIENCE): string | null {
  if (order.state !== 'pending_approval') return null;
  const { t } = wordsFor(audience);
  const parts: string[] = [];
  if (order.approvalsRequired > 1) {
    const names = order.approvals
      .map((a) =>
        a.onBehalfOf
          ? t('cards.approverFor', { name: plainText(a.name), principal: plainText(a.onBehalfOf.name) })
          : plainText(a.name),
      )
      .join(', ');
    parts.push(
      t('cards.approvalsGiven', {
        given: order.approvals.length,
        required: order.approvalsRequired,
        names,
        named: names ? 'yes' : 'no',
      }),
    );
  }
  const at = order.approvalStepAt ? cardTime(order.approvalStepAt) : '';
  const when = (step: number) => (order.approvalStep === step && at ? 'yes' : 'no');
  if (order.approvalStep >= APPROVAL_STEP.reminded)
    parts.push(t('cards.progressReminded', { on: when(1), at }));
  if (order.approvalStep >= APPROVAL_STEP.escalated)
    parts.push(t('cards.progressEscalated', { billingProfile: order.billingProfileName, on: when(2), at }));
  const reassigned = order.reassignments.at(-1);
  if (reassigned)
    parts.push(
      t('cards.progressReassigned', {
        to: plainText(reassigned.to.name),
        by: plainText(reassigned.by.name),
        at: cardTime(reassigned.at),
      }),
    );
  if (order.approvalStep >= APPROVAL_STEP.lastCall)
    parts.push(t('cards.progressExpires', { at: cardTime(order.expiresAt) }));
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** What the Access Admin who reassigned an order is told on their card. */
export function reassignedText(
  to: Person,
  recipient: Person & { onBehalfOf?: Person },
  audience: Audience = DEFAULT_AUDIENCE,
): string {
  const { t } = wordsFor(audience);
  return recipient.onBehalfOf
    ? t('cards.reassignedToAway', { to: plainText(to.name), delegate: plainText(recipient.name) })
    : t('cards.reassignedTo', { to: plainText(to.name) });
}

/** The line on top of the approval card a reassignment sends. */
export function reassignedToYouText(
  byName: string | undefined,
  audience: Audience = DEFAULT_AUDIENCE,
): string {
  const { t } = wordsFor(audience);
  return t('cards.reassignedToYou', { by: byName ? plainText(byName) : t('cards.anAccessAdmin') });
}

/** The line on top of an approval card a delegate gets: whose order they decide. */
export function onBehalfText(principal: string, audience: Audience = DEFAULT_AUDIENCE): string {
  return wordsFor(audience).t('cards.onBehalfOf', { principal: plainText(principal) });
}

/** What the requester is told when a step of the ladder is taken for their order. */
export function approvalStepText(order: Order, step: number, audience: Audience): string | undefined {
  if (order.state !== 'pending_approval') return undefined;
  const { t } = wordsFor(audience);
  const values = { number: orderNumberText(order), product: order.product };
  switch (step) {
    case APPROVAL_STEP.reminded:
      return t('cards.stepReminded', values);
    case APPROVAL_STEP.escalated:
      return t('cards.stepEscalated', { ...values, billingProfile: order.billingProfileName });
    case APPROVAL_STEP.lastCall:
      return t('cards.stepLastCall', { ...values, expires: formatTime(order.expiresAt, audience) });
    default:
      return undefined;
  }
}
