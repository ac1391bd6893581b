import type { Actor } from '../domain/order';
import type { Person } from '../domain/access';
import {
  approvesSomething,
  awayRefusal,
  dayOf,
  delegateCandidates,
  isActive,
  type Delegation,
} from '../domain/delegation';
import { ok, refuse, type Result } from '../domain/refusal';
import type { AccessDirectory, Clock, DelegationStore } from './ports';

/**
 * `away until <date>, delegate to <name>` and `back` (README: Approvals): the rules are in
 * bot/domain/delegation.ts; this checks them against the access as it is and stores the absence.
 */
export class ApprovalDelegations {
  constructor(
    private readonly deps: {
      readonly store: DelegationStore;
      readonly directory: AccessDirectory;
      readonly clock: Clock;
    },
  ) {}

  today(): string {
    return dayOf(this.deps.clock.now());
  }

  async away(actor: Actor, command: { until: string; delegate: string }): Promise<Result<Delegation>> {
    const { directory, store, clock } = this.deps;
    const checked = awayRefusal(directory.user(actor.id), actor.id, command, directory.users(), this.today());
    if ('refusal' in checked) return refuse(checked.refusal);
    await store.set(checked.delegation, clock.now());
    return ok(checked.delegation);
  }

  async back(actor: Actor): Promise<Result<Delegation>> {
    const ended = await this.deps.store.clear(actor.id);
    return ended && isActive(ended, this.today()) ? ok(ended) : refuse({ code: 'not_away' });
  }

  /** The absences in force today. */
  async active(): Promise<Delegation[]> {
    const today = this.today();
    return (await this.deps.store.list()).filter((d) => isActive(d, today));
  }

  /** This person's absence in force, if any. */
  async of(personId: string): Promise<Delegation | undefined> {
    return (await this.active()).find((d) => d.person.id === personId);
  }

  /** What the tab's Approvals page shows of a person's absence: whether they may be away, and to whom. */
  async status(
    personId: string,
  ): Promise<{ approves: boolean; away: Delegation | undefined; candidates: Person[] }> {
    const { directory } = this.deps;
    const user = directory.user(personId);
    return {
      approves: approvesSomething(user),
      away: await this.of(personId),
      candidates: delegateCandidates(user, directory.users()),
    };
  }
}
