import type { BillingProfile, UserAccess } from '../../bot/domain/access';
import {
  approverRefusal,
  eligibleApprovers,
  needsApprover,
  reassignCandidates,
  reassignRefusal,
} from '../../bot/domain/approvalPolicy';
import { money } from '../../bot/domain/money';

const profile: BillingProfile = {
  id: 'hq',
  name: 'Contoso HQ',
  domains: ['contoso.com'],
  approvalLimit: money(50000, 'USD'),
  accessAdministrators: [],
};
const order = (seats: number, price = 2300, currency = 'USD') => ({
  expectedQuantity: 120,
  targetQuantity: 120 + seats,
  pricePerSeat: money(price, currency),
});

describe('the approval policy', () => {
  it('lets the requester submit up to the limit, exactly 500.00 included', () => {
    expect(needsApprover(order(1), profile)).toBe(false);
    expect(needsApprover(order(20, 2500), profile)).toBe(false); // 500.00
  });

  it('needs an approver above the limit: 30 seats of Office 365 E3 is +690.00', () => {
    expect(needsApprover(order(30), profile)).toBe(true);
    expect(needsApprover(order(1, 50001), profile)).toBe(true);
  });

  it('applies to large decreases too, and to orders in another currency than the limit', () => {
    expect(needsApprover(order(-30), profile)).toBe(true);
    expect(needsApprover(order(1, 100, 'EUR'), profile)).toBe(true);
  });

  const approver: UserAccess = {
    id: 'megan',
    name: 'Megan',
    assignments: [{ billingProfileId: 'hq', roles: ['Approver'] }],
  };
  const otherProfile: UserAccess = {
    id: 'x',
    name: 'X',
    assignments: [{ billingProfileId: 'emea', roles: ['Approver'] }],
  };
  const manager: UserAccess = {
    id: 'alex',
    name: 'Alex',
    assignments: [{ billingProfileId: 'hq', roles: ['LicensesManager', 'Approver'] }],
  };
  const pending = {
    requester: { id: 'alex', name: 'Alex' },
    billingProfileId: 'hq',
    billingProfileName: 'Contoso HQ',
  };

  it('takes an Approver of the same billing profile who is not the requester', () => {
    expect(approverRefusal(approver, approver.id, pending)).toBeUndefined();
    expect(approverRefusal(otherProfile, otherProfile.id, pending)).toEqual({
      code: 'not_approver',
      billingProfile: { id: 'hq', name: 'Contoso HQ' },
    });
    expect(approverRefusal(manager, manager.id, pending)).toEqual({ code: 'self_approval' });
    expect(approverRefusal(undefined, 'nobody', pending)?.code).toBe('not_approver');
    expect(eligibleApprovers([approver, otherProfile, manager], pending).map((u) => u.id)).toEqual(['megan']);
  });

  describe('reassigning an escalated order', () => {
    const admin: UserAccess = {
      id: 'lynne',
      name: 'Lynne',
      assignments: [{ billingProfileId: 'hq', roles: ['AccessAdmin'] }],
    };
    const adminRequester: UserAccess = {
      id: 'alex',
      name: 'Alex',
      assignments: [{ billingProfileId: 'hq', roles: ['LicensesManager', 'AccessAdmin'] }],
    };
    const escalated = { ...pending, approvalStep: 2 as const, approvals: [] };
    const users = [admin, approver, otherProfile, adminRequester];

    it('an Access Admin of the profile, once escalated, sends it to another eligible approver', () => {
      expect(reassignRefusal(admin, admin.id, escalated, approver, approver.id)).toBeUndefined();
      expect(reassignCandidates(admin, admin.id, escalated, users).map((u) => u.id)).toEqual(['megan']);
    });

    it('nobody else, never before the escalation, never the requester (even one who is an Access Admin)', () => {
      const code = (actor: UserAccess, order = escalated) =>
        reassignRefusal(actor, actor.id, order, approver, approver.id)?.code;
      expect(code(approver)).toBe('reassign_not_admin');
      expect(code(admin, { ...escalated, approvalStep: 1 as never })).toBe('reassign_not_escalated');
      expect(code(adminRequester)).toBe('reassign_own_order');
      expect(reassignCandidates(approver, approver.id, escalated, users)).toEqual([]);
    });

    it('the four-eyes rule holds: not the requester, not oneself, not who approved, not who may not approve', () => {
      const to = (target: UserAccess | undefined, order: typeof escalated = escalated) =>
        reassignRefusal(admin, admin.id, order, target, target?.id ?? 'nobody')?.code;
      expect(to(adminRequester)).toBe('reassign_to_requester');
      expect(to(admin)).toBe('reassign_to_self');
      expect(to(otherProfile)).toBe('reassign_not_eligible');
      expect(to(undefined)).toBe('reassign_unknown_person');
      expect(
        to(approver, { ...escalated, approvals: [{ id: 'megan', name: 'Megan', at: new Date() }] as never }),
      ).toBe('reassign_already_approved');
    });
  });
});
