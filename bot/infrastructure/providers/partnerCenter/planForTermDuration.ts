import type { Plan } from '../../../domain/subscription';

/**
 * The product's plan for a Partner Center subscription's `termDuration` (ISO 8601).
 *
 * | termDuration            | plan     | why                                                    |
 * | ----------------------- | -------- | ------------------------------------------------------ |
 * | `P1M`                   | FLEXIBLE | a monthly term                                         |
 * | `P1Y`, `P3Y`            | ANNUAL   | a term of a year or more                               |
 * | missing, empty, unknown | ANNUAL   | legacy offers have no term; the longer term is safe    |
 *
 * The term decides, not `billingCycle`: a one-year term billed monthly is still a yearly term. Whether seats can
 * be removed is not the plan's to say: Partner Center subscriptions follow Microsoft's window and renewal on any
 * term (removal `window`, bot/domain/decreaseOptions.ts).
 */
export function planForTermDuration(termDuration: string | null | undefined): Plan {
  return termDuration?.trim().toUpperCase() === 'P1M' ? 'FLEXIBLE' : 'ANNUAL';
}
