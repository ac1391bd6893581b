import type { Order, OrderState } from '../domain/order';
import { ORDER_MESSAGES } from '../services/orderMessages';
import type { MessageHandler } from '../services/outbox';
import type { ActivityFeed } from '../services/ports';
import { activityFeedText } from './presenters/activityFeedText';
import { DEFAULT_AUDIENCE } from './presenters/format';

/** The Licenses tab's entityId in manifest/manifest.template.json: where a notification leads. */
export const LICENSES_TAB_ENTITY_ID = 'licenses';

export interface ActivityFeedDeliveryDependencies {
  /** Reads the order as it is now: every notification is worded at delivery. */
  readonly order: (orderId: string) => Promise<Order | undefined>;
  readonly feed: ActivityFeed;
  /** The Teams app id (the manifest's `id`, which is the bot's MicrosoftAppId). */
  readonly teamsAppId: string;
  /**
   * The locale stored with the recipient's conversation reference (their personal chat, or a conversation they
   * were seen in): the notification is in their language, else in English (README: Languages).
   */
  readonly recipientLocale?: (userId: string) => Promise<string | undefined>;
}

/**
 * Delivers the outbox's activity feed notifications (README: Activity feed): no Bot Connector, a Microsoft Graph
 * call per person. An approval request for an order decided meanwhile, or an outcome with nothing to say, is not
 * sent. Graph returns nothing to record, so a worker that dies between Graph's answer and recording it sends the
 * notification again on the next attempt (at least once, like every outbox message).
 */
export function activityFeedHandlers(deps: ActivityFeedDeliveryDependencies): Record<string, MessageHandler> {
  return {
    [ORDER_MESSAGES.activityFeed]: async (message) => {
      const order = message.orderId ? await deps.order(message.orderId) : undefined;
      if (!order) return { status: 'failed', reason: 'order_not_found' };
      const activityType = String(message.payload.activityType);
      const from =
        typeof message.payload.from === 'string' ? (message.payload.from as OrderState) : undefined;
      const locale = (await deps.recipientLocale?.(message.recipient)) || DEFAULT_AUDIENCE.locale;
      const text = activityFeedText(order, activityType, from, { locale });
      if (!text) return { status: 'superseded', reason: `nothing to tell: order is ${order.state}` };
      return deps.feed.notify(message.recipient, {
        activityType,
        ...text,
        webUrl: orderDeepLink(deps.teamsAppId, order.id),
      });
    },
  };
}

/**
 * A Teams deep link to the Licenses tab, whose Approvals and Orders lists show the order, with the order's id as
 * its subEntityId (in the tab's Teams context as page.subPageId; the tab does not single the order out yet).
 * Ids only: nothing else of the order, nothing secret.
 */
export function orderDeepLink(teamsAppId: string, orderId: string): string {
  const context = encodeURIComponent(JSON.stringify({ subEntityId: `order:${orderId}` }));
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/${LICENSES_TAB_ENTITY_ID}?context=${context}`;
}
