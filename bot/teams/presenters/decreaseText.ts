import {
  creditFor,
  decreaseOptions,
  knownRenewalDate,
  type DecreaseOptions,
  type NotAtRenewalReason,
  type NotNowReason,
} from '../../domain/decreaseOptions';
import { formatMoney } from '../../domain/money';
import type { Refusal } from '../../domain/refusal';
import type { Subscription } from '../../domain/subscription';
import { formatDate, formatNumber, formatTime, plural, type Audience } from './format';

/**
 * The words for what removing seats can be (bot/domain/decreaseOptions.ts decides it): the bot's replies, its
 * cards and the tab all say it with these.
 */

/** "Annual term · renews April 1, 2027 · auto-renew on": the renewal facts shown wherever a subscription is. */
export function renewalFacts(subscription: Subscription, audience: Audience, at: Date): string {
  const term = subscription.plan === 'ANNUAL' ? 'Annual term' : 'Monthly term';
  const date = knownRenewalDate(subscription.renewalDate, at);
  const renews = date ? `renews ${formatDate(date, audience)}` : 'renewal date unknown';
  const trial = subscription.trial ? ' · trial' : '';
  return `${term} · ${renews} · auto-renew ${subscription.autoRenew ? 'on' : 'off'}${trial}`;
}

/** "scheduled: 40 -> 35 at renewal on April 1, 2027", when a reduction is scheduled. */
export function scheduledText(subscription: Subscription, audience: Audience): string | null {
  if (subscription.scheduledQuantity === null || subscription.scheduledQuantity === subscription.quantity)
    return null;
  const n = (value: number) => formatNumber(value, audience);
  const on = subscription.renewalDate ? ` on ${formatDate(subscription.renewalDate, audience)}` : '';
  return `scheduled: ${n(subscription.quantity)} -> ${n(subscription.scheduledQuantity)} at renewal${on}`;
}

/**
 * What can be offered, one line per way: "remove now (up to 5; credit of $23.00 a seat on next month's bill,
 * possible until ...)" and "remove at renewal on April 1, 2027 (up to 7; you keep paying for them until then)".
 */
export function decreaseOffers(options: DecreaseOptions, audience: Audience): string[] {
  const n = (value: number) => formatNumber(value, audience);
  const offers: string[] = [];
  if (options.now.possible) {
    const credit = formatMoney(creditFor(options.now, 1), audience.locale);
    const until = options.now.until ? `, possible until ${formatTime(options.now.until, audience)}` : '';
    offers.push(
      `remove now (up to ${n(options.now.maxSeats)}; a credit of ${credit} a seat on next month's bill${until})`,
    );
  }
  if (options.atRenewal.possible) {
    const replaces =
      options.atRenewal.scheduledQuantity !== null
        ? `; replaces the reduction already scheduled, to ${n(options.atRenewal.scheduledQuantity)} seats`
        : '';
    offers.push(
      `remove at renewal on ${formatDate(options.atRenewal.renewalDate, audience)} (up to ${n(options.atRenewal.maxSeats)}; you keep paying for them until then${replaces})`,
    );
  }
  return offers;
}

/** One sentence for a subscription's remove offers, or why there is none; for lists and the seats question. */
export function decreaseSummary(subscription: Subscription, audience: Audience, at: Date): string {
  const options = decreaseOptions(subscription, at);
  const offers = decreaseOffers(options, audience);
  if (offers.length > 0) return `You can ${offers.join(', or ')}.`;
  return notPossibleText(
    options.now.possible ? 'window_closed' : options.now.reason,
    options.atRenewal.possible ? 'console_rule' : options.atRenewal.reason,
    subscription.renewalDate,
    audience,
  );
}

const NOW_REASONS: Readonly<Record<NotNowReason, string>> = {
  suspended: 'it is suspended',
  trial: 'it is a trial',
  all_in_use: 'every seat is in use',
  window_closed:
    'Microsoft allows it only within 7 days (168 hours) of buying, adding or renewing seats, and that window has closed',
};

function atRenewalReason(reason: NotAtRenewalReason, renewalDate: string | null, audience: Audience): string {
  switch (reason) {
    case 'no_auto_renew':
      return 'auto-renew is off, so nothing can be scheduled for the renewal (turn auto-renew on first)';
    case 'renewal_unknown':
      return renewalDate
        ? `the renewal date Microsoft reports (${formatDate(renewalDate, audience)}) has passed, so the renewal date is unknown`
        : 'the renewal date is unknown';
    case 'console_rule':
      return 'nothing needs scheduling: seats come off at once';
    default:
      return NOW_REASONS[reason];
  }
}

/** Why seats can be removed neither now nor at renewal. */
export function notPossibleText(
  now: NotNowReason,
  atRenewal: NotAtRenewalReason,
  renewalDate: string | null,
  audience: Audience,
): string {
  const nowText = NOW_REASONS[now];
  const renewalText = atRenewalReason(atRenewal, renewalDate, audience);
  if (nowText === renewalText) return `Seats cannot be removed: ${nowText}.`;
  return `Seats cannot be removed now: ${nowText}. Nor at renewal: ${renewalText}.`;
}

/** A request for more than either way allows: both numbers, and what to do. */
export function tooManyText(
  refusal: Extract<Refusal, { code: 'decrease_too_many' }>,
  audience: Audience,
): string {
  const n = (value: number) => formatNumber(value, audience);
  const now =
    refusal.nowMax > 0
      ? `${n(refusal.nowMax)} ${plural(refusal.nowMax, 'seat', 'seats')} can be removed now${refusal.nowUntil ? ` (until ${formatTime(refusal.nowUntil, audience)})` : ''}`
      : 'no seat can be removed now';
  const renewal =
    refusal.renewalMax > 0 && refusal.renewalDate
      ? `${n(refusal.renewalMax)} at renewal on ${formatDate(refusal.renewalDate, audience)}`
      : `none at renewal (${atRenewalReason(refusal.atRenewalReason ?? 'renewal_unknown', refusal.renewalDate, audience)})`;
  return `You asked to remove ${n(refusal.requested)} seats from **${refusal.product}**: ${now}, and ${renewal}. Order at most that many.`;
}
