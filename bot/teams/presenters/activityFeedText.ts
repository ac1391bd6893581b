import { orderNumberText, seatDelta, type Order, type OrderState } from '../../domain/order';
import { ACTIVITY_TYPES } from '../../services/orderMessages';
import { formatNumber, formatTime, wordsFor, type Audience } from './format';
import { outcomeText } from './outcomeText';

/** The words of one activity feed notification (README: Activity feed); the link is added by its sender. */
export interface ActivityFeedText {
  readonly topic: string;
  readonly previewText: string;
  /** The values of the {parameters} in the activity type's templateText (manifest/manifest.template.json). */
  readonly templateParameters: Readonly<Record<string, string>>;
}

/** Teams shows the first 150 characters of a preview. */
const PREVIEW_MAX = 150;

/**
 * What an activity feed notification says about an order, made when it is delivered from the order as it is
 * then. Undefined when there is nothing to say any more: an approval request for an order decided meanwhile,
 * an outcome the requester's own card already told them. The feed shows plain text: no markdown, no escapes.
 * In the recipient's language (the feed catalogue, bot/i18n/messages/<language>/feed.json).
 */
export function activityFeedText(
  order: Order,
  activityType: string,
  previous: OrderState | undefined,
  audience: Audience,
): ActivityFeedText | undefined {
  const { t } = wordsFor(audience);
  const number = orderNumberText(order);
  const orderText = t('feed.order', { number, product: feedText(order.product) });
  const requester = feedText(order.requester.name);
  const topic = t('feed.topic', { number });
  if (activityType === ACTIVITY_TYPES.orderOutcome) {
    const said = previous ? outcomeText(order, previous, audience) : undefined;
    if (said === undefined) return undefined;
    return {
      topic,
      previewText: preview(said),
      templateParameters: { order: orderText, outcome: outcomeWord(order, audience) },
    };
  }
  if (order.state !== 'pending_approval') return undefined;
  const delta = seatDelta(order);
  const values = {
    product: order.product,
    seats: t('feed.seats', {
      from: formatNumber(order.expectedQuantity, audience),
      to: formatNumber(order.targetQuantity, audience),
      change: `${delta > 0 ? '+' : ''}${formatNumber(delta, audience)}`,
    }),
  };
  const expires = formatTime(order.expiresAt, audience);
  const parameters = { order: orderText, requester };
  switch (activityType) {
    case ACTIVITY_TYPES.approvalRequested:
      return {
        topic,
        previewText: preview(t('feed.approvalRequested', values)),
        templateParameters: parameters,
      };
    case ACTIVITY_TYPES.approvalReminder:
      return {
        topic,
        previewText: preview(t('feed.approvalReminder', { ...values, expires })),
        templateParameters: parameters,
      };
    case ACTIVITY_TYPES.approvalEscalated:
      return {
        topic,
        previewText: preview(
          t('feed.approvalEscalated', { ...values, billingProfile: order.billingProfileName }),
        ),
        templateParameters: parameters,
      };
    case ACTIVITY_TYPES.approvalLastCall:
      return {
        topic,
        previewText: preview(t('feed.approvalLastCall', values)),
        templateParameters: { ...parameters, expires },
      };
    default:
      return undefined;
  }
}

/** How the order ended, in the few words the orderOutcome template takes. */
function outcomeWord(order: Order, audience: Audience): string {
  const { t } = wordsFor(audience);
  switch (order.state) {
    case 'completed':
      return t('feed.outcome', { outcome: 'completed' });
    case 'failed':
      return t('feed.outcome', {
        outcome: order.outcome === 'could_not_confirm' ? 'not_confirmed' : 'not_placed',
      });
    case 'rejected':
      return order.decidedBy
        ? t('feed.rejectedBy', { by: feedText(order.decidedBy.name) })
        : t('feed.outcome', { outcome: 'rejected' });
    case 'expired':
      return t('feed.outcome', { outcome: order.outcome === 'quantity_changed' ? 'not_placed' : 'expired' });
    default:
      return order.state;
  }
}

/** A chat sentence as plain text: without markdown emphasis or the escapes of text people typed. */
function preview(text: string): string {
  const plain = feedText(text.replace(/\*\*/g, '').replace(/\\(.)/g, '$1'));
  return plain.length > PREVIEW_MAX ? `${plain.slice(0, PREVIEW_MAX - 1)}…` : plain;
}

/** Text from people (names, products) on one line, without control or bidirectional characters. */
function feedText(text: string): string {
  return text
    .replace(/[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
