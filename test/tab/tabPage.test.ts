import { startTestApp, type TestApp } from '../support/testApp';
import { buildTab } from './support/buildTab';
import { devUser, tabCall } from './support/tabClient';
import { ALEX } from '../support/demoUsers';

const TEAMS_HOSTS = [
  'https://teams.microsoft.com',
  'https://*.teams.microsoft.com',
  'https://*.cloud.microsoft',
  'https://*.office.com',
  'https://*.microsoft365.com',
  'https://*.skype.com',
  'https://teams.live.com',
];

describe('the tab page is served by the bot server with headers that let only Teams frame it', () => {
  let t: TestApp;
  beforeAll(async () => {
    buildTab();
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  function directives(csp: string | null): Map<string, string[]> {
    return new Map(
      (csp ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((parts) => parts[0] !== '')
        .map(([name, ...values]) => [name, values]),
    );
  }

  it('GET /tab/: the page, framable by Teams and Microsoft 365 only, scripts from itself only', async () => {
    const page = await tabCall(t.url, '/tab/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-frame-options')).toBeNull();
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = directives(page.headers.get('content-security-policy'));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'self'", ...TEAMS_HOSTS]);
    expect(page.text).toContain('<h1 data-i18n="heading">Licenses</h1>');
  });

  it('the page has no inline script, no inline style and no event handler attribute (script-src self holds)', async () => {
    const { text } = await tabCall(t.url, '/tab/');
    const scripts = [...text.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attributes]) => /\bsrc="\/tab\/[a-z-]+\.js"/i.test(attributes))).toEqual([
      true,
      true,
    ]);
    expect(scripts.map(([, , body]) => body.trim())).toEqual(['', '']);
    expect(text).not.toMatch(/\sstyle=|<style\b|\son[a-z]+=/i);
  });

  it.each([
    ['/tab/styles.css', 'text/css; charset=utf-8', ':root'],
    ['/tab/app.js', 'text/javascript; charset=utf-8', "from './api.js'"],
    ['/tab/teams-js.js', 'text/javascript; charset=utf-8', 'microsoftTeams'],
    ['/tab/intl-messageformat.js', 'text/javascript; charset=utf-8', 'export { ErrorCode'],
  ])('GET %s: %s with the same headers', async (path, type, content) => {
    const file = await tabCall(t.url, path);
    expect([file.status, file.headers.get('content-type')]).toEqual([200, type]);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toContain('frame-ancestors');
    expect(file.text).toContain(content);
  });

  it.each([
    '/tab/nothing.js',
    '/tab/../package.json',
    '/tab/%2e%2e/package.json',
    '/tab/..%2fpackage.json',
    '/tab/src/app.ts',
    '/tab/tsconfig.json',
    '/tab/contract.d.ts',
  ])('GET %s: 404, nothing outside the list of files is served', async (path) => {
    const reply = await tabCall(t.url, path);
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain('"compilerOptions"');
    expect(reply.text).not.toContain('"dependencies"');
  });

  it('the API answers JSON that is never cached', async () => {
    const reply = await tabCall(t.url, '/tab/api/subscriptions', { headers: devUser(ALEX) });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-frame-options')).toBeNull();
  });
});
