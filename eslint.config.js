// ESLint, type-aware (typescript-eslint), with the project's layering as rules: src/core → src/fused and
// src/cpu → src/platform → src/worker → src/app (and the bench page beside it), each importing only downward,
// and no import cycle anywhere. Formatting is Prettier's (.prettierrc.json), so the style rules are off.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Each layer and the layers above it, which it may not import from. */
const above = {
  'src/core': ['src/fused', 'src/cpu', 'src/platform', 'src/worker', 'src/app', 'src/bench'],
  'src/fused': ['src/cpu', 'src/platform', 'src/worker', 'src/app', 'src/bench'],
  'src/cpu': ['src/platform', 'src/worker', 'src/app', 'src/bench'],
  'src/platform': ['src/worker', 'src/app', 'src/bench'],
  'src/worker': ['src/app', 'src/bench'],
  'src/app': ['src/bench'],
};

export default defineConfig(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'results/',
      'public/',
      'test-results/',
      'playwright-report/',
      'scripts/tmp/',
      '.gpu/',
      'gpu-out/',
      // AssemblyScript: compiled by asc against its own standard library, not by tsc.
      'src/cpu/as/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  importX.flatConfigs.recommended,
  importX.flatConfigs.typescript,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // Callbacks as properties, so passing one along (onChange={p.onChange}) is not an unbound method.
      '@typescript-eslint/method-signature-style': ['error', 'property'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // TypeScript already checks what these resolve (typescript-eslint's performance advice).
      'import-x/named': 'off',
      'import-x/namespace': 'off',
      'import-x/default': 'off',
      'import-x/no-named-as-default-member': 'off',
      'import-x/no-unresolved': 'off',
      // Runtime cycles; type-only cycles are not seen by this rule and are checked by tests/unit/imports.test.ts.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-useless-path-segments': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: Object.entries(above).map(([target, from]) => ({
            target: `./${target}`,
            from: from.map((f) => `./${f}`),
            message: `${target} is below these layers and may not import from them (core → fused/cpu → platform → worker → app).`,
          })),
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.tsx', 'src/app/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    // Tests tamper with untyped JSON on purpose (files, links, fuzz) and fake async interfaces synchronously.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettier,
);
