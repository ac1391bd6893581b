import { money, parseMoney } from '../../domain/money';
import type { Plan, Subscription, SubscriptionStatus } from '../../domain/subscription';
import {
  ProviderUnavailableError,
  type ChangeRecord,
  type Clock,
  type LicenseProvider,
  type Log,
  type QuantityChange,
  type QuantityChangeResult,
} from '../../services/ports';
import type { SqlDatabase } from '../database/sqlDatabase';
import type { CatalogueEntry } from './demoCatalogue';

interface SubscriptionRow {
  id: string;
  product: string;
  domain: string;
  plan: Plan;
  quantity: number;
  in_use: number;
  price_minor: number | string;
  currency: string;
  renewal_date: string | null;
  status: SubscriptionStatus;
}

/** Faults a test (or a demo) can inject; counters count down as they fire. */
export interface SandboxFaults {
  /** Added to every call, in milliseconds. */
  latencyMs: number;
  /** Added to quantity changes only, before anything is applied (a slow provider call). */
  changeDelayMs: number;
  /** The next N quantity changes fail as unavailable before anything is applied. */
  failBeforeApply: number;
  /** The next N quantity changes are applied, then fail as unavailable (a lost response). */
  failAfterApply: number;
  /** Once a change is applied, its answer takes this much longer (a process can die in between). */
  pauseAfterApplyMs: number;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    product: row.product,
    domain: row.domain,
    plan: row.plan,
    quantity: row.quantity,
    inUse: row.in_use,
    pricePerSeat: money(Number(row.price_minor), row.currency.trim()),
    renewalDate: row.renewal_date,
    status: row.status,
  };
}

/**
 * The default license provider: subscriptions live in the product's own database and quantity changes
 * apply at once. Like Partner Center, it remembers each request id, so a retry never applies twice.
 */
export class SandboxLicenseProvider implements LicenseProvider {
  readonly faults: SandboxFaults = {
    latencyMs: 0,
    changeDelayMs: 0,
    failBeforeApply: 0,
    failAfterApply: 0,
    pauseAfterApplyMs: 0,
  };

  constructor(
    private readonly db: SqlDatabase,
    private readonly clock: Clock,
    latencyMs = 0,
    private readonly log?: Log,
  ) {
    this.faults.latencyMs = latencyMs;
  }

