import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import { requestCard } from '../../../cards/requestCard';
import type { LicenseRequest } from '../../domain/licenseRequest';
import { isFinal, orderNumberText, type Order } from '../../domain/order';
import { formatNumber, formatTime, plainText, plural, type Audience } from './format';

export type RequestViewer = 'requester' | 'manager';

/** "LR-12" */
export function requestNumberText(request: Pick<LicenseRequest, 'number'>): string {
  return `LR-${request.number}`;
}

function seatsOf(request: LicenseRequest, audience: Audience): string {
  return `${formatNumber(request.seats, audience)} ${plural(request.seats, 'seat', 'seats')} of ${request.product}`;
}

/** What became of a request, in one sentence (its card's status, and the requester's message). */
export function requestStatusText(request: LicenseRequest, audience: Audience): string | undefined {
  const by = request.decidedBy ? plainText(request.decidedBy.name) : 'A Licenses Manager';
  switch (request.state) {
    case 'draft':
      return undefined;
    case 'waiting':
      return `Sent to the Licenses Managers of ${request.billingProfile.name}; waiting for one of them.`;
    case 'ordered':
      return `${by} is ordering these seats${request.decidedAt ? ` (${formatTime(request.decidedAt, audience)})` : ''}.`;
    case 'declined':
      return `${by} declined${request.declineReason ? `: "${plainText(request.declineReason)}"` : '.'}`;
    case 'expired':
      return 'Expired: nobody ordered these seats in time. Ask again if you still need them.';
    case 'cancelled':
      return 'Withdrawn: nobody was asked.';
  }
}

/** The card of a request for its requester (the confirmation while a draft) or a Licenses Manager. */
export function requestCardFor(
  request: LicenseRequest,
  viewer: RequestViewer,
  audience: Audience,
  alert?: string,
): AdaptiveCardJson {
  const seats = seatsOf(request, audience);
  const title =
    viewer === 'requester' ? `Ask for ${seats}` : `${plainText(request.requester.name)} asks for ${seats}`;
  const status = alert ?? requestStatusText(request, audience);
  return requestCard({
    requestId: request.id,
    title,
    subtitle: `Request ${requestNumberText(request)} · ${request.domain} · billing profile ${request.billingProfile.name}`,
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
      { title: 'Product', value: request.product },
      { title: 'Seats to add', value: formatNumber(request.seats, audience) },
      { title: 'Billing profile', value: request.billingProfile.name },
    ],
    reason: request.reason ? `Why: "${plainText(request.reason)}"` : null,
    actions: {
      send: viewer === 'requester' && request.state === 'draft' && !alert,
      order: viewer === 'manager' && request.state === 'waiting',
    },
  });
}

/** What the requester is told when their request was ordered, declined or expired. */
export function requestOutcomeText(request: LicenseRequest, audience: Audience): string | undefined {
  const what = `your request ${requestNumberText(request)} for ${seatsOf(request, audience)}`;
  const by = request.decidedBy ? plainText(request.decidedBy.name) : 'A Licenses Manager';
  switch (request.state) {
    case 'ordered':
      return `${by} is ordering ${what}: it is now their order, and follows the usual approvals.`;
    case 'declined':
      return `${by} declined ${what}${request.declineReason ? `: "${plainText(request.declineReason)}"` : '.'} Nothing was ordered.`;
    case 'expired':
      return `Nobody decided ${what} in time, so it expired. Nothing was ordered; ask again if you still need the seats.`;
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
  const what = `the order made from your request ${requestNumberText(request)} for ${seatsOf(request, audience)} (${orderNumberText(order)})`;
  const manager = plainText(order.requester.name);
  switch (order.state) {
    case 'completed':
      return `Done: ${what} is complete. ${order.product} now has ${formatNumber(order.targetQuantity, audience)} ${plural(order.targetQuantity, 'seat', 'seats')}.`;
    case 'failed':
      return `Sorry: ${what} failed, so nothing was ordered. ${manager} can tell you what happens next.`;
    case 'rejected':
      return `${order.decidedBy ? plainText(order.decidedBy.name) : 'An approver'} rejected ${what}${order.note ? `: "${plainText(order.note)}"` : ''}. Nothing was ordered.`;
    case 'expired':
      return `Nobody approved ${what} in time, so it expired. Nothing was ordered; ask again if you still need the seats.`;
    case 'cancelled':
      return `${manager} cancelled ${what}. Nothing was ordered; ask ${manager} if you still need the seats.`;
    default:
      return undefined;
  }
}

/** An ordered request's line in the `orders` list: how its order stands, or how it ended. */
function orderedState(order: RequestOrder): string {
  const by = plainText(order.requester.name);
  const number = orderNumberText(order);
  if (!isFinal(order.state)) return `${by} is ordering these seats as ${number}`;
  switch (order.state) {
    case 'completed':
      return `ordered by ${by} as ${number}, completed`;
    case 'rejected':
      return `ordered by ${by} as ${number}, rejected by ${order.decidedBy ? plainText(order.decidedBy.name) : 'an approver'}: nothing was ordered`;
    default:
      return `ordered by ${by} as ${number}, ${order.state}: nothing was ordered`;
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
  const lines = requests.map((r) => {
    const order = r.state === 'ordered' ? orders.get(r.id) : undefined;
    const state = order
      ? orderedState(order)
      : r.state === 'waiting'
        ? `waiting for a Licenses Manager of ${r.billingProfile.name}`
        : (requestStatusText(r, audience) ?? r.state).replace(/\.$/, '');
    return `- **${requestNumberText(r)}** ${seatsOf(r, audience)}: ${state} (asked ${formatTime(r.createdAt, audience)})`;
  });
  return `Your license requests:\n\n${lines.join('\n')}`;
}
