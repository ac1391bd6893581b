import { gzipSync } from 'node:zlib';
import type { Activity } from 'botbuilder';
import { ALEX, TENANT_ID } from '../support/demoUsers';
import { textOf } from '../support/cards';
import { BotFrameworkKeys, FixedOutboundToken } from '../support/botFrameworkTokens';
import { rawRequest, type RawResponse } from '../support/rawHttp';
import { cardAction, message } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

/**
 * Hostile requests at the HTTP edge, as an attacker on the open internet sends them (README: Security): none
 * may end the process, bloat it or get a JavaScript error text back, and after each one the bot answers a
 * normal turn.
 */

const JSON_TYPE: [string, string] = ['Content-Type', 'application/json'];
const GZIP: [string, string] = ['Content-Encoding', 'gzip'];
/** 51 KB of gzip that inflates to 50 MB of JSON (a "zip bomb"). */
const BOMB = gzipSync(
  Buffer.concat([
    Buffer.from('{"type":"message","text":"'),
    Buffer.alloc(50 * 1024 * 1024, 0x61),
    Buffer.from('"}'),
  ]),
);
/** A 300 KB activity: above the default limit of 256 KB. */
const LARGE = JSON.stringify({ type: 'message', text: 'x'.repeat(300 * 1024) });

/** What a client may read in an error: a sentence of ours, never an exception's text or a stack. */
function expectPlainSentence(response: RawResponse | { status: number; body: string }): void {
  const body = JSON.parse(response.body) as { error?: unknown };
  expect(typeof body.error).toBe('string');
  expect(body.error).toMatch(/^[A-Z].*\.$/);
  expect(body.error).not.toMatch(
    /Error|is not a function|Unexpected (token|end)|JSON input|incorrect header|undefined|null|\bat \S+:\d+/,
  );
}

interface Hostile {
  readonly name: string;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer | string;
  readonly status: number;
}

