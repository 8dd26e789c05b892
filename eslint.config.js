// ESLint (flat config): typescript-eslint, React hooks and jsx-a11y, with a rule set the code
// satisfies today. `npm run lint` runs it; scripts/test-all.mjs runs it before vitest.
import jsxA11y from 'eslint-plugin-jsx-a11y'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const noConsoleLog = { selector: 'CallExpression[callee.object.name="console"][callee.property.name="log"]', message: 'No console.log in app code.' }

// Raw SQL rows are parsed, never cast (db/rows.ts, docs/decisions/068): the drivers differ (postgres.js
// returns counts and numerics as text, PGlite as numbers), and a cast hides it until production.
const rawRowsMessage = 'Raw SQL rows: read them with parseRows(zodRow, result) from db/rows.ts (or a drizzle select), not a cast.'
const rawRowCasts = [
  { selector: 'MemberExpression[property.name="rows"][object.type="TSAsExpression"]', message: rawRowsMessage },
  { selector: 'TSAsExpression > MemberExpression.expression[property.name="rows"]', message: rawRowsMessage },
  { selector: 'TSAsExpression > AwaitExpression.expression > CallExpression.argument[callee.property.name="execute"]', message: rawRowsMessage },
  { selector: 'TSAsExpression > CallExpression.expression[callee.property.name="execute"]', message: rawRowsMessage },
]

// One form protocol (app/shared/forms.ts, docs/decisions/063): a route reads its body with readForm
// (bounded, NUL-free, a 400 not a 500) and parses it with conform's parseWithZod / parseForm /
// requireValid, or parseOr400 for hidden intents and ids — never by hand with its own error shape.
const formBody = [
  {
    selector: 'CallExpression[callee.property.name="formData"]',
    message: 'Form protocol: read the body with readForm / parseForm / requireValid (app/shared/forms.ts), not request.formData().',
  },
]
const handParse = [
  {
    selector: 'CallExpression[callee.property.name=/^safeParse(Async)?$/]',
    message:
      'Form protocol: parse with parseWithZod / parseForm / requireValid / parseOr400 (app/shared/forms.ts), not a hand safeParse with its own error shape.',
  },
  {
    selector:
      ':matches(FunctionDeclaration[id.name="action"], VariableDeclarator[id.name="action"]) CallExpression[callee.property.name=/^parse(Async)?$/][callee.object.name!="JSON"]',
    message:
      'Form protocol: an action parses with parseWithZod / parseForm / requireValid / parseOr400 (app/shared/forms.ts); a bare .parse() answers a ZodError with a 500.',
  },
  {
    selector: 'CallExpression[callee.property.name=/^parse(Async)?$/] Identifier[name=/^form(Data)?$/]',
    message: 'Form protocol: form data is parsed with parseWithZod / parseForm / requireValid / parseOr400 (app/shared/forms.ts), not .parse().',
  },
]
// Routes whose actions take a JSON body from a script (readJson or request.json()), not a form; they
// answer their callers' scripts with their own JSON shape, so they keep a safeParse.
const jsonBodyRoutes = [
  'app/routes/videos.$videoId.progress.ts', // the player's viewing reports
  'app/routes/videos.$videoId.respond.ts', // answers at a breakpoint
  'app/routes/videos.$videoId.notes.ts', // live notes from present mode
  'app/routes/videos.$videoId.edit.tsx', // the breakpoint editor's changes
  'app/routes/videos.uploads.ts', // opening a chunked or Mux upload
  'app/routes/roleplays.$assignmentId.score.ts', // the live score sheet's drafts
  'app/routes/team_.follow-up.draft.ts', // the check-in log's autosave
]

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
      'no-restricted-syntax': ['error', noConsoleLog, ...rawRowCasts],
    },
  },
  {
    files: ['app/routes/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts', ...jsonBodyRoutes],
    rules: {
      'no-restricted-syntax': ['error', noConsoleLog, ...rawRowCasts, ...formBody, ...handParse],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@remix-run/node',
              importNames: ['unstable_parseMultipartFormData'],
              message: 'Form protocol: read the body with readForm / parseForm (app/shared/forms.ts); files go through the upload routes.',
            },
          ],
        },
      ],
    },
  },
  // Pages that take a file inside their form (multipart, each part bounded by maxPartSize): the
  // new-video page's poster frame, the org-chart import and the follow-up import spreadsheets.
  { files: ['app/routes/videos.new.tsx', 'app/routes/admin.import.tsx', 'app/routes/admin.follow-up._index.tsx'], rules: { 'no-restricted-imports': 'off' } },
  { files: jsonBodyRoutes, rules: { 'no-restricted-syntax': ['error', noConsoleLog, ...rawRowCasts, ...formBody] } },
  // A file that grows past 500 lines has found a seam (STYLE.md).
  { files: ['app/**/*.{ts,tsx}'], rules: { 'max-lines': ['error', { max: 500 }] } },
  { files: ['scripts/**', 'tests/**', 'db/seed/**', '**/*.test.ts', '*.config.*'], rules: { 'no-restricted-syntax': ['error', ...rawRowCasts] } },
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
