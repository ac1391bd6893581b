import {
  hasRole,
  ROLES,
  type BillingProfile,
  type Contact,
  type Person,
  type Role,
  type UserAccess,
} from './access';
import { minorDigits, parseMoney, type Money } from './money';
import type { Refusal } from './refusal';

/**
 * The rules of access, in one place (README: Access): who may grant, revoke and edit a billing profile, and every
 * input that is refused with the reason. Each function answers a refusal, or undefined when the change may be made;
 * the caller re-runs it inside the transaction that writes the change, on the access as it is then.
 */

/** What the rules read of the current access: the same data every instance reads from the database. */
export interface AccessView {
  user(id: string): UserAccess | undefined;
  users(): readonly UserAccess[];
  billingProfile(id: string): BillingProfile | undefined;
  billingProfiles(): readonly BillingProfile[];
}

/** A person the directory (Microsoft Graph, or the demo directory) knows by object id. */
export interface DirectoryPerson extends Person {
  /** Their home tenant, when the directory tells it; a guest of another organisation has another one. */
  readonly tenantId?: string | null;
}

export const MAX_ACCESS_REASON_LENGTH = 500;
/** A billing profile's approval limit above this (in the currency's major units) is taken for a typing mistake. */
export const MAX_APPROVAL_LIMIT = 10_000_000;
export const MAX_PROFILE_NAME_LENGTH = 100;

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** An Entra object id is a GUID; anything else was mistyped. */
export function isObjectIdShape(value: string): boolean {
  return OBJECT_ID.test(value);
}

export function parseRole(value: unknown): Role | undefined {
  if (typeof value !== 'string') return undefined;
  const normal = value.replace(/[\s_-]/g, '').toLowerCase();
  return ROLES.find((r) => r.toLowerCase() === normal);
}

/** The people who hold Access Admin on a profile, as contacts (the ones to ask). */
export function accessAdminsOf(view: AccessView, billingProfileId: string): UserAccess[] {
  return view.users().filter((u) => hasRole(u, billingProfileId, 'AccessAdmin'));
}

export function isAccessAdmin(user: UserAccess | undefined, billingProfileId: string): boolean {
  return hasRole(user, billingProfileId, 'AccessAdmin');
}

/** The billing profiles this person may manage the access of. */
export function administeredProfiles(view: AccessView, userId: string): BillingProfile[] {
  const user = view.user(userId);
  return view.billingProfiles().filter((p) => isAccessAdmin(user, p.id));
}

/** Everyone who is an Access Admin somewhere, once each: whom to ask when someone administers nothing. */
export function allAccessAdmins(view: AccessView): Contact[] {
  return view
    .users()
    .filter((u) => u.assignments.some((a) => a.roles.includes('AccessAdmin')))
    .map((u) => (u.email ? { name: u.name, email: u.email } : { name: u.name }));
}

function contact(u: UserAccess): Contact {
  return u.email ? { name: u.name, email: u.email } : { name: u.name };
}

export interface GrantRequest {
  readonly personId: string;
  readonly role: unknown;
  readonly billingProfileId: string;
  readonly reason?: string;
}

export interface RevokeRequest {
  readonly personId: string;
  readonly role: unknown;
  readonly billingProfileId: string;
  readonly reason?: string;
}

/** The profile exists and the actor holds Access Admin on it; otherwise who does. */
function adminRefusal(view: AccessView, actorId: string, billingProfileId: string): Refusal | undefined {
  const profile = view.billingProfile(billingProfileId.trim());
  if (!profile) return { code: 'unknown_billing_profile', value: billingProfileId };
  if (isAccessAdmin(view.user(actorId), profile.id)) return undefined;
  return {
    code: 'not_access_admin',
    billingProfile: { id: profile.id, name: profile.name },
    grantors: accessAdminsOf(view, profile.id).map(contact),
  };
}

function reasonRefusal(reason: string | undefined): Refusal | undefined {
  return (reason ?? '').trim().length > MAX_ACCESS_REASON_LENGTH
    ? { code: 'reason_too_long', maxLength: MAX_ACCESS_REASON_LENGTH }
    : undefined;
}

