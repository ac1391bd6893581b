import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import { requestCard } from '../../../cards/requestCard';
import type { LicenseRequest } from '../../domain/licenseRequest';
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

/** The person's license requests, for the `orders` list: one line each, newest first. */
export function requestListText(requests: readonly LicenseRequest[], audience: Audience): string {
  const lines = requests.map((r) => {
    const state =
      r.state === 'waiting'
        ? `waiting for a Licenses Manager of ${r.billingProfile.name}`
        : (requestStatusText(r, audience) ?? r.state).replace(/\.$/, '');
    return `- **${requestNumberText(r)}** ${seatsOf(r, audience)}: ${state} (asked ${formatTime(r.createdAt, audience)})`;
  });
  return `Your license requests:\n\n${lines.join('\n')}`;
}
