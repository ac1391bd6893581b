import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUES } from '../../bot/i18n/catalogues';
import { startTestApp, type TestApp } from '../support/testApp';
import { MEGAN } from '../support/demoUsers';
import { devUser, tabCall } from './support/tabClient';

const TAB_SOURCE = join(__dirname, '..', '..', 'tab');

interface MessagesReply {
  readonly lang: string;
  readonly locale: string;
  readonly messages: Record<string, unknown>;
}

/** The Licenses tab's words (README: Languages): GET /tab/messages?locale=…, the page's keys, the API's sentences. */
describe('the tab speaks the language of its locale', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const messages = async (locale: string) =>
    (await tabCall<MessagesReply>(t.url, `/tab/messages?locale=${encodeURIComponent(locale)}`)).body;

  it.each([
    ['de-DE', 'de', 'de-DE', 'Lizenzen', 'Übernehmen'],
    ['de-AT', 'de', 'de-AT', 'Lizenzen', 'Übernehmen'],
    ['fr-FR', 'fr', 'fr-FR', 'Licences', 'Appliquer'],
    ['es-MX', 'es', 'es-MX', 'Licencias', 'Aplicar'],
    ['ja-JP', 'ja', 'ja-JP', 'ライセンス', '適用'],
    ['en-US', 'en', 'en-US', 'Licenses', 'Apply'],
    ['pt-BR', 'en', 'pt-BR', 'Licenses', 'Apply'],
    ['', 'en', 'en-US', 'Licenses', 'Apply'],
    ['not a locale!', 'en', 'en-US', 'Licenses', 'Apply'],
  ])('%j: words in %s, numbers in %s', async (locale, lang, formatting, heading, apply) => {
    const reply = await messages(locale);
    expect([reply.lang, reply.locale, reply.messages.heading, reply.messages.apply]).toEqual([
      lang,
      formatting,
      heading,
      apply,
    ]);
  });

  it('sends the whole tab catalogue of the language, and nothing of the other areas', async () => {
    const reply = await messages('ja-JP');
    expect(Object.keys(reply.messages).sort()).toEqual(Object.keys(CATALOGUES.en.tab).sort());
    expect(reply.messages).toEqual(CATALOGUES.ja.tab);
  });

  it('qps-ploc: the English messages pre-parsed for the pseudo-locale, lang en', async () => {
    const reply = await messages('qps-ploc');
    expect([reply.lang, reply.locale]).toEqual(['en', 'en-US']);
    expect(Array.isArray(reply.messages.heading)).toBe(true);
    expect(JSON.stringify(reply.messages.heading)).toContain('Líçéñsés');
  });

  it('needs no sign-in, answers JSON that is never cached, and only to GET', async () => {
    const reply = await tabCall(t.url, '/tab/messages?locale=de-DE');
    expect([reply.status, reply.headers.get('content-type'), reply.headers.get('cache-control')]).toEqual([
      200,
      'application/json; charset=utf-8',
      'no-store',
    ]);
    const post = await tabCall(t.url, '/tab/messages', { method: 'POST', body: {} });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET']);
  });

  it('every key the page uses (t(…), data-i18n, ROLES) is in the English tab catalogue', () => {
    const files = [
      join(TAB_SOURCE, 'index.html'),
      ...readdirSync(join(TAB_SOURCE, 'src'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => join(TAB_SOURCE, 'src', f)),
    ];
    const used = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of [
        /\bt\('([A-Za-z]+)'/g,
        /data-i18n(?:-label)?="([A-Za-z]+)"/g,
        /title: '(role[A-Za-z]+)'/g,
      ])
        for (const match of text.matchAll(pattern)) used.add(match[1]);
    }
    expect(used.size).toBeGreaterThan(80);
    expect([...used].filter((key) => !(key in CATALOGUES.en.tab))).toEqual([]);
  });

  it("the API's sentences follow the page's locale (X-Locale): sign-in refusals, role titles", async () => {
    const refused = await tabCall(t.url, '/tab/api/subscriptions', {
      headers: { 'x-locale': 'de-DE', 'x-dev-user': 'not-a-user!' },
    });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe(CATALOGUES.de.tab.signInAgain);

    const english = await tabCall(t.url, '/tab/api/subscriptions', {
      headers: { 'x-locale': 'pt-BR', 'x-dev-user': 'not-a-user!' },
    });
    expect(english.body.error).toBe(
      'Your sign-in could not be confirmed. Sign in again: open License Desk in Microsoft Teams.',
    );
  });

  it('the Access page names the roles in the reader’s language', async () => {
    const access = await tabCall<{ profiles: { roles: { title: string }[] }[] }>(t.url, '/tab/api/access', {
      headers: { ...devUser(MEGAN), 'x-locale': 'ja-JP' },
    });
    expect(access.status).toBe(200);
    expect(access.body.profiles[0].roles.map((r) => r.title)).toEqual([
      'ライセンス管理者',
      '承認者',
      'アクセス管理者',
    ]);
  });
});