/** What a grant and a revoke check first: the actor's right on the profile, the role, the reason's length. */
function roleChangeRefusal(
  view: AccessView,
  actorId: string,
  request: GrantRequest | RevokeRequest,
): Refusal | undefined {
  const denied = adminRefusal(view, actorId, request.billingProfileId);
  if (denied) return denied;
  if (!parseRole(request.role)) return { code: 'unknown_role', value: String(request.role ?? '') };
  return reasonRefusal(request.reason);
}

/**
 * A grant: the actor is Access Admin of the profile, the role is one of the three, the person is known to the
 * directory (a well-formed object id of someone in an allowed tenant), and does not hold the role already.
 * `person` is what the directory found for `request.personId` (undefined: nobody).
 */
export function grantRefusal(
  view: AccessView,
  actorId: string,
  request: GrantRequest,
  person: DirectoryPerson | undefined,
  allowedTenantIds: readonly string[] | 'any',
): Refusal | undefined {
  const first = roleChangeRefusal(view, actorId, request);
  if (first) return first;
  const role = parseRole(request.role) as Role;
  const id = request.personId.trim();
  if (!person) {
    return isObjectIdShape(id)
      ? { code: 'unknown_person', value: id }
      : { code: 'malformed_object_id', value: id };
  }
  if (
    allowedTenantIds !== 'any' &&
    person.tenantId &&
    !allowedTenantIds.some((t) => t.toLowerCase() === person.tenantId?.toLowerCase())
  ) {
    return { code: 'person_outside_tenants', name: person.name };
  }
  const profile = view.billingProfile(request.billingProfileId.trim()) as BillingProfile;
  if (hasRole(view.user(person.id), profile.id, role)) {
    return {
      code: 'grant_exists',
      person: person.name,
      role,
      billingProfile: { id: profile.id, name: profile.name },
    };
  }
  return undefined;
}

/** A revoke: the actor is Access Admin of the profile, the person holds the role, and it is not the last Access Admin. */
export function revokeRefusal(
  view: AccessView,
  actorId: string,
  request: RevokeRequest,
): Refusal | undefined {
  const first = roleChangeRefusal(view, actorId, request);
  if (first) return first;
  const role = parseRole(request.role) as Role;
  const id = request.personId.trim();
  const profile = view.billingProfile(request.billingProfileId.trim()) as BillingProfile;
  const holder = view.user(id);
  if (!hasRole(holder, profile.id, role)) {
    if (!holder && !isObjectIdShape(id)) return { code: 'malformed_object_id', value: id };
    return {
      code: 'role_not_held',
      person: holder?.name ?? id,
      role,
      billingProfile: { id: profile.id, name: profile.name },
    };
  }
  if (role === 'AccessAdmin' && accessAdminsOf(view, profile.id).length <= 1) {
    return { code: 'last_access_admin', billingProfile: { id: profile.id, name: profile.name } };
  }
  return undefined;
}

/** What an Access Admin may change of a billing profile; a field left out keeps its value. */
export interface ProfileEditRequest {
  readonly billingProfileId: string;
  readonly name?: string;
  /** Comma- or space-separated, or a list. */
  readonly domains?: string | readonly string[];
  readonly approvalLimit?: string;
  /** Above this, two approvers (README: Approvals); empty or "none" removes it. */
  readonly secondApprovalLimit?: string;
  readonly currency?: string;
  readonly reason?: string;
}

export interface ProfileEdit {
  readonly name: string;
  readonly domains: readonly string[];
  readonly approvalLimit: Money;
  readonly secondApprovalLimit: Money | null;
}

/**
 * An edit of a billing profile: by one of its Access Admins; a name; well-formed domains that no other profile
 * manages; an approval limit that is a non-negative amount no larger than MAX_APPROVAL_LIMIT in a known currency;
 * a second approval limit (README: Approvals) that is empty (one approver at any amount) or such an amount, in the
 * same currency, not below the approval limit (equal: every order that needs an approver needs two).
 */
