import type { OrderService } from './orderService';
import type { Log } from './ports';

/**
 * The background loop of every instance: expires orders nobody decided in time, takes the steps of the
 * approval ladder (reminders, escalation, the last call) and resumes submissions
 * left unfinished (a crash, an unreachable provider). Claims keep two instances from doing one order twice;
 * one order that fails never stops the rest of a round, and a failed round (the database is down) never stops
 * the next.
 */
export class OrderMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly orders: Pick<
      OrderService,
      'expireOverdue' | 'resumeSubmissions' | 'advanceApprovalLadder'
    >,
    private readonly log: Log,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  /** One round; a round still running is not started again. */
  tick(): Promise<void> {
    this.running ??= (async () => {
      try {
        const expired = await this.orders.expireOverdue().catch((error: unknown) => this.failed(error, 0));
        const reminded = await this.orders
          .advanceApprovalLadder()
          .catch((error: unknown) => this.failed(error, 0));
        const resumed = await this.orders
          .resumeSubmissions()
          .catch((error: unknown) => this.failed(error, 0));
        if (expired + reminded + resumed > 0)
          this.log.info({ expired, reminded, resumed }, 'order maintenance');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private failed(error: unknown, none: number): number {
    this.log.error({ err: error }, 'order maintenance failed');
    return none;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
