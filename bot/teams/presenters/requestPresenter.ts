import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import { requestCard } from '../../../cards/requestCard';
import type { LicenseRequest } from '../../domain/licenseRequest';
import { isFinal, orderNumberText, type Order } from '../../domain/order';
import { formatNumber, formatTime, plainText, wordsFor, type Audience } from './format';

export type RequestViewer = 'requester' | 'manager';

/** "LR-12" */
export function requestNumberText(request: Pick<LicenseRequest, 'number'>): string {
  return `LR-${request.number}`;
}

function seatsOf(request: LicenseRequest, audience: Audience): string {
  return wordsFor(audience).t('cards.requestSeats', { count: request.seats, product: request.product });
}

/** "A Licenses Manager", or who decided. */
function decider(request: LicenseRequest, audience: Audience): string {
  return request.decidedBy
    ? plainText(request.decidedBy.name)
    : wordsFor(audience).t('cards.aLicensesManager');
}

/** What became of a request, in one sentence (its card's status, and the requester's message). */
export function requestStatusText(request: LicenseRequest, audience: Audience): string | undefined {
  const { t } = wordsFor(audience);
  const by = decider(request, audience);
  switch (request.state) {
    case 'draft':
      return undefined;
    case 'waiting':
      return t('cards.requestWaiting', { billingProfile: request.billingProfile.name });
    case 'ordered':
      return request.decidedAt
        ? t('cards.requestOrderedAt', { by, at: formatTime(request.decidedAt, audience) })
        : t('cards.requestOrdered', { by });
    case 'declined':
      return request.declineReason
        ? t('cards.requestDeclinedBecause', { by, reason: plainText(request.declineReason) })
        : t('cards.requestDeclined', { by });
    case 'expired':
      return t('cards.requestExpired');
    case 'cancelled':
      return t('cards.requestWithdrawn');
  }
}

/** The card of a request for its requester (the confirmation while a draft) or a Licenses Manager. */
export function requestCardFor(
  request: LicenseRequest,
  viewer: RequestViewer,
  audience: Audience,
  alert?: string,
): AdaptiveCardJson {
  const words = wordsFor(audience);
  const { t } = words;
  const seats = seatsOf(request, audience);
  const title =
    viewer === 'requester'
      ? t('cards.requestTitleOwn', { seats })
      : t('cards.requestTitle', { requester: plainText(request.requester.name), seats });
  const status = alert ?? requestStatusText(request, audience);
  return requestCard({
    lang: words.lang,
    labels: {
      reason: t('cards.reasonOptional'),
      reasonHint: t('cards.requestReasonHint'),
      send: t('cards.requestSend'),
      cancel: t('cards.cancel'),
      order: t('cards.requestOrder'),
      decline: t('cards.requestDecline'),
      declineReason: t('cards.requestDeclineReason'),
      declineReasonMissing: t('cards.requestDeclineReasonMissing'),
      declineRequest: t('cards.requestDeclineRequest'),
    },
    requestId: request.id,
    title,
    subtitle: t('cards.requestSubtitle', {
      number: requestNumberText(request),
      domain: request.domain,
      billingProfile: request.billingProfile.name,
    }),
    status: status
      ? {
          text: status,
          style: alert
            ? 'attention'
            : request.state === 'declined' || request.state === 'expired'
              ? 'warning'
              : request.state === 'ordered'
                ? 'good'
                : 'emphasis',
        }
      : null,
    facts: [
      { title: t('cards.factProduct'), value: request.product },
      { title: t('cards.factSeatsToAdd'), value: formatNumber(request.seats, audience) },
      { title: t('cards.factBillingProfile'), value: request.billingProfile.name },
    ],
    reason: request.reason ? t('cards.requestReason', { reason: plainText(request.reason) }) : null,
    actions: {
      send: viewer === 'requester' && request.state === 'draft' && !alert,
      order: viewer === 'manager' && request.state === 'waiting',
    },
  });
}

