import { planForTermDuration } from '../../../bot/infrastructure/providers/partnerCenter/planForTermDuration';

describe('planForTermDuration: Partner Center term → plan', () => {
  it.each([
    ['P1M', 'FLEXIBLE'],
    ['p1m', 'FLEXIBLE'],
    ['P1Y', 'ANNUAL'],
    ['P3Y', 'ANNUAL'],
    ['', 'ANNUAL'],
    [undefined, 'ANNUAL'],
    [null, 'ANNUAL'],
    ['P1D', 'ANNUAL'],
  ] as const)('%s → %s', (termDuration, plan) => {
    expect(planForTermDuration(termDuration)).toBe(plan);
  });
});
