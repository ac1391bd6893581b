import { orderCard, type CardStyle, type Fact, type OrderCardData } from '../../../cards/orderCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import type { Person } from '../../domain/access';
import { absolute, formatMoney, formatMoneyChange, times } from '../../domain/money';
import {
  isFinal,
  monthlyChange,
  newMonthlyCost,
  orderNumberText,
  seatDelta,
  type Order,
} from '../../domain/order';
import { approvalProgressText } from './approvalText';
import { cardTime, formatDate, formatNumber, orList, plainText, plural, type Audience } from './format';

/**
 * Who is looking at a card: their view decides the buttons (README: What it does, approvals). `shared` is the view
 * of a card in a group chat or channel before each person's own view arrives (Universal Actions refresh):
 * it carries every button the order allows, and the server checks whoever taps one.
 */
export type ViewerRole = 'requester' | 'approver' | 'other' | 'shared';

export interface OrderCardOptions {
  readonly audience: Audience;
  readonly viewer: ViewerRole;
  /** Names of the people the order waits for, when it waits for an approver. */
  readonly approverNames?: readonly string[];
  /** A line above everything else: why this card is answering (a refusal, a requote). */
  readonly alert?: { text: string; style: CardStyle };
  /** Teams user ids (MRI) that get their own view through Universal Actions refresh. */
  readonly refreshUserIds?: readonly string[];
  /** Whom this viewer may reassign the order to (an Access Admin of an escalated order); none: no Reassign. */
  readonly reassignTo?: readonly Person[];
}

export function orderCardFor(order: Order, options: OrderCardOptions): AdaptiveCardJson {
  return orderCard(orderCardData(order, options));
}

export function orderCardData(order: Order, options: OrderCardOptions): OrderCardData {
  const { audience, viewer } = options;
  const delta = seatDelta(order);
  const seats = `${formatNumber(Math.abs(delta), audience)} ${plural(Math.abs(delta), 'seat', 'seats')}`;
  const renewal = order.renewalDate ? ` on ${formatDate(order.renewalDate, audience)}` : '';
  const title =
    order.timing === 'cancel_scheduled'
      ? `Cancel the scheduled change to ${order.product}`
      : order.kind === 'increase'
        ? `Add ${seats} to ${order.product}`
        : order.timing === 'at_renewal'
          ? `Remove ${seats} from ${order.product} at renewal${renewal}`
          : `Remove ${seats} from ${order.product} now`;
  const status = statusLine(order, options);
  return {
    orderId: order.id,
    title:
      order.state === 'draft' && viewer !== 'approver' && viewer !== 'other'
        ? `Confirm: ${title.charAt(0).toLowerCase()}${title.slice(1)}`
        : title,
    subtitle: `Order ${orderNumberText(order)} · requested by ${plainText(order.requester.name)}`,
    status: options.alert ?? status,
    facts: facts(order, audience),
    note: billingNote(order, audience),
    decision: decisionLine(order),
    actions: actionsFor(order, viewer),
    reassign:
      order.state === 'pending_approval' && options.reassignTo && options.reassignTo.length > 0
        ? { choices: options.reassignTo.map((p) => ({ id: p.id, title: plainText(p.name) })) }
        : null,
    refresh:
      options.refreshUserIds && options.refreshUserIds.length > 0 && !isFinal(order.state)
        ? { userIds: [...options.refreshUserIds] }
        : null,
  };
}

function actionsFor(order: Order, viewer: ViewerRole): OrderCardData['actions'] {
  const requesterActs = viewer === 'requester' || viewer === 'shared';
  const approverActs = viewer === 'approver' || viewer === 'shared';
  const draft = order.state === 'draft';
  const pending = order.state === 'pending_approval';
  return {
    approve: (draft && requesterActs) || (pending && approverActs),
    reject: pending && approverActs,
    cancel: (draft || pending) && requesterActs,
    cancelTitle: draft ? 'Cancel' : 'Cancel order',
  };
}

