import { ROLE_NAMES, type Contact } from '../../domain/access';
import type { Refusal } from '../../domain/refusal';
import { notPossibleText, tooManyText } from './decreaseText';
import { contactList, formatNumber, formatTime, plainText, plural, type Audience } from './format';

/** "Megan Bowen (meganb@contoso.com) and Isaiah Langer" */
function andList(contacts: readonly Contact[]): string {
  const names = contacts.map((c) =>
    c.email ? `${plainText(c.name)} (${plainText(c.email)})` : plainText(c.name),
  );
  return names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

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
    case 'already_approved_by_you':
      return 'You already approved this order. It needs a second approver, who is not you: they have the card too.';
    case 'second_approval_limit_below':
      return 'The second approval limit must be at least the approval limit: above it, a second approver is needed. Leave it empty for one approver at any amount.';
    case 'away_approves_nothing':
      return "You don't approve orders on any billing profile, so there is nothing to hand over while you are away.";
    case 'away_date_invalid':
      return refusal.problem === 'malformed'
        ? `"${plainText(refusal.value)}" is not a date I can read. Say it as year-month-day, for example: away until 2026-12-24, delegate to Adele Vance.`
        : refusal.problem === 'past'
          ? `${plainText(refusal.value)} has passed. Give the last day you are away, today or later.`
          : `${plainText(refusal.value)} is more than a year away. Give a date within a year; you can set it again later.`;
    case 'delegate_unknown':
      return refusal.value === ''
        ? 'Who decides while you are away? Say it like this: away until 2026-12-24, delegate to Adele Vance.'
        : `I don't know anyone called "${plainText(refusal.value)}" in License Desk. Give their full name as Teams shows it, or their email address.`;
    case 'delegate_self':
      return "You can't delegate to yourself. Name a colleague who holds a role on your billing profiles.";
    case 'delegate_not_eligible':
      return `${plainText(refusal.name)} holds no role on the billing profiles you approve for, so they can't decide on your behalf. Name someone who does, or ask an Access Admin to grant them a role.`;
    case 'not_away':
      return "You weren't away: your approval cards come to you.";
    case 'reassign_not_admin':
      return `Only an Access Admin of billing profile **${refusal.billingProfile.name}** can reassign this order.`;
    case 'reassign_own_order':
      return "You can't reassign your own order: its approvers decide it.";
    case 'reassign_not_escalated':
      return `This order can be reassigned once it is escalated to the Access Admins of **${refusal.billingProfile.name}**; until then its approvers have it.`;
    case 'reassign_unknown_person':
      return refusal.value === ''
        ? 'Choose the approver who gets this order.'
        : `I don't know "${plainText(refusal.value)}" in License Desk. Choose one of the approvers offered.`;
    case 'reassign_to_requester':
      return `${plainText(refusal.name)} asked for this order, so they can't approve it. Choose another approver.`;
    case 'reassign_to_self':
      return 'You may approve this order yourself; to hand it on, choose another approver.';
    case 'reassign_already_approved':
      return `${plainText(refusal.name)} already approved this order; its second approval must come from someone else.`;
    case 'reassign_not_eligible':
      return `${plainText(refusal.name)} can't approve orders of billing profile **${refusal.billingProfile.name}**. Choose one of its approvers, or ask an Access Admin to grant them the Approver role.`;
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
    case 'not_access_admin':
      return (
        (refusal.billingProfile
          ? `Only an Access Admin of billing profile **${refusal.billingProfile.name}** can change who does what there.`
          : 'Only an Access Admin of a billing profile can change who does what there.') +
        (refusal.grantors.length > 0
          ? ` Its Access ${plural(refusal.grantors.length, 'Admin is', 'Admins are')} ${andList(refusal.grantors)}.`
          : ' It has no Access Admin yet: ask whoever runs License Desk to set ACCESS_ADMIN_IDS.')
      );
    case 'unknown_billing_profile':
      return `There is no billing profile "${plainText(refusal.value)}". Choose one of the billing profiles listed.`;
    case 'unknown_role':
      return `"${plainText(refusal.value)}" is not a role. The roles are Licenses Manager, Approver and Access Admin.`;
    case 'malformed_object_id':
      return `"${plainText(refusal.value)}" is not a Microsoft Entra object id (a GUID such as 3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b). Pick the person, or paste their object id.`;
    case 'unknown_person':
      return `Nobody in your directory has the object id ${plainText(refusal.value)}. Check it, or pick the person by name.`;
    case 'person_outside_tenants':
      return `${plainText(refusal.name)} belongs to an organisation that may not use License Desk, so they cannot be given a role.`;
    case 'grant_exists':
      return `${plainText(refusal.person)} already is ${ROLE_NAMES[refusal.role]} on **${refusal.billingProfile.name}**: nothing changed.`;
    case 'role_not_held':
      return `${plainText(refusal.person)} is not ${ROLE_NAMES[refusal.role]} on **${refusal.billingProfile.name}**, so there is nothing to revoke.`;
    case 'last_access_admin':
      return `That is the last Access Admin of **${refusal.billingProfile.name}**: grant Access Admin to someone else first, then revoke.`;
    case 'reason_too_long':
      return `The reason is longer than ${n(refusal.maxLength)} characters: shorten it.`;
    case 'profile_name_invalid':
      return `A billing profile needs a name of 1 to ${n(refusal.maxLength)} characters.`;
    case 'domain_invalid':
      return refusal.value === ''
        ? 'A billing profile needs at least one domain, such as contoso.com.'
        : `"${plainText(refusal.value)}" is not a domain name such as contoso.com.`;
    case 'domain_taken':
      return `The domain ${plainText(refusal.domain)} is already managed by billing profile **${refusal.billingProfile.name}**: a domain belongs to one profile only.`;
    case 'currency_invalid':
      return `"${plainText(refusal.value)}" is not a currency code such as USD or EUR.`;
    case 'approval_limit_invalid':
      if (refusal.limit === 'second')
        switch (refusal.problem) {
          case 'not_a_number':
            return `The second approval limit "${plainText(refusal.value)}" is not an amount: write it like 5000 or 5000.00, or leave it empty for one approver at any amount.`;
          case 'negative':
            return 'The second approval limit cannot be negative. Leave it empty for one approver at any amount.';
          case 'too_large':
            return `The second approval limit is at most ${n(refusal.maximum)} ${refusal.currency}. Leave it empty for one approver at any amount.`;
        }
      switch (refusal.problem) {
        case 'not_a_number':
          return `The approval limit "${plainText(refusal.value)}" is not an amount: write it like 500 or 500.00.`;
        case 'negative':
          return 'The approval limit cannot be negative: 0 sends every order to an approver.';
        case 'too_large':
          return `The approval limit is at most ${n(refusal.maximum)} ${refusal.currency}: above that no order would ever need an approver.`;
      }
      break;
    case 'request_not_found':
      return "I can't find that license request. The card may come from another License Desk.";
    case 'no_licenses_manager':
      return (
        `Nobody is Licenses Manager on billing profile **${refusal.billingProfile.name}** yet, so nobody could order these seats.` +
        (refusal.grantors.length > 0
          ? ` Ask ${contactList(refusal.grantors)} to name one.`
          : ' Ask your billing administrator to name one.')
      );
    case 'not_request_requester':
      return `Only ${plainText(refusal.requesterName)}, who asked, can send or withdraw this request.`;
    case 'not_licenses_manager_of_request':
      return `Only a Licenses Manager of billing profile **${refusal.billingProfile.name}** can order or decline this request.`;
    case 'request_already_decided':
      return `This request was already ${refusal.state}${refusal.by ? ` by ${plainText(refusal.by)}` : ''}.`;
    case 'decline_reason_required':
      return `Give a reason for declining (up to ${n(refusal.maxLength)} characters), so the requester knows why.`;
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
