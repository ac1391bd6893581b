import type { Log } from './ports';

/**
 * Work that runs after a turn is answered (submissions, card updates). Tracked so shutdown can wait for it
 * and tests can wait until the system is quiet.
 */
export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly log: Log) {}

  /** Starts `task` on a later tick, after the current turn's response has been written. */
  run(name: string, task: () => Promise<unknown>): void {
    const done: Promise<void> = new Promise((resolve) => setImmediate(resolve))
      .then(task)
      .then(
        () => undefined,
        (error: unknown) => this.log.error({ err: error, task: name }, 'background task failed'),
      )
      .finally(() => this.running.delete(done));
    this.running.add(done);
  }

  /** Resolves when no task is running, including tasks started by tasks. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  get pending(): number {
    return this.running.size;
  }
}
