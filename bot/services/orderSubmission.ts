import type { Order, OrderOutcomeCode } from '../domain/order';
import { submissionBlock } from '../domain/submissionCheck';
import { backoffMs } from './backoff';
import type { OrderTransitions } from './orderTransitions';
import {
  ProviderUnavailableError,
  type AccessDirectory,
  type ChangeRecord,
  type Clock,
  type LicenseProvider,
  type Log,
  type OrderRepository,
  type QuantityChange,
  type SubmissionFence,
} from './ports';

export interface OrderSubmissionSettings {
  readonly maxSeatsPerOrder: number;
  /** How long a claim holds a submission; renewed every third of it while the provider works. */
  readonly submissionLeaseMs: number;
  /** Attempts before the order fails (every error counts: the provider's and our own). */
  readonly maxSubmissionAttempts: number;
  /** The bound of the first retry's wait; it doubles per attempt (with jitter), up to 32 times. */
  readonly retryDelayMs: number;
  /** Names this process in submission leases. */
  readonly instanceId: string;
}

export interface OrderSubmissionDependencies {
  readonly orders: OrderRepository;
  readonly transitions: OrderTransitions;
  readonly provider: LicenseProvider;
  readonly directory: AccessDirectory;
  readonly clock: Clock;
  readonly log: Log;
  readonly settings: OrderSubmissionSettings;
  /** Returns a number in [0, 1): the jitter of retries. */
  readonly random?: () => number;
}

/** How a submission ends. */
interface Final {
  readonly to: 'completed' | 'failed';
  readonly outcome?: OrderOutcomeCode;
  readonly note?: string;
  readonly detail?: Record<string, unknown>;
}

/** How one attempt ended: the order's final state, or a retry. */
type Verdict = Final | { readonly retry: unknown };

/**
 * Submitting approved orders to the provider, exactly once. Safe to call from any instance, any number of
 * times: only the caller that claims the order works on it, and its claim is fenced (README: Reliability):
 * the lease is renewed while the provider works, and every later write names the claim's owner and token, so an
 * instance that lost its lease (paused, cut off) changes nothing when it wakes; its late answer is refused and
 * audited. The provider sees the order's idempotency key on every attempt; after a lost answer the outcome comes
 * from the provider's own record of that key, never from a matching quantity.
 */
export class OrderSubmission {
  private readonly random: () => number;

  constructor(private readonly deps: OrderSubmissionDependencies) {
    this.random = deps.random ?? Math.random;
  }

  async submit(orderId: string): Promise<void> {
    const { orders, clock, settings } = this.deps;
    const now = clock.now();
    const claim = await orders.claimSubmission(
      orderId,
      settings.instanceId,
      new Date(now.getTime() + settings.submissionLeaseMs),
      now,
    );
    if (!claim) return;
    const { order, attempt, fence } = claim;
    this.deps.log.info({ orderId, attempt, fence: fence.token }, 'submission claimed');
    const stopRenewing = this.keepLease(order.id, fence);
    let verdict: Verdict;
    try {
      verdict = await this.attempt(order, attempt);
    } catch (error) {
      verdict = { retry: error };
    } finally {
      stopRenewing();
    }
    if ('retry' in verdict) await this.afterFailedAttempt(order, attempt, fence, verdict.retry);
    else await this.finish(order, fence, verdict);
  }

  /**
   * Submits every order left approved or mid-submission (after a crash, or retries that are due). One order that
   * throws is logged and skipped: it never stops the others.
   */
  async resumeSubmissions(limit = 50): Promise<number> {
    const { orders, clock, settings, log } = this.deps;
    const ids = await orders.listSubmittable(clock.now(), limit, settings.instanceId);
    for (const id of ids) {
      try {
        await this.submit(id);
      } catch (error) {
        log.error({ err: error, orderId: id }, 'submission failed unexpectedly');
      }
    }
    return ids.length;
  }

  private async attempt(order: Order, attempt: number): Promise<Verdict> {
    const { provider } = this.deps;
    const change = changeOf(order);
    if (attempt > 1) {
      // An earlier attempt's answer was lost (a crash, a timeout, an outage): ask the provider what became of it.
      const record = await provider.lookUpChange(change);
      if (record.status === 'applied')
        return this.afterApplied(order, record.quantity, attempt, 'provider_record');
      if (record.status === 'unknown')
        return { to: 'failed', outcome: 'could_not_confirm', note: record.detail, detail: { attempt } };
    }
    const block = submissionBlock(order, {
      requester: this.deps.directory.user(order.requester.id),
      billingProfile: this.deps.directory.billingProfile(order.billingProfileId),
      subscription: await provider.getSubscription(order.subscriptionId),
      maxSeatsPerOrder: this.deps.settings.maxSeatsPerOrder,
      at: this.deps.clock.now(),
    });
    if (block)
      return { to: 'failed', outcome: block.outcome, note: block.note, detail: { checked: 'rules' } };

    const result = await provider.changeQuantity(change);
    switch (result.status) {
      case 'applied':
        return this.afterApplied(order, result.quantity, attempt);
      case 'conflict':
        return {
          to: 'failed',
          outcome: 'quantity_changed',
          note: String(result.actualQuantity),
          detail: { actualQuantity: result.actualQuantity },
        };
      case 'scheduled_conflict':
        return {
          to: 'failed',
          outcome: 'scheduled_changed',
          detail: { actualScheduled: result.actualScheduled },
        };
      case 'rejected':
        return { to: 'failed', outcome: 'provider_rejected', note: result.reason };
    }
  }

