import { orderCard, type CardStyle, type Fact, type OrderCardData } from '../../../cards/orderCard';
import type { AdaptiveCardJson } from '../../../cards/adaptiveCard';
import type { Person } from '../../domain/access';
import { absolute, formatMoneyChange, times, type Money } from '../../domain/money';
import {
  isFinal,
  monthlyChange,
  newMonthlyCost,
  orderNumberText,
  seatDelta,
  type Order,
} from '../../domain/order';
import { NOTHING_TO_REDUCE } from '../../services/orderSubmission';
import { approvalProgressText } from './approvalText';
import {
  andList,
  cardTime,
  formatNumber,
  moneyText,
  orList,
  plainText,
  renewalOn,
  wordsFor,
  type Audience,
} from './format';

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
  const words = wordsFor(audience);
  const { t } = words;
  const delta = seatDelta(order);
  const values = {
    count: Math.abs(delta),
    product: order.product,
    confirm: order.state === 'draft' && viewer !== 'approver' && viewer !== 'other' ? 'yes' : 'no',
    ...renewalOn(order.renewalDate, audience),
  };
  const title =
    order.timing === 'cancel_scheduled'
      ? t('cards.orderTitleCancelScheduled', values)
      : order.kind === 'increase'
        ? t('cards.orderTitleAdd', values)
        : order.timing === 'at_renewal'
          ? t('cards.orderTitleRemoveAtRenewal', values)
          : t('cards.orderTitleRemoveNow', values);
  const status = statusLine(order, options);
  return {
    lang: words.lang,
    labels: {
      refresh: t('cards.refresh'),
      approve: t('cards.approve'),
      reject: t('cards.reject'),
      rejectReason: t('cards.rejectReason'),
      rejectReasonHint: t('cards.rejectReasonHint'),
      rejectReasonMissing: t('cards.rejectReasonMissing'),
      rejectOrder: t('cards.rejectOrder'),
      reassign: t('cards.reassign'),
      reassignTo: t('cards.reassignTo'),
      reassignToHint: t('cards.reassignToHint'),
      reassignToMissing: t('cards.reassignToMissing'),
      reassignOrder: t('cards.reassignOrder'),
    },
    orderId: order.id,
    title,
    subtitle: t('cards.orderSubtitle', {
      number: orderNumberText(order),
      requester: plainText(order.requester.name),
    }),
    status: options.alert ?? status,
    facts: facts(order, audience),
    note: billingNote(order, audience),
    decision: decisionLine(order, audience),
    actions: actionsFor(order, viewer, audience),
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

function actionsFor(order: Order, viewer: ViewerRole, audience: Audience): OrderCardData['actions'] {
  const { t } = wordsFor(audience);
  const requesterActs = viewer === 'requester' || viewer === 'shared';
  const approverActs = viewer === 'approver' || viewer === 'shared';
  const draft = order.state === 'draft';
  const pending = order.state === 'pending_approval';
  return {
    approve: (draft && requesterActs) || (pending && approverActs),
    reject: pending && approverActs,
    cancel: (draft || pending) && requesterActs,
    cancelTitle: draft ? t('cards.cancel') : t('cards.cancelOrder'),
  };
}

function facts(order: Order, audience: Audience): Fact[] {
  const { t } = wordsFor(audience);
  const n = (value: number) => formatNumber(value, audience);
  const money = (amount: Money) => moneyText(amount, audience);
  const delta = seatDelta(order);
  const before = times(order.pricePerSeat, order.expectedQuantity);
  const renewal = renewalOn(order.renewalDate, audience);
  const cost = t('cards.factCostValue', {
    before: money(before),
    after: money(newMonthlyCost(order)),
    change: formatMoneyChange(monthlyChange(order), wordsFor(audience).locale),
  });
  const common: Fact[] = [
    { title: t('cards.factProduct'), value: order.product },
    { title: t('cards.factDomain'), value: order.domain },
    { title: t('cards.factBillingProfile'), value: order.billingProfileName },
    { title: t('cards.factPlan'), value: order.plan },
  ];
  const pricePerSeat = {
    title: t('cards.factPricePerSeat'),
    value: t('cards.perMonth', { amount: money(order.pricePerSeat) }),
  };
  if (order.timing !== 'now') {
    const cancel = order.timing === 'cancel_scheduled';
    const current = cancel ? order.targetQuantity : order.expectedQuantity;
    const scheduled: Fact[] =
      order.scheduledBefore !== null
        ? [
            {
              title: cancel ? t('cards.factScheduledNow') : t('cards.factReplaces'),
              value: t('cards.factScheduledValue', {
                from: n(current),
                to: n(order.scheduledBefore),
                ...renewal,
              }),
            },
          ]
        : [];
    return [
      ...common,
      {
        title: t('cards.factWhen'),
        value: cancel
          ? t('cards.factWhenCancelScheduled', { ...renewal, count: order.targetQuantity })
          : t('cards.factWhenAtRenewal', renewal),
      },
      ...scheduled,
      {
        title: t('cards.factSeatsAtRenewal'),
        value: cancel
          ? t('cards.factSeatsUnchanged', { seats: n(order.targetQuantity) })
          : t('cards.factSeatsChange', {
              from: n(order.expectedQuantity),
              to: n(order.targetQuantity),
              change: `−${n(Math.abs(delta))}`,
            }),
      },
      pricePerSeat,
      { title: t('cards.factCostAfterRenewal'), value: cost },
    ];
  }
  return [
    ...common,
    {
      title: t('cards.factSeats'),
      value: t('cards.factSeatsChange', {
        from: n(order.expectedQuantity),
        to: n(order.targetQuantity),
        change: `${delta > 0 ? '+' : '−'}${n(Math.abs(delta))}`,
      }),
    },
    pricePerSeat,
    { title: t('cards.factCost'), value: cost },
  ];
}

/** Every card says what happens to the bill, with the amount (the monthly payment rises, or the credit). */
function billingNote(order: Order, audience: Audience): string {
  const { t } = wordsFor(audience);
  const change = moneyText(absolute(monthlyChange(order)), audience);
  const renewal = renewalOn(order.renewalDate, audience);
  if (order.timing === 'cancel_scheduled')
    return t('cards.noteCancelScheduled', { count: order.targetQuantity, change, ...renewal });
  if (order.timing === 'at_renewal')
    return (
      t('cards.noteAtRenewal', { change, ...renewal }) +
      (order.scheduledBefore !== null
        ? ` ${t('cards.noteReplacesScheduled', { count: order.scheduledBefore })}`
        : '')
    );
  const deletes =
    order.scheduledBefore !== null
      ? ` ${t('cards.noteScheduledDeleted', { count: order.scheduledBefore })}`
      : '';
  if (order.kind === 'increase') return `${t('cards.noteIncrease', { change })}${deletes}`;
  return `${t('cards.noteCredit', { change })}${deletes}`;
}

function statusLine(order: Order, options: OrderCardOptions): OrderCardData['status'] {
  const { viewer, audience } = options;
  const { t } = wordsFor(audience);
  const waitingFor = options.approverNames?.length
    ? orList(options.approverNames, audience)
    : t('cards.anApprover');
  const requester = plainText(order.requester.name);
  switch (order.state) {
    case 'draft':
      if (viewer === 'approver' || viewer === 'other') {
        return { text: t('cards.statusWaitingForConfirmation', { requester }), style: 'default' };
      }
      return order.needsApprover
        ? { text: t('cards.statusDraftNeedsApprover'), style: 'accent' }
        : { text: t('cards.statusDraft'), style: 'accent' };
    case 'pending_approval':
      if (viewer === 'approver') return { text: t('cards.statusAsksYou', { requester }), style: 'warning' };
      if (viewer === 'shared')
        return { text: t('cards.statusWaitingShared', { approvers: waitingFor }), style: 'warning' };
      return { text: t('cards.statusWaiting', { approvers: waitingFor }), style: 'warning' };
    case 'approved':
    case 'submitting':
      return { text: t('cards.statusPlacing'), style: 'accent' };
    case 'completed':
      return {
        text: completedText(order, audience),
        style: order.outcome === 'scheduled_not_restored' ? 'warning' : 'good',
      };
    case 'failed':
      return {
        text:
          order.outcome === 'could_not_confirm'
            ? t('cards.statusNotConfirmed', { reason: failureText(order, audience) })
            : t('cards.statusNotPlaced', { reason: failureText(order, audience) }),
        style: 'attention',
      };
    case 'rejected':
      return {
        text: order.note
          ? t('cards.statusRejectedBecause', {
              by: order.decidedBy ? plainText(order.decidedBy.name) : t('cards.anApprover'),
              reason: plainText(order.note),
            })
          : t('cards.statusRejected', {
              by: order.decidedBy ? plainText(order.decidedBy.name) : t('cards.anApprover'),
            }),
        style: 'attention',
      };
    case 'cancelled':
      return {
        text: t('cards.statusCancelled', { by: plainText(order.decidedBy?.name ?? order.requester.name) }),
        style: 'default',
      };
    case 'expired':
      return order.outcome === 'quantity_changed'
        ? {
            text: order.note
              ? t('cards.statusExpiredQuantityTo', { quantity: formatNumber(Number(order.note), audience) })
              : t('cards.statusExpiredQuantity'),
            style: 'default',
          }
        : { text: t('cards.statusExpired'), style: 'default' };
  }
}

/** What a completed order did, including whether a scheduled reduction Microsoft deleted came back. */
export function completedText(order: Order, audience: Audience): string {
  const { t } = wordsFor(audience);
  const n = (value: number) => formatNumber(value, audience);
  const renewal = renewalOn(order.renewalDate, audience);
  const product = order.product;
  if (order.timing === 'cancel_scheduled')
    return t('cards.completedCancelScheduled', { product, count: order.targetQuantity });
  if (order.timing === 'at_renewal')
    return t('cards.completedAtRenewal', {
      product,
      from: n(order.expectedQuantity),
      count: order.targetQuantity,
      ...renewal,
    });
  const done = t('cards.completedNow', { product, count: order.targetQuantity });
  const scheduled = order.scheduledBefore ?? 0;
  if (order.outcome === 'scheduled_restored')
    return `${done} ${t('cards.completedScheduledRestored', { count: scheduled })}`;
  if (order.outcome === 'scheduled_not_restored')
    return `${done} ${t('cards.completedScheduledNotRestored', {
      count: scheduled,
      reason: notRestoredReason(order, audience),
    })}`;
  return done;
}

/** Why the scheduled reduction did not come back: nothing left to reduce (a code), or Microsoft's words. */
function notRestoredReason(order: Order, audience: Audience): string {
  const { t } = wordsFor(audience);
  if (order.note?.startsWith(NOTHING_TO_REDUCE))
    return t('cards.nothingToReduce', {
      quantity: formatNumber(Number(order.note.slice(NOTHING_TO_REDUCE.length)), audience),
      scheduled: formatNumber(order.scheduledBefore ?? 0, audience),
    });
  return (order.note ?? t('cards.noReasonGiven')).replace(/\.$/, '');
}

/** Why a submission failed, in words the requester can act on. */
export function failureText(order: Order, audience: Audience): string {
  const { t } = wordsFor(audience);
  const product = order.product;
  const number = orderNumberText(order);
  switch (order.outcome) {
    case 'quantity_changed':
      return order.note
        ? t('cards.failureQuantityChangedTo', { quantity: formatNumber(Number(order.note), audience) })
        : t('cards.failureQuantityChanged');
    case 'permission_lost':
      return t('cards.failurePermissionLost', {
        requester: plainText(order.requester.name),
        billingProfile: order.billingProfileName,
      });
    case 'provider_rejected':
      return t('cards.failureProviderRejected', {
        reason: (order.note ?? t('cards.noReasonGiven')).replace(/\.$/, ''),
      });
    case 'provider_unavailable':
      return t('cards.failureProviderUnavailable');
    case 'subscription_gone':
      return t('cards.failureSubscriptionGone', { product });
    case 'subscription_suspended':
      return t('cards.failureSubscriptionSuspended', { product });
    case 'decrease_not_allowed':
      return order.timing === 'at_renewal'
        ? t('cards.failureDecreaseNotAllowedAtRenewal', { product })
        : t('cards.failureDecreaseNotAllowedNow', { product });
    case 'window_closed':
      return t('cards.failureWindowClosed');
    case 'scheduled_changed':
      return t('cards.failureScheduledChanged', { product });
    case 'below_in_use':
      return order.note
        ? t('cards.failureBelowInUse', {
            product,
            inUse: Number(order.note),
            target: formatNumber(order.targetQuantity, audience),
          })
        : t('cards.failureBelowInUseMore', {
            product,
            target: formatNumber(order.targetQuantity, audience),
          });
    case 'above_order_maximum':
      return order.note
        ? t('cards.failureAboveMaximum', { maximum: Number(order.note) })
        : t('cards.failureAboveMaximumFewer');
    case 'rules_changed':
      return t('cards.failureRulesChanged');
    case 'submission_failed':
      return t('cards.failureSubmissionFailed', { number });
    case 'could_not_confirm':
      return t('cards.failureCouldNotConfirm', { product, number });
    default:
      return t('cards.failureUnknown');
  }
}

function decisionLine(order: Order, audience: Audience): string | null {
  if (order.state === 'pending_approval') return approvalProgressText(order, audience);
  if (!order.decidedAt || !order.decidedBy || order.state === 'expired') return null;
  // An order that needed two approvers names both.
  const by =
    order.state !== 'rejected' && order.state !== 'cancelled' && order.approvals.length > 1
      ? andList(
          order.approvals.map((a) => plainText(a.name)),
          audience,
        )
      : plainText(order.decidedBy.name);
  return wordsFor(audience).t('cards.decision', {
    decision:
      order.state === 'rejected' ? 'rejected' : order.state === 'cancelled' ? 'cancelled' : 'approved',
    by,
    at: cardTime(order.decidedAt),
  });
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
  const { t } = wordsFor(audience);
  const now = fresh.ok ? fresh.value : undefined;
  const product = previous.product;
  if (
    now &&
    now.expectedQuantity === previous.expectedQuantity &&
    previous.timing === 'now' &&
    now.timing === 'at_renewal'
  )
    return t('cards.requotedWindowClosed', { product, ...renewalOn(now.renewalDate, audience) });
  if (!now && previous.timing === 'now' && previous.kind === 'decrease')
    return t('cards.requotedRemovable', { product });
  if (now && now.scheduledBefore !== previous.scheduledBefore)
    return t('cards.requotedScheduled', { product });
  return now
    ? t('cards.requotedQuantity', {
        product,
        quantity: formatNumber(
          now.timing === 'cancel_scheduled' ? now.targetQuantity : now.expectedQuantity,
          audience,
        ),
      })
    : t('cards.requotedQuantityUnknown', { product });
}