function facts(order: Order, audience: Audience): Fact[] {
  const n = (value: number) => formatNumber(value, audience);
  const delta = seatDelta(order);
  const before = times(order.pricePerSeat, order.expectedQuantity);
  const renewal = order.renewalDate ? ` on ${formatDate(order.renewalDate, audience)}` : '';
  if (order.timing !== 'now') {
    const cancel = order.timing === 'cancel_scheduled';
    const current = cancel ? order.targetQuantity : order.expectedQuantity;
    const scheduled: Fact[] =
      order.scheduledBefore !== null
        ? [
            {
              title: cancel ? 'Scheduled now' : 'Replaces',
              value: `${n(current)} → ${n(order.scheduledBefore)} at renewal${renewal}`,
            },
          ]
        : [];
    return [
      { title: 'Product', value: order.product },
      { title: 'Domain', value: order.domain },
      { title: 'Billing profile', value: order.billingProfileName },
      { title: 'Plan', value: order.plan },
      {
        title: 'When',
        value: cancel
          ? `Now: the subscription renews${renewal} with its ${n(order.targetQuantity)} seats`
          : `At renewal${renewal}`,
      },
      ...scheduled,
      {
        title: 'Seats at renewal',
        value: cancel
          ? `${n(order.targetQuantity)} (unchanged)`
          : `${n(order.expectedQuantity)} → ${n(order.targetQuantity)} (−${n(Math.abs(delta))})`,
      },
      {
        title: 'Price per seat',
        value: `${formatMoney(order.pricePerSeat, audience.locale)} a month`,
      },
      {
        title: 'Monthly cost after renewal',
        value: `${formatMoney(before, audience.locale)} → ${formatMoney(newMonthlyCost(order), audience.locale)} (${formatMoneyChange(monthlyChange(order), audience.locale)})`,
      },
    ];
  }
  return [
    { title: 'Product', value: order.product },
    { title: 'Domain', value: order.domain },
    { title: 'Billing profile', value: order.billingProfileName },
    { title: 'Plan', value: order.plan },
    {
      title: 'Seats',
      value: `${n(order.expectedQuantity)} → ${n(order.targetQuantity)} (${delta > 0 ? '+' : '−'}${n(Math.abs(delta))})`,
    },
    {
      title: 'Price per seat',
      value: `${formatMoney(order.pricePerSeat, audience.locale)} a month`,
    },
    {
      title: 'Monthly cost',
      value: `${formatMoney(before, audience.locale)} → ${formatMoney(newMonthlyCost(order), audience.locale)} (${formatMoneyChange(monthlyChange(order), audience.locale)})`,
    },
  ];
}

/** Every card says what happens to the bill, with the amount (the monthly payment rises, or the credit). */
function billingNote(order: Order, audience: Audience): string {
  const change = formatMoney(absolute(monthlyChange(order)), audience.locale);
  const n = (value: number) => formatNumber(value, audience);
  const renewal = order.renewalDate ? ` on ${formatDate(order.renewalDate, audience)}` : '';
  if (order.timing === 'cancel_scheduled')
    return `The subscription renews with its ${n(order.targetQuantity)} seats${renewal}: you keep paying ${change} a month more than the scheduled change would have left.`;
  if (order.timing === 'at_renewal')
    return (
      `You keep paying for these seats until the renewal${renewal}; from then the monthly payment is ${change} lower.` +
      (order.scheduledBefore !== null
        ? ` This replaces the change already scheduled (to ${n(order.scheduledBefore)} seats).`
        : '')
    );
  const deletes =
    order.scheduledBefore !== null
      ? ` Microsoft deletes the reduction scheduled for the renewal (to ${n(order.scheduledBefore)} seats) when seats change now; License Desk schedules it again right after.`
      : '';
  if (order.kind === 'increase') {
    return `Your monthly payment increases by ${change} to cover the new licenses.${deletes}`;
  }
  return `The credit of ${change} a month appears on next month's bill.${deletes}`;
}

