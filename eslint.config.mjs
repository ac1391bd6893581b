// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers that must stay free of Teams, HTTP and the environment (README: Architecture). */
const PURE_LAYERS = ['bot/domain/**/*.ts', 'bot/services/**/*.ts', 'cards/**/*.ts'];

/**
 * The Bot Framework SDK is archived (README: "The Bot Framework SDK and its end of support"): only the Teams layer,
 * the server and the composition root may import it, so that replacing it touches those alone.
 */
const BOTBUILDER_ALLOWED = ['bot/teams/**/*.ts', 'bot/server.ts', 'bot/app.ts', 'test/**/*.ts'];
const BOTBUILDER = {
  group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
  message: 'Only bot/teams, bot/server.ts and bot/app.ts know the Bot Framework SDK.',
};
const RESTIFY = { group: ['restify', 'restify-*'], message: 'Only bot/server.ts knows restify.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'test-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: ['bot/**/*.ts', 'cards/**/*.ts', 'manifest/**/*.ts', 'tab/**/*.ts'],
    ignores: BOTBUILDER_ALLOWED,
    rules: { 'no-restricted-imports': ['error', { patterns: [BOTBUILDER, RESTIFY] }] },
  },
  {
    files: ['bot/teams/**/*.ts', 'bot/app.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [RESTIFY] }] },
  },
  {
    files: PURE_LAYERS,
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Settings come from bot/config.ts, never from process.env here.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
        process: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
