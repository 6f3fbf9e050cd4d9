import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'smart-launch/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': ['error', { allow: ['error'] }],
    },
  },
  {
    // A focused test left behind would skip every other suite of its group file (test/groups) with the run green.
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.e2e-group.ts'],
    rules: {
      'no-restricted-properties': ['error',
        ...['describe', 'it', 'test'].map((object) => ({ object, property: 'only', message: 'A focused test skips the rest of its group file.' })),
      ],
    },
  },
);
