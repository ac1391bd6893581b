import { decreaseOptions, mostRemovable } from '../../domain/decreaseOptions';
import { decreaseOffers } from './decreaseText';
import { formatMoney } from '../../domain/money';
import type { SeatChangeKind } from '../../domain/order';
import { MAX_ANSWER_LENGTH, type SeatCountProblem } from '../../domain/seatCount';
import type { Subscription } from '../../domain/subscription';
import { translator, type Translator } from '../../i18n';
import { formatTime, plainText, type Audience } from './format';

/** The conversation's words for this reader (README: Languages): bot/i18n/messages/<language>/conversation.json. */
function words(audience: Audience): Translator {
  return translator(audience.locale);
}

/**
 * Replies that are not about one order: welcome, help, questions and their hints, each in the reader's language
 * (the conversation catalogue). Every reply takes the Audience last.
 */
export const replies = {
  welcome: (audience: Audience) => words(audience).t('conversation.welcome'),
  help: (audience: Audience) => words(audience).t('conversation.help'),
  helpInDialog: (audience: Audience) => words(audience).t('conversation.helpInDialog'),
  cancelled: (audience: Audience) => words(audience).t('conversation.cancelled'),
  askingInstead: (audience: Audience) => words(audience).t('conversation.askingInstead'),
  nothingToCancel: (audience: Audience) => words(audience).t('conversation.nothingToCancel'),
  noText: (audience: Audience) => words(audience).t('conversation.noText'),
  subscriptionGone: (audience: Audience) => words(audience).t('conversation.subscriptionGone'),

  notUnderstood: (text: string, audience: Audience) =>
    words(audience).t('conversation.notUnderstood', { text: quote(text) }),

  /** Something went wrong on our side: the turn failed. */
  unexpectedErrorIn: (audience: Audience) => words(audience).t('conversation.unexpectedError'),
  /** An order card refreshed by someone who may not see the order (or an order that does not exist). */
  orderNotAvailableIn: (audience: Audience) => words(audience).t('conversation.orderNotAvailable'),
  noOrdersIn: (audience: Audience) => words(audience).t('conversation.noOrders'),

  pickSubscription: (kind: SeatChangeKind, audience: Audience) =>
    words(audience).t('conversation.pickSubscription', { kind }),

  subscriptionNotMatched: (text: string, names: readonly string[], audience: Audience) => {
    const { t } = words(audience);
    return t('conversation.subscriptionNotMatched', {
      text: quote(text),
      names: names.join(t('conversation.listSeparator')),
    });
  },

  subscriptionAmbiguous: (text: string, names: readonly string[], audience: Audience) => {
    const w = words(audience);
    return w.t('conversation.subscriptionAmbiguous', {
      text: quote(text),
      count: names.length,
      names: listOf(names, w),
    });
  },

  /** A refusal for the subscription named, then the ones that may be chosen (`yours`: the reader's own). */
  refusedChoose: (refusal: string, names: readonly string[], yours: boolean, audience: Audience) => {
    const { t } = words(audience);
    const values = { refusal, names: names.join(t('conversation.listSeparator')) };
    return yours ? t('conversation.refusedChooseYours', values) : t('conversation.refusedChooseOne', values);
  },

  singleSubscription: (kind: SeatChangeKind, product: string, domain: string, audience: Audience) =>
    words(audience).t('conversation.singleSubscription', { kind, product, domain }),

  askSeats: (
    kind: SeatChangeKind,
    subscription: Subscription,
    maximum: number,
    audience: Audience,
    at: Date,
  ) => {
    const { t } = words(audience);
    const { product, domain, quantity, inUse } = subscription;
    if (kind === 'increase') {
      const price = formatMoney(subscription.pricePerSeat, audience.locale);
      return t('conversation.askSeatsIncrease', { product, domain, quantity, inUse, price, maximum });
    }
    const options = decreaseOptions(subscription, at);
    const most = Math.min(maximum, mostRemovable(options));
    const offers = decreaseOffers(options, audience).join(t('conversation.offersSeparator'));
    return t('conversation.askSeatsDecrease', { product, domain, quantity, inUse, most, offers });
  },

  /** A decrease larger than the window allows now: both numbers, before the card for the one at renewal. */
  onlySomeNow: (nowMax: number, until: Date | null, requested: number, audience: Audience) =>
    words(audience).t('conversation.onlySomeNow', {
      nowMax,
      requested,
      limited: until ? 'yes' : 'no',
      until: until ? formatTime(until, audience) : '',
    }),

  readAs: (seats: number, audience: Audience) => words(audience).t('conversation.readAs', { seats }),

  /** A refusal (refusalText) of the seat count given, and the question again. */
  seatsRefused: (refusal: string, audience: Audience) =>
    words(audience).t('conversation.seatsRefusedAskAgain', { refusal }),

  seatCountProblem: (
    problem: SeatCountProblem,
    answer: string,
    maximum: number,
    kind: SeatChangeKind,
    audience: Audience,
  ) => {
    const { t } = words(audience);
    const text = quote(answer);
    // Too long to echo, or nothing visible left of it (control characters only): "That".
    const shown = answer.trim().length > MAX_ANSWER_LENGTH || text === '' ? 'that' : 'quoted';
    switch (problem) {
      case 'empty':
        return t('conversation.seatsEmpty', { maximum });
      case 'too_long':
        return t('conversation.seatsTooLong', { maximum });
      case 'not_a_number':
        return t('conversation.seatsNotANumber', { shown, text, maximum });
      case 'zero':
        return t('conversation.seatsZero', { maximum });
      case 'negative':
        return t('conversation.seatsNegative', { kind, maximum });
      case 'not_whole':
        return t('conversation.seatsNotWhole', { shown, text, maximum });
      case 'exponent':
        return t('conversation.seatsExponent', { shown, text, maximum });
      case 'above_maximum':
        return t('conversation.seatsAboveMaximum', { maximum });
    }
  },
};

/** "A and B", "A, B and C" in the reader's language (the catalogue's words, so the pseudo-locale shows them). */
function listOf(items: readonly string[], { t }: Translator): string {
  if (items.length <= 1) return items[0] ?? '';
  const rest = items.slice(0, -1).join(t('conversation.listSeparator'));
  return t('conversation.listAnd', { rest, last: items[items.length - 1] });
}

/** Echoes a little of what someone typed, never a whole paragraph (whole characters, emoji included). */
export function clip(text: string, max = 40): string {
  const characters = [...text.replace(/\s+/g, ' ').trim()];
  return characters.length > max ? `${characters.slice(0, max - 1).join('')}…` : characters.join('');
}

/** What someone typed, shown back to them: a little of it, as text (plainText). */
function quote(text: string): string {
  return plainText(clip(text));
}
