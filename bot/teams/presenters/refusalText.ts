import type { Contact } from '../../domain/access';
import type { Refusal } from '../../domain/refusal';
import { roleName } from './accessCardPresenter';
import { notPossibleText, tooManyText } from './decreaseText';
import { andList, contactList, formatNumber, formatTime, plainText, wordsFor, type Audience } from './format';

/** "Megan Bowen (meganb@contoso.com) and Isaiah Langer" */
function contactsAnd(contacts: readonly Contact[], audience: Audience): string {
  return andList(
    contacts.map((c) => (c.email ? `${plainText(c.name)} (${plainText(c.email)})` : plainText(c.name))),
    audience,
  );
}

/** The `ask` select and `grantors` of a message that names whom to ask, or the billing administrator. */
function asking(
  grantors: readonly Contact[],
  audience: Audience,
): { ask: 'named' | 'admin'; grantors: string } {
  return grantors.length > 0
    ? { ask: 'named', grantors: contactList(grantors, audience) }
    : { ask: 'admin', grantors: '' };
}

/**
 * What each refusal means, in words, for the person who was refused, in their language (the cards catalogue,
 * bot/i18n/messages/<language>/cards.json). The only place that turns a refusal code into text.
 */
export function refusalText(refusal: Refusal, audience: Audience): string {
  const { t } = wordsFor(audience);
  const n = (value: number) => formatNumber(value, audience);
  switch (refusal.code) {
    case 'missing_identity':
      return t('cards.refusalMissingIdentity');
    case 'missing_licenses_manager':
      return t('cards.refusalMissingLicensesManager', {
        billingProfile: refusal.billingProfile.name,
        ...asking(refusal.grantors, audience),
      });
    case 'not_in_billing_profile':
      return t('cards.refusalNotInBillingProfile', {
        billingProfile: refusal.billingProfile.name,
        ...asking(refusal.grantors, audience),
      });
    case 'nothing_to_manage':
      return t('cards.refusalNothingToManage', asking(refusal.grantors, audience));
    case 'subscription_not_found':
      return t('cards.refusalSubscriptionNotFound');
    case 'subscription_unmanaged':
      return t('cards.refusalSubscriptionUnmanaged', { domain: refusal.domain });
    case 'subscription_suspended':
      return t('cards.refusalSubscriptionSuspended', { product: refusal.product });
    case 'decrease_not_possible':
      return t('cards.refusalDecreaseNotPossible', {
        product: refusal.product,
        reason: notPossibleText(refusal.now, refusal.atRenewal, refusal.renewalDate, audience),
      });
    case 'decrease_too_many':
      return tooManyText(refusal, audience);
    case 'nothing_scheduled':
      return t('cards.refusalNothingScheduled', { product: refusal.product });
    case 'below_in_use': {
      const { product, quantity, inUse, maxRemovable, requested } = refusal;
      if (maxRemovable === 0) return t('cards.refusalAllInUse', { product, quantity });
      const unassign = requested !== undefined ? requested - maxRemovable : undefined;
      return (
        t('cards.refusalBelowInUse', { product, quantity, inUse: n(inUse), max: n(maxRemovable) }) +
        (unassign !== undefined && unassign > 0
          ? ` ${t('cards.refusalUnassignFirst', { requested: n(requested as number), count: unassign })}`
          : '')
      );
    }
    case 'above_order_maximum':
      return t('cards.refusalAboveMaximum', { maximum: refusal.maximum });
    case 'order_not_found':
      return t('cards.refusalOrderNotFound');
    case 'not_requester':
      return t('cards.refusalNotRequester', { requester: plainText(refusal.requesterName) });
    case 'not_approver':
      return t('cards.refusalNotApprover', { billingProfile: refusal.billingProfile.name });
    case 'self_approval':
      return t('cards.refusalSelfApproval');
    case 'already_approved_by_you':
      return t('cards.refusalAlreadyApprovedByYou');
    case 'second_approval_limit_below':
      return t('cards.refusalSecondLimitBelow');
    case 'away_approves_nothing':
      return t('cards.refusalAwayApprovesNothing');
    case 'away_date_invalid':
      return t('cards.refusalAwayDate', { problem: refusal.problem, value: plainText(refusal.value) });
    case 'delegate_unknown':
      return refusal.value === ''
        ? t('cards.refusalDelegateMissing')
        : t('cards.refusalDelegateUnknown', { value: plainText(refusal.value) });
    case 'delegate_self':
      return t('cards.refusalDelegateSelf');
    case 'delegate_not_eligible':
      return t('cards.refusalDelegateNotEligible', { name: plainText(refusal.name) });
    case 'not_away':
      return t('cards.refusalNotAway');
    case 'reassign_not_admin':
      return t('cards.refusalReassignNotAdmin', { billingProfile: refusal.billingProfile.name });
    case 'reassign_own_order':
      return t('cards.refusalReassignOwnOrder');
    case 'reassign_not_escalated':
      return t('cards.refusalReassignNotEscalated', { billingProfile: refusal.billingProfile.name });
    case 'reassign_unknown_person':
      return refusal.value === ''
        ? t('cards.reassignToMissing')
        : t('cards.refusalReassignUnknownPerson', { value: plainText(refusal.value) });
    case 'reassign_to_requester':
      return t('cards.refusalReassignToRequester', { name: plainText(refusal.name) });
    case 'reassign_to_self':
      return t('cards.refusalReassignToSelf');
    case 'reassign_already_approved':
      return t('cards.refusalReassignAlreadyApproved', { name: plainText(refusal.name) });
    case 'reassign_not_eligible':
      return t('cards.refusalReassignNotEligible', {
        name: plainText(refusal.name),
        billingProfile: refusal.billingProfile.name,
      });
    case 'no_approver':
      return t('cards.refusalNoApprover', { billingProfile: refusal.billingProfile.name });
    case 'not_awaiting_approval':
      return t('cards.refusalNotAwaitingApproval');
    case 'reason_required':
      return t('cards.refusalReasonRequired', { max: n(refusal.maxLength) });
    case 'already_decided':
      return alreadyDecidedText(refusal, audience);
    case 'quantity_changed':
      return t('cards.refusalQuantityChanged', {
        product: refusal.product,
        expected: n(refusal.expected),
        actual: n(refusal.actual),
      });
    case 'rate_limited':
      return t('cards.refusalRateLimited', { seconds: refusal.retryAfterSeconds });
    case 'not_access_admin':
      return (
        (refusal.billingProfile
          ? t('cards.refusalNotAccessAdmin', { billingProfile: refusal.billingProfile.name })
          : t('cards.refusalNotAccessAdminAny')) +
        ' ' +
        (refusal.grantors.length > 0
          ? t('cards.refusalAccessAdminsAre', {
              count: refusal.grantors.length,
              admins: contactsAnd(refusal.grantors, audience),
            })
          : t('cards.refusalNoAccessAdmin'))
      );
    case 'unknown_billing_profile':
      return t('cards.refusalUnknownBillingProfile', { value: plainText(refusal.value) });
    case 'unknown_role':
      return t('cards.refusalUnknownRole', {
        value: plainText(refusal.value),
        licensesManager: roleName('LicensesManager', audience),
        approver: roleName('Approver', audience),
        accessAdmin: roleName('AccessAdmin', audience),
      });
    case 'malformed_object_id':
      return t('cards.refusalMalformedObjectId', { value: plainText(refusal.value) });
    case 'unknown_person':
      return t('cards.refusalUnknownPerson', { value: plainText(refusal.value) });
    case 'person_outside_tenants':
      return t('cards.refusalPersonOutsideTenants', { name: plainText(refusal.name) });
    case 'grant_exists':
      return t('cards.refusalGrantExists', {
        person: plainText(refusal.person),
        role: roleName(refusal.role, audience),
        billingProfile: refusal.billingProfile.name,
      });
    case 'role_not_held':
      return t('cards.refusalRoleNotHeld', {
        person: plainText(refusal.person),
        role: roleName(refusal.role, audience),
        billingProfile: refusal.billingProfile.name,
      });
    case 'last_access_admin':
      return t('cards.refusalLastAccessAdmin', { billingProfile: refusal.billingProfile.name });
    case 'reason_too_long':
      return t('cards.refusalReasonTooLong', { max: n(refusal.maxLength) });
    case 'profile_name_invalid':
      return t('cards.refusalProfileNameInvalid', { max: n(refusal.maxLength) });
    case 'domain_invalid':
      return refusal.value === ''
        ? t('cards.refusalDomainMissing')
        : t('cards.refusalDomainInvalid', { value: plainText(refusal.value) });
    case 'domain_taken':
      return t('cards.refusalDomainTaken', {
        domain: plainText(refusal.domain),
        billingProfile: refusal.billingProfile.name,
      });
    case 'currency_invalid':
      return t('cards.refusalCurrencyInvalid', { value: plainText(refusal.value) });
    case 'approval_limit_invalid':
      return t(refusal.limit === 'second' ? 'cards.refusalSecondLimitInvalid' : 'cards.refusalLimitInvalid', {
        problem: refusal.problem,
        value: refusal.problem === 'not_a_number' ? plainText(refusal.value) : '',
        maximum: refusal.problem === 'too_large' ? n(refusal.maximum) : '',
        currency: refusal.problem === 'too_large' ? refusal.currency : '',
      });
    case 'request_not_found':
      return t('cards.refusalRequestNotFound');
    case 'no_licenses_manager':
      return t('cards.refusalNoLicensesManager', {
        billingProfile: refusal.billingProfile.name,
        ...asking(refusal.grantors, audience),
      });
    case 'not_request_requester':
      return t('cards.refusalNotRequestRequester', { requester: plainText(refusal.requesterName) });
    case 'not_licenses_manager_of_request':
      return t('cards.refusalNotLicensesManagerOfRequest', { billingProfile: refusal.billingProfile.name });
    case 'request_already_decided':
      return refusal.by
        ? t('cards.refusalRequestDecidedBy', { state: refusal.state, by: plainText(refusal.by) })
        : t('cards.refusalRequestDecided', { state: refusal.state });
    case 'decline_reason_required':
      return t('cards.refusalDeclineReasonRequired', { max: n(refusal.maxLength) });
  }
}

function alreadyDecidedText(
  refusal: Extract<Refusal, { code: 'already_decided' }>,
  audience: Audience,
): string {
  const { t } = wordsFor(audience);
  const values = {
    named: refusal.by ? 'yes' : 'no',
    by: refusal.by ? plainText(refusal.by) : '',
    timed: refusal.at ? 'yes' : 'no',
    at: refusal.at ? formatTime(refusal.at, audience) : '',
  };
  switch (refusal.state) {
    case 'approved':
    case 'submitting':
    case 'completed':
      return t('cards.alreadyApproved', values);
    case 'failed':
      return t('cards.alreadyApprovedFailed', values);
    case 'rejected':
      return t('cards.alreadyRejected', values);
    case 'cancelled':
      return t('cards.alreadyCancelled', values);
    case 'expired':
      return t('cards.alreadyExpired', values);
    case 'draft':
    case 'pending_approval':
      return t('cards.stillWaiting');
  }
}
