import { PendingChanges, canAdd, canRemove, hasRemoveControl, type SeatLimits } from '../../tab/src/pending';

/** Business Standard of the demo: 25 seats, 21 in use, 300 per order. */
const flexible: SeatLimits = { id: 'standard', plan: 'FLEXIBLE', maxAdd: 300, maxRemove: 4 };
const annual: SeatLimits = { id: 'e3', plan: 'ANNUAL', maxAdd: 300, maxRemove: 0 };

describe("the tab's pending seat changes (+ and − before Apply)", () => {
  it('− exists only where seats can be removed (now or at renewal); + on every plan', () => {
    expect([hasRemoveControl(flexible), hasRemoveControl(annual)]).toEqual([true, false]);
    expect([canAdd(annual, 0), canRemove(annual, 0), canRemove(annual, 5)]).toEqual([true, false, false]);
  });

  it('− stops at the seats in use: four steps down from 25 with 21 in use, not five', () => {
    const pending = new PendingChanges();
    const steps = Array.from({ length: 5 }, () => pending.step(flexible, -1));
    expect(steps).toEqual([true, true, true, true, false]);
    expect(pending.delta('standard')).toBe(-4);
  });

  it('+ stops at the per-order maximum', () => {
    const small = { ...flexible, maxAdd: 2 };
    const pending = new PendingChanges();
    expect([pending.step(small, 1), pending.step(small, 1), pending.step(small, 1)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(pending.delta('standard')).toBe(2);
  });

  it('a change back to zero is no change; changes keep the order they were made in; reset undoes one', () => {
    const pending = new PendingChanges();
    pending.step(annual, 1);
    pending.step(flexible, 1);
    pending.step(flexible, -1);
    pending.step(flexible, -1);
    expect(pending.changes()).toEqual([
      { id: 'e3', delta: 1 },
      { id: 'standard', delta: -1 },
    ]);
    // No − on an ANNUAL row, not even to take back a +: its × (reset) does that.
    expect(pending.step(annual, -1)).toBe(false);
    pending.reset('e3');
    expect(pending.changes()).toEqual([{ id: 'standard', delta: -1 }]);
  });

  it('after a reload, changes to rows that are gone are dropped and the rest fit the new limits', () => {
    const pending = new PendingChanges();
    for (let i = 0; i < 4; i += 1) pending.step(flexible, -1);
    pending.step(annual, 1);
    pending.reconcile([{ ...flexible, maxRemove: 2 }]);
    expect(pending.changes()).toEqual([{ id: 'standard', delta: -2 }]);
  });
});
