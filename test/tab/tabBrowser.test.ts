import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ALEX, MEGAN, PATTI, SUBSCRIPTIONS, demoRenewal } from '../support/demoUsers';
import { startTestApp, type TestApp } from '../support/testApp';
import { buildTab } from './support/buildTab';
import { describeWithChromium, launchChromium, type Chromium } from './support/chromium';
import { EntraKeys, TAB_TENANT_ID, productionEnv } from './support/entraKeys';

/** Screenshots for people to look at (git-ignored). */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

describeWithChromium('the Licenses tab in headless Chromium', () => {
  let browser: Chromium;
  let t: TestApp | undefined;
  let problems: string[];

  beforeAll(async () => {
    buildTab();
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    problems = [];
  });
  afterEach(async () => {
    for (const page of browser.context.pages()) await page.close();
    await t?.close();
    t = undefined;
  });

  const app = (): TestApp => {
    if (!t) throw new Error('no app');
    return t;
  };

  /** Opens the tab and waits for the list; script errors and CSP violations are collected as problems. */
  async function openTab(query = '', prepare?: (page: Page) => Promise<void>): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (
        message.type() === 'error' &&
        !/Failed to load resource|net::ERR_BLOCKED_BY_CLIENT/.test(message.text())
      ) {
        problems.push(`console: ${message.text()}`);
      }
    });
    await prepare?.(page);
    await page.goto(`${app().url}/tab/${query}`);
    await page.locator('#page[aria-busy="false"]').waitFor();
    return page;
  }

  const row = (page: Page, product: string): Locator =>
    page.locator('#subscription-rows tr', { has: page.locator('th', { hasText: product }) });
  const cell = (page: Page, product: string, column: string): Locator =>
    row(page, product).locator(`[data-column="${column}"]`);
  const add = (page: Page, product: string) =>
    row(page, product).getByRole('button', { name: /^Add a seat/ });
  const remove = (page: Page, product: string) =>
    row(page, product).getByRole('button', { name: /^Remove a seat/ });
  const quantity = async (id: string) => (await app().app.provider.getSubscription(id))?.quantity;

  async function press(button: Locator, times: number): Promise<void> {
    for (let i = 0; i < times; i += 1) await button.click();
  }

  describe('outside Teams: the local development identity', () => {
    beforeEach(async () => {
      t = await startTestApp();
    });

    it('lists the subscriptions with domain, billing profile, plan, quantity, in use, free and monthly cost', async () => {
      const page = await openTab();
      await expect(page.locator('#banner').innerText()).resolves.toBe(
        'Outside Teams: you are Alex Wilber, the local development identity. In Teams, single sign-on tells License Desk who you are.',
      );
      await expect(page.locator('#subscription-rows tr').count()).resolves.toBe(4);
      const columns = ['domain', 'billing-profile', 'plan', 'quantity', 'in-use', 'free', 'monthly-cost'];
      const read = async (product: string) =>
        Promise.all(columns.map(async (c) => (await cell(page, product, c).innerText()).trim()));
      await expect(read('Microsoft 365 Business Standard')).resolves.toEqual([
        'contoso.com',
        'Contoso HQ',
        'FLEXIBLE',
        expect.stringMatching(/^−?\s*25\s*\+$/),
        '21',
        '4',
        '$312.50',
      ]);
      await expect(read('Office 365 E3')).resolves.toEqual([
        'contoso.com',
        'Contoso HQ',
        'ANNUAL',
        expect.stringMatching(/^−?\s*120\s*\+$/),
        '118',
        '2',
        '$2,760.00',
      ]);
      await expect(read('Microsoft 365 E5')).resolves.toEqual([
        'contoso.eu',
        'Contoso EMEA',
        'ANNUAL',
        expect.stringMatching(/^10\s*\+$/),
        '10',
        '0',
        '$570.00',
      ]);
      await expect(page.locator('#apply').isDisabled()).resolves.toBe(true);
      expect(problems).toEqual([]);
    });

    it('Alex adds 5 seats to Business Standard with +, Apply and Approve: the list shows 30', async () => {
      const page = await openTab();
      await press(add(page, 'Microsoft 365 Business Standard'), 5);
      await expect(cell(page, 'Microsoft 365 Business Standard', 'quantity').innerText()).resolves.toMatch(
        /25\s*→\s*30[\s\S]*\+5/,
      );
      await expect(
        cell(page, 'Microsoft 365 Business Standard', 'monthly-cost').innerText(),
      ).resolves.toMatch(/\$312\.50\s*\+\$62\.50 a month/);

      await page.locator('#apply').click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      await expect(dialog.locator('h2').innerText()).resolves.toBe(
        'Confirm: add 5 seats to Microsoft 365 Business Standard',
      );
      const confirmation = await dialog.innerText();
      expect(confirmation).toMatch(/Seats\s+25 → 30 \(\+5\)/);
      expect(confirmation).toMatch(/Monthly cost\s+\$312\.50 → \$375\.00 \(\+\$62\.50\)/);
      expect(confirmation).toContain('Your monthly payment increases by $62.50 to cover the new licenses.');
      await expect(dialog.getByRole('button').allInnerTexts()).resolves.toEqual(['Cancel', 'Approve']);
      expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(25);

      await dialog.getByRole('button', { name: 'Approve' }).click();
      await dialog.getByText('Completed: Microsoft 365 Business Standard now has 30 seats.').waitFor();
      await expect(cell(page, 'Microsoft 365 Business Standard', 'quantity').innerText()).resolves.toMatch(
        /^−?\s*30\s*\+$/,
      );
      await expect(cell(page, 'Microsoft 365 Business Standard', 'monthly-cost').innerText()).resolves.toBe(
        '$375.00',
      );
      expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(30);
      const { orders } = await app().app.orders.listRecent(ALEX.aadObjectId, 1, 10);
      expect(orders.map((o) => [o.state, o.expectedQuantity, o.targetQuantity])).toEqual([
        ['completed', 25, 30],
      ]);

      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect(page.locator('#orders li').first().innerText()).resolves.toMatch(
        /Add 5 seats to Microsoft 365 Business Standard[\s\S]*Completed: Microsoft 365 Business Standard now has 30 seats\./,
      );
      expect(problems).toEqual([]);
    });

    it("− only where seats can go (not on E5, every seat in use); on a FLEXIBLE row − stops at the seats in use, and the credit is on next month's bill", async () => {
      const page = await openTab();
      await expect(remove(page, 'Microsoft 365 E5').count()).resolves.toBe(0);
      await expect(add(page, 'Microsoft 365 E5').count()).resolves.toBe(1);
      await expect(remove(page, 'Microsoft 365 Business Basic').count()).resolves.toBe(1);

      const minus = remove(page, 'Microsoft 365 Business Standard');
      await press(minus, 4);
      await expect(minus.isDisabled()).resolves.toBe(true);
      await expect(cell(page, 'Microsoft 365 Business Standard', 'quantity').innerText()).resolves.toMatch(
        /25\s*→\s*21[\s\S]*−4/,
      );

      await page.locator('#apply').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Approve' }).waitFor();
      await expect(dialog.innerText()).resolves.toContain(
        "The credit of $50.00 a month appears on next month's bill.",
      );
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await dialog.getByText('Completed: Microsoft 365 Business Standard now has 21 seats.').waitFor();
      expect(await quantity(SUBSCRIPTIONS.businessStandard)).toBe(21);
      expect(problems).toEqual([]);
    });

    it('E3 (ANNUAL, bought long ago): − schedules the reduction for the renewal; the row shows it, and it can be cancelled', async () => {
      const page = await openTab();
      const renewal = demoRenewal(5);
      await expect(row(page, 'Office 365 E3').innerText()).resolves.toContain(
        `Annual term · renews ${renewal} · auto-renew on`,
      );
      const minus = remove(page, 'Office 365 E3');
      await press(minus, 2);
      await expect(minus.isDisabled()).resolves.toBe(true); // 118 of 120 in use
      await page.locator('#apply').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Approve' }).waitFor();
      await expect(dialog.locator('h2').innerText()).resolves.toBe(
        `Confirm: remove 2 seats from Office 365 E3 at renewal on ${renewal}`,
      );
      await expect(dialog.innerText()).resolves.toContain(
        `You keep paying for these seats until the renewal on ${renewal}`,
      );
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await dialog
        .getByText(`Completed: scheduled, Office 365 E3 goes from 120 to 118 seats at renewal on ${renewal}.`)
        .waitFor();
      await dialog.getByRole('button', { name: 'Done' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const scheduled = cell(page, 'Office 365 E3', 'scheduled');
      await expect(scheduled.innerText()).resolves.toContain(
        `scheduled: 120 -> 118 at renewal on ${renewal}`,
      );
      expect(await quantity(SUBSCRIPTIONS.e3)).toBe(120);

      await scheduled.getByRole('button', { name: 'Cancel scheduled change' }).click();
      await dialog.getByRole('button', { name: 'Approve' }).waitFor();
      await expect(dialog.locator('h2').innerText()).resolves.toBe(
        'Confirm: cancel the scheduled change to Office 365 E3',
      );
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await dialog
        .getByText('Completed: the scheduled change was cancelled; Office 365 E3 renews with 120 seats.')
        .waitFor();
      await dialog.getByRole('button', { name: 'Done' }).click();
      await expect(cell(page, 'Office 365 E3', 'scheduled').count()).resolves.toBe(0);
      expect(problems).toEqual([]);
    });

    it('Cancel in the confirmation orders nothing and keeps the change to adjust', async () => {
      const page = await openTab();
      await press(add(page, 'Microsoft 365 Business Basic'), 2);
      await page.locator('#apply').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
      // The page cancels the draft through the API, then says so: wait for the sentence, not a fixed time.
      const message = page.locator('#message');
      await message.filter({ hasText: 'Cancelled. Nothing was ordered.' }).waitFor();
      await expect(message.innerText()).resolves.toBe('Cancelled. Nothing was ordered.');
      await page.getByRole('dialog').waitFor({ state: 'hidden' });
      await expect(cell(page, 'Microsoft 365 Business Basic', 'quantity').innerText()).resolves.toMatch(
        /40\s*→\s*42/,
      );
      expect(await quantity(SUBSCRIPTIONS.businessBasic)).toBe(40);
      const { orders } = await app().app.orders.listRecent(ALEX.aadObjectId, 1, 10);
      expect(orders.map((o) => o.state)).toEqual(['cancelled']);
      expect(problems).toEqual([]);
    });

    it('above the approval limit: Approve sends the order to an approver, and the page says to whom', async () => {
      const page = await openTab();
      await press(add(page, 'Office 365 E3'), 22);
      await page.locator('#apply').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Approve' }).waitFor();
      await expect(dialog.innerText()).resolves.toContain(
        'Approve sends this order to an approver: its monthly cost change is above the approval limit.',
      );
      await dialog.getByRole('button', { name: 'Approve' }).click();
      await dialog.getByText('Waiting for approval by Megan Bowen or Isaiah Langer.').waitFor();
      expect(await quantity(SUBSCRIPTIONS.e3)).toBe(120);
      const { orders } = await app().app.orders.listRecent(ALEX.aadObjectId, 1, 10);
      expect(orders.map((o) => [o.state, o.targetQuantity])).toEqual([['pending_approval', 142]]);

      // Megan opens the tab from the activity feed's deep link to that order: it is in view, marked, focused.
      const megans = await openTab(`?devUser=${MEGAN.aadObjectId}&order=${orders[0].id}`);
      const linked = megans.locator(`#approvals [data-order-id="${orders[0].id}"]`);
      await linked.waitFor();
      await expect(
        linked.evaluate((e) => [e.classList.contains('linked'), e.ownerDocument.activeElement === e]),
      ).resolves.toEqual([true, true]);
      expect(problems).toEqual([]);
    });

    it('Patti, who has no access, reads which permission is missing and who grants it', async () => {
      const page = await openTab(`?devUser=${PATTI.aadObjectId}`);
      const message = page.locator('#message');
      await expect(message.innerText()).resolves.toBe(
        "You don't have the Licenses Manager permission on any billing profile, so there is no subscription you can buy or remove seats for. Ask Megan Bowen (meganb@contoso.com) to grant it.",
      );
      await expect(message.locator('strong').innerText()).resolves.toBe('Licenses Manager');
      await expect(page.locator('#subscriptions-card').isVisible()).resolves.toBe(false);
      expect(problems).toEqual([]);
    });

    it('words, money and numbers follow the locale (?locale=de-DE outside Teams, the Teams context inside)', async () => {
      const page = await openTab('?locale=de-DE');
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
      await expect(page.locator('h1').innerText()).resolves.toBe('Lizenzen');
      await expect(page.locator('#apply').innerText()).resolves.toBe('Übernehmen');
      await expect(page.locator('#subscriptions-card th').allInnerTexts()).resolves.toEqual(
        expect.arrayContaining(['Produkt', 'Menge', 'Monatliche Kosten']),
      );
      await expect(cell(page, 'Office 365 E3', 'monthly-cost').innerText()).resolves.toBe('2.760,00\u00a0$');
      await press(row(page, 'Office 365 E3').getByRole('button', { name: /^Eine Lizenz zu/ }), 1);
      await expect(cell(page, 'Office 365 E3', 'monthly-cost').innerText()).resolves.toContain(
        '+23,00\u00a0$ pro Monat',
      );
      await page.locator('#apply').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Genehmigen' }).waitFor();
      await expect(dialog.getByRole('button').allInnerTexts()).resolves.toEqual(['Abbrechen', 'Genehmigen']);
      await expect(dialog.innerText()).resolves.toContain('23,00\u00a0$');
      expect(problems).toEqual([]);
    });

    it.each([
      ['ja-JP', 'ja', 'ライセンス', '適用', '製品'],
      ['pt-BR', 'en', 'Licenses', 'Apply', 'Product'],
    ])(
      '?locale=%s: <html lang="%s">, heading %s, button %s',
      async (locale, lang, heading, apply, column) => {
        const page = await openTab(`?locale=${locale}`);
        await expect(page.locator('html').getAttribute('lang')).resolves.toBe(lang);
        await expect(page.locator('h1').innerText()).resolves.toBe(heading);
        await expect(page.locator('#apply').innerText()).resolves.toBe(apply);
        await expect(page.locator('#subscriptions-card th').first().innerText()).resolves.toBe(column);
        await expect(page.title()).resolves.toBe(`${heading} · License Desk`);
        expect(problems).toEqual([]);
      },
    );

    it('qps-ploc: every word of the page comes from the catalogue (accented, bracketed)', async () => {
      const page = await openTab('?locale=qps-ploc');
      await expect(page.locator('h1').innerText()).resolves.toMatch(/^\[Líçéñsés·+\]$/);
      const fixed = await page
        .locator('[data-i18n]')
        .evaluateAll((elements) => elements.map((e) => e.textContent ?? ''));
      expect(fixed.filter((text) => !/^\[[\s\S]*·\]$/.test(text))).toEqual([]);
      await expect(page.locator('#pending-summary').innerText()).resolves.toMatch(/^\[.*·\]$/);
      expect(problems).toEqual([]);
    });

    it.each([
      ['default', 'rgb(245, 245, 245)'],
      ['dark', 'rgb(31, 31, 31)'],
      ['contrast', 'rgb(0, 0, 0)'],
    ])(
      'theme %s (?theme= outside Teams): screenshots of the list and the confirmation',
      async (theme, background) => {
        const page = await openTab(`?theme=${theme}`);
        await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(theme);
        await expect(page.evaluate('getComputedStyle(document.body).backgroundColor')).resolves.toBe(
          background,
        );
        await press(add(page, 'Microsoft 365 Business Standard'), 5);
        await press(remove(page, 'Microsoft 365 Business Basic'), 3);
        await page.screenshot({ path: join(ARTIFACTS, `tab-${theme}.png`), fullPage: true });
        await page.locator('#apply').click();
        await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).waitFor();
        await page.screenshot({ path: join(ARTIFACTS, `tab-${theme}-confirm.png`) });
        await page.getByRole('dialog').getByRole('button', { name: 'Approve' }).click();
        await page.getByRole('dialog').getByRole('button', { name: 'Done' }).waitFor();
        await page.screenshot({ path: join(ARTIFACTS, `tab-${theme}-result.png`) });
        expect(problems).toEqual([]);
      },
    );
  });

  describe('inside Teams (a stand-in for the Teams host in place of the teams-js bundle)', () => {
    const keys = new EntraKeys();
    beforeAll(async () => {
      await keys.start();
    });
    afterAll(async () => {
      await keys.stop();
    });
    beforeEach(async () => {
      t = await startTestApp({ env: productionEnv(keys) });
    });

    /**
     * What the page calls of teams-js, answered as Teams would: the context (locale, theme, user), a single
     * sign-on token, and theme changes that the test triggers through window.teamsStandIn.setTheme.
     */
    function teamsStandIn(token: string): string {
      return `(() => {
        const calls = [];
        let themeHandler;
        window.teamsStandIn = { calls, setTheme: (theme) => themeHandler && themeHandler(theme) };
        window.microsoftTeams = {
          app: {
            initialize: async () => { calls.push('app.initialize'); },
            getContext: async () => {
              calls.push('app.getContext');
              return { app: { locale: 'de-DE', theme: 'dark' }, user: { displayName: 'Alex Wilber' } };
            },
            registerOnThemeChangeHandler: (handler) => {
              calls.push('app.registerOnThemeChangeHandler');
              themeHandler = handler;
            },
            notifySuccess: () => { calls.push('app.notifySuccess'); },
          },
          authentication: {
            getAuthToken: async () => { calls.push('authentication.getAuthToken'); return ${JSON.stringify(token)}; },
          },
        };
      })();`;
    }

    it('signs in with the SSO token, follows the context locale and theme changes, and orders as Alex', async () => {
      const token = await keys.sign(keys.claimsFor(ALEX));
      const apiCalls: Array<{ authorization?: string; devUser?: string }> = [];
      const page = await openTab('', async (p) => {
        await p.route('**/tab/teams-js.js', (route) =>
          route.fulfill({ contentType: 'text/javascript', body: teamsStandIn(token) }),
        );
        p.on('request', (request) => {
          if (!request.url().includes('/tab/api/')) return;
          const headers = request.headers();
          apiCalls.push({ authorization: headers.authorization, devUser: headers['x-dev-user'] });
        });
      });

      await expect(page.locator('#banner').isVisible()).resolves.toBe(false);
      await expect(page.locator('#who').innerText()).resolves.toMatch(/Alex Wilber$/);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
      await expect(page.locator('h1').innerText()).resolves.toBe('Lizenzen');
      await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('dark');
      await expect(cell(page, 'Office 365 E3', 'monthly-cost').innerText()).resolves.toBe('2.760,00\u00a0$');

      for (const theme of ['contrast', 'default', 'dark']) {
        await page.evaluate(`window.teamsStandIn.setTheme(${JSON.stringify(theme)})`);
        await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe(theme);
      }

      await row(page, 'Microsoft 365 Business Basic')
        .getByRole('button', { name: /^Eine Lizenz zu/ })
        .click();
      await page.locator('#apply').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('button', { name: 'Genehmigen' }).click();
      await dialog.locator('article.result[data-state="completed"]').waitFor();
      await expect(dialog.getByRole('button').allInnerTexts()).resolves.toEqual(['Fertig']);
      const { orders } = await app().app.orders.listRecent(ALEX.aadObjectId, 1, 10);
      expect(orders.map((o) => [o.state, o.tenantId])).toEqual([['completed', TAB_TENANT_ID]]);

      expect(apiCalls.length).toBeGreaterThanOrEqual(4);
      expect(apiCalls.every((c) => c.authorization === `Bearer ${token}` && c.devUser === undefined)).toBe(
        true,
      );
      await expect(page.evaluate('window.teamsStandIn.calls')).resolves.toEqual(
        expect.arrayContaining([
          'app.initialize',
          'app.getContext',
          'app.registerOnThemeChangeHandler',
          'authentication.getAuthToken',
          'app.notifySuccess',
        ]),
      );
      expect(problems).toEqual([]);
    });

    it('outside Teams, a production server refuses the development identity and the page says to sign in', async () => {
      const page = await openTab();
      await expect(page.locator('#message').innerText()).resolves.toBe(
        'Your sign-in could not be confirmed. Sign in again: open License Desk in Microsoft Teams.',
      );
      await expect(page.locator('#subscriptions-card').isVisible()).resolves.toBe(false);
      await expect(page.locator('#banner').isVisible()).resolves.toBe(false);
    });
  });
});
