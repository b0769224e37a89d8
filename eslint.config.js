// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import astro from 'eslint-plugin-astro';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import { defineConfig } from 'eslint/config';

export default defineConfig(
  {
    ignores: [
      'dist/',
      'dist-base/',
      '.astro/',
      'node_modules/',
      'test-results/',
      'playwright-report/',
      'bench/results/',
      'public/pyodide/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...astro.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The isolation scripts are served as-is to old browsers too: plain ES5-style scripts.
    files: ['public/**/*.js'],
    languageOptions: { sourceType: 'script' },
    rules: {
      'no-empty': 'off',
      'no-var': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { caughtErrors: 'none' }],
    },
  },
  {
    // The runtime is UI-free: it must never reach into components or Astro's virtual modules.
    files: ['src/runtime/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['astro:*', '**/components/**', '*.astro'] }],
    },
  },
  {
    // No import cycles anywhere (type-only imports are erased, so the rule skips them).
    files: ['**/*.{ts,mts,js,mjs}'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.mts', '.mjs', '.js', '.json'] }),
      ],
      'import-x/extensions': ['.ts', '.mts', '.js', '.mjs'],
      // .astro and raw-text imports are leaves: nothing of ours imports back through them.
      'import-x/ignore': ['\\.astro$', '\\?raw$', '\\.css$', '\\.py$'],
    },
    rules: {
      'import-x/no-cycle': 'error',
      // One import style: relative imports name the file with its extension (`./pool.ts`), as Node
      // needs to run the runtime in worker_threads and as tsconfig allows (allowImportingTsExtensions).
      'import-x/extensions': [
        'error',
        'always',
        { ignorePackages: true, checkTypeImports: true, fix: true },
      ],
    },
  },
  {
    // The same import style in .astro frontmatter (no cycle check there: .astro files are leaves).
    files: ['**/*.astro'],
    plugins: { 'import-x': importX },
    rules: {
      'import-x/extensions': [
        'error',
        'always',
        { ignorePackages: true, checkTypeImports: true, fix: true },
      ],
    },
  },
  {
    // Components see the runtime only through its public faces: the experiments' index.ts and the
    // Python runner's python/index.ts (never src/runtime/node/: it is Node-only).
    files: ['src/components/**/*.{ts,astro}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`/runtime/(?!index\.ts$|python/index\.ts$)`,
              message:
                'Import the runtime through src/runtime/index.ts or src/runtime/python/index.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // The bench measures what the site runs, through the same faces (plus the Node face).
    files: ['bench/**/*.{ts,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: String.raw`/runtime/(?!index\.ts$|python/index\.ts$|node/index\.ts$)`,
              message:
                'Import the runtime through src/runtime/index.ts, python/index.ts or node/index.ts.',
            },
            {
              // Only the widget's UI-free mapping, so the bench runs the lessons' presets exactly.
              regex: String.raw`/components/(?!experiment/(presets|run-plan)\.ts$)`,
              message: 'The bench imports the runtime, not views: move what it needs there.',
            },
          ],
        },
      ],
    },
  },
);
