import {
  licensesCard,
  type LicensesCardData,
  type LicensesCardSubscription,
} from '../../../cards/licensesCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import { formatMoney } from '../../domain/money';
import { canDecrease, decreaseOptions } from '../../domain/decreaseOptions';
import { freeSeats, isNearlyFull, monthlyCost } from '../../domain/subscription';
import type { ManagedSubscription } from '../../services/licenseService';
import { decreaseSummary, renewalFacts, scheduledText } from './decreaseText';
import { formatNumber, plural, type Audience } from './format';

/** Subscriptions per page of the licenses card: a screenful in Teams. */
export const LICENSES_PAGE_SIZE = 6;

export function licensesCardFor(
  managed: readonly ManagedSubscription[],
  page: number,
  audience: Audience,
  at: Date,
): AdaptiveCardJson {
  return licensesCard(licensesCardData(managed, page, audience, at));
}

export function licensesCardData(
  managed: readonly ManagedSubscription[],
  page: number,
  audience: Audience,
  at: Date,
): LicensesCardData {
  const pages = Math.max(1, Math.ceil(managed.length / LICENSES_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pages);
  const shown = [...managed]
    .sort(
      (a, b) =>
        a.billingProfile.name.localeCompare(b.billingProfile.name) ||
        a.subscription.product.localeCompare(b.subscription.product),
    )
    .slice((current - 1) * LICENSES_PAGE_SIZE, current * LICENSES_PAGE_SIZE);
  const groups: Array<{ billingProfile: string; subscriptions: LicensesCardSubscription[] }> = [];
  for (const item of shown) {
    let group = groups.find((g) => g.billingProfile === item.billingProfile.name);
    if (!group) groups.push((group = { billingProfile: item.billingProfile.name, subscriptions: [] }));
    group.subscriptions.push(row(item, audience, at));
  }
  const profiles = new Set(managed.map((m) => m.billingProfile.id)).size;
  const n = (value: number) => formatNumber(value, audience);
  return {
    title: 'Your subscriptions',
    subtitle:
      `${n(managed.length)} ${plural(managed.length, 'subscription', 'subscriptions')} in ${n(profiles)} ` +
      `${plural(profiles, 'billing profile', 'billing profiles')}` +
      (pages > 1 ? ` · page ${n(current)} of ${n(pages)}` : ''),
    groups,
    nextPage: current < pages ? current + 1 : null,
  };
}

function row(
  { subscription: s }: ManagedSubscription,
  audience: Audience,
  at: Date,
): LicensesCardSubscription {
  const n = (value: number) => formatNumber(value, audience);
  const free = freeSeats(s);
  const scheduled = scheduledText(s, audience);
  return {
    id: s.id,
    product: s.product,
    details: `${s.domain} · ${s.plan} · ${renewalFacts(s, audience, at)}${s.status === 'suspended' ? ' · suspended' : ''}`,
    seats: `${n(s.quantity)} seats · ${n(s.inUse)} in use · ${n(free)} free`,
    cost: `${formatMoney(monthlyCost(s), audience.locale)} a month`,
    warning:
      free === 0
        ? 'Full: every seat is in use.'
        : isNearlyFull(s)
          ? `Nearly full: ${n(free)} ${plural(free, 'seat', 'seats')} free.`
          : null,
    removeNote: s.status === 'active' ? decreaseSummary(s, audience, at) : null,
    canRemove: canDecrease(decreaseOptions(s, at)),
    scheduled,
    canCancelScheduled: scheduled !== null && s.status === 'active',
  };
}
