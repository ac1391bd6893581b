import { ROLES, type BillingProfile, type Person, type Role, type UserAccess } from '../../domain/access';
import type { ProfileEdit } from '../../domain/accessRules';
import { money } from '../../domain/money';
import type { Refusal } from '../../domain/refusal';
import type { AccessAuditEntry } from '../../services/ports';
import type { SqlDatabase, SqlExecutor } from '../database/sqlDatabase';
import { JsonAccessDirectory } from '../directory/jsonAccessDirectory';

/** One change to access, written with its audit row. `actor` null: the system (import, ACCESS_ADMIN_IDS). */
export type AccessWrite =
  | {
      readonly kind: 'grant' | 'revoke';
      readonly person: Person;
      readonly role: Role;
      readonly billingProfileId: string;
      readonly actor: Person | null;
      readonly reason?: string;
      /** 'bootstrap' for ACCESS_ADMIN_IDS. */
      readonly action?: 'bootstrap';
    }
  | {
      readonly kind: 'profile';
      readonly billingProfileId: string;
      readonly edit: ProfileEdit;
      readonly actor: Person;
      readonly reason?: string;
    };

/** What a change decides on the access as it is inside the transaction: refused, or these writes. */
export type AccessDecision<T> =
  { readonly refusal: Refusal } | { readonly writes: readonly AccessWrite[]; readonly value: T };

interface ProfileRow {
  id: string;
  name: string;
  domains: string[];
  approval_limit_minor: string | number;
  second_approval_limit_minor: string | number | null;
  currency: string;
}

interface AuditRow {
  id: string | number;
  at: Date;
  action: AccessAuditEntry['action'];
  actor_id: string | null;
  actor_name: string | null;
  person_id: string | null;
  person_name: string | null;
  role: Role | null;
  billing_profile_id: string | null;
  reason: string | null;
  detail: Record<string, unknown>;
}

/**
 * Access in SQL (migration 004): billing profiles, people, role grants and their audit. Every change takes the
 * one `access_state` row's lock, reads the access as it is, lets the caller's rules decide, writes, and bumps the
 * version every instance compares at its next turn.
 */
export class SqlAccessStore {
  constructor(
    private readonly db: SqlDatabase,
    private readonly now: () => Date,
  ) {}

  /** The version of access, or undefined before the first start imported it. */
  async version(): Promise<number | undefined> {
    const { rows } = await this.db.query<{ version: string | number }>('SELECT version FROM access_state');
    return rows[0] ? Number(rows[0].version) : undefined;
  }

  /** The access as it is now, and its version. */
  async load(executor: SqlExecutor = this.db): Promise<{ version: number; directory: JsonAccessDirectory }> {
    // One after the other: a transaction's connection runs one statement at a time.
    const state = await executor.query<{ version: string | number }>('SELECT version FROM access_state');
    const profiles = await executor.query<ProfileRow>('SELECT * FROM billing_profiles ORDER BY position');
    const people = await executor.query<{ id: string; name: string; email: string | null }>(
      'SELECT id, name, email FROM access_people ORDER BY position',
    );
    const grants = await executor.query<{ billing_profile_id: string; person_id: string; role: Role }>(
      `SELECT g.billing_profile_id, g.person_id, g.role FROM role_grants g
       JOIN billing_profiles p ON p.id = g.billing_profile_id ORDER BY g.granted_at, p.position`,
    );
    const billingProfiles: BillingProfile[] = profiles.rows.map((p) => ({
      id: p.id,
      name: p.name,
      domains: p.domains,
      approvalLimit: money(Number(p.approval_limit_minor), p.currency),
      ...(p.second_approval_limit_minor === null
        ? {}
        : { secondApprovalLimit: money(Number(p.second_approval_limit_minor), p.currency) }),
      accessAdministrators: [],
    }));
    const users: UserAccess[] = people.rows.map((person) => {
      const byProfile = new Map<string, Role[]>();
      for (const g of grants.rows.filter((r) => r.person_id === person.id)) {
        byProfile.set(g.billing_profile_id, [...(byProfile.get(g.billing_profile_id) ?? []), g.role]);
      }
      const assignments = [...byProfile].map(([billingProfileId, roles]) => ({
        billingProfileId,
        roles: [...roles].sort((a, b) => ROLES.indexOf(a) - ROLES.indexOf(b)),
      }));
      return person.email
        ? { id: person.id, name: person.name, email: person.email, assignments }
        : { id: person.id, name: person.name, assignments };
    });
    return {
      version: Number(state.rows[0]?.version ?? 0),
      directory: new JsonAccessDirectory(billingProfiles, users),
    };
  }

