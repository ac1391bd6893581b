import type { ApprovalRecipient } from '../domain/delegation';
import { approvalStepName } from '../domain/approvalPolicy';
import type { Actor, ApprovalStepNumber, Order, OrderState } from '../domain/order';
import {
  messagesForApprovalStep,
  messagesForPartialApproval,
  messagesForReassignment,
  messagesForTransition,
  withActivityFeed,
} from './orderMessages';
import type { OutboxMessage } from './outbox';
import type { AuditEntry, Clock, OrderRepository, SubmissionFence, TransitionChange } from './ports';

export interface OrderTransitionsDependencies {
  readonly orders: OrderRepository;
  readonly clock: Clock;
  /** How long the messages a transition causes are tried before they are marked undeliverable. */
  readonly notificationGiveUpMs: number;
  /** Called after a transition queued messages: this instance's outbox worker delivers them at once. */
  readonly messagesQueued?: () => void;
  /** Approval requests, reminders and outcomes also go to the Teams activity feed (ACTIVITY_FEED). */
  readonly activityFeed?: boolean;
}

/**
 * The one way an order changes state: one conditional write (only from the state it is in, only along the state
 * machine of bot/domain/order.ts) with its audit entry and the messages it causes, in one statement.
 */
export class OrderTransitions {
  constructor(private readonly deps: OrderTransitionsDependencies) {}

  async move(
    order: Order,
    to: OrderState,
    actor: Actor | null,
    action: string,
    change: Omit<TransitionChange, 'at'>,
    detail: Record<string, unknown> = {},
    options: {
      from?: OrderState;
      approvers?: readonly ApprovalRecipient[];
      fence?: SubmissionFence;
      approvalsRequired?: number;
      approval?: { approver: Actor & { onBehalfOf?: Actor }; approvalsBefore: number };
    } = {},
  ): Promise<Order | undefined> {
    const from = options.from ?? order.state;
    const at = this.deps.clock.now();
    const audit: AuditEntry = { orderId: order.id, actor, action, fromState: from, toState: to, at, detail };
    // The order as it will be, for deciding who is told what (its words are made when each message is sent).
    const projected: Order = {
      ...order,
      state: to,
      decidedBy: change.decidedBy ?? order.decidedBy,
      outcome: change.outcome ?? order.outcome,
    };
    const messages = this.withFeed(
      messagesForTransition(
        projected,
        from,
        { now: at, giveUpMs: this.deps.notificationGiveUpMs },
        options.approvers,
      ),
    );
    const moved = await this.deps.orders.transition(order.id, from, to, { ...change, at }, audit, {
      messages,
      ...(options.fence ? { fence: options.fence } : {}),
      ...(options.approvalsRequired ? { approvalsRequired: options.approvalsRequired } : {}),
      ...(options.approval ? { approval: options.approval } : {}),
    });
    if (moved) this.deps.messagesQueued?.();
    return moved;
  }

  /** An approval that does not complete the set: recorded with its card updates, or undefined if it lost a race. */
  async recordApproval(order: Order, approver: Actor & { onBehalfOf?: Actor }): Promise<Order | undefined> {
    const at = this.deps.clock.now();
    const moved = await this.deps.orders.recordApproval(order.id, {
      approver,
      approvalsBefore: order.approvals.length,
      at,
      messages: messagesForPartialApproval(order, { now: at, giveUpMs: this.deps.notificationGiveUpMs }),
      detail: { approvals: order.approvals.length + 1, required: order.approvalsRequired },
    });
    if (moved) this.deps.messagesQueued?.();
    return moved;
  }

  /** Takes one step of the reminder ladder, once: undefined when another instance took it first. */
  async takeApprovalStep(
    order: Order,
    step: ApprovalStepNumber,
    recipients: readonly ApprovalRecipient[],
  ): Promise<Order | undefined> {
    const at = this.deps.clock.now();
    const moved = await this.deps.orders.advanceApprovalStep(order.id, {
      fromStep: order.approvalStep,
      toStep: step,
      at,
      action: `approval_${approvalStepName(step) ?? 'step'}`,
      messages: this.withFeed(
        messagesForApprovalStep(order, step, recipients, {
          now: at,
          giveUpMs: this.deps.notificationGiveUpMs,
        }),
      ),
      detail: { step, recipients: recipients.map((r) => r.id) },
    });
    if (moved) this.deps.messagesQueued?.();
    return moved;
  }

  /**
   * Reassigns a waiting order to another approver, once: the reassignment, its audit entry and the fresh approval
   * card in one statement; undefined when the order was decided or reassigned since it was read.
   */
  async reassign(
    order: Order,
    by: Actor,
    to: Actor,
    recipient: ApprovalRecipient,
  ): Promise<Order | undefined> {
    const at = this.deps.clock.now();
    const number = order.reassignments.length + 1;
    const moved = await this.deps.orders.recordReassignment(order.id, {
      by,
      to,
      reassignmentsBefore: order.reassignments.length,
      at,
      messages: this.withFeed(
        messagesForReassignment(order, number, recipient, by, {
          now: at,
          giveUpMs: this.deps.notificationGiveUpMs,
        }),
      ),
      detail: {
        to,
        recipient: recipient.id,
        ...(recipient.onBehalfOf ? { onBehalfOf: recipient.onBehalfOf.id } : {}),
      },
    });
    if (moved) this.deps.messagesQueued?.();
    return moved;
  }

  private withFeed(messages: OutboxMessage[]): OutboxMessage[] {
    return this.deps.activityFeed ? withActivityFeed(messages) : messages;
  }
}