  /**
   * The change is in effect. A change now on a subscription that had a reduction scheduled for the renewal made
   * Microsoft delete it: schedule it again, under the order's own second key (restoreKey), so this step too
   * happens once however often the attempt is repeated (a later attempt asks the provider's record of that key
   * first). A refusal is the outcome's note: the order completed, the scheduled reduction did not come back.
   */
  private async afterApplied(
    order: Order,
    quantity: number,
    attempt: number,
    confirmedBy?: string,
  ): Promise<Final> {
    const done: Final = {
      to: 'completed',
      detail: { quantity, ...(confirmedBy ? { confirmedBy } : {}) },
    };
    const restore = restoreOf(order, quantity);
    if (!restore) return done;
    if ('notRestorable' in restore)
      return { ...done, outcome: 'scheduled_not_restored', note: restore.notRestorable };
    const { provider } = this.deps;
    if (attempt > 1) {
      const record = await provider.lookUpChange(restore);
      if (record.status === 'applied') return { ...done, outcome: 'scheduled_restored' };
    }
    const result = await provider.changeQuantity(restore);
    switch (result.status) {
      case 'applied':
        return { ...done, outcome: 'scheduled_restored' };
      case 'rejected':
        return { ...done, outcome: 'scheduled_not_restored', note: result.reason };
      default:
        return {
          ...done,
          outcome: 'scheduled_not_restored',
          note: 'The subscription changed again before the reduction could be scheduled again.',
        };
    }
  }

  private async afterFailedAttempt(
    order: Order,
    attempt: number,
    fence: SubmissionFence,
    error: unknown,
  ): Promise<void> {
    const { orders, clock, settings, log } = this.deps;
    const cause = error instanceof ProviderUnavailableError ? 'provider_unavailable' : 'unexpected_error';
    const where = { orderId: order.id, attempt, cause };
    if (cause === 'unexpected_error') log.error({ ...where, err: error }, 'submission attempt failed');
    else log.warn({ ...where, reason: (error as Error).message }, 'provider unavailable');
    if (attempt >= settings.maxSubmissionAttempts) {
      await this.finish(order, fence, await this.lastWord(order, cause));
      return;
    }
    const retryAfterMs = error instanceof ProviderUnavailableError ? error.retryAfterMs : undefined;
    const delay = backoffMs(
      attempt,
      { baseMs: settings.retryDelayMs, maxMs: settings.retryDelayMs * 32 },
      this.random,
      retryAfterMs,
    );
    const now = clock.now();
    const scheduled = await orders.scheduleRetry(order.id, fence, new Date(now.getTime() + delay), {
      orderId: order.id,
      actor: null,
      action: 'submission_retry_scheduled',
      fromState: 'submitting',
      toState: 'submitting',
      at: now,
      detail: { attempt, retryInMs: delay, cause },
    });
    if (!scheduled) await this.refuseLate(order, fence, { retryInMs: delay });
  }

  /**
   * Out of attempts: the order fails, with what the provider's record says. Applied after all: completed. Not
   * applied: failed with the reason. Nobody can tell: failed, "could not confirm", for an administrator to check.
   */
  private async lastWord(order: Order, cause: string): Promise<Final> {
    const record: ChangeRecord = await this.deps.provider
      .lookUpChange(changeOf(order))
      .catch(() => ({ status: 'unknown', detail: 'provider_unreachable' }) as const);
    const attempts = this.deps.settings.maxSubmissionAttempts;
    if (record.status === 'applied') return this.restoredOrNot(order, record.quantity);
    if (record.status === 'unknown')
      return { to: 'failed', outcome: 'could_not_confirm', note: record.detail, detail: { attempts } };
    return {
      to: 'failed',
      outcome: cause === 'provider_unavailable' ? 'provider_unavailable' : 'submission_failed',
      detail: { attempts },
    };
  }

