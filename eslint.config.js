// Lint rules, including the layering of DESIGN.md: who may import whom.
import fs from 'node:fs';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const layering = {
  files: ['src/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['**/modules/*/*.routes.ts'],
            message: 'Only src/app/routes.ts imports routes (through a module index).',
          },
        ],
      },
    ],
  },
};

const WEB_GLOBALS = {
  window: 'readonly',
  document: 'readonly',
  localStorage: 'readonly',
  navigator: 'readonly',
  fetch: 'readonly',
};
const SERVER_ONLY = {
  group: ['**/src/platform/**', '**/*.service.ts', '**/*.repository.ts', '**/*.routes.ts'],
  message: 'web/ imports only contracts from the server side.',
};
/** Every folder of web/src/features, so that a new feature is held to the rules without editing this list. */
const FEATURES = fs
  .readdirSync(new URL('./web/src/features', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

function webZones() {
  const zone = (files, patterns) => ({
    files,
    languageOptions: { globals: WEB_GLOBALS },
    rules: { 'no-restricted-imports': ['error', { patterns: [SERVER_ONLY, ...patterns] }] },
  });
  return [
    zone(['web/src/**/*.{ts,tsx}'], []),
    zone(
      ['web/src/shared/**/*.{ts,tsx}'],
      [{ group: ['**/features/**', '**/app/**'], message: 'shared/ imports no feature and not the app.' }],
    ),
    ...FEATURES.map((f) =>
      zone(
        [`web/src/features/${f}/**/*.{ts,tsx}`],
        [
          { group: ['**/app/**'], message: 'A feature does not import the app.' },
          {
            group: FEATURES.filter((o) => o !== f).flatMap((o) => [
              `../${o}/**`,
              `../../${o}/**`,
              `**/features/${o}/**`,
            ]),
            message: 'A feature does not import another feature; move what both need to shared/.',
          },
        ],
      ),
    ),
  ];
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'web/dist/**',
      'data/**',
      'coverage/**',
      'test-results/**',
      'bench/.data/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        fetch: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  layering,
  {
    // Pure code: no I/O, no database, no HTTP.
    files: ['src/**/lib/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'kysely',
                'pg',
                'node:sqlite',
                'fastify',
                'node:fs',
                'node:net',
                'node:http',
                '**/platform/db/**',
                '**/*.repository.ts',
                '**/*.service.ts',
              ],
              message: 'lib/ holds pure code without I/O.',
            },
          ],
        },
      ],
    },
  },
  {
    // The platform knows no module.
    files: ['src/platform/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/modules/**', '**/app/**'], message: 'platform/ imports no module.' }] },
      ],
    },
  },
  {
    // SQL lives in repositories (and migrations): nothing else imports kysely's query builder.
    files: ['src/modules/**/*.ts'],
    ignores: ['src/modules/**/*.repository.ts', 'src/modules/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: 'SQL lives in repositories.' }],
          patterns: [
            { group: ['**/modules/*/*.routes.ts'], message: 'Only src/app/routes.ts imports routes.' },
            {
              group: ['../*/*.service.ts', '../*/*.repository.ts', '../*/lib/*'],
              message: 'Reach another module through its index.ts.',
            },
          ],
        },
      ],
    },
  },
  // The web UI imports only contracts from the server side, and one way inside: shared -> features -> app.
  ...webZones(),
);