const HOSTILE: readonly Hostile[] = [
  // The reproduction: curl ... -H 'Content-Encoding: gzip' -d '{"type":"message"}'
  { name: 'says gzip but is not', headers: [JSON_TYPE, GZIP], body: '{"type":"message"}', status: 400 },
  {
    name: 'gzip cut short',
    headers: [JSON_TYPE, GZIP],
    body: gzipSync('{"type":"message","text":"hello"}').subarray(0, 20),
    status: 400,
  },
  {
    name: 'an encoding it does not take (br)',
    headers: [JSON_TYPE, ['Content-Encoding', 'br']],
    body: 'x',
    status: 415,
  },
  {
    name: 'two encodings (gzip, gzip)',
    headers: [JSON_TYPE, ['Content-Encoding', 'gzip, gzip']],
    body: gzipSync(gzipSync('{}')),
    status: 415,
  },
  { name: 'a 50 MB gzip bomb of 51 KB', headers: [JSON_TYPE, GZIP], body: BOMB, status: 413 },
  { name: 'a declared body over the limit', headers: [JSON_TYPE], body: LARGE, status: 413 },
  {
    name: 'a chunked body over the limit',
    headers: [JSON_TYPE, ['Transfer-Encoding', 'chunked']],
    body: `${Buffer.byteLength(LARGE).toString(16)}\r\n${LARGE}\r\n0\r\n\r\n`,
    status: 413,
  },
  { name: 'not JSON', headers: [JSON_TYPE], body: '{"type":"message",', status: 400 },
  {
    name: 'not UTF-8',
    headers: [JSON_TYPE],
    body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    status: 400,
  },
  {
    name: 'nested 10,000 deep',
    headers: [JSON_TYPE],
    body: `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    status: 400,
  },
];

const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['POST', '/api/messages'],
  ['POST', '/tab/api/orders'],
  ['GET', '/healthz'],
];

describe('hostile requests at the HTTP edge: the bot stays up and answers the next turn', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t.close();
  });

  const host = (): [string, string] => ['Host', `127.0.0.1:${port}`];
  const answersANormalTurn = async () => {
    const before = t.connector.messages().length;
    const response = await t.post(message(ALEX, 'help', { serviceUrl: t.connector.serviceUrl }));
    expect(response.status).toBe(200);
    expect(t.connector.messages()).toHaveLength(before + 1);
    expect(textOf(t.connector.messages().at(-1))).toContain('**License Desk** commands');
  };

  describe.each(ROUTES)('%s %s', (method, path) => {
    it.each(HOSTILE)('$name: $status with a sentence, then a normal turn', async (hostile) => {
      const response = await rawRequest(port, {
        method,
        path,
        headers: [host(), ['X-Dev-User', ALEX.aadObjectId], ...hostile.headers],
        body: hostile.body,
      });
      expect(response?.status).toBe(hostile.status);
      expectPlainSentence(response as RawResponse);
      await answersANormalTurn();
    });

    it('a client that gives up in the middle of its body: nothing breaks', async () => {
      const response = await rawRequest(port, {
        method,
        path,
        headers: [host(), JSON_TYPE, ['Content-Length', '1000']],
        body: '{"type":"message","text":"' + 'x'.repeat(900),
        abortAfterBytes: 100,
      });
      expect(response).toBeUndefined();
      await answersANormalTurn();
    });
  });

  describe('anything that is not an activity gets 400 and a sentence before the SDK sees it', () => {
    const activity = (changes: Record<string, unknown>) =>
      JSON.stringify({ ...message(ALEX, 'help', { serviceUrl: t.connector.serviceUrl }), ...changes });
    const cases: Array<[string, () => string, string]> = [
      ['{}', () => '{}', 'application/json'],
      ['type a number', () => '{"type":5}', 'application/json'],
      ['type null', () => '{"type":null}', 'application/json'],
      ['type an array', () => '{"type":[]}', 'application/json'],
      ['an array', () => '[{"type":"message"}]', 'application/json'],
      ['a form', () => 'type=message&text=help', 'application/x-www-form-urlencoded'],
      ['XML', () => '<activity><type>message</type></activity>', 'application/xml'],
      ['serviceUrl a number', () => activity({ serviceUrl: 5 }), 'application/json'],
      [
        'serviceUrl an array',
        () => activity({ serviceUrl: ['https://smba.trafficmanager.net/'] }),
        'application/json',
      ],
      ['serviceUrl not a URL', () => activity({ serviceUrl: 'smba' }), 'application/json'],
      [
        'serviceUrl with credentials',
        () => activity({ serviceUrl: 'https://u:p@smba.example/' }),
        'application/json',
      ],
      [
        'serviceUrl plain http to another machine',
        () => activity({ serviceUrl: 'http://10.0.0.8/' }),
        'application/json',
      ],
      ['no conversation', () => activity({ conversation: undefined }), 'application/json'],
      ['conversation.id a number', () => activity({ conversation: { id: 7 } }), 'application/json'],
      ['from.id missing', () => activity({ from: { name: 'x' } }), 'application/json'],
      ['recipient an array', () => activity({ recipient: [] }), 'application/json'],
      ['id an object', () => activity({ id: {} }), 'application/json'],
      ['text an object', () => activity({ text: { a: 1 } }), 'application/json'],
      ['entities an object', () => activity({ entities: {} }), 'application/json'],
    ];

    it.each(cases)('%s', async (_, body, type) => {
      const calls = t.connector.calls.length;
      const response = await fetch(`${t.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': type },
        body: body(),
      });
      const text = await response.text();
      expect(response.status).toBe(400);
      expectPlainSentence({ status: response.status, body: text });
      expect(text).not.toContain('toLowerCase');
      expect(t.connector.calls).toHaveLength(calls);
      await answersANormalTurn();
    });

    it('an invoke it does not know keeps the SDK answer: 501 and no body', async () => {
      const invoke = cardAction(ALEX, 'x', {}, { serviceUrl: t.connector.serviceUrl }) as Partial<Activity>;
      invoke.name = 'composeExtension/unknown';
      const response = await rawRequest(port, {
        method: 'POST',
        path: '/api/messages',
        headers: [host(), JSON_TYPE],
        body: JSON.stringify(invoke),
      });
      expect(response?.status).toBe(501);
      expect(response?.body).toBe('');
      await answersANormalTurn();
    });
  });

  describe('Host: one, and in local development a loopback name', () => {
    it.each([
      ['GET', '/tab/api/subscriptions'],
      ['POST', '/api/messages'],
      ['GET', '/healthz'],
    ])('two Host headers (127.0.0.1, then evil.example): %s %s gets 400', async (method, path) => {
      const response = await rawRequest(port, {
        method,
        path,
        headers: [
          ['Host', '127.0.0.1'],
          ['Host', 'evil.example'],
          ['X-Dev-User', ALEX.aadObjectId],
          JSON_TYPE,
        ],
        body:
          method === 'POST'
            ? JSON.stringify(message(ALEX, 'help', { serviceUrl: t.connector.serviceUrl }))
            : '',
      });
      expect(response?.status).toBe(400);
      expectPlainSentence(response as RawResponse);
      expect(response?.body).not.toContain('Alex');
      await answersANormalTurn();
    });

    it.each(['evil.example', 'evil.example:3978', '127.0.0.1.evil.example', 'localhost.evil.example'])(
      'Host %s gets 400 in local development',
      async (name) => {
        const response = await rawRequest(port, {
          method: 'GET',
          path: '/tab/api/subscriptions',
          headers: [
            ['Host', name],
            ['X-Dev-User', ALEX.aadObjectId],
          ],
        });
        expect(response?.status).toBe(400);
        expectPlainSentence(response as RawResponse);
        await answersANormalTurn();
      },
    );

    it.each(['127.0.0.1', `127.0.0.1:3978`, 'localhost:3978', '[::1]:3978', 'LOCALHOST'])(
      'Host %s is served',
      async (name) => {
        const response = await rawRequest(port, {
          method: 'GET',
          path: '/tab/api/subscriptions',
          headers: [
            ['Host', name],
            ['X-Dev-User', ALEX.aadObjectId],
          ],
        });
        expect(response?.status).toBe(200);
      },
    );
  });
});

