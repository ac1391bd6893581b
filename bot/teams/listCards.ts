import type { TurnContext } from 'botbuilder';
import type { LicenseRequest } from '../domain/licenseRequest';
import type { Order } from '../domain/order';
import type { LicenseRequests } from '../services/licenseRequests';
import type { LicenseService } from '../services/licenseService';
import type { OrderService } from '../services/orderService';
import { audienceOf, requesterOf } from './identity';
import { cardActivity, type OrderCards } from './orderCards';
import { licensesCardFor } from './presenters/licensesCardPresenter';
import { ORDERS_PAGE_SIZE, ordersCardFor } from './presenters/ordersCardPresenter';
import { refusalText } from './presenters/refusalText';
import { replies } from './presenters/replies';
import { requestListText } from './presenters/requestPresenter';

/**
 * The `licenses` and `orders` cards, their pages, opening one order's card from the list, and the licenses card's
 * "Cancel scheduled change".
 */
export class ListCards {
  constructor(
    private readonly licenses: LicenseService,
    private readonly orders: OrderService,
    private readonly cards: OrderCards,
    /** License requests the person made: the `orders` list shows them too. */
    private readonly requests?: LicenseRequests,
  ) {}

  async sendLicenses(context: TurnContext, page = 1): Promise<void> {
    const requester = requesterOf(context);
    if (!requester) return;
    const audience = audienceOf(context);
    const listed = await this.licenses.listManageable(requester.id);
    if (!listed.ok) {
      await context.sendActivity(refusalText(listed.refusal, audience));
      return;
    }
    await context.sendActivity(
      cardActivity(licensesCardFor(listed.value, page, audience, this.licenses.now())),
    );
  }

  /** "Cancel scheduled change" on the licenses card: an order like any other, its confirmation card next. */
  async cancelScheduled(context: TurnContext, subscriptionId: string): Promise<void> {
    const requester = requesterOf(context);
    if (!requester) return;
    const audience = audienceOf(context);
    const order = await this.orders.requestCancelScheduled(requester, subscriptionId);
    if (!order.ok) {
      await context.sendActivity(refusalText(order.refusal, audience));
      return;
    }
    await this.cards.send(context, order.value, this.cards.audienceHere(context, 'requester'), audience);
  }

  async sendOrders(context: TurnContext, page = 1): Promise<void> {
    const requester = requesterOf(context);
    if (!requester) return;
    const current = Math.max(1, page);
    const [{ orders, total }, awaitingYou, requests] = await Promise.all([
      this.orders.listRecent(requester.id, current, ORDERS_PAGE_SIZE),
      current === 1 ? this.orders.awaitingApprovalBy(requester.id) : Promise.resolve([]),
      current === 1 && this.requests ? this.requests.listFor(requester.id) : Promise.resolve([]),
    ]);
    const requestOrders = await this.ordersOf(requests);
    if (total === 0 && awaitingYou.length === 0) {
      await context.sendActivity(
        requests.length > 0
          ? requestListText(requests, audienceOf(context), requestOrders)
          : replies.noOrdersIn(audienceOf(context)),
      );
      return;
    }
    if (requests.length > 0)
      await context.sendActivity(requestListText(requests, audienceOf(context), requestOrders));
    const undelivered = await this.orders.undelivered(orders);
    await context.sendActivity(
      cardActivity(
        ordersCardFor({ orders, total, page: current, awaitingYou, undelivered }, audienceOf(context)),
      ),
    );
  }

  /** The order made from each ordered request (that records the request), by request id. */
  private async ordersOf(requests: readonly LicenseRequest[]): Promise<Map<string, Order>> {
    const found = await Promise.all(
      requests.map(async (r) => {
        if (r.state !== 'ordered' || !r.orderId) return undefined;
        const order = await this.orders.get(r.orderId);
        return order?.licenseRequest?.id === r.id ? ([r.id, order] as const) : undefined;
      }),
    );
    return new Map(found.filter((entry) => entry !== undefined));
  }

  /** An order's own card, here, for its requester or one of its approvers; nobody else learns it exists. */
  async openOrder(context: TurnContext, orderId: string): Promise<void> {
    const requester = requesterOf(context);
    if (!requester) return;
    const audience = audienceOf(context);
    const order = await this.orders.orderFor(requester, orderId);
    const viewer = order ? await this.cards.viewerRole(requester.id, order) : 'other';
    if (!order || viewer === 'other') {
      await context.sendActivity(refusalText({ code: 'order_not_found' }, audience));
      return;
    }
    const personal = viewer === 'requester' ? 'requester' : 'approver';
    await this.cards.send(context, order, this.cards.audienceHere(context, personal), audience);
  }
}
