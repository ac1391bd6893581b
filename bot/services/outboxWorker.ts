import { backoffMs, type BackoffOptions } from './backoff';
import type { DeliveryResult, MessageHandler, OutboxStore, QueuedMessage } from './outbox';
import type { Clock, Log } from './ports';

export interface OutboxSettings {
  /** Names this process in claims. */
  readonly instanceId: string;
  /** How often an idle worker looks for due messages (a change made by this instance wakes it at once). */
  readonly pollIntervalMs: number;
  /** How long a claim holds a message; renewed while its delivery is in flight. */
  readonly leaseMs: number;
  /** Messages claimed, and delivered side by side, per round. */
  readonly batchSize: number;
  readonly backoff: BackoffOptions;
}

export interface OutboxWorkerDependencies {
  readonly store: OutboxStore;
  /** One handler per kind of message; a kind without one is undeliverable. */
  readonly handlers: Readonly<Record<string, MessageHandler>>;
  readonly clock: Clock;
  readonly log: Log;
  readonly settings: OutboxSettings;
  /** Returns a number in [0, 1), as Math.random: the jitter of retries. */
  readonly random?: () => number;
}

/** Most rounds `settle` runs before it gives up (a message re-armed forever would otherwise hold it). */
const MAX_SETTLE_ROUNDS = 1_000;

/**
 * Delivers the outbox, on every instance: claims due messages nobody holds, hands each to its kind's handler,
 * and records the result. A failed attempt (any error, a timeout, throttling) is retried with exponential
 * backoff and jitter, never sooner than a Retry-After; once a message's deadline has passed, a failed attempt
 * marks it undeliverable, which the orders list shows. Delivery is at least once; the handlers make its effects
 * idempotent (README: Reliability).
 */
export class OutboxWorker {
  private timer: NodeJS.Timeout | undefined;
  private loop: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly random: () => number;

  constructor(private readonly deps: OutboxWorkerDependencies) {
    this.random = deps.random ?? Math.random;
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.deps.settings.pollIntervalMs);
    this.timer.unref();
    this.wake();
  }

  /** Looks for due messages now (called after this instance queued some). */
  wake(): void {
    if (this.stopped) return;
    if (this.loop) {
      this.again = true;
      return;
    }
    this.loop = this.drainLoop().finally(() => {
      this.loop = undefined;
    });
  }

  /**
   * Delivers everything due now and waits until nothing is in flight: for tests and shutdown. Messages waiting
   * for a later retry are not waited for.
   */
  async settle(): Promise<void> {
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round += 1) {
      await this.loop;
      await Promise.all([...this.inFlight]);
      const delivered = await this.runOnce();
      if (delivered === 0 && this.inFlight.size === 0 && !this.loop) return;
    }
    throw new Error('the outbox did not settle');
  }

  /**
   * Stops looking for messages and waits for deliveries in flight. With a grace period (shutdown), it then
   * delivers what is due now, round after round, until nothing due is left or the grace period is over: a
   * card update queued just before a restart is not left for the next instance to send late.
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.loop;
    await Promise.all([...this.inFlight]);
    const deadline = performance.now() + graceMs;
    try {
      while (performance.now() < deadline && (await this.runOnce()) > 0);
    } catch (error) {
      this.deps.log.warn({ err: error }, 'outbox round failed while stopping');
    }
  }

  /**
   * One round: claims due messages and delivers them, the messages of one order one after another in the order
   * they were queued (an approval's routing sees its cards' results), different orders side by side. Returns
   * how many were claimed.
   */
  async runOnce(): Promise<number> {
    const { store, clock, settings } = this.deps;
    const now = clock.now();
    const claimed = await store.claimDue(
      settings.instanceId,
      now,
      new Date(now.getTime() + settings.leaseMs),
      settings.batchSize,
    );
    const byOrder = new Map<string, QueuedMessage[]>();
    for (const message of claimed) {
      const key = message.orderId ?? `message:${message.id}`;
      byOrder.set(key, [...(byOrder.get(key) ?? []), message]);
    }
    await Promise.all(
      [...byOrder.values()].map((messages) =>
        this.track(
          (async () => {
            for (const message of messages) await this.deliver(message);
          })(),
        ),
      ),
    );
    return claimed.length;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        while (!this.stopped && (await this.runOnce()) > 0);
      } catch (error) {
        // The database may be down: the next poll tries again.
        this.deps.log.warn({ err: error }, 'outbox round failed');
        return;
      }
    } while (this.again && !this.stopped);
  }

  private track(delivery: Promise<void>): Promise<void> {
    this.inFlight.add(delivery);
    return delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(message: QueuedMessage): Promise<void> {
    const { store, handlers, clock, log, settings } = this.deps;
    const owner = settings.instanceId;
    const handler = handlers[message.kind];
    const renewal = setInterval(
      () => {
        const until = new Date(clock.now().getTime() + settings.leaseMs);
        store.renew(message, owner, until).catch((error: unknown) => {
          log.warn({ err: error, messageId: message.id }, 'could not renew an outbox claim');
        });
      },
      Math.max(1, Math.floor(settings.leaseMs / 3)),
    );
    renewal.unref();
    let result: DeliveryResult;
    try {
      result = handler
        ? await handler(message, {
            recordSent: async (sent) => {
              await store.recordSent(message, owner, sent, clock.now());
            },
          })
        : { status: 'failed', reason: `no handler for ${message.kind}` };
    } catch (error) {
      result = { status: 'retry', reason: describe(error) };
    } finally {
      clearInterval(renewal);
    }
    try {
      await this.record(message, result);
    } catch (error) {
      // Not recorded (the database may be down): the claim runs out and the message is delivered again.
      log.warn(
        { err: error, messageId: message.id, kind: message.kind },
        'could not record an outbox delivery',
      );
    }
  }

  private async record(message: QueuedMessage, result: DeliveryResult): Promise<void> {
    const { store, clock, log, settings } = this.deps;
    const owner = settings.instanceId;
    const now = clock.now();
    const where = { messageId: message.id, kind: message.kind, orderId: message.orderId };
    if (result.status === 'retry' && now.getTime() < message.deliverBy.getTime()) {
      const delay = backoffMs(message.attempts, settings.backoff, this.random, result.retryAfterMs);
      const dueAt = new Date(Math.min(now.getTime() + delay, message.deliverBy.getTime()));
      log.warn(
        { ...where, attempt: message.attempts, reason: result.reason, retryInMs: delay },
        'delivery failed',
      );
      await store.retryLater(message, owner, dueAt, result.reason, now);
      return;
    }
    const state = result.status === 'retry' ? 'failed' : result.status;
    const reason = 'reason' in result ? result.reason : null;
    const finished = await store.finish(message, owner, state, reason, now);
    if (finished === 'rearmed') this.wake();
    // A warning, not an error: the bot did what it could, and the orders list shows it to the people concerned.
    if (state === 'failed')
      log.warn({ ...where, attempts: message.attempts, reason }, 'message undeliverable');
  }
}

/** An error's name and message for the outbox row (no stack; connector errors carry no secrets in these). */
function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`.slice(0, 500);
  return String(error).slice(0, 500);
}
