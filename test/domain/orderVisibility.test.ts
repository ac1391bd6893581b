import type { BillingProfile, UserAccess } from '../../bot/domain/access';
import { money } from '../../bot/domain/money';
import type { Order } from '../../bot/domain/order';
import { isAccessAdministrator, whyMayView } from '../../bot/domain/orderVisibility';

const HQ: BillingProfile = {
  id: 'contoso-hq',
  name: 'Contoso HQ',
  domains: ['contoso.com'],
  approvalLimit: money(50000, 'USD'),
  accessAdministrators: [{ name: 'Lynne Robbins', email: 'LynneR@contoso.com' }, { name: 'Nobody' }],
};

const ORDER = {
  id: 'order-1',
  requester: { id: 'alex', name: 'Alex Wilber' },
  billingProfileId: 'contoso-hq',
  billingProfileName: 'Contoso HQ',
} as unknown as Order;

const user = (id: string, email: string | undefined, roles: UserAccess['assignments']): UserAccess => ({
  id,
  name: id,
  ...(email ? { email } : {}),
  assignments: roles,
});

const ALEX = user('alex', 'alexw@contoso.com', [
  { billingProfileId: 'contoso-hq', roles: ['LicensesManager', 'Approver'] },
]);
const MEGAN = user('megan', 'meganb@contoso.com', [{ billingProfileId: 'contoso-hq', roles: ['Approver'] }]);
const EMEA_APPROVER = user('isaiah', 'isaiahl@contoso.com', [
  { billingProfileId: 'contoso-emea', roles: ['Approver'] },
]);
const LYNNE = user('lynne', 'lynner@CONTOSO.com', [
  { billingProfileId: 'contoso-hq', roles: ['AccessAdmin'] },
]);
const EMEA_ADMIN = user('adele', 'adelev@contoso.com', [
  { billingProfileId: 'contoso-emea', roles: ['AccessAdmin'] },
]);
const PATTI = user('patti', 'pattif@contoso.com', []);
const NAMED_NOBODY = user('nobody', undefined, []);

const view = (
  who: UserAccess | undefined,
  id: string,
  inConversationWithCard = false,
  profile: BillingProfile | undefined = HQ,
) => whyMayView(ORDER, { id, access: who, inConversationWithCard }, profile);

describe('who may see an order (the one rule, bot/domain/orderVisibility.ts)', () => {
  it('its requester, even one who also approves that billing profile', () => {
    expect(view(ALEX, 'alex')).toBe('requester');
  });

  it('an approver of its billing profile, not of another', () => {
    expect(view(MEGAN, 'megan')).toBe('approver');
    expect(view(EMEA_APPROVER, 'isaiah')).toBeUndefined();
  });

  it('an Access Admin of its billing profile (the role, not a contact of the profile)', () => {
    expect(view(LYNNE, 'lynne')).toBe('access_administrator');
    expect(isAccessAdministrator(LYNNE, HQ)).toBe(true);
    // A contact's name or email is not an identity; Access Admin of another profile is not enough.
    expect(isAccessAdministrator(NAMED_NOBODY, HQ)).toBe(false);
    expect(isAccessAdministrator(user('x', 'LynneR@contoso.com', []), HQ)).toBe(false);
    expect(view(EMEA_ADMIN, 'adele')).toBeUndefined();
    expect(
      whyMayView(ORDER, { id: 'lynne', access: LYNNE, inConversationWithCard: false }, undefined),
    ).toBeUndefined();
  });

  it('a member of a conversation its card was posted to', () => {
    expect(view(PATTI, 'patti', true)).toBe('conversation_member');
    expect(view(undefined, 'someone-not-in-the-access-file', true)).toBe('conversation_member');
  });

  it('nobody else', () => {
    expect(view(PATTI, 'patti')).toBeUndefined();
    expect(view(undefined, 'someone-not-in-the-access-file')).toBeUndefined();
  });
});
