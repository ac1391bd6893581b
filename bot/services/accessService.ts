import { ROLES, hasRole, type BillingProfile, type Person, type Role } from '../domain/access';
import {
  administeredProfiles,
  allAccessAdmins,
  grantRefusal,
  isAccessAdmin,
  parseRole,
  profileEdit,
  revokeRefusal,
  type DirectoryPerson,
  type GrantRequest,
  type ProfileEditRequest,
  type RevokeRequest,
} from '../domain/accessRules';
import { ok, refuse, type Result } from '../domain/refusal';
import type { JsonAccessDirectory, AccessFileJson } from '../infrastructure/directory/jsonAccessDirectory';
import type { SqlAccessStore } from '../infrastructure/access/sqlAccessStore';
import type { AccessAuditEntry, AccessDirectory, Log, PeopleDirectory } from './ports';

/** The person acting: an Entra object id, and the name Teams or the tab gave. */
export interface AccessActor {
  readonly id: string;
  readonly name: string;
}

/** One billing profile as its Access Admin sees it: the people holding each role. */
export interface ProfileAccess {
  readonly profile: BillingProfile;
  readonly members: ReadonlyArray<{ readonly role: Role; readonly people: readonly Person[] }>;
}

export interface AccessServiceDependencies {
  readonly store: SqlAccessStore;
  /** The directory every other use case reads; refreshed after each change made here. */
  readonly directory: AccessDirectory & { refresh(): Promise<void>; snapshot(): JsonAccessDirectory };
  readonly people: PeopleDirectory;
  readonly allowedTenantIds: readonly string[] | 'any';
  readonly log: Log;
}

/**
 * Managing access (README: Access): what an Access Admin sees, grants, revokes and edits. Every change is decided
 * by bot/domain/accessRules.ts on the access as it is inside the change's transaction (SqlAccessStore.change), so
 * two admins or two instances cannot together revoke the last Access Admin or grant twice.
 */
export class AccessService {
  constructor(private readonly deps: AccessServiceDependencies) {}

  /** Re-reads access if another instance changed it. */
  refresh(): Promise<void> {
    return this.deps.directory.refresh();
  }

  /** The profiles this person administers, with who holds what; refused (naming the Access Admins) otherwise. */
  async overview(actorId: string): Promise<Result<ProfileAccess[]>> {
    await this.refresh();
    const view = this.deps.directory.snapshot();
    const profiles = administeredProfiles(view, actorId);
    if (profiles.length === 0)
      return refuse({ code: 'not_access_admin', billingProfile: null, grantors: allAccessAdmins(view) });
    return ok(
      profiles.map((profile) => ({
        profile,
        members: ROLES.map((role) => ({
          role,
          people: view
            .users()
            .filter((u) => hasRole(u, profile.id, role))
            .map(({ id, name, email }) => (email ? { id, name, email } : { id, name })),
        })),
      })),
    );
  }

  async grant(actor: AccessActor, request: GrantRequest): Promise<Result<{ person: Person; role: Role }>> {
    await this.refresh();
    const id = request.personId.trim();
    const person = id === '' ? undefined : await this.findPerson(id);
    const done = await this.deps.store.change<{ person: Person; role: Role }>((current) => {
      const refusal = grantRefusal(current, actor.id, request, person, this.deps.allowedTenantIds);
      if (refusal || !person) return { refusal: refusal ?? { code: 'malformed_object_id', value: id } };
      const role = parseRole(request.role) as Role;
      const { id: pid, name, email } = person;
      const who = email ? { id: pid, name, email } : { id: pid, name };
      return {
        writes: [
          {
            kind: 'grant',
            person: who,
            role,
            billingProfileId: request.billingProfileId.trim(),
            actor: this.actorAsKnown(current, actor),
            reason: request.reason,
          },
        ],
        value: { person: who, role },
      };
    });
    await this.refresh();
    if (done.ok)
      this.deps.log.info({ actor: actor.id, person: person?.id, role: done.value.role }, 'role granted');
    return done;
  }

  async revoke(actor: AccessActor, request: RevokeRequest): Promise<Result<{ person: Person; role: Role }>> {
    await this.refresh();
    const done = await this.deps.store.change<{ person: Person; role: Role }>((current) => {
      const refusal = revokeRefusal(current, actor.id, request);
      if (refusal) return { refusal };
      const role = parseRole(request.role) as Role;
      const holder = current.user(request.personId.trim()) as Person;
      const person = { id: holder.id, name: holder.name };
      return {
        writes: [
          {
            kind: 'revoke',
            person,
            role,
            billingProfileId: request.billingProfileId.trim(),
            actor: this.actorAsKnown(current, actor),
            reason: request.reason,
          },
        ],
        value: { person, role },
      };
    });
    await this.refresh();
    if (done.ok)
      this.deps.log.info(
        { actor: actor.id, person: done.value.person.id, role: done.value.role },
        'role revoked',
      );
    return done;
  }

