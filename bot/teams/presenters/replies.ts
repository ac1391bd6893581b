import { decreaseOptions, mostRemovable } from '../../domain/decreaseOptions';
import { decreaseOffers } from './decreaseText';
import { formatMoney } from '../../domain/money';
import type { SeatChangeKind } from '../../domain/order';
import { MAX_ANSWER_LENGTH, type SeatCountProblem } from '../../domain/seatCount';
import type { Subscription } from '../../domain/subscription';
import { formatNumber, formatTime, plainText, type Audience } from './format';

/** Replies that are not about one order: welcome, help, questions and their hints. */
export const replies = {
  welcome:
    "Hi, I'm **License Desk**. I buy more Microsoft 365 licenses for your organisation's subscriptions, " +
    'remove seats as Microsoft allows it (now, or at renewal), and show how many seats are in use. Larger orders go to an approver.\n\n' +
    'Say **buy licenses** to start, or **help** to see everything I can do.',

  help:
    '**License Desk** commands:\n\n' +
    '- **buy licenses** (or *add seats*, *buy seats*): add seats to a subscription\n' +
    '- **add 5 seats to Business Standard**, **+5 E3**, **remove 3 Business Basic**: say it in one line\n' +
    '- **remove licenses**: remove seats now where Microsoft allows it, otherwise at renewal\n' +
    '- **licenses**: your subscriptions, seats and seats in use\n' +
    '- **orders**: your recent orders and license requests, and the orders waiting for your approval\n' +
    '- **access**: who holds which role on your billing profiles (for Access Admins)\n' +
    '- **away until 2026-12-24, delegate to Adele Vance**: while you are away, your approval cards go to a colleague; **back** ends it\n' +
    '- **cancel**: stop what we are doing (nothing is ordered)\n' +
    '- **help**: this list\n\n' +
    'Nothing is ordered until you tap **Approve** on the confirmation card.',

  helpInDialog:
    'Answer the question below, or say **cancel** to stop: nothing is ordered until you tap **Approve**.',

  cancelled: 'Cancelled. Nothing was ordered.',

  askingInstead:
    "You don't have the **Licenses Manager** permission, so I'll send your request to a Licenses Manager of " +
    "the subscription's billing profile, who orders the seats or declines.",

  noOrders: 'You have no orders yet, and none waits for your approval. Say **buy licenses** to start one.',

  nothingToCancel: 'There is nothing to cancel. Say **help** to see what I can do.',

  notUnderstood: (text: string) =>
    `I didn't understand "${quote(text)}". Say **buy licenses** to add seats, or **help** to see everything I can do.`,

  noText:
    'I work with text messages. Say **buy licenses** to add seats, or **help** to see everything I can do.',

  unexpectedError:
    'Sorry, something went wrong on my side and nothing was ordered. Please try again in a moment.',

  /** An order card refreshed by someone who may not see the order (or an order that does not exist). */
  orderNotAvailable: 'This order is not available to you.',

  pickSubscription: (kind: SeatChangeKind) =>
    kind === 'increase'
      ? 'Which subscription do you want to add seats to? Tap one, or type its name or number.'
      : 'Which subscription do you want to remove seats from? Tap one, or type its name or number. Only subscriptions that can lose seats (now or at renewal) are listed.',

  subscriptionNotMatched: (text: string, names: readonly string[]) =>
    `I couldn't find a subscription called "${quote(text)}" among yours: ${names.join(', ')}. Type its name or number.`,

  subscriptionAmbiguous: (text: string, names: readonly string[]) =>
    `"${quote(text)}" matches ${names.length} subscriptions: ${names.join(' and ')}. Type more of the name, or its number.`,

  subscriptionGone: 'That subscription no longer exists. Here are the ones you can change now.',

  singleSubscription: (kind: SeatChangeKind, product: string, domain: string) =>
    kind === 'increase'
      ? `You can add seats to one subscription: **${product}** (${domain}).`
      : `You can remove seats from one subscription: **${product}** (${domain}).`,

  askSeats: (
    kind: SeatChangeKind,
    subscription: Subscription,
    maximum: number,
    audience: Audience,
    at: Date,
  ) => {
    const n = (value: number) => formatNumber(value, audience);
    const { product, domain, quantity, inUse } = subscription;
    const price = formatMoney(subscription.pricePerSeat, audience.locale);
    if (kind === 'increase')
      return `How many seats do you want to add to **${product}** (${domain})? It has ${n(quantity)} seats, ${n(inUse)} in use, at ${price} per seat a month. One order adds up to ${n(maximum)}.`;
    const options = decreaseOptions(subscription, at);
    const most = Math.min(maximum, mostRemovable(options));
    return (
      `How many seats do you want to remove from **${product}** (${domain})? It has ${n(quantity)} seats and ${n(inUse)} in use, so up to ${n(most)} can go. ` +
      `You can ${decreaseOffers(options, audience).join(', or ')}.`
    );
  },

  /** A decrease larger than the window allows now: both numbers, before the card for the one at renewal. */
  onlySomeNow: (nowMax: number, until: Date | null, requested: number, audience: Audience) => {
    const n = (value: number) => formatNumber(value, audience);
    const by = until ? ` (until ${formatTime(until, audience)})` : '';
    return `Only ${n(nowMax)} ${nowMax === 1 ? 'seat' : 'seats'} can be removed now${by}, so the ${n(requested)} you asked for come off at renewal. To remove ${n(nowMax)} now instead, ask for ${n(nowMax)}.`;
  },

  readAs: (seats: number, audience: Audience) => `I read that as ${formatNumber(seats, audience)} seats.`,

  seatCountProblem: (
    problem: SeatCountProblem,
    answer: string,
    maximum: number,
    kind: SeatChangeKind,
    audience: Audience,
  ) => {
    const range = `a whole number from 1 to ${formatNumber(maximum, audience)}`;
    const echoed = quote(answer);
    // Too long to echo, or nothing visible left of it (control characters only): "That".
    const shown = answer.trim().length > MAX_ANSWER_LENGTH || echoed === '' ? 'That' : `"${echoed}"`;
    switch (problem) {
      case 'empty':
        return `I need a number of seats. Type ${range}, for example 5.`;
      case 'too_long':
        return `That is too long to be a number of seats. Type ${range}, for example 5.`;
      case 'not_a_number':
        return `${shown} is not a number of seats. Type it in digits: ${range}, for example 5.`;
      case 'zero':
        return `Zero seats changes nothing. Type ${range}.`;
      case 'negative':
        return kind === 'increase'
          ? `Type how many seats to add, as ${range}. To remove seats, say **cancel** and then **remove licenses**.`
          : `Type how many seats to remove, as ${range} (without a minus sign).`;
      case 'not_whole':
        return `Seats come whole: ${shown} is not a whole number. Type ${range}.`;
      case 'exponent':
        return `Type the number in plain digits (${shown} uses an exponent). Type ${range}.`;
      case 'above_maximum':
        return `One order can change at most ${formatNumber(maximum, audience)} seats. Type ${range}, or place several orders.`;
    }
  },
};

/** Echoes a little of what someone typed, never a whole paragraph (whole characters, emoji included). */
export function clip(text: string, max = 40): string {
  const characters = [...text.replace(/\s+/g, ' ').trim()];
  return characters.length > max ? `${characters.slice(0, max - 1).join('')}…` : characters.join('');
}

/** What someone typed, shown back to them: a little of it, as text (plainText). */
function quote(text: string): string {
  return plainText(clip(text));
}
