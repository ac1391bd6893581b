import { orderNumberText, type Order, type OrderState } from '../../domain/order';
import { completedText, failureText } from './orderCardPresenter';
import { andList, DEFAULT_AUDIENCE, orList, plainText, wordsFor, type Audience } from './format';

/**
 * The message the requester gets when an order ends (or waits) without them watching its card. Undefined
 * when the card they tapped already told them (they approved it themselves and it completed, they cancelled).
 */
export function outcomeText(order: Order, previous: OrderState, audience: Audience): string | undefined {
  const { t } = wordsFor(audience);
  const values = { number: orderNumberText(order), product: order.product };
  const byOther = order.decidedBy !== null && order.decidedBy.id !== order.requester.id;
  switch (order.state) {
    case 'completed':
      if (order.timing === 'now' && order.outcome !== 'scheduled_not_restored')
        return byOther
          ? t('cards.outcomeCompleted', {
              ...values,
              approvers: approvers(order, audience),
              count: order.targetQuantity,
            })
          : undefined;
      // A scheduled change, its cancellation, or a scheduled reduction that could not come back: always said.
      return byOther || order.outcome === 'scheduled_not_restored'
        ? t('cards.outcomeOrder', { ...values, text: completedText(order, audience) })
        : undefined;
    case 'failed':
      return order.outcome === 'could_not_confirm'
        ? t('cards.outcomeNotConfirmed', { ...values, reason: failureText(order, audience) })
        : t('cards.outcomeNotPlaced', { ...values, reason: failureText(order, audience) });
    case 'rejected': {
      const by = order.decidedBy ? plainText(order.decidedBy.name) : t('cards.anApproverCapital');
      return order.note
        ? t('cards.outcomeRejectedBecause', { ...values, by, reason: plainText(order.note) })
        : t('cards.outcomeRejected', { ...values, by });
    }
    case 'expired':
      if (previous !== 'pending_approval') return undefined;
      return order.outcome === 'quantity_changed'
        ? t('cards.outcomeExpiredQuantity', values)
        : t('cards.outcomeExpired', values);
    default:
      return undefined;
  }
}

export function approvalRoutedText(
  order: Order,
  reached: readonly string[],
  channel: boolean,
  audience: Audience = DEFAULT_AUDIENCE,
): string {
  const { t } = wordsFor(audience);
  const values = { number: orderNumberText(order), billingProfile: order.billingProfileName };
  if (reached.length > 0) return t('cards.routedTo', { ...values, approvers: orList(reached, audience) });
  if (channel) return t('cards.routedToChannel', values);
  return t('cards.routedNowhere', values);
}

/** Who approved: the approver, or both when the order needed two. */
function approvers(order: Order, audience: Audience): string {
  if (order.approvals.length > 1)
    return andList(
      order.approvals.map((a) => plainText(a.name)),
      audience,
    );
  return order.decidedBy ? plainText(order.decidedBy.name) : wordsFor(audience).t('cards.anApprover');
}
