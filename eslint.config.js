// One linter for the workspace: type-aware rules that catch defects this code can have (a promise
// nobody awaits, dead code, `any`, value imports of types) and the layering rule of DESIGN.md.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const runnerImports = {
  paths: [
    { name: '@actions/core', message: 'Only actions and packages/core/src/runner talk to the runner.' },
    { name: '@actions/github', message: 'Only actions and packages/core/src/runner talk to the runner.' },
    {
      name: '@deploy-actions/core/runner',
      message: 'Domain packages log through the Logger they are given; only actions use the runner seam.',
    },
  ],
  patterns: [{ group: ['@actions/core/*', '@actions/github/*'], message: 'Only actions talk to the runner.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/node_modules/**', 'demo-output/**', '.tmp/**', 'coverage/**'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: globals.node },
    rules: { 'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }] },
  },
  {
    files: ['packages/*/src/**/*.ts'],
    ignores: ['packages/core/src/runner/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', runnerImports] },
  },
);