function statusLine(order: Order, options: OrderCardOptions): OrderCardData['status'] {
  const { viewer, audience } = options;
  const waitingFor = options.approverNames?.length ? orList(options.approverNames) : 'an approver';
  switch (order.state) {
    case 'draft':
      if (viewer === 'approver' || viewer === 'other') {
        return { text: `Waiting for ${plainText(order.requester.name)} to confirm.`, style: 'default' };
      }
      return order.needsApprover
        ? {
            text: 'Approve sends this order to an approver: its monthly cost change is above the approval limit.',
            style: 'accent',
          }
        : { text: 'Check the numbers, then Approve to place the order.', style: 'accent' };
    case 'pending_approval':
      if (viewer === 'approver')
        return {
          text: `${plainText(order.requester.name)} asks you to approve this order.`,
          style: 'warning',
        };
      if (viewer === 'shared') {
        return {
          text: `Waiting for approval by ${waitingFor}. Only they can approve or reject it.`,
          style: 'warning',
        };
      }
      return { text: `Waiting for approval by ${waitingFor}.`, style: 'warning' };
    case 'approved':
    case 'submitting':
      return { text: 'Approved. Placing the order…', style: 'accent' };
    case 'completed':
      return {
        text: completedText(order, audience),
        style: order.outcome === 'scheduled_not_restored' ? 'warning' : 'good',
      };
    case 'failed':
      return {
        text:
          order.outcome === 'could_not_confirm'
            ? `Not confirmed: ${failureText(order, audience)}`
            : `Not placed: ${failureText(order, audience)} Nothing was ordered.`,
        style: 'attention',
      };
    case 'rejected':
      return {
        text: `Rejected by ${order.decidedBy ? plainText(order.decidedBy.name) : 'an approver'}${order.note ? `: ${plainText(order.note)}` : '.'}`,
        style: 'attention',
      };
    case 'cancelled':
      return {
        text: `Cancelled by ${plainText(order.decidedBy?.name ?? order.requester.name)}. Nothing was ordered.`,
        style: 'default',
      };
    case 'expired':
      return order.outcome === 'quantity_changed'
        ? {
            text: `Expired: the subscription's quantity changed${order.note ? ` to ${formatNumber(Number(order.note), audience)}` : ''} since this order was made. Nothing was ordered.`,
            style: 'default',
          }
        : { text: 'Expired: nobody decided in time. Nothing was ordered.', style: 'default' };
  }
}

/** What a completed order did, including whether a scheduled reduction Microsoft deleted came back. */
export function completedText(order: Order, audience: Audience): string {
  const n = (value: number) => formatNumber(value, audience);
  const renewal = order.renewalDate ? ` on ${formatDate(order.renewalDate, audience)}` : '';
  if (order.timing === 'cancel_scheduled')
    return `Completed: the scheduled change was cancelled; ${order.product} renews with ${n(order.targetQuantity)} seats.`;
  if (order.timing === 'at_renewal')
    return `Completed: scheduled, ${order.product} goes from ${n(order.expectedQuantity)} to ${n(order.targetQuantity)} seats at renewal${renewal}.`;
  const done = `Completed: ${order.product} now has ${n(order.targetQuantity)} seats.`;
  if (order.outcome === 'scheduled_restored')
    return `${done} The reduction scheduled for the renewal (to ${n(order.scheduledBefore ?? 0)} seats) was scheduled again.`;
  if (order.outcome === 'scheduled_not_restored')
    return `${done} The reduction scheduled for the renewal (to ${n(order.scheduledBefore ?? 0)} seats) could not be scheduled again: ${order.note ?? 'no reason given'}`.replace(
      /\.?$/,
      '.',
    );
  return done;
}