export function profileEdit(
  view: AccessView,
  actorId: string,
  request: ProfileEditRequest,
): { ok: true; edit: ProfileEdit } | { ok: false; refusal: Refusal } {
  const no = (refusal: Refusal) => ({ ok: false as const, refusal });
  const denied = adminRefusal(view, actorId, request.billingProfileId);
  if (denied) return no(denied);
  const profile = view.billingProfile(request.billingProfileId.trim()) as BillingProfile;
  const tooLong = reasonRefusal(request.reason);
  if (tooLong) return no(tooLong);
  const name = request.name === undefined ? profile.name : request.name.trim();
  if (name === '' || name.length > MAX_PROFILE_NAME_LENGTH)
    return no({ code: 'profile_name_invalid', maxLength: MAX_PROFILE_NAME_LENGTH });
  const domains =
    request.domains === undefined
      ? [...profile.domains]
      : (typeof request.domains === 'string' ? request.domains.split(/[\s,;]+/) : [...request.domains])
          .map((d) => d.trim().toLowerCase())
          .filter((d) => d !== '');
  if (domains.length === 0) return no({ code: 'domain_invalid', value: '' });
  for (const domain of domains) {
    if (!DOMAIN.test(domain)) return no({ code: 'domain_invalid', value: domain });
    const other = view
      .billingProfiles()
      .find((p) => p.id !== profile.id && p.domains.some((d) => d.toLowerCase() === domain));
    if (other)
      return no({ code: 'domain_taken', domain, billingProfile: { id: other.id, name: other.name } });
  }
  const currency = (request.currency ?? profile.approvalLimit.currency).trim().toUpperCase();
  try {
    minorDigits(currency);
  } catch {
    return no({ code: 'currency_invalid', value: request.currency ?? '' });
  }
  let approvalLimit = profile.approvalLimit;
  if (request.approvalLimit !== undefined || currency !== profile.approvalLimit.currency) {
    const amount = (request.approvalLimit ?? '').trim().replace(/,/g, '');
    const limit = approvalLimitRefusal(amount, currency);
    if (!limit.ok) return no(limit.refusal);
    approvalLimit = limit.value;
  }
  let secondApprovalLimit = profile.secondApprovalLimit ?? null;
  if (secondApprovalLimit && secondApprovalLimit.currency !== currency) secondApprovalLimit = null;
  if (request.secondApprovalLimit !== undefined) {
    const amount = request.secondApprovalLimit.trim().replace(/,/g, '');
    if (amount === '' || amount.toLowerCase() === 'none') secondApprovalLimit = null;
    else {
      const limit = approvalLimitRefusal(amount, currency, 'second');
      if (!limit.ok) return no(limit.refusal);
      secondApprovalLimit = limit.value;
    }
  }
  if (secondApprovalLimit && secondApprovalLimit.minor < approvalLimit.minor)
    return no({ code: 'second_approval_limit_below', value: request.secondApprovalLimit ?? '' });
  return {
    ok: true,
    edit: { name, domains: [...new Set(domains)], approvalLimit, secondApprovalLimit },
  };
}

function approvalLimitRefusal(
  amount: string,
  currency: string,
  limit?: 'second',
): { ok: true; value: Money } | { ok: false; refusal: Refusal } {
  const problem = (why: 'not_a_number' | 'negative' | 'too_large') => ({
    ok: false as const,
    refusal: {
      code: 'approval_limit_invalid' as const,
      value: amount,
      problem: why,
      maximum: MAX_APPROVAL_LIMIT,
      currency,
      ...(limit ? { limit } : {}),
    },
  });
  if (!/^-?\d+(\.\d+)?$/.test(amount)) return problem('not_a_number');
  if (amount.startsWith('-')) return problem('negative');
  const [whole] = amount.split('.');
  if (whole.replace(/^0+/, '').length > String(MAX_APPROVAL_LIMIT).length) return problem('too_large');
  let value: Money;
  try {
    value = parseMoney(amount, currency);
  } catch {
    return problem('not_a_number');
  }
  if (value.minor > MAX_APPROVAL_LIMIT * 10 ** minorDigits(currency)) return problem('too_large');
  return { ok: true, value };
}
