import { plainText } from '../../bot/teams/presenters/format';
import { replies } from '../../bot/teams/presenters/replies';
import { ALEX, ISAIAH, MEGAN } from '../support/demoUsers';
import { adaptiveCardOf, cardText, executeActions } from '../support/cards';
import type { ConnectorCall } from '../support/fakeConnector';
import { cardAction, message, personalConversationId } from '../support/teamsActivities';
import { startTestApp, type TestApp } from '../support/testApp';

/** Text from people is shown as text (README: Security): one function, bot/teams/presenters/format.ts plainText. */
const RLO = '\u202E';

describe('plainText: what people typed reads as what they typed, and nothing else', () => {
  it.each([
    ['a markdown link', '[click](javascript:alert(1))', '\\[click\\]\\(javascript:alert\\(1\\)\\)'],
    ['HTML', '<script>alert(1)</script>', '‹script›alert\\(1\\)‹/script›'],
    ['a mention tag', '<at>Megan Bowen</at>', '‹at›Megan Bowen‹/at›'],
    ['a lone right-to-left override', `${RLO}5`, '5'],
    [
      'every bidirectional control',
      '\u202A\u202B\u202C\u202D\u2066\u2067\u2068\u2069\u200E\u200F\u061Cok',
      'ok',
    ],
    [
      'emphasis and code',
      '**bold** _it_ ~~gone~~ `code`',
      '\\*\\*bold\\*\\* \\_it\\_ \\~\\~gone\\~\\~ \\`code\\`',
    ],
    ['a table', 'a | b', 'a \\| b'],
    ['line breaks and a list', 'fine\n- item\n# title', 'fine - item # title'],
    ['a list at the start', '- item', '\\- item'],
    ['a numbered list at the start', '1. item', '1\\. item'],
    ['a heading at the start', '## big', '\\## big'],
    ['a quote at the start', '> quoted', '› quoted'],
    ['control characters', 'a\u0000b\u0007c\u009Bd', 'a b c d'],
    ['a backslash', 'C:\\temp', 'C:\\\\temp'],
    ['numbers and plain words', '2.5 seats, -3, 1e3, #5', '2.5 seats, -3, 1e3, #5'],
    ['emoji', '🎉 👨‍👩‍👧', '🎉 👨‍👩‍👧'],
  ])('%s', (_, typed, shown) => {
    expect(plainText(typed)).toBe(shown);
  });

  it('every echo of typed text in the replies goes through it', () => {
    const hostile = `[click](javascript:alert(1)) <script>${RLO}`;
    const echoes = [
      replies.notUnderstood(hostile, { locale: 'en-US' }),
      replies.subscriptionNotMatched(hostile, ['1. Office 365 E3 (contoso.com)'], { locale: 'en-US' }),
      replies.subscriptionAmbiguous(hostile, ['A', 'B'], { locale: 'en-US' }),
      replies.seatCountProblem('not_a_number', hostile, 300, 'increase', { locale: 'en-US' }),
    ];
    for (const echo of echoes) {
      expect(echo).not.toContain('[click]');
      expect(echo).not.toContain('](');
      expect(echo).not.toContain('<script>');
      expect(echo).not.toContain(RLO);
    }
  });
});

describe('echoed text through the bot, as the issue typed it', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const where = () => ({ serviceUrl: t.connector.serviceUrl });
  const lastText = () => String(t.connector.messages().at(-1)?.body.text ?? '');

  it.each([
    ['[click](javascript:alert(1))', '"\\[click\\]\\(javascript:alert\\(1\\)\\)" is not a number of seats'],
    ['<script>', '"‹script›" is not a number of seats'],
    [`${RLO}`, 'That is not a number of seats'],
    [`5${RLO}0`, 'is not a number of seats'],
  ])('typed as a quantity: %j', async (typed, reprompt) => {
    await t.post(message(ALEX, 'buy licenses', where()));
    await t.post(message(ALEX, 'Business Standard', where()));
    await t.post(message(ALEX, typed, where()));
    expect(lastText()).toContain(reprompt);
    expect(lastText()).not.toContain(RLO);
    expect(lastText()).not.toContain('<script>');
    expect(lastText()).not.toContain('](javascript');
  });

  it('typed as a command: not understood, and shown as text', async () => {
    await t.post(message(ALEX, '**boss** says [pay here](https://evil.example) <b>now</b>', where()));
    expect(lastText()).toBe(
      'I didn\'t understand "\\*\\*boss\\*\\* says \\[pay here\\]\\(https://evil.e…". Say **buy licenses** to add seats, or **help** to see everything I can do.',
    );
  });

  it("a reject reason is shown as text on the cards and in the requester's message", async () => {
    for (const user of [ALEX, MEGAN, ISAIAH]) await t.post(message(user, 'help', { ...where() }));
    await t.post(message(ALEX, 'buy licenses', where()));
    await t.post(message(ALEX, 'Office 365 E3', where()));
    await t.post(message(ALEX, '30', where()));
    const confirmation = t.connector.messages(personalConversationId(ALEX)).at(-1) as ConnectorCall;
    const orderId = String(
      executeActions(adaptiveCardOf(confirmation)).find((a) => a.title === 'Approve')?.data.orderId,
    );
    await t.post(
      cardAction(ALEX, 'order.approve', { orderId }, { ...where(), replyToId: confirmation.activityId }),
    );
    await t.settle();
    const reason = `Use [the portal](https://evil.example) instead${RLO}\n- <b>now</b>`;
    const rejected = (
      await t.post(
        cardAction(
          MEGAN,
          'order.reject',
          { orderId, reason },
          {
            serviceUrl: t.connector.serviceUrl,
            conversationId: personalConversationId(MEGAN),
          },
        ),
      )
    ).body as { value: unknown };
    const shown = 'Use \\[the portal\\]\\(https://evil.example\\) instead - ‹b›now‹/b›';
    expect(cardText(rejected.value as never)).toContain(`Rejected by Megan Bowen: ${shown}`);
    await t.settle();
    expect(
      t.connector.messages(personalConversationId(ALEX)).map((m) => String(m.body.text ?? '')),
    ).toContainEqual(expect.stringContaining(`: "${shown}" Nothing was ordered.`));
  });
});
