import { randomUUID } from 'node:crypto';
import { JsonAccessDirectory } from '../../bot/infrastructure/directory/jsonAccessDirectory';
import { SqlDelegationStore } from '../../bot/infrastructure/delegations/sqlDelegationStore';
import { SqlOrderRepository } from '../../bot/infrastructure/orders/sqlOrderRepository';
import { SqlOutboxStore } from '../../bot/infrastructure/outbox/sqlOutboxStore';
import { DEMO_CATALOGUE } from '../../bot/infrastructure/providers/demoCatalogue';
import { SandboxLicenseProvider } from '../../bot/infrastructure/providers/sandboxLicenseProvider';
import { BackgroundWork } from '../../bot/services/backgroundWork';
import { LicenseService } from '../../bot/services/licenseService';
import { OrderService, type OrderSettings } from '../../bot/services/orderService';
import type { AccessDirectory, Clock, LicenseProvider } from '../../bot/services/ports';
import type { SqlDatabase } from '../../bot/infrastructure/database/sqlDatabase';
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

/** One row of the outbox, as a test reads it. */
export interface OutboxRow {
  kind: string;
  order_id: string | null;
  recipient_kind: string;
  recipient: string;
  dedupe_key: string;
  payload: Record<string, unknown>;
  state: string;
  attempts: number;
  generation: number;
  last_error: string | null;
}

export const DEFAULT_SETTINGS: OrderSettings = {
  maxSeatsPerOrder: 300,
  orderExpiryMs: 7 * 24 * 60 * 60 * 1000,
  submissionLeaseMs: 120_000,
  maxSubmissionAttempts: 3,
  retryDelayMs: 1_000,
  notificationGiveUpMs: 24 * 60 * 60 * 1000,
  instanceId: 'test-instance',
  approvalReminderMs: 24 * 60 * 60 * 1000,
  approvalEscalateMs: 48 * 60 * 60 * 1000,
};

export interface ServiceHarness {
  readonly db: SqlDatabase;
  readonly clock: TestClock;
  readonly directory: AccessDirectory;
  readonly provider: SandboxLicenseProvider;
  readonly repository: SqlOrderRepository;
  readonly outbox: SqlOutboxStore;
  readonly work: BackgroundWork;
  readonly licenses: LicenseService;
  readonly orders: OrderService;
  /** Another service on the same database (a second instance, other access rules, another provider). */
  another(options?: {
    directory?: AccessDirectory;
    instanceId?: string;
    provider?: LicenseProvider;
    settings?: Partial<OrderSettings>;
  }): OrderService;
  /** The outbox rows of an order (or all), oldest first. */
  messages(orderId?: string): Promise<OutboxRow[]>;
  close(): Promise<void>;
}

/**
 * The real services on a fresh embedded database (or the migrated, empty `database` given) with the demo
 * catalogue and demo access.
 */
export async function serviceHarness(
  settings: Partial<OrderSettings> = {},
  database?: SqlDatabase,
): Promise<ServiceHarness> {
  const db = database ?? (await freshDatabase());
  const clock = new TestClock();
  const directory = JsonAccessDirectory.fromFile(DEMO_ACCESS_FILE);
  const provider = new SandboxLicenseProvider(db, clock);
  await provider.seed(DEMO_CATALOGUE);
  const repository = new SqlOrderRepository(db);
  const outbox = new SqlOutboxStore(db, DEFAULT_SETTINGS.notificationGiveUpMs);
  const work = new BackgroundWork(silentLog);
  const build = (
    dir: AccessDirectory,
    instanceId: string,
    using: LicenseProvider = provider,
    more: Partial<OrderSettings> = {},
  ) => {
    const licenses = new LicenseService(using, dir, clock);
    return {
      licenses,
      orders: new OrderService({
        orders: repository,
        outbox,
        licenses,
        provider: using,
        directory: dir,
        work,
        clock,
        log: silentLog,
        newId: randomUUID,
        // Half the bound, every time: retries are deterministic in these tests.
        random: () => 0,
        delegations: new SqlDelegationStore(db),
        settings: { ...DEFAULT_SETTINGS, ...settings, ...more, instanceId },
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
    outbox,
    work,
    licenses,
    orders,
    another: (options = {}) =>
      build(
        options.directory ?? directory,
        options.instanceId ?? 'other-instance',
        options.provider,
        options.settings,
      ).orders,
    async messages(orderId) {
      const { rows } = await db.query<OutboxRow>(
        'SELECT * FROM outbox WHERE ($1::uuid IS NULL OR order_id = $1) ORDER BY id',
        [orderId ?? null],
      );
      return rows;
    },
    async close() {
      await work.idle();
      await db.close();
    },
  };
}