  async editProfile(actor: AccessActor, request: ProfileEditRequest): Promise<Result<BillingProfile>> {
    await this.refresh();
    const done = await this.deps.store.change<string>((current) => {
      const edit = profileEdit(current, actor.id, request);
      if (!edit.ok) return { refusal: edit.refusal };
      const id = request.billingProfileId.trim();
      return {
        writes: [
          {
            kind: 'profile',
            billingProfileId: id,
            edit: edit.edit,
            actor: this.actorAsKnown(current, actor),
            reason: request.reason,
          },
        ],
        value: id,
      };
    });
    await this.refresh();
    if (!done.ok) return done;
    return ok(this.deps.directory.billingProfile(done.value) as BillingProfile);
  }

  /** The audit of the profiles this person administers, newest first. */
  async auditTrail(actorId: string, limit = 200): Promise<Result<AccessAuditEntry[]>> {
    await this.refresh();
    const view = this.deps.directory.snapshot();
    const profiles = administeredProfiles(view, actorId);
    if (profiles.length === 0)
      return refuse({ code: 'not_access_admin', billingProfile: null, grantors: allAccessAdmins(view) });
    return ok(
      await this.deps.store.auditTrail(
        profiles.map((p) => p.id),
        limit,
      ),
    );
  }

  /** The people License Desk knows (the Grant form offers them without a search), for an Access Admin. */
  async knownPeople(actorId: string): Promise<Person[]> {
    const view = this.deps.directory.snapshot();
    if (administeredProfiles(view, actorId).length === 0) return [];
    return view.users().map(({ id, name, email }) => (email ? { id, name, email } : { id, name }));
  }

  /** People found by name or address, for an Access Admin's grant form. */
  async searchPeople(actorId: string, text: string, limit = 10): Promise<Result<DirectoryPerson[]>> {
    await this.refresh();
    const view = this.deps.directory.snapshot();
    if (!view.billingProfiles().some((p) => isAccessAdmin(view.user(actorId), p.id)))
      return refuse({ code: 'not_access_admin', billingProfile: null, grantors: allAccessAdmins(view) });
    const query = text.trim().slice(0, 100);
    if (query === '') return ok([]);
    return ok(await this.deps.people.search(query, limit));
  }

  /**
   * ACCESS_ADMIN_IDS: each billing profile that has no Access Admin gets these people as its first ones (audited
   * as `bootstrap`). A profile that has one keeps its admins as they are: the setting never undoes a revoke.
   */
  async bootstrapAdmins(objectIds: readonly string[]): Promise<number> {
    if (objectIds.length === 0) return 0;
    const people = await Promise.all(
      objectIds.map(async (id) => (await this.findPerson(id)) ?? { id, name: id }),
    );
    const done = await this.deps.store.change((current) => {
      const writes = current
        .billingProfiles()
        .filter((p) => !current.users().some((u) => hasRole(u, p.id, 'AccessAdmin')))
        .flatMap((p) =>
          people.map((person) => ({
            kind: 'grant' as const,
            action: 'bootstrap' as const,
            person: { id: person.id, name: person.name, ...(person.email ? { email: person.email } : {}) },
            role: 'AccessAdmin' as const,
            billingProfileId: p.id,
            actor: null,
            reason: 'ACCESS_ADMIN_IDS',
          })),
        );
      return { writes, value: writes.length };
    });
    await this.refresh();
    return done.ok ? done.value : 0;
  }

  /** The current access in the access file's JSON shape (`npm run access:export`). */
  async exportJson(): Promise<AccessFileJson> {
    await this.refresh();
    return this.deps.directory.snapshot().toJson();
  }

  /** The directory's person, or someone License Desk already knows by that id. */
  private async findPerson(id: string): Promise<DirectoryPerson | undefined> {
    const known = this.deps.directory.user(id);
    let found: DirectoryPerson | undefined;
    try {
      found = await this.deps.people.find(id);
    } catch (error) {
      this.deps.log.warn(
        { err: error },
        'the people directory did not answer; using the people License Desk knows',
      );
    }
    if (found) return found;
    return known
      ? { id: known.id, name: known.name, ...(known.email ? { email: known.email } : {}) }
      : undefined;
  }

  private actorAsKnown(view: JsonAccessDirectory, actor: AccessActor): Person {
    return { id: actor.id, name: view.user(actor.id)?.name ?? actor.name };
  }
}
