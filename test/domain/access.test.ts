import { licensesManagerRefusal, type BillingProfile, type UserAccess } from '../../bot/domain/access';
import { money } from '../../bot/domain/money';

const hq: BillingProfile = {
  id: 'hq',
  name: 'Contoso HQ',
  domains: ['contoso.com'],
  approvalLimit: money(50000, 'USD'),
  accessAdministrators: [{ name: 'Megan Bowen', email: 'meganb@contoso.com' }],
};
const user = (assignments: UserAccess['assignments']): UserAccess => ({ id: 'u', name: 'U', assignments });

describe('the two permission rules for buying and removing seats', () => {
  it('lets a Licenses Manager assigned to the billing profile through', () => {
    expect(
      licensesManagerRefusal(user([{ billingProfileId: 'hq', roles: ['LicensesManager'] }]), hq),
    ).toBeUndefined();
  });

  it('names the missing Licenses Manager permission and who grants it', () => {
    expect(licensesManagerRefusal(user([{ billingProfileId: 'hq', roles: ['Approver'] }]), hq)).toEqual({
      code: 'missing_licenses_manager',
      billingProfile: { id: 'hq', name: 'Contoso HQ' },
      grantors: hq.accessAdministrators,
    });
  });

  it('names the missing billing profile assignment for a Licenses Manager of another profile', () => {
    expect(
      licensesManagerRefusal(user([{ billingProfileId: 'emea', roles: ['LicensesManager'] }]), hq),
    ).toMatchObject({
      code: 'not_in_billing_profile',
      billingProfile: { name: 'Contoso HQ' },
    });
  });

  it('treats an unknown user and a user with no roles as missing the permission', () => {
    expect(licensesManagerRefusal(undefined, hq)?.code).toBe('missing_licenses_manager');
    expect(licensesManagerRefusal(user([]), hq)?.code).toBe('missing_licenses_manager');
  });
});
