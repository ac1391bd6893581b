import { Writable } from 'node:stream';
import type { Activity } from 'botbuilder';
import pino from 'pino';
import { createApp, type App, type AppOverrides } from '../../bot/app';
import { loadConfig, type Environment } from '../../bot/config';
import type { Log } from '../../bot/services/ports';
import { freshDatabase } from './database';
import { FakeConnector } from './fakeConnector';

export interface TestApp {
  readonly app: App;
  readonly connector: FakeConnector;
  readonly url: string;
  /** POSTs an activity to /api/messages the way the Bot Connector does. */
  post(
    activity: Partial<Activity>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown }>;
  /**
   * Waits until background work (submissions) is done and the outbox (card updates, approval cards,
   * notifications) has delivered everything due now.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const silentLog: Log = pino({ level: 'silent' });

/** A logger whose lines the test reads (and prints when a cell fails). */
export function capturingLog(): {
  log: pino.Logger;
  lines: Array<{ msg: string } & Record<string, unknown>>;
} {
  const lines: Array<{ msg: string } & Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines };
}

/**
 * The real server (restify + CloudAdapter) on 127.0.0.1 with a fresh embedded database, replying to a
 * fake Bot Connector on 127.0.0.1.
 */
export async function startTestApp(
  options: { env?: Environment; overrides?: AppOverrides; log?: Log } = {},
): Promise<TestApp> {
  const connector = new FakeConnector();
  await connector.start();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', ...options.env });
  const app = await createApp(config, options.log ?? silentLog, {
    // Made only when the caller gives none: an embedded database nobody closes keeps the test process alive.
    database: options.overrides?.database ?? (await freshDatabase()),
    maintenanceIntervalMs: 3_600_000,
    ...options.overrides,
  });
  const port = await app.start();
  const url = `http://127.0.0.1:${port}`;
  return {
    app,
    connector,
    url,
    async post(activity, headers = {}) {
      const response = await fetch(`${url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body };
    },
    async settle() {
      do {
        await app.work.idle();
        await app.outbox.settle();
      } while (app.work.pending > 0);
    },
    async close() {
      await app.close();
      await connector.stop();
    },
  };
}