  /** Seeds the catalogue on first start; later starts (and other instances) leave existing rows alone. */
  async seed(catalogue: readonly CatalogueEntry[]): Promise<void> {
    const now = this.clock.now();
    for (const entry of catalogue) {
      const price = parseMoney(entry.price, entry.currency);
      await this.db.query(
        `INSERT INTO sandbox_subscriptions (id, product, domain, plan, quantity, in_use, price_minor, currency,
           renewal_date, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
        [
          entry.id,
          entry.product,
          entry.domain,
          entry.plan,
          entry.quantity,
          entry.inUse,
          price.minor,
          price.currency,
          addMonths(now, entry.renewsInMonths),
          now,
        ],
      );
    }
  }

  async listSubscriptions(): Promise<Subscription[]> {
    await this.delay();
    const { rows } = await this.db.query<SubscriptionRow>(
      'SELECT * FROM sandbox_subscriptions ORDER BY domain, product',
    );
    return rows.map(toSubscription);
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    await this.delay();
    const { rows } = await this.db.query<SubscriptionRow>(
      'SELECT * FROM sandbox_subscriptions WHERE id = $1',
      [id],
    );
    return rows[0] ? toSubscription(rows[0]) : undefined;
  }

  async changeQuantity(change: QuantityChange): Promise<QuantityChangeResult> {
    await this.delay();
    if (this.faults.changeDelayMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.faults.changeDelayMs));
    if (this.faults.failBeforeApply > 0) {
      this.faults.failBeforeApply -= 1;
      throw new ProviderUnavailableError('sandbox: injected fault before apply');
    }
    const result = await this.db.transaction(async (tx): Promise<QuantityChangeResult> => {
      // Lock the subscription first: a concurrent request with the same key then sees the first one's row.
      const { rows } = await tx.query<SubscriptionRow>(
        'SELECT * FROM sandbox_subscriptions WHERE id = $1 FOR UPDATE',
        [change.subscriptionId],
      );
      const seen = await tx.query<{ quantity_after: number }>(
        'SELECT quantity_after FROM sandbox_requests WHERE request_id = $1',
        [change.idempotencyKey],
      );
      if (seen.rows[0]) return { status: 'applied', quantity: seen.rows[0].quantity_after };
      const current = rows[0];
      if (!current) return { status: 'rejected', reason: 'The subscription no longer exists.' };
      if (current.status !== 'active')
        return { status: 'rejected', reason: 'The subscription is suspended.' };
      if (current.quantity !== change.expectedQuantity)
        return { status: 'conflict', actualQuantity: current.quantity };
      if (change.targetQuantity < current.in_use) {
        return {
          status: 'rejected',
          reason: `The quantity cannot go below the ${current.in_use} seats assigned to users.`,
        };
      }
      if (change.targetQuantity < current.quantity && current.plan !== 'FLEXIBLE') {
        return { status: 'rejected', reason: 'Seats on an annual plan cannot be removed before renewal.' };
      }
      const now = this.clock.now();
      await tx.query('UPDATE sandbox_subscriptions SET quantity = $2, updated_at = $3 WHERE id = $1', [
        change.subscriptionId,
        change.targetQuantity,
        now,
      ]);
      await tx.query(
        `INSERT INTO sandbox_requests (request_id, subscription_id, quantity_before, quantity_after, at)
         VALUES ($1, $2, $3, $4, $5)`,
        [change.idempotencyKey, change.subscriptionId, current.quantity, change.targetQuantity, now],
      );
      return { status: 'applied', quantity: change.targetQuantity };
    });
    if (result.status === 'applied')
      this.log?.info(
        {
          subscriptionId: change.subscriptionId,
          requestId: change.idempotencyKey,
          quantity: result.quantity,
        },
        'sandbox: quantity set',
      );
    if (result.status === 'applied' && this.faults.pauseAfterApplyMs > 0)
      await new Promise((resolve) => setTimeout(resolve, this.faults.pauseAfterApplyMs));
    if (result.status === 'applied' && this.faults.failAfterApply > 0) {
      this.faults.failAfterApply -= 1;
      throw new ProviderUnavailableError('sandbox: injected fault after apply');
    }
    return result;
  }

  /** The sandbox remembers every request id it applied: its record is the answer, never the quantity. */
  async lookUpChange(change: QuantityChange): Promise<ChangeRecord> {
    await this.delay();
    const { rows } = await this.db.query<{ quantity_after: number }>(
      'SELECT quantity_after FROM sandbox_requests WHERE request_id = $1',
      [change.idempotencyKey],
    );
    return rows[0] ? { status: 'applied', quantity: rows[0].quantity_after } : { status: 'not_applied' };
  }

  /** What an administrator elsewhere might do (assign users, buy in another console): for demos and tests. */
  async adjust(
    id: string,
    change: { quantity?: number; inUse?: number; status?: SubscriptionStatus },
  ): Promise<void> {
    await this.db.query(
      `UPDATE sandbox_subscriptions SET quantity = COALESCE($2, quantity), in_use = COALESCE($3, in_use),
         status = COALESCE($4, status), updated_at = $5 WHERE id = $1`,
      [id, change.quantity ?? null, change.inUse ?? null, change.status ?? null, this.clock.now()],
    );
  }

  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM sandbox_requests WHERE subscription_id = $1', [id]);
    await this.db.query('DELETE FROM sandbox_subscriptions WHERE id = $1', [id]);
  }

  /** How many quantity changes were applied, per subscription: what a test counts as submissions. */
  async appliedChanges(subscriptionId?: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>(
      'SELECT count(*)::int AS n FROM sandbox_requests WHERE ($1::text IS NULL OR subscription_id = $1)',
      [subscriptionId ?? null],
    );
    return Number(rows[0].n);
  }

  private async delay(): Promise<void> {
    if (this.faults.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.faults.latencyMs));
  }
}

function addMonths(from: Date, months: number): string {
  const date = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + months, 1));
  return date.toISOString().slice(0, 10);
}
