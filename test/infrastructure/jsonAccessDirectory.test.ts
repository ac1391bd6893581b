import { AccessFileError, JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import { DEMO_ACCESS_FILE } from '../support/services';
import { ALEX } from '../support/demoUsers';

const valid = () => ({
  billingProfiles: [
    { id: 'hq', name: 'HQ', domains: ['contoso.com'], approvalLimit: { amount: '500.00', currency: 'USD' } },
  ],
  users: [
    { aadObjectId: 'u1', name: 'U', assignments: [{ billingProfile: 'hq', roles: ['LicensesManager'] }] },
  ],
});

describe('the access file', () => {
  it('loads the shipped demo access (README: The embedded demo)', () => {
    const directory = JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE);
    expect(directory.users()).toHaveLength(6);
    expect(directory.user(ALEX.aadObjectId)?.name).toBe('Alex Wilber');
    expect(directory.billingProfileForDomain('CONTOSO.EU')?.name).toBe('Contoso EMEA');
    expect(directory.billingProfile('contoso-hq')?.approvalLimit).toEqual({ minor: 50000, currency: 'USD' });
  });

  it.each<[string, (json: ReturnType<typeof valid>) => unknown, RegExp]>([
    ['no users', (j) => ({ billingProfiles: j.billingProfiles }), /"users" must be an array/],
    [
      'an unknown role',
      (j) => ((j.users[0].assignments[0].roles = ['Admin']), j),
      /roles\[0\] must be one of LicensesManager, Approver/,
    ],
    [
      'an unknown profile',
      (j) => ((j.users[0].assignments[0].billingProfile = 'x'), j),
      /"x" is not a billing profile/,
    ],
    ['a bad limit', (j) => ((j.billingProfiles[0].approvalLimit.amount = '5,00'), j), /approvalLimit/],
    [
      'a domain twice',
      (j) => (j.billingProfiles.push({ ...j.billingProfiles[0], id: 'b' }), j),
      /domain "contoso.com" belongs to two/,
    ],
    ['a user twice', (j) => (j.users.push(j.users[0]), j), /user "u1" appears twice/],
  ])('refuses %s with the exact problem', (_name, change, message) => {
    expect(() => JsonAccessDirectory.fromJson(change(valid()), 'access.json')).toThrow(message);
  });

  it('names the file when it cannot be read', () => {
    expect(() => JsonAccessDirectory.fromFile('/nonexistent/access.json')).toThrow(AccessFileError);
    expect(() => JsonAccessDirectory.fromFile('/nonexistent/access.json')).toThrow(/ACCESS_FILE/);
  });
});
