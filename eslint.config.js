// ESLint (flat config): typescript-eslint, React hooks and jsx-a11y, with a rule set the code
// satisfies today. `npm run lint` runs it; scripts/test-all.mjs runs it before vitest.
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['build/**', 'data/**', 'node_modules/**', 'public/**', 'playwright-report/**', 'test-results/**', 'tests/fixtures/lint/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Input validation matches NUL and other control characters on purpose (app/shared/validation.ts).
      'no-control-regex': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-restricted-syntax': [
        'error',
        { selector: 'CallExpression[callee.object.name="console"][callee.property.name="log"]', message: 'No console.log in app code.' },
      ],
    },
  },
  { files: ['scripts/**', 'tests/**', 'db/seed/**', '**/*.test.ts', '*.config.*'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['app/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, 'jsx-a11y': jsxA11y },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...jsxA11y.flatConfigs.recommended.rules,
      // Labels wrap their checkbox or point at it with htmlFor; both are fine.
      'jsx-a11y/label-has-associated-control': ['error', { assert: 'either' }],
      // autoFocus is used on purpose on single-field screens (check-in code).
      'jsx-a11y/no-autofocus': 'off',
      // Dialogs and panels listen for Escape on their container, which is what the ARIA practices ask for.
      'jsx-a11y/no-noninteractive-element-interactions': 'off',
      // Voice-overs show their transcript beside the player; videos carry WebVTT tracks through the Mux player.
      'jsx-a11y/media-has-caption': 'off',
      // A scrollable table region must be reachable by keyboard.
      'jsx-a11y/no-noninteractive-tabindex': ['error', { roles: ['region'] }],
    },
  },
)
