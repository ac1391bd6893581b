import { DatabaseAccessDirectory } from '../../bot/infrastructure/access/databaseAccessDirectory';
import { SqlAccessStore } from '../../bot/infrastructure/access/sqlAccessStore';
import type { SqlDatabase } from '../../bot/infrastructure/database/sqlDatabase';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import { KnownPeopleDirectory } from '../../bot/infrastructure/directory/knownPeopleDirectory';
import { AccessService } from '../../bot/services/accessService';
import type { PeopleDirectory } from '../../bot/services/ports';
import { refusalText } from '../../bot/teams/presenters/refusalText';
import { freshDatabase } from '../support/database';
import { ALEX, ISAIAH, LYNNE, MEGAN, PATTI, TENANT_ID } from '../support/demoUsers';
import { DEMO_ACCESS_FILE, TestClock } from '../support/services';
import { silentLog } from '../support/testApp';

const megan = { id: MEGAN.aadObjectId, name: MEGAN.name };
const alex = { id: ALEX.aadObjectId, name: ALEX.name };
const OUTSIDER = '11111111-2222-4333-8444-555555555555';
const STRANGER = '99999999-2222-4333-8444-555555555555';

/** The demo directory, plus one person of another tenant (a guest) the directory knows. */
function peopleWithOutsider(directory: DatabaseAccessDirectory): PeopleDirectory {
  const known = new KnownPeopleDirectory(directory);
  return {
    find: async (id) =>
      id === OUTSIDER ? { id, name: 'Gus Guest', tenantId: 'another-tenant' } : known.find(id),
    search: (text, limit) => known.search(text, limit),
  };
}

