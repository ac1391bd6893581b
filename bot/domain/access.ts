import type { Money } from './money';
import type { Refusal } from './refusal';

/**
 * The permissions of the product, held per billing profile: Licenses Manager buys and removes seats, Approver
 * decides orders above the approval limit, Access Admin grants and revokes the three and edits the profile.
 */
export type Role = 'LicensesManager' | 'Approver' | 'AccessAdmin';

export const ROLES: readonly Role[] = ['LicensesManager', 'Approver', 'AccessAdmin'];

export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  LicensesManager: 'Licenses Manager',
  Approver: 'Approver',
  AccessAdmin: 'Access Admin',
};

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
}

/** Someone to ask for access: a name, and an address when the directory has one. */
export interface Contact {
  readonly name: string;
  readonly email?: string;
}

/** The reseller's billing profile: the domains it manages, its approval limit, who grants access to it. */
export interface BillingProfile {
  readonly id: string;
  readonly name: string;
  readonly domains: readonly string[];
  /** Orders whose monthly cost changes by more than this need an approver. */
  readonly approvalLimit: Money;
  /**
   * Orders whose monthly cost changes by more than this need two different approvers (neither the requester);
   * none: one approver is enough (README: Approvals).
   */
  readonly secondApprovalLimit?: Money | null;
  /** The people to ask for a missing permission on this profile: its Access Admins. */
  readonly accessAdministrators: readonly Contact[];
}

export interface Assignment {
  readonly billingProfileId: string;
  readonly roles: readonly Role[];
}

/** A user keyed by Entra object id, with the billing profiles they are assigned to and their roles there. */
export interface UserAccess extends Person {
  readonly assignments: readonly Assignment[];
}

export function hasRole(user: UserAccess | undefined, billingProfileId: string, role: Role): boolean {
  return !!user?.assignments.some((a) => a.billingProfileId === billingProfileId && a.roles.includes(role));
}

/**
 * The two rules for buying or removing seats (README: Access): the user holds the Licenses Manager
 * permission, and is assigned to the billing profile under which the subscription's domain is managed.
 * Returns the refusal that names exactly what is missing, or undefined when both hold.
 */
export function licensesManagerRefusal(
  user: UserAccess | undefined,
  profile: BillingProfile,
): Refusal | undefined {
  const assigned = user?.assignments.some((a) => a.billingProfileId === profile.id) ?? false;
  const managerSomewhere = user?.assignments.some((a) => a.roles.includes('LicensesManager')) ?? false;
  const profileRef = { id: profile.id, name: profile.name };
  if (hasRole(user, profile.id, 'LicensesManager')) return undefined;
  if (!assigned && managerSomewhere) {
    return {
      code: 'not_in_billing_profile',
      billingProfile: profileRef,
      grantors: profile.accessAdministrators,
    };
  }
  return {
    code: 'missing_licenses_manager',
    billingProfile: profileRef,
    grantors: profile.accessAdministrators,
  };
}
