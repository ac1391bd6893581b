import { ESLint } from 'eslint';

/** The layering rule of the README's Architecture section, enforced by ESLint: tried on code placed in each pure layer. */
describe('lint: botbuilder, restify and process.env stay out of domain, services and cards', () => {
  const eslint = new ESLint({ cwd: `${__dirname}/..` });
  const offending = [
    "import { TurnContext } from 'botbuilder';\nexport type T = TurnContext;\n",
    "import { ComponentDialog } from 'botbuilder-dialogs';\nexport const D = ComponentDialog;\n",
    "import restify from 'restify';\nexport const r = restify;\n",
    'export const port = process.env.PORT;\n',
  ];

  it.each(['bot/domain/probe.ts', 'bot/services/probe.ts', 'cards/probe.ts'])(
    'refuses each of them in %s',
    async (filePath) => {
      for (const code of offending) {
        const [result] = await eslint.lintText(code, { filePath });
        const rules = result.messages.map((m) => m.ruleId);
        expect([
          code,
          rules.some((r) => r === 'no-restricted-imports' || r === 'no-restricted-syntax'),
        ]).toEqual([code, true]);
      }
    },
  );

  it('allows them in the Teams layer', async () => {
    const [result] = await eslint.lintText(offending[0], { filePath: 'bot/teams/probe.ts' });
    expect(result.messages.filter((m) => m.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  const ruleIds = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.map((m) => m.ruleId);
  };

  it.each([
    'bot/infrastructure/probe.ts',
    'bot/infrastructure/conversations/probe.ts',
    'bot/tab/probe.ts',
    'bot/config.ts',
    'bot/index.ts',
    'manifest/probe.ts',
  ])('keeps the archived Bot Framework SDK out of %s', async (filePath) => {
    for (const code of offending.slice(0, 2))
      expect([code, await ruleIds(code, filePath)]).toEqual([code, ['no-restricted-imports']]);
  });

  it.each(['bot/teams/state/probe.ts', 'bot/server.ts', 'bot/app.ts'])(
    'allows the Bot Framework SDK in %s',
    async (filePath) => {
      expect(await ruleIds(offending[0], filePath)).not.toContain('no-restricted-imports');
    },
  );

  it.each(['bot/teams/probe.ts', 'bot/app.ts', 'bot/infrastructure/probe.ts'])(
    'keeps restify out of %s',
    async (filePath) => {
      expect(await ruleIds(offending[2], filePath)).toContain('no-restricted-imports');
    },
  );

  it('allows restify in bot/server.ts', async () => {
    expect(await ruleIds(offending[2], 'bot/server.ts')).not.toContain('no-restricted-imports');
  });
});