describe('access in the database (bot/domain/accessRules.ts through AccessService, embedded PostgreSQL)', () => {
  let db: SqlDatabase;
  let store: SqlAccessStore;
  let directory: DatabaseAccessDirectory;
  let access: AccessService;
  const clock = new TestClock();

  beforeEach(async () => {
    db = await freshDatabase();
    store = new SqlAccessStore(db, () => clock.now());
    expect(await store.importOnce(JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE), DEMO_ACCESS_FILE)).toBe(
      true,
    );
    directory = new DatabaseAccessDirectory(store);
    await directory.refresh();
    access = new AccessService({
      store,
      directory,
      people: peopleWithOutsider(directory),
      allowedTenantIds: [TENANT_ID],
      log: silentLog,
    });
  });
  afterEach(async () => {
    await db.close();
  });

  /** Everything a refused change could have touched: the roles and profiles as read, and the audit. */
  async function state() {
    const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM access_audit');
    const fresh = await store.load();
    return { audit: Number(rows[0].n), access: fresh.directory.toJson(), version: fresh.version };
  }

  it('imports the access file once: Megan Bowen is Access Admin of both billing profiles, every other role as it was', async () => {
    expect(await store.importOnce(JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE), 'again')).toBe(false);
    const file = JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE).toJson();
    const exported = await access.exportJson();
    expect(exported).toEqual(file);
    const meganRoles = exported.users.find((u) => u.aadObjectId === MEGAN.aadObjectId)?.assignments;
    expect(meganRoles).toEqual([
      { billingProfile: 'contoso-hq', roles: ['Approver', 'AccessAdmin'] },
      { billingProfile: 'contoso-emea', roles: ['Approver', 'AccessAdmin'] },
    ]);
    expect(
      exported.users
        .filter((u) => u.assignments.some((a) => a.roles.includes('AccessAdmin')))
        .map((u) => u.name),
    ).toEqual(['Megan Bowen']);
    expect(directory.billingProfile('contoso-hq')?.accessAdministrators).toEqual([
      { name: 'Megan Bowen', email: 'meganb@contoso.com' },
    ]);
  });

  it('a grant is one audited row and takes effect at once; a revoke too', async () => {
    const granted = await access.grant(megan, {
      personId: PATTI.aadObjectId,
      role: 'LicensesManager',
      billingProfileId: 'contoso-hq',
      reason: 'Runs the Lisbon office',
    });
    expect(granted.ok).toBe(true);
    expect(directory.user(PATTI.aadObjectId)?.assignments).toEqual([
      { billingProfileId: 'contoso-hq', roles: ['LicensesManager'] },
    ]);
    const revoked = await access.revoke(megan, {
      personId: PATTI.aadObjectId,
      role: 'LicensesManager',
      billingProfileId: 'contoso-hq',
    });
    expect(revoked.ok).toBe(true);
    expect(directory.user(PATTI.aadObjectId)?.assignments).toEqual([]);
    const audit = await access.auditTrail(megan.id);
    expect(audit.ok && audit.value.slice(0, 2)).toEqual([
      expect.objectContaining({
        action: 'revoke',
        actor: megan,
        person: { id: PATTI.aadObjectId, name: 'Patti Fernandez' },
        role: 'LicensesManager',
        billingProfileId: 'contoso-hq',
        reason: null,
        at: clock.now(),
      }),
      expect.objectContaining({
        action: 'grant',
        actor: megan,
        person: { id: PATTI.aadObjectId, name: 'Patti Fernandez' },
        role: 'LicensesManager',
        billingProfileId: 'contoso-hq',
        reason: 'Runs the Lisbon office',
      }),
    ]);
  });

  it('nobody grants or revokes without Access Admin on that profile, and is told who the Access Admins are', async () => {
    const before = await state();
    const grant = await access.grant(alex, {
      personId: PATTI.aadObjectId,
      role: 'LicensesManager',
      billingProfileId: 'contoso-hq',
    });
    const revoke = await access.revoke(alex, {
      personId: MEGAN.aadObjectId,
      role: 'AccessAdmin',
      billingProfileId: 'contoso-hq',
    });
    for (const result of [grant, revoke]) {
      expect(!result.ok && refusalText(result.refusal, { locale: 'en-US' })).toBe(
        'Only an Access Admin of billing profile **Contoso HQ** can change who does what there. ' +
          'Its Access Admin is Megan Bowen (meganb@contoso.com).',
      );
    }
    const overview = await access.overview(PATTI.aadObjectId);
    expect(!overview.ok && refusalText(overview.refusal, { locale: 'en-US' })).toContain(
      'Megan Bowen (meganb@contoso.com)',
    );
    expect(await state()).toEqual(before);
  });

  it('never revokes the last Access Admin of a profile; with a second one, it may', async () => {
    const before = await state();
    const last = await access.revoke(megan, {
      personId: MEGAN.aadObjectId,
      role: 'AccessAdmin',
      billingProfileId: 'contoso-hq',
    });
    expect(!last.ok && refusalText(last.refusal, { locale: 'en-US' })).toBe(
      'That is the last Access Admin of **Contoso HQ**: grant Access Admin to someone else first, then revoke.',
    );
    expect(await state()).toEqual(before);
    expect(
      (
        await access.grant(megan, {
          personId: ISAIAH.aadObjectId,
          role: 'AccessAdmin',
          billingProfileId: 'contoso-hq',
        })
      ).ok,
    ).toBe(true);
    expect(
      (
        await access.revoke(megan, {
          personId: MEGAN.aadObjectId,
          role: 'AccessAdmin',
          billingProfileId: 'contoso-hq',
        })
      ).ok,
    ).toBe(true);
    // Isaiah is the last one now: not even he can revoke himself.
    const isaiah = { id: ISAIAH.aadObjectId, name: ISAIAH.name };
    const again = await access.revoke(isaiah, {
      personId: ISAIAH.aadObjectId,
      role: 'AccessAdmin',
      billingProfileId: 'contoso-hq',
    });
    expect(!again.ok && again.refusal.code).toBe('last_access_admin');
  });

  it('two Access Admins revoking each other at once cannot leave the profile without one', async () => {
    await access.grant(megan, {
      personId: ISAIAH.aadObjectId,
      role: 'AccessAdmin',
      billingProfileId: 'contoso-hq',
    });
    const isaiah = { id: ISAIAH.aadObjectId, name: ISAIAH.name };
    const results = await Promise.all([
      access.revoke(megan, {
        personId: ISAIAH.aadObjectId,
        role: 'AccessAdmin',
        billingProfileId: 'contoso-hq',
      }),
      access.revoke(isaiah, {
        personId: MEGAN.aadObjectId,
        role: 'AccessAdmin',
        billingProfileId: 'contoso-hq',
      }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    await directory.refresh();
    expect(directory.billingProfile('contoso-hq')?.accessAdministrators).toHaveLength(1);
  });

  const badGrants: Array<[string, Record<string, unknown>, string]> = [
    [
      'a malformed object id',
      { personId: 'patti' },
      '"patti" is not a Microsoft Entra object id (a GUID such as 3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b). Pick the person, or paste their object id.',
    ],
    [
      'an unknown object id',
      { personId: STRANGER },
      `Nobody in your directory has the object id ${STRANGER}. Check it, or pick the person by name.`,
    ],
    [
      'a person outside the allowed tenants',
      { personId: OUTSIDER },
      'Gus Guest belongs to an organisation that may not use License Desk, so they cannot be given a role.',
    ],
    [
      'an unknown profile',
      { billingProfileId: 'contoso-apac' },
      'There is no billing profile "contoso-apac". Choose one of the billing profiles listed.',
    ],
    [
      'an unknown role',
      { role: 'Owner' },
      '"Owner" is not a role. The roles are Licenses Manager, Approver and Access Admin.',
    ],
    [
      'a grant that already exists',
      { personId: ALEX.aadObjectId },
      'Alex Wilber already is Licenses Manager on **Contoso HQ**: nothing changed.',
    ],
    [
      'a reason over 500 characters',
      { reason: 'x'.repeat(501) },
      'The reason is longer than 500 characters: shorten it.',
    ],
  ];

  it.each(badGrants)(
    'refuses a grant with %s, in a clear sentence, and changes nothing',
    async (_name, change, text) => {
      const before = await state();
      const result = await access.grant(megan, {
        personId: PATTI.aadObjectId,
        role: 'LicensesManager',
        billingProfileId: 'contoso-hq',
        ...change,
      } as never);
      expect(result.ok).toBe(false);
      expect(!result.ok && refusalText(result.refusal, { locale: 'en-US' })).toBe(text);
      expect(await state()).toEqual(before);
    },
  );

  it('refuses a revoke of a role not held, and changes nothing', async () => {
    const before = await state();
    const result = await access.revoke(megan, {
      personId: LYNNE.aadObjectId,
      role: 'Approver',
      billingProfileId: 'contoso-hq',
    });
    expect(!result.ok && refusalText(result.refusal, { locale: 'en-US' })).toBe(
      'Lynne Robbins is not Approver on **Contoso HQ**, so there is nothing to revoke.',
    );
    expect(await state()).toEqual(before);
  });

  const badEdits: Array<[string, Record<string, unknown>, string]> = [
    [
      'a domain already managed by another profile',
      { domains: 'contoso.com, contoso.eu' },
      'The domain contoso.eu is already managed by billing profile **Contoso EMEA**: a domain belongs to one profile only.',
    ],
    ['a malformed domain', { domains: 'contoso' }, '"contoso" is not a domain name such as contoso.com.'],
    [
      'a negative approval limit',
      { approvalLimit: '-1' },
      'The approval limit cannot be negative: 0 sends every order to an approver.',
    ],
    [
      'an approval limit that is not a number',
      { approvalLimit: 'lots' },
      'The approval limit "lots" is not an amount: write it like 500 or 500.00.',
    ],
    [
      'an absurdly large approval limit',
      { approvalLimit: '10000000.01' },
      'The approval limit is at most 10,000,000 USD: above that no order would ever need an approver.',
    ],
    [
      'an unknown currency',
      { currency: 'XYZW', approvalLimit: '5' },
      '"XYZW" is not a currency code such as USD or EUR.',
    ],
    [
      'a second approval limit below the approval limit',
      { secondApprovalLimit: '100' },
      'The second approval limit must be at least the approval limit: above it, a second approver is needed. Leave it empty for one approver at any amount.',
    ],
    [
      'a second approval limit that is not a number',
      { secondApprovalLimit: 'lots' },
      'The second approval limit "lots" is not an amount: write it like 5000 or 5000.00, or leave it empty for one approver at any amount.',
    ],
    [
      'a negative second approval limit',
      { secondApprovalLimit: '-1' },
      'The second approval limit cannot be negative. Leave it empty for one approver at any amount.',
    ],
    [
      'a reason over 500 characters',
      { reason: 'y'.repeat(501) },
      'The reason is longer than 500 characters: shorten it.',
    ],
  ];

  it.each(badEdits)('refuses a profile edit with %s, and changes nothing', async (_name, change, text) => {
    const before = await state();
    const result = await access.editProfile(megan, { billingProfileId: 'contoso-hq', ...change });
    expect(!result.ok && refusalText(result.refusal, { locale: 'en-US' })).toBe(text);
    expect(await state()).toEqual(before);
  });

  it('an Access Admin edits the profile (audited); someone else may not', async () => {
    const refused = await access.editProfile(alex, { billingProfileId: 'contoso-hq', name: 'Mine' });
    expect(!refused.ok && refused.refusal.code).toBe('not_access_admin');
    const edited = await access.editProfile(megan, {
      billingProfileId: 'contoso-hq',
      name: 'Contoso Headquarters',
      domains: 'contoso.com contoso.org',
      approvalLimit: '750',
    });
    expect(edited.ok && edited.value).toEqual({
      id: 'contoso-hq',
      name: 'Contoso Headquarters',
      domains: ['contoso.com', 'contoso.org'],
      approvalLimit: { minor: 75000, currency: 'USD' },
      accessAdministrators: [{ name: 'Megan Bowen', email: 'meganb@contoso.com' }],
    });
    expect(directory.billingProfileForDomain('contoso.org')?.id).toBe('contoso-hq');
    const audit = await access.auditTrail(megan.id);
    expect(audit.ok && audit.value[0]).toMatchObject({
      action: 'profile',
      actor: megan,
      billingProfileId: 'contoso-hq',
    });
  });

  it('an Access Admin sets a second approval limit (two approvers above it) and removes it', async () => {
    const set = await access.editProfile(megan, {
      billingProfileId: 'contoso-hq',
      secondApprovalLimit: '5,000.00',
    });
    expect(set.ok && set.value.secondApprovalLimit).toEqual({ minor: 500000, currency: 'USD' });
    expect(directory.billingProfile('contoso-hq')?.secondApprovalLimit).toEqual({
      minor: 500000,
      currency: 'USD',
    });
    const kept = await access.editProfile(megan, { billingProfileId: 'contoso-hq', name: 'Contoso HQ' });
    expect(kept.ok && kept.value.secondApprovalLimit).toEqual({ minor: 500000, currency: 'USD' });
    const removed = await access.editProfile(megan, {
      billingProfileId: 'contoso-hq',
      secondApprovalLimit: '',
    });
    expect(removed.ok && removed.value.secondApprovalLimit).toBeUndefined();
  });

  it('ACCESS_ADMIN_IDS: the first Access Admins of every profile that has none, never undoing a revoke', async () => {
    // Contoso HQ has Megan: untouched. A new profile without any Access Admin gets the bootstrap ids.
    await db.query(
      `INSERT INTO billing_profiles (id, name, domains, approval_limit_minor, currency, updated_at)
       VALUES ('contoso-apac', 'Contoso APAC', '["contoso.jp"]', 0, 'USD', now())`,
    );
    await db.query('UPDATE access_state SET version = version + 1');
    expect(await access.bootstrapAdmins([LYNNE.aadObjectId, STRANGER])).toBe(2);
    expect(directory.user(LYNNE.aadObjectId)?.assignments).toEqual([
      { billingProfileId: 'contoso-apac', roles: ['AccessAdmin'] },
    ]);
    expect(directory.user(STRANGER)?.name).toBe(STRANGER);
    expect(await access.bootstrapAdmins([LYNNE.aadObjectId])).toBe(0);
    const audit = await store.auditTrail(['contoso-apac']);
    expect(audit.map((a) => [a.action, a.actor, a.person?.id])).toEqual([
      ['bootstrap', null, STRANGER],
      ['bootstrap', null, LYNNE.aadObjectId],
    ]);
  });

  it('finds people by name for Access Admins only (the demo directory here)', async () => {
    const found = await access.searchPeople(megan.id, 'patti');
    expect(found.ok && found.value.map((p) => p.name)).toEqual(['Patti Fernandez']);
    const refused = await access.searchPeople(PATTI.aadObjectId, 'alex');
    expect(refused.ok).toBe(false);
  });
});
