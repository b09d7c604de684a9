// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The direction of imports (../shared/STYLE.md): the core imports only itself, node:crypto and
 * jose; storage and infra implement core ports; a surface imports the core and http/shared, never
 * another surface, storage or infra. Only app.ts and the CLI know every room.
 */
const SURFACES = ['account', 'admin', 'auth-headers', 'integration', 'iot', 'native', 'oauth2', 'oidc', 'pages', 'standard'];
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const importRules = [
  {
    files: ['src/core/**/*.ts'],
    rules: restrict([
      { group: ['**/http/**', '**/storage/**', '**/infra/**', '**/config/**', '**/cli/**', '**/app.js', '**/main.js'], message: 'the core imports only itself' },
      { group: ['fastify', 'fastify/*', '@fastify/*', 'kysely', 'pg', 'better-sqlite3', 'redis', 'nodemailer', 'pino', 'node:http', 'node:fs', 'node:fs/*', 'prom-client'], message: 'the core knows no framework, database or transport' },
    ]),
  },
  {
    files: ['src/storage/**/*.ts', 'src/infra/**/*.ts'],
    rules: restrict([{ group: ['**/http/**', '**/cli/**', '**/app.js', '**/main.js'], message: 'storage and infra implement core ports; they know no surface' }]),
  },
  {
    files: ['src/http/shared/**/*.ts'],
    rules: restrict([{ group: ['**/surfaces/**', '**/storage/**', '**/infra/**'], message: 'http/shared serves every surface and knows none' }]),
  },
  {
    // Loaded by the node:cluster primary, which only supervises; the app loads in its children.
    files: ['src/main.ts', 'src/cluster/primary.ts', 'src/fail.ts', 'src/thread-pool.ts'],
    rules: restrict([
      {
        group: ['**/app.js', '**/cluster/set-up.js', '**/storage/**', '**/http/**', '**/core/**', '**/cli/**', 'fastify', 'fastify/*', '@fastify/*', 'kysely', 'pg', 'better-sqlite3', 'redis', 'nodemailer', 'prom-client'],
        message: 'the cluster primary stays light: only builtins, the configuration and the logger (load the rest with import() where it is used)',
      },
    ]),
  },
  ...SURFACES.map((surface) => ({
    files: [`src/http/surfaces/${surface}/**/*.ts`],
    rules: restrict([
      { group: ['**/storage/**', '**/infra/**', '**/cli/**', '**/app.js'], message: 'a surface calls the core, never storage or infra' },
      {
        group: SURFACES.filter((s) => s !== surface).flatMap((s) => [`../${s}/**`, `**/surfaces/${s}/**`]),
        message: 'a surface imports no other surface; shared code belongs in http/shared',
      },
    ]),
  })),
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['error', 'warn'] }],
      // Fastify plugins and handlers are async by contract, with or without an await inside.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-console': 'off',
    },
  },
  ...importRules,
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
  // The pages' static scripts run in the browser, and the documented example app is plain
  // JavaScript: linted without type information (they are in no TypeScript project).
  {
    files: ['assets/**/*.js', 'docs/examples/**/*.{js,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { document: 'readonly', window: 'readonly', navigator: 'readonly', console: 'readonly', process: 'readonly', URL: 'readonly', URLSearchParams: 'readonly', fetch: 'readonly', setTimeout: 'readonly', crypto: 'readonly', Buffer: 'readonly', HTMLAnchorElement: 'readonly', HTMLInputElement: 'readonly', HTMLElement: 'readonly' },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
);
