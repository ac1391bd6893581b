import type { Order } from '../domain/order';
import { whyMayView, type OrderViewerGround } from '../domain/orderVisibility';
import type { Requester } from './orderService';
import type { AccessDirectory } from './ports';

/**
 * Whether the viewer asks from a conversation a copy of this order's card was posted to. Only Teams can tell
 * (the tab has no conversation): the Teams layer answers from the card copies it recorded.
 */
export type PostedWhereAsked = (order: Order) => Promise<boolean>;

const NOWHERE: PostedWhereAsked = async () => false;

/**
 * Showing an order to someone: the bot's card refresh and the tab's API ask here, so both follow the one rule of
 * bot/domain/orderVisibility.ts.
 */
export class OrderVisibility {
  constructor(
    private readonly orders: { orderFor(actor: Requester, orderId: string): Promise<Order | undefined> },
    private readonly directory: AccessDirectory,
  ) {}

  /** The order, if it exists in the viewer's tenant and they may see it; otherwise undefined, either way. */
  async visibleOrder(
    viewer: Requester,
    orderId: string,
    postedWhereAsked: PostedWhereAsked = NOWHERE,
  ): Promise<Order | undefined> {
    const order = await this.orders.orderFor(viewer, orderId);
    return order && (await this.ground(viewer, order, postedWhereAsked)) ? order : undefined;
  }

  /** Why this viewer may see this order, or undefined. */
  async ground(
    viewer: Pick<Requester, 'id'>,
    order: Order,
    postedWhereAsked: PostedWhereAsked = NOWHERE,
  ): Promise<OrderViewerGround | undefined> {
    const access = this.directory.user(viewer.id);
    const profile = this.directory.billingProfile(order.billingProfileId);
    // The conversation is looked up only when nothing else lets the viewer see the order.
    return (
      whyMayView(order, { id: viewer.id, access, inConversationWithCard: false }, profile) ??
      ((await postedWhereAsked(order))
        ? whyMayView(order, { id: viewer.id, access, inConversationWithCard: true }, profile)
        : undefined)
    );
  }
}
