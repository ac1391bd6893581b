import {
  creditFor,
  decreaseOptions,
  knownRenewalDate,
  type DecreaseOptions,
  type NotAtRenewalReason,
  type NotNowReason,
} from '../../domain/decreaseOptions';
import type { Refusal } from '../../domain/refusal';
import type { Subscription } from '../../domain/subscription';
import {
  formatDate,
  formatNumber,
  formatTime,
  moneyText,
  renewalOn,
  wordsFor,
  type Audience,
} from './format';

/**
 * The words for what removing seats can be (bot/domain/decreaseOptions.ts decides it): the bot's replies, its
 * cards and the tab all say it with these.
 */

/** "Annual term · renews April 1, 2027 · auto-renew on": the renewal facts shown wherever a subscription is. */
export function renewalFacts(subscription: Subscription, audience: Audience, at: Date): string {
  const { t } = wordsFor(audience);
  const date = knownRenewalDate(subscription.renewalDate, at);
  return t('cards.renewalFacts', {
    annual: subscription.plan === 'ANNUAL' ? 'yes' : 'no',
    known: date ? 'yes' : 'no',
    date: date ? formatDate(date, audience) : '',
    autoRenew: subscription.autoRenew ? 'yes' : 'no',
    trial: subscription.trial ? 'yes' : 'no',
  });
}

/** "scheduled: 40 -> 35 at renewal on April 1, 2027", when a reduction is scheduled. */
export function scheduledText(subscription: Subscription, audience: Audience): string | null {
  if (subscription.scheduledQuantity === null || subscription.scheduledQuantity === subscription.quantity)
    return null;
  const n = (value: number) => formatNumber(value, audience);
  return wordsFor(audience).t('cards.scheduledChange', {
    from: n(subscription.quantity),
    to: n(subscription.scheduledQuantity),
    ...renewalOn(subscription.renewalDate, audience),
  });
}

/**
 * What can be offered, one line per way: "remove now (up to 5; credit of $23.00 a seat on next month's bill,
 * possible until ...)" and "remove at renewal on April 1, 2027 (up to 7; you keep paying for them until then)".
 */
export function decreaseOffers(options: DecreaseOptions, audience: Audience): string[] {
  const { t } = wordsFor(audience);
  const offers: string[] = [];
  if (options.now.possible) {
    offers.push(
      t('cards.offerNow', {
        max: formatNumber(options.now.maxSeats, audience),
        credit: moneyText(creditFor(options.now, 1), audience),
        limited: options.now.until ? 'yes' : 'no',
        until: options.now.until ? formatTime(options.now.until, audience) : '',
      }),
    );
  }
  if (options.atRenewal.possible) {
    const scheduled = options.atRenewal.scheduledQuantity;
    offers.push(
      t('cards.offerAtRenewal', {
        date: formatDate(options.atRenewal.renewalDate, audience),
        max: formatNumber(options.atRenewal.maxSeats, audience),
        replaces: scheduled !== null ? 'yes' : 'no',
        scheduled: scheduled ?? 0,
      }),
    );
  }
  return offers;
}

/** One sentence for a subscription's remove offers, or why there is none; for lists and the seats question. */
export function decreaseSummary(subscription: Subscription, audience: Audience, at: Date): string {
  const options = decreaseOptions(subscription, at);
  const offers = decreaseOffers(options, audience);
  const { t } = wordsFor(audience);
  if (offers.length === 1) return t('cards.offerOne', { offer: offers[0] });
  if (offers.length > 1) return t('cards.offerEither', { first: offers[0], second: offers[1] });
  return notPossibleText(
    options.now.possible ? 'window_closed' : options.now.reason,
    options.atRenewal.possible ? 'console_rule' : options.atRenewal.reason,
    subscription.renewalDate,
    audience,
  );
}

function nowReason(reason: NotNowReason, audience: Audience): string {
  return wordsFor(audience).t('cards.notNowReason', { reason });
}

function atRenewalReason(reason: NotAtRenewalReason, renewalDate: string | null, audience: Audience): string {
  const { t } = wordsFor(audience);
  switch (reason) {
    case 'no_auto_renew':
      return t('cards.notAtRenewalNoAutoRenew');
    case 'renewal_unknown':
      return renewalDate
        ? t('cards.notAtRenewalPassed', { date: formatDate(renewalDate, audience) })
        : t('cards.notAtRenewalUnknown');
    case 'console_rule':
      return t('cards.notAtRenewalConsoleRule');
    default:
      return nowReason(reason, audience);
  }
}

/** Why seats can be removed neither now nor at renewal. */
export function notPossibleText(
  now: NotNowReason,
  atRenewal: NotAtRenewalReason,
  renewalDate: string | null,
  audience: Audience,
): string {
  const { t } = wordsFor(audience);
  const nowText = nowReason(now, audience);
  const renewalText = atRenewalReason(atRenewal, renewalDate, audience);
  if (nowText === renewalText) return t('cards.cannotRemove', { reason: nowText });
  return t('cards.cannotRemoveEither', { now: nowText, atRenewal: renewalText });
}

/** A request for more than either way allows: both numbers, and what to do. */
export function tooManyText(
  refusal: Extract<Refusal, { code: 'decrease_too_many' }>,
  audience: Audience,
): string {
  const { t } = wordsFor(audience);
  const now =
    refusal.nowMax > 0
      ? t('cards.tooManyNow', {
          count: refusal.nowMax,
          limited: refusal.nowUntil ? 'yes' : 'no',
          until: refusal.nowUntil ? formatTime(refusal.nowUntil, audience) : '',
        })
      : t('cards.tooManyNoneNow');
  const renewal =
    refusal.renewalMax > 0 && refusal.renewalDate
      ? t('cards.tooManyAtRenewal', {
          count: refusal.renewalMax,
          date: formatDate(refusal.renewalDate, audience),
        })
      : t('cards.tooManyNoneAtRenewal', {
          reason: atRenewalReason(
            refusal.atRenewalReason ?? 'renewal_unknown',
            refusal.renewalDate,
            audience,
          ),
        });
  return t('cards.tooMany', {
    requested: refusal.requested,
    product: refusal.product,
    now,
    atRenewal: renewal,
  });
}