/** Why a submission failed, in words the requester can act on. */
export function failureText(order: Order, audience: Audience): string {
  switch (order.outcome) {
    case 'quantity_changed':
      return `the subscription's quantity changed${order.note ? ` to ${formatNumber(Number(order.note), audience)}` : ''} before the order was placed; order again if you still need the change.`;
    case 'permission_lost':
      return `${plainText(order.requester.name)} no longer holds the Licenses Manager permission on ${order.billingProfileName}.`;
    case 'provider_rejected':
      return `Microsoft refused the change: ${order.note ?? 'no reason given'}`.replace(/\.?$/, '.');
    case 'provider_unavailable':
      return 'Microsoft could not be reached after several attempts; try again later.';
    case 'subscription_gone':
      return `${order.product} no longer exists at the provider.`;
    case 'subscription_suspended':
      return `${order.product} is suspended, so its seats cannot be changed; ask your Microsoft 365 administrator to reactivate it, then order again.`;
    case 'decrease_not_allowed':
      return order.timing === 'at_renewal'
        ? `${order.product} no longer allows removing seats at renewal (auto-renew may be off, or the renewal date passed).`
        : `the plan of ${order.product} no longer allows removing seats now.`;
    case 'window_closed':
      return `the 7-day cancellation window of these seats closed before the order was placed; order again to remove them at renewal.`;
    case 'scheduled_changed':
      return `the change scheduled for the renewal of ${order.product} changed before the order was placed; order again to see what is scheduled now.`;
    case 'below_in_use':
      return `${order.product} has ${order.note ? formatNumber(Number(order.note), audience) : 'more'} seats in use now, so it cannot go down to ${formatNumber(order.targetQuantity, audience)}; order again for fewer seats.`;
    case 'above_order_maximum':
      return `one order may change at most ${order.note ? formatNumber(Number(order.note), audience) : 'fewer'} seats now; order again in smaller steps.`;
    case 'rules_changed':
      return 'the rules for this subscription no longer allow the change; order again to see what is possible.';
    case 'submission_failed':
      return `License Desk could not place it after several attempts, and Microsoft confirmed nothing was applied; try again later, or tell your administrator (order ${orderNumberText(order)}).`;
    case 'could_not_confirm':
      return `the answer from Microsoft was lost, and whether the change was applied could not be confirmed. An administrator must check ${order.product} at Microsoft before anyone orders again (order ${orderNumberText(order)}).`;
    default:
      return 'the order could not be placed.';
  }
}

function decisionLine(order: Order): string | null {
  if (order.state === 'pending_approval') return approvalProgressText(order);
  if (!order.decidedAt || !order.decidedBy || order.state === 'expired') return null;
  const verb =
    order.state === 'rejected' ? 'Rejected' : order.state === 'cancelled' ? 'Cancelled' : 'Approved';
  // An order that needed two approvers names both.
  const by =
    verb === 'Approved' && order.approvals.length > 1
      ? order.approvals.map((a) => plainText(a.name)).join(' and ')
      : plainText(order.decidedBy.name);
  return `${verb} by ${by} on ${cardTime(order.decidedAt)}`;
}

/**
 * Why a confirmation was made again when Approve was tapped: the quantity changed, the change scheduled for the
 * renewal changed, or the cancellation window closed between the card and the tap (the fresh card says what is
 * possible now).
 */
export function requotedText(
  previous: Order,
  fresh: { ok: true; value: Order } | { ok: false },
  audience: Audience,
): string {
  const n = (value: number) => formatNumber(value, audience);
  const now = fresh.ok ? fresh.value : undefined;
  if (
    now &&
    now.expectedQuantity === previous.expectedQuantity &&
    previous.timing === 'now' &&
    now.timing === 'at_renewal'
  )
    return `The 7-day window for removing these seats from ${previous.product} now closed since this card was made: they can be removed at renewal${now.renewalDate ? ` on ${formatDate(now.renewalDate, audience)}` : ''} instead.`;
  if (!now && previous.timing === 'now' && previous.kind === 'decrease')
    return `What can be removed from ${previous.product} changed since this card was made.`;
  if (now && now.scheduledBefore !== previous.scheduledBefore)
    return `The change scheduled for the renewal of ${previous.product} changed since this card was made.`;
  return `The quantity of ${previous.product} changed since this card was made (now ${now ? n(now.timing === 'cancel_scheduled' ? now.targetQuantity : now.expectedQuantity) : 'different'}).`;
}
