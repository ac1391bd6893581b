/**
 * The seat changes the person has lined up with + and − but not applied yet: one signed number of seats per
 * subscription. The rules match the server's (which checks them again): + up to the per-order maximum,
 * − only where seats can be removed (now or at renewal; the server says how many) and never below the seats in use.
 */
export interface SeatLimits {
  readonly id: string;
  readonly plan: 'FLEXIBLE' | 'ANNUAL';
  readonly maxAdd: number;
  readonly maxRemove: number;
}

/** Whether the − control exists at all on this row: seats can be removed now or at renewal. */
export function hasRemoveControl(row: Pick<SeatLimits, 'maxRemove'>): boolean {
  return row.maxRemove > 0;
}

export function canAdd(row: SeatLimits, delta: number): boolean {
  return delta < row.maxAdd;
}

export function canRemove(row: SeatLimits, delta: number): boolean {
  return hasRemoveControl(row) && delta > -row.maxRemove;
}

export interface PendingChange {
  readonly id: string;
  readonly delta: number;
}

export class PendingChanges {
  private readonly deltas = new Map<string, number>();

  delta(id: string): number {
    return this.deltas.get(id) ?? 0;
  }

  /** One more seat (+1) or one fewer (−1), if the row allows it; returns whether anything changed. */
  step(row: SeatLimits, direction: 1 | -1): boolean {
    const delta = this.delta(row.id);
    if (direction === 1 ? !canAdd(row, delta) : !canRemove(row, delta)) return false;
    this.set(row.id, delta + direction);
    return true;
  }

  reset(id: string): void {
    this.deltas.delete(id);
  }

  clear(): void {
    this.deltas.clear();
  }

  /** After the list reloads: drops rows that are gone and clamps changes the new limits no longer allow. */
  reconcile(rows: readonly SeatLimits[]): void {
    const byId = new Map(rows.map((row) => [row.id, row]));
    for (const [id, delta] of [...this.deltas]) {
      const row = byId.get(id);
      if (!row) this.deltas.delete(id);
      else this.set(id, Math.max(hasRemoveControl(row) ? -row.maxRemove : 0, Math.min(row.maxAdd, delta)));
    }
  }

  /** The changes to apply, in the order the rows were first touched. */
  changes(): PendingChange[] {
    return [...this.deltas].map(([id, delta]) => ({ id, delta }));
  }

  get size(): number {
    return this.deltas.size;
  }

  private set(id: string, delta: number): void {
    if (delta === 0) this.deltas.delete(id);
    else this.deltas.set(id, delta);
  }
}
