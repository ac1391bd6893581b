import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium package (ARCHITECTURE.md: browser tests). */
export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Chromium {
  readonly context: BrowserContext;
  /** Requests to anything but 127.0.0.1 that the page tried (and were aborted). */
  readonly blocked: string[];
  close(): Promise<void>;
}

/**
 * Headless Chromium with a fresh profile that reaches nothing but 127.0.0.1: every other request is aborted
 * and recorded, so a test never depends on (or leaks to) the network.
 */
export async function launchChromium(viewport = { width: 1280, height: 800 }): Promise<Chromium> {
  const profile = mkdtempSync(join(tmpdir(), 'license-desk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
    locale: 'en-US',
    timezoneId: 'UTC',
  });
  const blocked: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && (url.protocol === 'http:' || url.protocol === 'ws:')) {
      await route.continue();
    } else {
      blocked.push(route.request().url());
      await route.abort('blockedbyclient');
    }
  });
  return {
    context,
    blocked,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A describe block that needs Chromium. Without it the suite does not pass silently: under CI=true it fails,
 * elsewhere it says why it did not run.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, body);
    return;
  }
  const reason = `${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)`;
  describe(name, () => {
    if (process.env.CI === 'true') {
      it('needs Chromium (required under CI)', () => {
        throw new Error(reason);
      });
    } else {
      it('did not run: no Chromium here', () => {
        // eslint-disable-next-line no-console -- why a suite did not run must be visible in the test output
        console.warn(`${name}: not run. ${reason}`);
      });
    }
  });
}
