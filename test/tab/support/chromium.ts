import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { describeNeeding } from '../../support/requiredComponent';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium package (README: Tests). */
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

/** A describe block that needs Chromium (see requiredComponent.ts). */
export function describeWithChromium(name: string, body: () => void): void {
  const missing = existsSync(CHROMIUM)
    ? undefined
    : `${CHROMIUM} is missing (install Debian's chromium: apt-get install -y chromium)`;
  describeNeeding('Chromium', missing, name, body);
}
