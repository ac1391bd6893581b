import type { PgliteDatabase } from '../../bot/infrastructure/database/pgliteDatabase';
import { SqlOutboxStore } from '../../bot/infrastructure/outbox/sqlOutboxStore';
import type { DeliveryResult, MessageHandler, OutboxMessage } from '../../bot/services/outbox';
import { OutboxWorker, type OutboxSettings } from '../../bot/services/outboxWorker';
import { freshDatabase } from '../support/database';
import { TestClock } from '../support/services';
import { silentLog } from '../support/testApp';

const SETTINGS: OutboxSettings = {
  instanceId: 'worker-a',
  pollIntervalMs: 3_600_000,
  leaseMs: 60_000,
  batchSize: 10,
  backoff: { baseMs: 2_000, maxMs: 60_000 },
};

describe('the outbox worker (real embedded database)', () => {
  let db: PgliteDatabase;
  let store: SqlOutboxStore;
  let clock: TestClock;
  beforeEach(async () => {
    db = await freshDatabase();
    store = new SqlOutboxStore(db, 60_000);
    clock = new TestClock();
  });
  afterEach(async () => {
    await db.close();
  });

  const worker = (handlers: Record<string, MessageHandler>, settings: Partial<OutboxSettings> = {}) =>
    new OutboxWorker({
      store,
      handlers,
      clock,
      log: silentLog,
      // Halfway between half and all of each bound: retries land at known times.
      random: () => 0.5,
      settings: { ...SETTINGS, ...settings },
    });
  const queue = (key: string, deliverInMs = 3_600_000, kind = 'test.note'): Promise<void> => {
    const message: OutboxMessage = {
      kind,
      orderId: null,
      recipient: { kind: 'person', id: 'someone' },
      dedupeKey: key,
      payload: { code: 'hello' },
      dueAt: clock.now(),
      deliverBy: new Date(clock.now().getTime() + deliverInMs),
    };
    return store.enqueue([message], clock.now());
  };
  const row = async (key: string) =>
    (
      await db.query<{ state: string; attempts: number; due_at: Date; last_error: string | null }>(
        'SELECT state, attempts, due_at, last_error FROM outbox WHERE dedupe_key = $1',
        [key],
      )
    ).rows[0];

  it('delivers a due message once, however often the worker runs', async () => {
    const delivered: string[] = [];
    const w = worker({
      'test.note': async (m) => {
        delivered.push(m.dedupeKey);
        return { status: 'delivered' };
      },
    });
    await queue('one');
    await queue('one'); // the same key again: still one message
    await w.settle();
    await w.runOnce();
    expect(delivered).toEqual(['one']);
    expect(await row('one')).toMatchObject({ state: 'delivered', attempts: 1 });
  });

  it('retries with exponential backoff and jitter, and never sooner than a Retry-After', async () => {
    const results: DeliveryResult[] = [
      { status: 'retry', reason: 'connector_http_503' },
      { status: 'retry', reason: 'connector_http_503' },
      { status: 'retry', reason: 'connector_http_429', retryAfterMs: 45_000 },
      { status: 'delivered' },
    ];
    const w = worker({ 'test.note': async () => results.shift() ?? { status: 'delivered' } });
    await queue('flaky');
    const waits: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const before = clock.now().getTime();
      await w.runOnce();
      const wait = (await row('flaky')).due_at.getTime() - before;
      waits.push(wait);
      clock.advance(wait - 1);
      expect(await w.runOnce()).toBe(0); // not due a moment before its time
      clock.advance(1);
    }
    await w.runOnce();
    // Bounds 2 s, 4 s, 8 s; the jitter picks three quarters of each; the 429 asked for 45 s.
    expect(waits).toEqual([1_500, 3_000, 45_000]);
    expect(await row('flaky')).toMatchObject({ state: 'delivered', attempts: 4 });
  });

  it('marks a message undeliverable once its time is up, and says why', async () => {
    const w = worker({ 'test.note': async () => ({ status: 'retry', reason: 'connector_http_503' }) });
    await queue('doomed', 10_000);
    for (let i = 0; i < 20 && (await row('doomed')).state === 'pending'; i += 1) {
      await w.runOnce();
      clock.advance(5_000);
    }
    expect(await row('doomed')).toMatchObject({ state: 'failed', last_error: 'connector_http_503' });
  });

  it('a permanent failure is undeliverable at once; a handler that throws is retried; an unknown kind fails', async () => {
    const w = worker({
      'test.gone': async () => ({ status: 'failed', reason: 'connector_http_404' }),
      'test.bug': async () => {
        throw new TypeError('boom');
      },
    });
    await queue('gone', 3_600_000, 'test.gone');
    await queue('bug', 3_600_000, 'test.bug');
    await queue('mystery', 3_600_000, 'test.unknown');
    await w.runOnce();
    expect(await row('gone')).toMatchObject({
      state: 'failed',
      attempts: 1,
      last_error: 'connector_http_404',
    });
    expect(await row('bug')).toMatchObject({ state: 'pending', last_error: 'TypeError: boom' });
    expect(await row('mystery')).toMatchObject({
      state: 'failed',
      last_error: 'no handler for test.unknown',
    });
  });

  it('a message whose send was recorded is seen as sent by the next attempt (it updates instead of sending)', async () => {
    const seen: Array<string | null> = [];
    const w = worker({
      'test.note': async (m, context) => {
        seen.push(m.activityId);
        if (m.activityId) return { status: 'delivered' };
        await context.recordSent({ activityId: 'activity-7', conversationId: 'chat-1' });
        throw new Error('the worker died right after sending');
      },
    });
    await queue('card');
    await w.runOnce();
    clock.advance(60_000);
    await w.runOnce();
    expect(seen).toEqual([null, 'activity-7']);
    expect(await row('card')).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('a worker that lost its claim (paused past its lease) cannot record anything', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    const slow = worker({
      'test.note': async () => {
        entered();
        await held;
        return { status: 'failed', reason: 'late' };
      },
    });
    const fast = worker({ 'test.note': async () => ({ status: 'delivered' }) }, { instanceId: 'worker-b' });
    await queue('contested');
    const slowRound = slow.runOnce();
    await inHandler;
    clock.advance(61_000);
    await fast.runOnce();
    release();
    await slowRound;
    expect(await row('contested')).toMatchObject({ state: 'delivered', attempts: 2 });
  });
  it('stopping with a grace period delivers what is already due, and leaves later retries queued', async () => {
    const delivered: string[] = [];
    const w = worker({
      'test.note': async (m) => {
        delivered.push(m.dedupeKey);
        return m.dedupeKey === 'flaky' && delivered.length === 1
          ? { status: 'retry', reason: 'connector_http_503' }
          : { status: 'delivered' };
      },
    });
    w.start();
    await w.settle();
    await queue('flaky');
    await queue('due');
    await w.stop(10_000);
    // Queued after the worker stopped looking: the grace period still delivers the due one; the retry waits.
    expect(delivered.sort()).toEqual(['due', 'flaky']);
    expect(await row('due')).toMatchObject({ state: 'delivered' });
    expect(await row('flaky')).toMatchObject({ state: 'pending', attempts: 1 });

    await queue('after');
    await w.stop();
    expect(await row('after')).toMatchObject({ state: 'pending', attempts: 0 });
  });
});
