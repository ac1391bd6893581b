import {
  licensesCard,
  type LicensesCardData,
  type LicensesCardSubscription,
} from '../../../cards/licensesCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import { canDecrease, decreaseOptions } from '../../domain/decreaseOptions';
import { freeSeats, isNearlyFull, monthlyCost } from '../../domain/subscription';
import type { ManagedSubscription } from '../../services/licenseService';
import { decreaseSummary, renewalFacts, scheduledText } from './decreaseText';
import { moneyText, wordsFor, type Audience } from './format';

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
  const words = wordsFor(audience);
  const { t } = words;
  return {
    lang: words.lang,
    labels: {
      addSeats: t('cards.licensesAddSeats'),
      removeSeats: t('cards.licensesRemoveSeats'),
      cancelScheduled: t('cards.licensesCancelScheduled'),
      more: t('cards.licensesMore'),
    },
    title: t('cards.licensesTitle'),
    subtitle: t('cards.licensesSubtitle', {
      subscriptions: managed.length,
      profiles,
      paged: pages > 1 ? 'yes' : 'no',
      page: current,
      pages,
    }),
    groups,
    nextPage: current < pages ? current + 1 : null,
  };
}

function row(
  { subscription: s }: ManagedSubscription,
  audience: Audience,
  at: Date,
): LicensesCardSubscription {
  const { t } = wordsFor(audience);
  const free = freeSeats(s);
  const scheduled = scheduledText(s, audience);
  return {
    id: s.id,
    product: s.product,
    details: t('cards.licensesDetails', {
      domain: s.domain,
      plan: s.plan,
      renewal: renewalFacts(s, audience, at),
      suspended: s.status === 'suspended' ? 'yes' : 'no',
    }),
    seats: t('cards.licensesSeats', { quantity: s.quantity, inUse: s.inUse, free }),
    cost: t('cards.perMonth', { amount: moneyText(monthlyCost(s), audience) }),
    warning:
      free === 0 ? t('cards.licensesFull') : isNearlyFull(s) ? t('cards.licensesNearlyFull', { free }) : null,
    removeNote: s.status === 'active' ? decreaseSummary(s, audience, at) : null,
    canRemove: canDecrease(decreaseOptions(s, at)),
    scheduled,
    canCancelScheduled: scheduled !== null && s.status === 'active',
  };
}
