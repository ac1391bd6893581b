import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { MEGAN, PATTI } from '../support/demoUsers';
import { startTestApp, type TestApp } from '../support/testApp';
import { buildTab } from './support/buildTab';
import { describeWithChromium, launchChromium, type Chromium } from './support/chromium';

/** Screenshots for people to look at (git-ignored). */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

describeWithChromium("the tab's Access page in headless Chromium", () => {
  let browser: Chromium;
  let t: TestApp;
  let problems: string[];

  beforeAll(async () => {
    buildTab();
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    problems = [];
    t = await startTestApp();
  });
  afterEach(async () => {
    for (const page of browser.context.pages()) await page.close();
    await t.close();
  });

  async function openTab(query: string): Promise<Page> {
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource/.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    await page.goto(`${t.url}/tab/${query}`);
    await page.locator('#page[aria-busy="false"]').waitFor();
    return page;
  }

  /** Megan (Access Admin of both profiles) on the Access page. */
  async function openAccess(theme = 'default'): Promise<Page> {
    const page = await openTab(`?devUser=${MEGAN.aadObjectId}&theme=${theme}`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Access' }).click();
    await page.locator('#access-view .access-profile').first().waitFor();
    return page;
  }

  const profile = (page: Page, name: string): Locator =>
    page.locator('.access-profile', { has: page.getByRole('heading', { name, exact: true }) });
  const holders = (page: Page, name: string, role: string): Promise<string[]> =>
    profile(page, name).locator(`[data-role="${role}"] .person-name`).allInnerTexts();
  const roleOf = async (role: string, billingProfileId: string): Promise<string[]> => {
    const overview = await t.app.access.overview(MEGAN.aadObjectId);
    if (!overview.ok) throw new Error('Megan is no Access Admin');
    const entry = overview.value.find((p) => p.profile.id === billingProfileId);
    return entry?.members.find((m) => m.role === role)?.people.map((p) => p.name) ?? [];
  };

  it('Megan finds Patti by name, grants her Licenses Manager on Contoso HQ, and revokes it; the history shows both', async () => {
    const page = await openAccess();
    await expect(profile(page, 'Contoso HQ').count()).resolves.toBe(1);
    await expect(profile(page, 'Contoso EMEA').count()).resolves.toBe(1);
    expect(await holders(page, 'Contoso HQ', 'LicensesManager')).not.toContainEqual(
      expect.stringContaining('Patti Fernandez'),
    );

    await page.getByLabel('Find a person', { exact: true }).fill('fern');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('#grant-search-note', { hasText: '1 person found.' }).waitFor();
    await expect(page.getByLabel('Person', { exact: true }).inputValue()).resolves.toBe(PATTI.aadObjectId);
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Licenses Manager' });
    await page.getByLabel('Billing profile', { exact: true }).selectOption({ label: 'Contoso HQ' });
    await page.getByLabel('Reason (optional)', { exact: true }).fill('Buys for the sales team');
    await page.getByRole('button', { name: 'Grant', exact: true }).click();

    await page.locator('#message', { hasText: 'Patti Fernandez is now Licenses Manager.' }).waitFor();
    await expect(holders(page, 'Contoso HQ', 'LicensesManager')).resolves.toContainEqual(
      expect.stringContaining('Patti Fernandez'),
    );
    expect(await roleOf('LicensesManager', 'contoso-hq')).toContain('Patti Fernandez');
    await expect(page.locator('#access-audit li').first().innerText()).resolves.toMatch(
      /Megan Bowen granted Licenses Manager to Patti Fernandez on Contoso HQ[\s\S]*“Buys for the sales team”/,
    );

    await page
      .getByRole('button', { name: 'Revoke Licenses Manager from Patti Fernandez on Contoso HQ' })
      .click();
    await page.locator('#message', { hasText: 'Patti Fernandez is no longer Licenses Manager.' }).waitFor();
    expect(await holders(page, 'Contoso HQ', 'LicensesManager')).not.toContainEqual(
      expect.stringContaining('Patti Fernandez'),
    );
    expect(await roleOf('LicensesManager', 'contoso-hq')).not.toContain('Patti Fernandez');
    await expect(page.locator('#access-audit li').first().innerText()).resolves.toMatch(
      /Megan Bowen revoked Licenses Manager from Patti Fernandez on Contoso HQ/,
    );
    expect(problems).toEqual([]);
  });

  it('a refused grant or profile edit shows the server sentence and keeps every input as typed', async () => {
    const page = await openAccess();
    // Megan already is Approver on Contoso HQ: the server refuses the grant.
    await page.getByLabel('Find a person', { exact: true }).fill('megan');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('#grant-search-note', { hasText: '1 person found.' }).waitFor();
    await page.getByLabel('Role', { exact: true }).selectOption({ label: 'Approver' });
    await page.getByLabel('Billing profile', { exact: true }).selectOption({ label: 'Contoso HQ' });
    await page.getByLabel('Reason (optional)', { exact: true }).fill('Covers for Isaiah');
    await page.getByRole('button', { name: 'Grant', exact: true }).click();
    const error = page.locator('#grant-error');
    await error.waitFor();
    await expect(error.innerText()).resolves.toBe(
      'Megan Bowen already is Approver on Contoso HQ: nothing changed.',
    );
    await expect(page.getByLabel('Reason (optional)', { exact: true }).inputValue()).resolves.toBe(
      'Covers for Isaiah',
    );
    await expect(page.getByLabel('Find a person', { exact: true }).inputValue()).resolves.toBe('megan');
    await expect(page.getByLabel('Person', { exact: true }).inputValue()).resolves.toBe(MEGAN.aadObjectId);
    await expect(page.getByLabel('Role', { exact: true }).inputValue()).resolves.toBe('Approver');
    await expect(page.getByLabel('Billing profile', { exact: true }).inputValue()).resolves.toBe(
      'contoso-hq',
    );
    await expect(page.locator('#message').isVisible()).resolves.toBe(false);
    await page.locator('#grant-form').screenshot({ path: join(ARTIFACTS, 'tab-access-refused.png') });

    const hq = profile(page, 'Contoso HQ');
    await hq.getByLabel('Approval limit', { exact: true }).fill('-5');
    await hq.getByLabel('Name', { exact: true }).fill('Contoso Head Office');
    await hq.getByRole('button', { name: 'Save' }).click();
    await hq
      .getByRole('alert')
      .filter({ hasText: 'The approval limit cannot be negative: 0 sends every order to an approver.' })
      .waitFor();
    await expect(hq.getByLabel('Approval limit', { exact: true }).inputValue()).resolves.toBe('-5');
    await expect(hq.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Contoso Head Office');

    await hq.getByLabel('Approval limit', { exact: true }).fill('750');
    await hq.getByRole('button', { name: 'Save' }).click();
    await page.locator('#message', { hasText: 'Contoso Head Office is saved.' }).waitFor();
    await expect(
      profile(page, 'Contoso Head Office').locator('.card-hint').first().innerText(),
    ).resolves.toMatch(/approval limit 750(\.00)? USD/);
    expect(problems).toEqual([]);
  });

  it('someone who is not an Access Admin is not offered the page', async () => {
    const page = await openTab(`?devUser=${PATTI.aadObjectId}`);
    await expect(page.locator('#views').isVisible()).resolves.toBe(false);
    await expect(page.locator('#access-view').isVisible()).resolves.toBe(false);
    expect(problems).toEqual([]);
  });

  it.each(['default', 'dark', 'contrast'])('theme %s: a screenshot of the Access page', async (theme) => {
    const page = await openAccess(theme);
    await page.screenshot({ path: join(ARTIFACTS, `tab-access-${theme}.png`), fullPage: true });
    expect(problems).toEqual([]);
  });
});
