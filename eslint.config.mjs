// @ts-check
import eslint from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'generated/', '.tools/', '.data/', 'tools/', 'coverage/', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The browser front end: React's rules of hooks, and no `any` shortcuts.
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The workflow sandbox must stay deterministic: no Node built-ins, no database,
    // no HTTP, no client or worker code. Activities and definitions come in as types.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Node built-ins are not deterministic: use an activity.' },
            {
              group: ['fs', 'path', 'crypto', 'http', 'https', 'net', 'os', 'child_process', 'timers'],
              message: 'Node built-ins are not deterministic: use an activity.',
            },
            { group: ['@prisma/*', 'pg', '**/db/*', '**/generated/**'], message: 'No database access in workflows: use an activity.' },
            { group: ['express', 'cors', 'helmet', '**/api/**'], message: 'No HTTP code in workflows.' },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'],
              message: 'Only @temporalio/workflow runs in the sandbox.',
            },
            { group: ['zod'], message: 'Validate outside the sandbox; zod schemas per cached workflow cost memory.' },
            {
              group: ['**/activities', '**/activities/*'],
              allowTypeImports: true,
              message: 'Import activities and definitions by type only.',
            },
            {
              // Every module of definitions/ but walk.ts, which walks a definition's tree
              // with plain code and no imports: the sandbox may run that.
              regex: '(^|/)definitions(?!/walk$)(/.*)?$',
              allowTypeImports: true,
              message: 'Import definitions by type only (definitions/walk excepted).',
            },
          ],
        },
      ],
    },
  },
  {
    // The shared vocabulary is imported by the workflow sandbox, the server and the
    // web app alike: plain types and constants, importing nothing at all.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(?!\\./[a-z-]+$)', message: 'domain/ imports only its own modules.' }] }],
    },
  },
);