/** What the requester is told when their request was ordered, declined or expired. */
export function requestOutcomeText(request: LicenseRequest, audience: Audience): string | undefined {
  const { t } = wordsFor(audience);
  const values = {
    number: requestNumberText(request),
    seats: seatsOf(request, audience),
    by: decider(request, audience),
  };
  switch (request.state) {
    case 'ordered':
      return t('cards.requestOutcomeOrdered', values);
    case 'declined':
      return request.declineReason
        ? t('cards.requestOutcomeDeclinedBecause', { ...values, reason: plainText(request.declineReason) })
        : t('cards.requestOutcomeDeclined', values);
    case 'expired':
      return t('cards.requestOutcomeExpired', values);
    default:
      return undefined;
  }
}

/** The order made from a request, as far as the requester is told about it. */
export type RequestOrder = Pick<
  Order,
  'id' | 'number' | 'state' | 'product' | 'targetQuantity' | 'decidedBy' | 'note' | 'requester'
>;

/**
 * What the requester is told when the order made from their request ended (once, through the outbox); undefined
 * while it has not ended.
 */
export function requestOrderOutcomeText(
  request: LicenseRequest,
  order: RequestOrder,
  audience: Audience,
): string | undefined {
  const { t } = wordsFor(audience);
  const values = {
    request: requestNumberText(request),
    seats: seatsOf(request, audience),
    number: orderNumberText(order),
    manager: plainText(order.requester.name),
    product: order.product,
  };
  switch (order.state) {
    case 'completed':
      return t('cards.requestOrderCompleted', { ...values, count: order.targetQuantity });
    case 'failed':
      return t('cards.requestOrderFailed', values);
    case 'rejected': {
      const by = order.decidedBy ? plainText(order.decidedBy.name) : t('cards.anApproverCapital');
      return order.note
        ? t('cards.requestOrderRejectedBecause', { ...values, by, reason: plainText(order.note) })
        : t('cards.requestOrderRejected', { ...values, by });
    }
    case 'expired':
      return t('cards.requestOrderExpired', values);
    case 'cancelled':
      return t('cards.requestOrderCancelled', values);
    default:
      return undefined;
  }
}

/** An ordered request's line in the `orders` list: how its order stands, or how it ended. */
function orderedState(order: RequestOrder, audience: Audience): string {
  const { t } = wordsFor(audience);
  const values = { by: plainText(order.requester.name), number: orderNumberText(order) };
  if (!isFinal(order.state)) return t('cards.requestListOrdering', values);
  switch (order.state) {
    case 'completed':
      return t('cards.requestListCompleted', values);
    case 'rejected':
      return t('cards.requestListRejected', {
        ...values,
        approver: order.decidedBy ? plainText(order.decidedBy.name) : t('cards.anApprover'),
      });
    default:
      return t('cards.requestListEnded', { ...values, state: order.state });
  }
}

/**
 * The person's license requests, for the `orders` list: one line each, newest first; an ordered one says how the
 * order made from it stands (`orders`: the order of each request, by request id).
 */
export function requestListText(
  requests: readonly LicenseRequest[],
  audience: Audience,
  orders: ReadonlyMap<string, RequestOrder> = new Map(),
): string {
  const { t } = wordsFor(audience);
  const lines = requests.map((r) => {
    const order = r.state === 'ordered' ? orders.get(r.id) : undefined;
    const state = order
      ? orderedState(order, audience)
      : r.state === 'waiting'
        ? t('cards.requestListWaiting', { billingProfile: r.billingProfile.name })
        : (requestStatusText(r, audience) ?? r.state).replace(/[.。]$/, '');
    return t('cards.requestListLine', {
      number: requestNumberText(r),
      seats: seatsOf(r, audience),
      state,
      at: formatTime(r.createdAt, audience),
    });
  });
  return `${t('cards.requestListTitle')}\n\n${lines.join('\n')}`;
}
