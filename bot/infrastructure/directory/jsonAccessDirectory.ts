import { readFileSync } from 'node:fs';
import { ROLES, type BillingProfile, type Contact, type Role, type UserAccess } from '../../domain/access';
import { parseMoney, toDecimalString } from '../../domain/money';
import type { AccessDirectory } from '../../services/ports';

export class AccessFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'AccessFileError';
  }
}

/**
 * Billing profiles, their domains and people's roles, held in memory: the access file's shape (ACCESS_FILE, read
 * once on first start and written by `npm run access:export`) and the snapshot the database's access is read into
 * (bot/infrastructure/access/databaseAccessDirectory.ts). A malformed file stops start-up with the exact problem.
 * A profile's access administrators are the people holding Access Admin on it (the file's own
 * `accessAdministrators` list only when nobody does).
 */
export class JsonAccessDirectory implements AccessDirectory {
  private readonly usersById: ReadonlyMap<string, UserAccess>;
  private readonly profilesById: ReadonlyMap<string, BillingProfile>;
  private readonly profilesByDomain: ReadonlyMap<string, BillingProfile>;

  constructor(givenProfiles: readonly BillingProfile[], users: readonly UserAccess[]) {
    const profiles = givenProfiles.map((p) => {
      const admins = users
        .filter((u) =>
          u.assignments.some((a) => a.billingProfileId === p.id && a.roles.includes('AccessAdmin')),
        )
        .map((u): Contact => (u.email ? { name: u.name, email: u.email } : { name: u.name }));
      return admins.length > 0 ? { ...p, accessAdministrators: admins } : p;
    });
    this.profilesById = new Map(profiles.map((p) => [p.id, p]));
    this.usersById = new Map(users.map((u) => [u.id, u]));
    this.profilesByDomain = new Map(
      profiles.flatMap((p) => p.domains.map((d) => [d.toLowerCase(), p] as const)),
    );
  }

  static fromFile(file: string): JsonAccessDirectory {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new AccessFileError(
        file,
        'cannot be read (set ACCESS_FILE to the access file of your organisation)',
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new AccessFileError(file, `is not valid JSON (${(error as Error).message})`);
    }
    return JsonAccessDirectory.fromJson(json, file);
  }

  static fromJson(json: unknown, file = 'access file'): JsonAccessDirectory {
    const fail = (problem: string): never => {
      throw new AccessFileError(file, problem);
    };
    const root = record(json) ?? fail('must be an object with "billingProfiles" and "users"');
    const rawProfiles = array(root.billingProfiles) ?? fail('"billingProfiles" must be an array');
    const profiles = rawProfiles.map((raw, i) => readProfile(raw, `billingProfiles[${i}]`, fail));
    const profileIds = new Set<string>();
    const domains = new Set<string>();
    for (const p of profiles) {
      if (profileIds.has(p.id)) fail(`billing profile id "${p.id}" appears twice`);
      profileIds.add(p.id);
      for (const d of p.domains) {
        if (domains.has(d.toLowerCase())) fail(`domain "${d}" belongs to two billing profiles`);
        domains.add(d.toLowerCase());
      }
    }
    const rawUsers = array(root.users) ?? fail('"users" must be an array');
    const read = rawUsers.map((raw, i) => readUser(raw, `users[${i}]`, profileIds, fail));
    const userIds = new Set<string>();
    for (const u of read) {
      if (userIds.has(u.id)) fail(`user "${u.id}" appears twice`);
      userIds.add(u.id);
    }
    // A contact of `accessAdministrators` who is a user of the file (same email) holds Access Admin there.
    const users = read.map((u): UserAccess => {
      const email = u.email?.toLowerCase();
      const adminOf = profiles
        .filter((p) => email && p.accessAdministrators.some((c) => c.email?.toLowerCase() === email))
        .map((p) => p.id);
      if (adminOf.length === 0) return u;
      const assignments = u.assignments.map((a) =>
        adminOf.includes(a.billingProfileId) && !a.roles.includes('AccessAdmin')
          ? { ...a, roles: [...a.roles, 'AccessAdmin' as Role] }
          : a,
      );
      for (const id of adminOf)
        if (!assignments.some((a) => a.billingProfileId === id))
          assignments.push({ billingProfileId: id, roles: ['AccessAdmin'] });
      return { ...u, assignments };
    });
    return new JsonAccessDirectory(profiles, users);
  }

  /** The access file's JSON shape (what `npm run access:export` writes, and what ACCESS_FILE imports). */
  toJson(): AccessFileJson {
    return {
      billingProfiles: this.billingProfiles().map((p) => ({
        id: p.id,
        name: p.name,
        domains: [...p.domains],
        approvalLimit: { amount: toDecimalString(p.approvalLimit), currency: p.approvalLimit.currency },
        ...(p.secondApprovalLimit
          ? {
              secondApprovalLimit: {
                amount: toDecimalString(p.secondApprovalLimit),
                currency: p.secondApprovalLimit.currency,
              },
            }
          : {}),
        accessAdministrators: p.accessAdministrators.map((c) => ({ ...c })),
      })),
      users: this.users().map((u) => ({
        aadObjectId: u.id,
        name: u.name,
        ...(u.email ? { email: u.email } : {}),
        assignments: u.assignments.map((a) => ({ billingProfile: a.billingProfileId, roles: [...a.roles] })),
      })),
    };
  }