describe('in production (MicrosoftAppId set) the same requests are refused before authentication', () => {
  const APP_ID = '5f6e7d8c-9b0a-4c1d-8e2f-3a4b5c6d7e8f';
  const keys = new BotFrameworkKeys();
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    await keys.start();
    t = await startTestApp({
      env: { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', MicrosoftAppTenantId: TENANT_ID },
      overrides: {
        authentication: keys.authenticationSettings,
        credentialsFactory: new FixedOutboundToken(APP_ID, 'secret', TENANT_ID),
      },
    });
    port = Number(new URL(t.url).port);
  });
  afterAll(async () => {
    await t.close();
    await keys.stop();
  });

  const answersASignedTurn = async () => {
    const token = await keys.token({ aud: APP_ID, serviceurl: t.connector.serviceUrl });
    const response = await t.post(message(ALEX, 'help', { serviceUrl: t.connector.serviceUrl }), {
      authorization: `Bearer ${token}`,
    });
    expect(response.status).toBe(200);
    expect(textOf(t.connector.messages().at(-1))).toContain('**License Desk** commands');
  };

  it.each(HOSTILE.filter((h) => h.status !== 413 || h.name.includes('bomb')))(
    '$name: $status, then a signed turn',
    async (hostile) => {
      const response = await rawRequest(port, {
        method: 'POST',
        path: '/api/messages',
        headers: [['Host', 'licenses.contoso.com'], ...hostile.headers],
        body: hostile.body,
      });
      expect(response?.status).toBe(hostile.status);
      expectPlainSentence(response as RawResponse);
      await answersASignedTurn();
    },
  );

  it('any host name is served, but only one', async () => {
    expect(
      (
        await rawRequest(port, {
          method: 'GET',
          path: '/healthz',
          headers: [['Host', 'licenses.contoso.com']],
        })
      )?.status,
    ).toBe(200);
    const twice = await rawRequest(port, {
      method: 'GET',
      path: '/healthz',
      headers: [
        ['Host', 'licenses.contoso.com'],
        ['Host', 'evil.example'],
      ],
    });
    expect(twice?.status).toBe(400);
    await answersASignedTurn();
  });
});
