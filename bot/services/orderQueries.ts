import type { Person } from '../domain/access';
import { approverRefusal, eligibleApprovers } from '../domain/approvalPolicy';
import { principalsFor } from '../domain/delegation';
import type { ApprovalDelegations } from './approvalDelegations';
import type { Order } from '../domain/order';
import { ORDER_MESSAGES } from './orderMessages';
import type { OutboxStore, RecipientKind } from './outbox';
import type { AccessDirectory, OrderRepository } from './ports';

/** A message about an order that could not be delivered in time, as people are shown it. */
export interface UndeliveredNotice {
  readonly kind: string;
  readonly recipientKind: RecipientKind;
  /** The person it was for, when it was for a person the directory knows. */
  readonly recipientName: string | null;
}

export interface OrderQueriesDependencies {
  readonly orders: OrderRepository;
  readonly directory: AccessDirectory;
  readonly outbox: Pick<OutboxStore, 'undeliverable'>;
  readonly delegations?: Pick<ApprovalDelegations, 'active' | 'today'>;
}

/** Reading orders: one order for one person, their recent orders, what waits for their approval. */
export class OrderQueries {
  constructor(private readonly deps: OrderQueriesDependencies) {}

  async get(orderId: string): Promise<Order | undefined> {
    return this.deps.orders.get(orderId);
  }

  /** The order, if it belongs to the actor's tenant: an order of another tenant does not exist for them. */
  async orderFor(actor: { tenantId: string | null }, orderId: string): Promise<Order | undefined> {
    const order = await this.deps.orders.get(orderId);
    if (!order) return undefined;
    return order.tenantId === null || order.tenantId === actor.tenantId ? order : undefined;
  }

  /** The requester's orders, newest first, one page at a time. */
  async listRecent(
    requesterId: string,
    page: number,
    pageSize: number,
  ): Promise<{ orders: Order[]; total: number }> {
    const offset = (Math.max(1, page) - 1) * pageSize;
    const [orders, total] = await Promise.all([
      this.deps.orders.listByRequester(requesterId, pageSize, offset),
      this.deps.orders.countByRequester(requesterId),
    ]);
    return { orders, total };
  }

  /**
   * Orders waiting for this person's approval: their billing profiles (as Access Admin once an order was
   * escalated), not their own orders, not those they already approved.
   */
  async awaitingApprovalBy(userId: string, limit = 20): Promise<Order[]> {
    const { directory, delegations } = this.deps;
    const user = directory.user(userId);
    if (!user) return [];
    const active = delegations ? await delegations.active() : [];
    const today = delegations?.today() ?? '';
    // A delegate also sees the orders of the approvers away who named them, on profiles where they hold a role.
    const profiles = user.assignments
      .filter(
        (a) =>
          a.roles.includes('Approver') ||
          a.roles.includes('AccessAdmin') ||
          active.some((d) => d.delegate.id === userId),
      )
      .map((a) => a.billingProfileId);
    const waiting = await this.deps.orders.listAwaitingApproval(profiles, 4 * limit + 1);
    return waiting
      .filter(
        (order) =>
          approverRefusal(
            user,
            userId,
            order,
            principalsFor(user, order, active, directory.users(), today),
          ) === undefined,
      )
      .slice(0, limit);
  }

  /** The people who may approve this order now. */
  approversFor(order: Order): Person[] {
    return eligibleApprovers(this.deps.directory.users(), order).map(({ id, name, email }) =>
      email ? { id, name, email } : { id, name },
    );
  }

  /** Messages about these orders that could not be delivered, by order id: shown, never silently dropped. */
  async undelivered(orders: readonly Order[]): Promise<Map<string, UndeliveredNotice[]>> {
    const byOrder = new Map<string, UndeliveredNotice[]>();
    const rows = await this.deps.outbox.undeliverable(orders.map((o) => o.id));
    for (const row of rows) {
      // An activity feed notification only repeats a chat message (README: Activity feed): the log has it.
      if (row.kind === ORDER_MESSAGES.activityFeed) continue;
      const notices = byOrder.get(row.orderId) ?? [];
      notices.push({
        kind: row.kind,
        recipientKind: row.recipientKind,
        recipientName:
          row.recipientKind === 'person' ? (this.deps.directory.user(row.recipient)?.name ?? null) : null,
      });
      byOrder.set(row.orderId, notices);
    }
    return byOrder;
  }
}
