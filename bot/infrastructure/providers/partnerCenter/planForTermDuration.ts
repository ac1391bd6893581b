import type { Plan } from '../../../domain/subscription';

/**
 * The product's plan for a Partner Center subscription's `termDuration` (ISO 8601).
 *
 * | termDuration            | plan     | why                                                              |
 * | ----------------------- | -------- | ---------------------------------------------------------------- |
 * | `P1M`                   | FLEXIBLE | a monthly term renews every month, so seats can come down then   |
 * | `P1Y`, `P3Y`            | ANNUAL   | seats can only be removed within 7 days of adding them or at renewal |
 * | missing, empty, unknown | ANNUAL   | legacy offers have no term; assuming the stricter rule is safe   |
 *
 * The term decides, not `billingCycle`: a one-year term billed monthly is still locked for the year.
 */
export function planForTermDuration(termDuration: string | null | undefined): Plan {
  return termDuration?.trim().toUpperCase() === 'P1M' ? 'FLEXIBLE' : 'ANNUAL';
}