  /**
   * The first start: the access file's profiles, people and roles become the database's, each role one audited
   * `import` row. Returns false (and changes nothing) when access was imported before.
   */
  async importOnce(source: JsonAccessDirectory, from: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (this.db.kind === 'postgres')
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('license-desk-access-import'))");
      const seen = await tx.query('SELECT 1 FROM access_state');
      if (seen.rows.length > 0) return false;
      const at = this.now();
      for (const p of source.billingProfiles()) {
        await tx.query(
          `INSERT INTO billing_profiles (id, name, domains, approval_limit_minor, currency, updated_at,
             second_approval_limit_minor)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)`,
          [
            p.id,
            p.name,
            JSON.stringify(p.domains.map((d) => d.toLowerCase())),
            p.approvalLimit.minor,
            p.approvalLimit.currency,
            at,
            p.secondApprovalLimit?.minor ?? null,
          ],
        );
      }
      for (const user of source.users()) {
        await this.upsertPerson(tx, user, at);
        for (const a of user.assignments) {
          for (const role of a.roles) {
            await tx.query(
              'INSERT INTO role_grants (billing_profile_id, person_id, role, granted_at) VALUES ($1, $2, $3, $4)',
              [a.billingProfileId, user.id, role, at],
            );
            await this.audit(tx, at, 'import', null, user, role, a.billingProfileId, null, { from });
          }
        }
      }
      await tx.query(
        'INSERT INTO access_state (id, version, imported_from, imported_at) VALUES (1, 1, $1, $2)',
        [from, at],
      );
      return true;
    });
  }

  /**
   * One change: under the access lock, `decide` reads the access as it is and refuses or names the writes; they
   * are written with their audit rows and the version is bumped, all in one transaction.
   */
  async change<T>(
    decide: (current: JsonAccessDirectory) => AccessDecision<T> | Promise<AccessDecision<T>>,
  ): Promise<{ ok: true; value: T } | { ok: false; refusal: Refusal }> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT version FROM access_state WHERE id = 1 FOR UPDATE');
      const { directory } = await this.load(tx);
      const decision = await decide(directory);
      if ('refusal' in decision) return { ok: false as const, refusal: decision.refusal };
      if (decision.writes.length === 0) return { ok: true as const, value: decision.value };
      const at = this.now();
      for (const write of decision.writes) await this.apply(tx, write, at);
      await tx.query('UPDATE access_state SET version = version + 1 WHERE id = 1');
      return { ok: true as const, value: decision.value };
    });
  }

  /** The audit of grants, revokes and profile edits, newest first; of some profiles only, when given. */
  async auditTrail(billingProfileIds: readonly string[] | 'all', limit = 200): Promise<AccessAuditEntry[]> {
    const { rows } =
      billingProfileIds === 'all'
        ? await this.db.query<AuditRow>('SELECT * FROM access_audit ORDER BY id DESC LIMIT $1', [limit])
        : await this.db.query<AuditRow>(
            'SELECT * FROM access_audit WHERE billing_profile_id = ANY($1::text[]) ORDER BY id DESC LIMIT $2',
            [billingProfileIds, limit],
          );
    return rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      action: r.action,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? r.actor_id } : null,
      person: r.person_id ? { id: r.person_id, name: r.person_name ?? r.person_id } : null,
      role: r.role,
      billingProfileId: r.billing_profile_id,
      reason: r.reason,
      detail: r.detail,
    }));
  }

  /** Where access came from on the first start (the file's path), and when. */
  async importedFrom(): Promise<{ from: string | null; at: Date } | undefined> {
    const { rows } = await this.db.query<{ imported_from: string | null; imported_at: Date }>(
      'SELECT imported_from, imported_at FROM access_state',
    );
    return rows[0] ? { from: rows[0].imported_from, at: rows[0].imported_at } : undefined;
  }

  private async apply(tx: SqlExecutor, write: AccessWrite, at: Date): Promise<void> {
    if (write.kind === 'profile') {
      const { name, domains, approvalLimit, secondApprovalLimit } = write.edit;
      await tx.query(
        `UPDATE billing_profiles SET name = $2, domains = $3::jsonb, approval_limit_minor = $4, currency = $5,
           updated_at = $6, second_approval_limit_minor = $7 WHERE id = $1`,
        [
          write.billingProfileId,
          name,
          JSON.stringify(domains),
          approvalLimit.minor,
          approvalLimit.currency,
          at,
          secondApprovalLimit?.minor ?? null,
        ],
      );
      await this.audit(
        tx,
        at,
        'profile',
        write.actor,
        null,
        null,
        write.billingProfileId,
        write.reason ?? null,
        {
          name,
          domains,
          approvalLimit: { minor: approvalLimit.minor, currency: approvalLimit.currency },
          secondApprovalLimit: secondApprovalLimit ? { minor: secondApprovalLimit.minor } : null,
        },
      );
      return;
    }
    if (write.kind === 'grant') {
      await this.upsertPerson(tx, write.person, at);
      await tx.query(
        `INSERT INTO role_grants (billing_profile_id, person_id, role, granted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [write.billingProfileId, write.person.id, write.role, at],
      );
    } else {
      await tx.query(
        'DELETE FROM role_grants WHERE billing_profile_id = $1 AND person_id = $2 AND role = $3',
        [write.billingProfileId, write.person.id, write.role],
      );
    }
    await this.audit(
      tx,
      at,
      write.action ?? write.kind,
      write.actor,
      write.person,
      write.role,
      write.billingProfileId,
      write.reason?.trim() || null,
      {},
    );
  }

  private async upsertPerson(tx: SqlExecutor, person: Person, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO access_people (id, name, email, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = COALESCE(EXCLUDED.email, access_people.email),
         updated_at = EXCLUDED.updated_at`,
      [person.id, person.name, person.email ?? null, at],
    );
  }

  private async audit(
    tx: SqlExecutor,
    at: Date,
    action: AccessAuditEntry['action'],
    actor: Person | null,
    person: Person | null,
    role: Role | null,
    billingProfileId: string | null,
    reason: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO access_audit (at, action, actor_id, actor_name, person_id, person_name, role, billing_profile_id,
         reason, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
      [
        at,
        action,
        actor?.id ?? null,
        actor?.name ?? null,
        person?.id ?? null,
        person?.name ?? null,
        role,
        billingProfileId,
        reason,
        JSON.stringify(detail),
      ],
    );
  }
}