  user(id: string): UserAccess | undefined {
    return this.usersById.get(id);
  }

  users(): readonly UserAccess[] {
    return [...this.usersById.values()];
  }

  billingProfile(id: string): BillingProfile | undefined {
    return this.profilesById.get(id);
  }

  billingProfileForDomain(domain: string): BillingProfile | undefined {
    return this.profilesByDomain.get(domain.toLowerCase());
  }

  billingProfiles(): readonly BillingProfile[] {
    return [...this.profilesById.values()];
  }
}

export interface AccessFileJson {
  billingProfiles: Array<{
    id: string;
    name: string;
    domains: string[];
    approvalLimit: { amount: string; currency: string };
    /** Above this, two different approvers must approve (README: Approvals). */
    secondApprovalLimit?: { amount: string; currency: string };
    accessAdministrators: Contact[];
  }>;
  users: Array<{
    aadObjectId: string;
    name: string;
    email?: string;
    assignments: Array<{ billingProfile: string; roles: Role[] }>;
  }>;
}

type Fail = (problem: string) => never;

function readProfile(raw: unknown, at: string, fail: Fail): BillingProfile {
  const p = record(raw) ?? fail(`${at} must be an object`);
  const id = text(p.id) ?? fail(`${at}.id must be a non-empty string`);
  const name = text(p.name) ?? fail(`${at}.name must be a non-empty string`);
  const domains = (array(p.domains) ?? fail(`${at}.domains must be an array of domain names`)).map(
    (d, i) => text(d) ?? fail(`${at}.domains[${i}] must be a domain name`),
  );
  const limit =
    record(p.approvalLimit) ?? fail(`${at}.approvalLimit must be { "amount": "500.00", "currency": "USD" }`);
  let approvalLimit;
  try {
    approvalLimit = parseMoney(text(limit.amount) ?? '', text(limit.currency) ?? '');
  } catch (error) {
    return fail(`${at}.approvalLimit: ${(error as Error).message}`);
  }
  if (approvalLimit.minor < 0) fail(`${at}.approvalLimit must not be negative`);
  let secondApprovalLimit = null;
  if (p.secondApprovalLimit !== undefined && p.secondApprovalLimit !== null) {
    const second =
      record(p.secondApprovalLimit) ??
      fail(`${at}.secondApprovalLimit must be { "amount": "5000.00", "currency": "USD" }`);
    try {
      secondApprovalLimit = parseMoney(text(second.amount) ?? '', text(second.currency) ?? '');
    } catch (error) {
      return fail(`${at}.secondApprovalLimit: ${(error as Error).message}`);
    }
    if (
      secondApprovalLimit.minor < approvalLimit.minor ||
      secondApprovalLimit.currency !== approvalLimit.currency
    )
      fail(`${at}.secondApprovalLimit must be at least the approvalLimit, in its currency`);
  }
  const accessAdministrators = (array(p.accessAdministrators) ?? []).map((c, i): Contact => {
    const contact =
      record(c) ?? fail(`${at}.accessAdministrators[${i}] must be { "name": ..., "email": ... }`);
    const contactName =
      text(contact.name) ?? fail(`${at}.accessAdministrators[${i}].name must be a non-empty string`);
    const email = text(contact.email);
    return email ? { name: contactName, email } : { name: contactName };
  });
  return {
    id,
    name,
    domains,
    approvalLimit,
    ...(secondApprovalLimit ? { secondApprovalLimit } : {}),
    accessAdministrators,
  };
}

function readUser(raw: unknown, at: string, profileIds: ReadonlySet<string>, fail: Fail): UserAccess {
  const u = record(raw) ?? fail(`${at} must be an object`);
  const id = text(u.aadObjectId) ?? fail(`${at}.aadObjectId must be the user's Entra object id`);
  const name = text(u.name) ?? fail(`${at}.name must be a non-empty string`);
  const email = text(u.email);
  const assignments = (array(u.assignments) ?? fail(`${at}.assignments must be an array`)).map((a, i) => {
    const where = `${at}.assignments[${i}]`;
    const assignment = record(a) ?? fail(`${where} must be { "billingProfile": ..., "roles": [...] }`);
    const billingProfileId =
      text(assignment.billingProfile) ?? fail(`${where}.billingProfile must be a profile id`);
    if (!profileIds.has(billingProfileId))
      fail(`${where}.billingProfile "${billingProfileId}" is not a billing profile`);
    const roles = (array(assignment.roles) ?? fail(`${where}.roles must be an array`)).map((r, j) =>
      ROLES.includes(r as Role)
        ? (r as Role)
        : fail(`${where}.roles[${j}] must be one of ${ROLES.join(', ')}`),
    );
    return { billingProfileId, roles };
  });
  return email ? { id, name, email, assignments } : { id, name, assignments };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function array(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
