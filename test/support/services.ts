import { randomUUID } from 'node:crypto';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import { SqlOrderRepository } from '../../bot/infrastructure/orders/sqlOrderRepository';
import { DEMO_CATALOGUE } from '../../bot/infrastructure/providers/demoCatalogue';
import { SandboxLicenseProvider } from '../../bot/infrastructure/providers/sandboxLicenseProvider';
import type { Order, OrderState } from '../../bot/domain/order';
import { BackgroundWork } from '../../bot/services/backgroundWork';
import { LicenseService } from '../../bot/services/licenseService';
import { OrderService, type OrderSettings } from '../../bot/services/orderService';
import type { AccessDirectory, Clock, OrderNotifier } from '../../bot/services/ports';
import type { PgliteDatabase } from '../../bot/infrastructure/database/pgliteDatabase';
import { freshDatabase } from './database';
import { silentLog } from './testApp';

export const DEMO_ACCESS_FILE = 'bot/infrastructure/directory/demoAccess.json';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-11-26T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Records what the service announced, in order (the Teams notifier is tested on its own). */
export class RecordingNotifier implements OrderNotifier {
  readonly changes: Array<{ orderId: string; from: OrderState; to: OrderState }> = [];
  async orderChanged(order: Order, previousState: OrderState): Promise<void> {
    this.changes.push({ orderId: order.id, from: previousState, to: order.state });
  }
}

export const DEFAULT_SETTINGS: OrderSettings = {
  maxSeatsPerOrder: 300,
  orderExpiryMs: 7 * 24 * 60 * 60 * 1000,
  submissionLeaseMs: 120_000,
  maxSubmissionAttempts: 3,
  retryDelayMs: 1_000,
  instanceId: 'test-instance',
};

export interface ServiceHarness {
  readonly db: PgliteDatabase;
  readonly clock: TestClock;
  readonly directory: AccessDirectory;
  readonly provider: SandboxLicenseProvider;
  readonly repository: SqlOrderRepository;
  readonly notifier: RecordingNotifier;
  readonly work: BackgroundWork;
  readonly licenses: LicenseService;
  readonly orders: OrderService;
  /** Another service on the same database (a second instance, or one with other access rules). */
  another(options?: { directory?: AccessDirectory; instanceId?: string }): OrderService;
  close(): Promise<void>;
}

/** The real services on a fresh embedded database with the demo catalogue and demo access. */
export async function serviceHarness(settings: Partial<OrderSettings> = {}): Promise<ServiceHarness> {
  const db = await freshDatabase();
  const clock = new TestClock();
  const directory = JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE);
  const provider = new SandboxLicenseProvider(db, clock);
  await provider.seed(DEMO_CATALOGUE);
  const repository = new SqlOrderRepository(db);
  const notifier = new RecordingNotifier();
  const work = new BackgroundWork(silentLog);
  const build = (dir: AccessDirectory, instanceId: string) => {
    const licenses = new LicenseService(provider, dir);
    return {
      licenses,
      orders: new OrderService({
        orders: repository,
        licenses,
        provider,
        directory: dir,
        notifier,
        work,
        clock,
        log: silentLog,
        newId: randomUUID,
        settings: { ...DEFAULT_SETTINGS, ...settings, instanceId },
      }),
    };
  };
  const { licenses, orders } = build(directory, settings.instanceId ?? DEFAULT_SETTINGS.instanceId);
  return {
    db,
    clock,
    directory,
    provider,
    repository,
    notifier,
    work,
    licenses,
    orders,
    another: (options = {}) =>
      build(options.directory ?? directory, options.instanceId ?? 'other-instance').orders,
    async close() {
      await work.idle();
      await db.close();
    },
  };
}
