import { CANCELLATION_WINDOW_HOURS } from '../../domain/decreaseOptions';
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
import type { SqlDatabase, SqlExecutor } from '../database/sqlDatabase';
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
  auto_renew: boolean;
  trial: boolean;
  scheduled_quantity: number | null;
}

interface WindowRow {
  subscription_id: string;
  quantity: number;
  until: Date;
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

/**
 * The sandbox's rules for removing seats: a FLEXIBLE plan keeps a reseller console's rule (seats come off at
 * once, credited on next month's bill); an ANNUAL one follows Microsoft's (only seats inside their 168-hour
 * window now, otherwise a reduction scheduled for the renewal).
 */
function removalFor(plan: Plan): Subscription['removal'] {
  return plan === 'FLEXIBLE' ? 'anytime' : 'window';
}

function toSubscription(row: SubscriptionRow, windows: readonly WindowRow[]): Subscription {
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
    autoRenew: row.auto_renew,
    trial: row.trial,
    removal: removalFor(row.plan),
    refundable: windows
      .filter((w) => w.subscription_id === row.id && w.quantity > 0)
      .map((w) => ({ quantity: w.quantity, until: new Date(w.until).toISOString() })),
    scheduledQuantity: row.scheduled_quantity,
  };
}

const HOUR_MS = 3_600_000;

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
      // Bought a term before the renewal: an ANNUAL subscription renewing in 5 months was bought 7 months ago.
      const termMonths = entry.plan === 'ANNUAL' ? 12 : 1;
      const purchasedAt = new Date(`${addMonths(now, entry.renewsInMonths - termMonths)}T00:00:00Z`);
      const inserted = await this.db.query(
        `INSERT INTO sandbox_subscriptions (id, product, domain, plan, quantity, in_use, price_minor, currency,
           renewal_date, updated_at, auto_renew, purchased_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING RETURNING id`,
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
          entry.autoRenew ?? true,
          purchasedAt,
        ],
      );
      if (inserted.rows.length > 0)
        await this.db.query(
          'INSERT INTO sandbox_seat_windows (subscription_id, quantity, until) VALUES ($1, $2, $3)',
          [entry.id, entry.quantity, new Date(purchasedAt.getTime() + CANCELLATION_WINDOW_HOURS * HOUR_MS)],
        );
    }
  }

  async listSubscriptions(): Promise<Subscription[]> {
    await this.delay();
    const { rows } = await this.db.query<SubscriptionRow>(
      'SELECT * FROM sandbox_subscriptions ORDER BY domain, product',
    );
    const windows = await this.openWindows(null);
    return rows.map((row) => toSubscription(row, windows));
  }

  async getSubscription(id: string): Promise<Subscription | undefined> {
    await this.delay();
    const { rows } = await this.db.query<SubscriptionRow>(
      'SELECT * FROM sandbox_subscriptions WHERE id = $1',
      [id],
    );
    return rows[0] ? toSubscription(rows[0], await this.openWindows(id)) : undefined;
  }

  private async openWindows(subscriptionId: string | null): Promise<WindowRow[]> {
    const { rows } = await this.db.query<WindowRow>(
      `SELECT subscription_id, quantity, until FROM sandbox_seat_windows
        WHERE ($1::text IS NULL OR subscription_id = $1) AND until > $2 AND quantity > 0 ORDER BY until`,
      [subscriptionId, this.clock.now()],
    );
    return rows;
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
      const now = this.clock.now();
      const refusal =
        change.timing === 'at_renewal'
          ? await this.schedule(tx, current, change)
          : await this.applyNow(tx, current, change, now);
      if (refusal) return refusal;
      await tx.query(
        `INSERT INTO sandbox_requests (request_id, subscription_id, quantity_before, quantity_after, at, timing)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          change.idempotencyKey,
          change.subscriptionId,
          current.quantity,
          change.targetQuantity,
          now,
          change.timing ?? 'now',
        ],
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

  /**
   * A change now: a decrease on an ANNUAL plan only for seats inside their window (the windows closing first are
   * used first), an increase opens a window for the seats added; either deletes a scheduled change, as Microsoft's
   * mid-term changes do.
   */
  private async applyNow(
    tx: SqlExecutor,
    current: SubscriptionRow,
    change: QuantityChange,
    now: Date,
  ): Promise<QuantityChangeResult | undefined> {
    const delta = change.targetQuantity - current.quantity;
    if (delta < 0 && removalFor(current.plan) === 'window') {
      const { rows: windows } = await tx.query<WindowRow & { id: number }>(
        `SELECT id, subscription_id, quantity, until FROM sandbox_seat_windows
          WHERE subscription_id = $1 AND until > $2 AND quantity > 0 ORDER BY until FOR UPDATE`,
        [current.id, now],
      );
      const refundable = windows.reduce((sum, w) => sum + w.quantity, 0);
      if (-delta > refundable)
        return {
          status: 'rejected',
          reason:
            refundable === 0
              ? 'Seats can be removed only within 7 days of buying, adding or renewing them; that window has closed. Schedule the reduction for the renewal instead.'
              : `Only ${refundable} seats can still be removed now (the 7-day window of the others has closed).`,
        };
      let left = -delta;
      for (const w of windows) {
        if (left === 0) break;
        const used = Math.min(left, w.quantity);
        left -= used;
        await tx.query('UPDATE sandbox_seat_windows SET quantity = quantity - $2 WHERE id = $1', [
          w.id,
          used,
        ]);
      }
    }
    if (delta > 0 && removalFor(current.plan) === 'window')
      await tx.query(
        'INSERT INTO sandbox_seat_windows (subscription_id, quantity, until) VALUES ($1, $2, $3)',
        [current.id, delta, new Date(now.getTime() + CANCELLATION_WINDOW_HOURS * HOUR_MS)],
      );
    await tx.query(
      'UPDATE sandbox_subscriptions SET quantity = $2, scheduled_quantity = NULL, updated_at = $3 WHERE id = $1',
      [current.id, change.targetQuantity, now],
    );
    return undefined;
  }

  /** A change at renewal: the quantity the next term starts with (the current one clears a scheduled change). */
  private async schedule(
    tx: SqlExecutor,
    current: SubscriptionRow,
    change: QuantityChange,
  ): Promise<QuantityChangeResult | undefined> {
    if ((change.expectedScheduled ?? null) !== current.scheduled_quantity)
      return { status: 'scheduled_conflict', actualScheduled: current.scheduled_quantity };
    if (change.targetQuantity > current.quantity)
      return { status: 'rejected', reason: 'A change at renewal here can only reduce the seats.' };
    const clears = change.targetQuantity === current.quantity;
    if (!clears && !current.auto_renew)
      return {
        status: 'rejected',
        reason: 'Auto-renew is off, so nothing can be scheduled for the renewal.',
      };
    if (!clears && current.trial)
      return { status: 'rejected', reason: 'A trial cannot have seats removed at renewal.' };
    await tx.query(
      'UPDATE sandbox_subscriptions SET scheduled_quantity = $2, updated_at = $3 WHERE id = $1',
      [current.id, clears ? null : change.targetQuantity, this.clock.now()],
    );
    return undefined;
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
    change: {
      quantity?: number;
      inUse?: number;
      status?: SubscriptionStatus;
      autoRenew?: boolean;
      trial?: boolean;
      /** A change made elsewhere also deletes the scheduled one, as at Microsoft. */
      scheduledQuantity?: number | null;
    },
  ): Promise<void> {
    await this.db.query(
      `UPDATE sandbox_subscriptions SET quantity = COALESCE($2, quantity), in_use = COALESCE($3, in_use),
         status = COALESCE($4, status), auto_renew = COALESCE($5, auto_renew), trial = COALESCE($6, trial),
         scheduled_quantity = CASE WHEN $7 THEN $8::int WHEN $2::int IS NOT NULL THEN NULL ELSE scheduled_quantity END,
         updated_at = $9 WHERE id = $1`,
      [
        id,
        change.quantity ?? null,
        change.inUse ?? null,
        change.status ?? null,
        change.autoRenew ?? null,
        change.trial ?? null,
        change.scheduledQuantity !== undefined,
        change.scheduledQuantity ?? null,
        this.clock.now(),
      ],
    );
  }

  /** Seats bought (or renewed) at `at`, removable for 168 hours from then: for demos and tests. */
  async openWindow(id: string, quantity: number, at: Date): Promise<void> {
    await this.db.query(
      'INSERT INTO sandbox_seat_windows (subscription_id, quantity, until) VALUES ($1, $2, $3)',
      [id, quantity, new Date(at.getTime() + CANCELLATION_WINDOW_HOURS * HOUR_MS)],
    );
  }

  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM sandbox_requests WHERE subscription_id = $1', [id]);
    await this.db.query('DELETE FROM sandbox_seat_windows WHERE subscription_id = $1', [id]);
    await this.db.query('DELETE FROM sandbox_subscriptions WHERE id = $1', [id]);
  }

  /**
   * How many quantity changes were applied (or, with `at_renewal`, scheduled changes made), per subscription: what
   * a test counts as submissions.
   */
  async appliedChanges(subscriptionId?: string, timing: 'now' | 'at_renewal' = 'now'): Promise<number> {
    const { rows } = await this.db.query<{ n: number | string }>(
      'SELECT count(*)::int AS n FROM sandbox_requests WHERE ($1::text IS NULL OR subscription_id = $1) AND timing = $2',
      [subscriptionId ?? null, timing],
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