  /** Out of attempts with the change in effect: whether the scheduled reduction came back, from the record. */
  private async restoredOrNot(order: Order, quantity: number): Promise<Final> {
    const done = completedFrom({ quantity }, 'provider_record');
    const restore = restoreOf(order, quantity);
    if (!restore) return done;
    if ('notRestorable' in restore)
      return { ...done, outcome: 'scheduled_not_restored', note: restore.notRestorable };
    const record = await this.deps.provider
      .lookUpChange(restore)
      .catch(() => ({ status: 'unknown', detail: 'provider_unreachable' }) as const);
    return record.status === 'applied'
      ? { ...done, outcome: 'scheduled_restored' }
      : {
          ...done,
          outcome: 'scheduled_not_restored',
          note: 'Microsoft could not be reached to schedule it again.',
        };
  }

  /** The fenced final write; refused (and audited) when this instance no longer holds the submission. */
  private async finish(order: Order, fence: SubmissionFence, verdict: Final): Promise<void> {
    const action = verdict.to === 'completed' ? 'submitted' : 'submission_failed';
    const moved = await this.deps.transitions.move(
      order,
      verdict.to,
      null,
      action,
      {
        ...(verdict.outcome ? { outcome: verdict.outcome } : {}),
        ...(verdict.note ? { note: verdict.note } : {}),
      },
      { ...verdict.detail, instance: fence.owner, fence: fence.token },
      { from: 'submitting', fence },
    );
    if (!moved) await this.refuseLate(order, fence, { answer: verdict.to, outcome: verdict.outcome ?? null });
  }

  /** An answer that arrived after this instance lost the submission: changes nothing, and says so in the log. */
  private async refuseLate(
    order: Order,
    fence: SubmissionFence,
    answer: Record<string, unknown>,
  ): Promise<void> {
    const { orders, clock, log } = this.deps;
    log.warn({ orderId: order.id, fence: fence.token, ...answer }, 'late answer refused: the lease was lost');
    await orders.appendEvent(order.id, {
      orderId: order.id,
      actor: null,
      action: 'late_answer_refused',
      at: clock.now(),
      detail: { instance: fence.owner, fence: fence.token, ...answer },
    });
  }

  /** Renews the lease every third of its length while the provider works; returns the function that stops it. */
  private keepLease(orderId: string, fence: SubmissionFence): () => void {
    const { orders, clock, settings, log } = this.deps;
    const every = Math.max(1, Math.floor(settings.submissionLeaseMs / 3));
    const timer = setInterval(() => {
      const until = new Date(clock.now().getTime() + settings.submissionLeaseMs);
      orders.renewLease(orderId, fence, until).then(
        (held) => {
          if (!held) {
            log.warn({ orderId, fence: fence.token }, 'submission lease lost while the provider worked');
            clearInterval(timer);
          }
        },
        (error: unknown) => log.warn({ err: error, orderId }, 'could not renew a submission lease'),
      );
    }, every);
    timer.unref();
    return () => clearInterval(timer);
  }
}

/** What the provider is asked to do for an order (see OrderTiming in bot/domain/order.ts). */
function changeOf(order: Order): QuantityChange {
  const base = { subscriptionId: order.subscriptionId, idempotencyKey: order.idempotencyKey };
  switch (order.timing) {
    case 'now':
      return { ...base, expectedQuantity: order.expectedQuantity, targetQuantity: order.targetQuantity };
    case 'at_renewal':
      return {
        ...base,
        timing: 'at_renewal',
        expectedQuantity: order.expectedQuantity,
        targetQuantity: order.targetQuantity,
        expectedScheduled: order.scheduledBefore,
      };
    case 'cancel_scheduled':
      // Renew with the current quantity: the scheduled reduction is cleared.
      return {
        ...base,
        timing: 'at_renewal',
        expectedQuantity: order.targetQuantity,
        targetQuantity: order.targetQuantity,
        expectedScheduled: order.expectedQuantity,
      };
  }
}

/**
 * After a change now on a subscription with a reduction scheduled for the renewal: the change that schedules it
 * again, or why it cannot be (the new quantity is already at or below the scheduled one).
 */
/** The note of a completed order whose scheduled reduction had nothing left to reduce: this, then the quantity. */
export const NOTHING_TO_REDUCE = 'nothing_to_reduce:';

function restoreOf(order: Order, quantity: number): QuantityChange | { notRestorable: string } | undefined {
  if (order.timing !== 'now' || order.scheduledBefore === null) return undefined;
  if (order.scheduledBefore >= quantity)
    return {
      // A code and a value, not a sentence: the presenter words it in the reader's language (README: Languages).
      notRestorable: `${NOTHING_TO_REDUCE}${quantity}`,
    };
  return {
    subscriptionId: order.subscriptionId,
    idempotencyKey: order.restoreKey,
    timing: 'at_renewal',
    expectedQuantity: quantity,
    targetQuantity: order.scheduledBefore,
    expectedScheduled: null,
  };
}

function completedFrom(record: { quantity: number }, confirmedBy: string): Final {
  return { to: 'completed', detail: { quantity: record.quantity, confirmedBy } };
}
