import type { Contact } from '../../domain/access';
import type { Refusal } from '../../domain/refusal';
import { notPossibleText, tooManyText } from './decreaseText';
import { contactList, formatNumber, formatTime, plainText, plural, type Audience } from './format';

function askFor(grantors: readonly Contact[]): string {
  return grantors.length > 0
    ? ` Ask ${contactList(grantors)} to grant it.`
    : ' Ask your billing administrator to grant it.';
}

/**
 * What each refusal means, in words, for the person who was refused. The only place that turns a
 * refusal code into text.
 */
export function refusalText(refusal: Refusal, audience: Audience): string {
  const n = (value: number) => formatNumber(value, audience);
  switch (refusal.code) {
    case 'missing_identity':
      return (
        "I can't tell who you are: your message came without a Microsoft Entra user id. " +
        'License Desk works for signed-in users of your organisation in Teams.'
      );
    case 'missing_licenses_manager':
      return (
        `You need the **Licenses Manager** permission on billing profile **${refusal.billingProfile.name}** ` +
        `to buy or remove seats there.${askFor(refusal.grantors)}`
      );
    case 'not_in_billing_profile':
      return (
        `You are not assigned to billing profile **${refusal.billingProfile.name}**, under which this ` +
        `subscription's domain is managed, so you cannot buy or remove seats for it.` +
        (refusal.grantors.length > 0
          ? ` Ask ${contactList(refusal.grantors)} to assign you to it.`
          : ' Ask your billing administrator to assign you to it.')
      );
    case 'nothing_to_manage':
      return (
        "You don't have the **Licenses Manager** permission on any billing profile, so there is no " +
        `subscription you can buy or remove seats for.${askFor(refusal.grantors)}`
      );
    case 'subscription_not_found':
      return 'That subscription no longer exists.';
    case 'subscription_unmanaged':
      return `The domain ${refusal.domain} is not managed under any billing profile License Desk knows, so nobody can order seats for it here.`;
    case 'subscription_suspended':
      return `**${refusal.product}** is suspended: its seats cannot be changed until it is active again.`;
    case 'decrease_not_possible':
      return `**${refusal.product}**: ${notPossibleText(refusal.now, refusal.atRenewal, refusal.renewalDate, audience)}`;
    case 'decrease_too_many':
      return tooManyText(refusal, audience);
    case 'nothing_scheduled':
      return `**${refusal.product}** has no reduction scheduled for the renewal, so there is nothing to cancel.`;
    case 'below_in_use': {
      const { product, quantity, inUse, maxRemovable, requested } = refusal;
      if (maxRemovable === 0) {
        return `All ${n(quantity)} seats of **${product}** are in use, so none can be removed. Unassign licenses from users first.`;
      }
      const unassign = requested !== undefined ? requested - maxRemovable : undefined;
      return (
        `**${product}** has ${n(quantity)} seats and ${n(inUse)} are in use, so at most ${n(maxRemovable)} can be removed.` +
        (unassign !== undefined && unassign > 0
          ? ` To remove ${n(requested as number)}, first unassign ${n(unassign)} ${plural(unassign, 'license', 'licenses')} from users.`
          : '')
      );
    }
    case 'above_order_maximum':
      return `One order can change at most ${n(refusal.maximum)} seats. For more, place several orders.`;
    case 'order_not_found':
      return "I can't find that order. The card may come from another License Desk, or the order was removed.";
    case 'not_requester':
      return `Only ${plainText(refusal.requesterName)}, who made this order, can confirm or cancel it.`;
    case 'not_approver':
      return `Only an approver of billing profile **${refusal.billingProfile.name}** can decide this order.`;
    case 'self_approval':
      return "You can't approve or reject your own order: another approver of the billing profile decides it.";
    case 'no_approver':
      return (
        `This order needs an approver, but billing profile **${refusal.billingProfile.name}** has none besides you. ` +
        'Ask your billing administrator to name one, or order fewer seats.'
      );
    case 'not_awaiting_approval':
      return 'This order is not waiting for an approver.';
    case 'reason_required':
      return `Give a reason for rejecting (up to ${n(refusal.maxLength)} characters), so the requester knows what to change.`;
    case 'already_decided':
      return alreadyDecidedText(refusal, audience);
    case 'quantity_changed':
      return `The quantity of **${refusal.product}** changed from ${n(refusal.expected)} to ${n(refusal.actual)} since this card was made.`;
    case 'rate_limited':
      return `That was a lot of requests in a short time. Try again in ${n(refusal.retryAfterSeconds)} seconds.`;
  }
}

function alreadyDecidedText(
  refusal: Extract<Refusal, { code: 'already_decided' }>,
  audience: Audience,
): string {
  const by = refusal.by ? ` by ${plainText(refusal.by)}` : '';
  const at = refusal.at ? ` at ${formatTime(refusal.at, audience)}` : '';
  switch (refusal.state) {
    case 'approved':
    case 'submitting':
    case 'completed':
      return `This order was already approved${by}${at}.`;
    case 'failed':
      return `This order was already approved${by}${at}, and placing it failed.`;
    case 'rejected':
      return `This order was already rejected${by}${at}.`;
    case 'cancelled':
      return `This order was already cancelled${by}${at}.`;
    case 'expired':
      return `This order already expired${at}; nothing was ordered.`;
    case 'draft':
    case 'pending_approval':
      return 'This order is still waiting for a decision.';
  }
}
