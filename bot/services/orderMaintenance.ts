import type { OrderService } from './orderService';
import type { Log } from './ports';

/**
 * The background loop of every instance: expires orders nobody decided in time and resumes submissions
 * left unfinished (a crash, an unreachable provider). Claims keep two instances from doing one order twice.
 */
export class OrderMaintenance {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly orders: OrderService,
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
        const expired = await this.orders.expireOverdue();
        const resumed = await this.orders.resumeSubmissions();
        if (expired + resumed > 0) this.log.info({ expired, resumed }, 'order maintenance');
      } catch (error) {
        this.log.error({ err: error }, 'order maintenance failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
