import type { BillingProfile, UserAccess } from '../../domain/access';
import type { AccessDirectory } from '../../services/ports';
import { JsonAccessDirectory } from '../directory/jsonAccessDirectory';
import type { SqlAccessStore } from './sqlAccessStore';

/**
 * Who may do what, as the database says (README: Access). Reads answer from an in-memory copy; `refresh()`, called
 * at the start of every turn, tab request and background pass, compares the database's access version (one small
 * query) and re-reads only when another change, on any instance, was made since.
 */
export class DatabaseAccessDirectory implements AccessDirectory {
  private current = new JsonAccessDirectory([], []);
  private version = -1;
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly store: SqlAccessStore) {}

  /** Brings the copy up to date with the database as it is now (refreshes run one after the other). */
  refresh(): Promise<void> {
    const next = this.reading.then(async () => {
      const version = await this.store.version();
      if (version === undefined || version === this.version) return;
      const loaded = await this.store.load();
      this.current = loaded.directory;
      this.version = loaded.version;
    });
    this.reading = next.catch(() => undefined);
    return next;
  }

  /** The copy as it is (the access of the last refresh). */
  snapshot(): JsonAccessDirectory {
    return this.current;
  }

  user(id: string): UserAccess | undefined {
    return this.current.user(id);
  }

  users(): readonly UserAccess[] {
    return this.current.users();
  }

  billingProfile(id: string): BillingProfile | undefined {
    return this.current.billingProfile(id);
  }

  billingProfileForDomain(domain: string): BillingProfile | undefined {
    return this.current.billingProfileForDomain(domain);
  }

  billingProfiles(): readonly BillingProfile[] {
    return this.current.billingProfiles();
  }
}
