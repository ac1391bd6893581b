import type { Delegation } from '../../domain/delegation';
import type { DelegationStore } from '../../services/ports';
import type { SqlDatabase } from '../database/sqlDatabase';

interface DelegationRow {
  person_id: string;
  person_name: string;
  delegate_id: string;
  delegate_name: string;
  until: string | Date;
}

function toDelegation(row: DelegationRow): Delegation {
  const until =
    row.until instanceof Date ? row.until.toISOString().slice(0, 10) : String(row.until).slice(0, 10);
  return {
    person: { id: row.person_id, name: row.person_name },
    delegate: { id: row.delegate_id, name: row.delegate_name },
    until,
  };
}

/** Approvers' absences and their delegates (migration 005): one row per approver away. */
export class SqlDelegationStore implements DelegationStore {
  constructor(private readonly db: SqlDatabase) {}

  async list(): Promise<Delegation[]> {
    const { rows } = await this.db.query<DelegationRow>(
      "SELECT person_id, person_name, delegate_id, delegate_name, to_char(until, 'YYYY-MM-DD') AS until FROM approval_delegations ORDER BY person_id",
    );
    return rows.map(toDelegation);
  }

  async set(delegation: Delegation, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO approval_delegations (person_id, person_name, delegate_id, delegate_name, until, created_at)
       VALUES ($1, $2, $3, $4, $5::date, $6)
       ON CONFLICT (person_id) DO UPDATE SET person_name = EXCLUDED.person_name, delegate_id = EXCLUDED.delegate_id,
         delegate_name = EXCLUDED.delegate_name, until = EXCLUDED.until, created_at = EXCLUDED.created_at`,
      [
        delegation.person.id,
        delegation.person.name,
        delegation.delegate.id,
        delegation.delegate.name,
        delegation.until,
        at,
      ],
    );
  }

  async clear(personId: string): Promise<Delegation | undefined> {
    const { rows } = await this.db.query<DelegationRow>(
      `DELETE FROM approval_delegations WHERE person_id = $1
       RETURNING person_id, person_name, delegate_id, delegate_name, to_char(until, 'YYYY-MM-DD') AS until`,
      [personId],
    );
    return rows[0] ? toDelegation(rows[0]) : undefined;
  }
}
