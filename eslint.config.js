import tseslint from 'typescript-eslint';

// Imports only look upstream (STYLE.md §1): sources → store → measures → targets → analysis →
// assessment (composes them for every surface) → surfaces (cli, server, interface). Each folder lists what it may not import; `npm test` runs
// ESLint first, so a wrong import fails the tests.
const downstream = (...folders) =>
  folders.flatMap((folder) => [`**/${folder}/**`, `../${folder}/*`, `../../${folder}/*`, `../../../${folder}/*`]);

const layer = (files, forbidden, extra = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: downstream(...forbidden), message: 'Imports only look upstream: see STYLE.md §1.' },
          ...extra,
        ],
      },
    ],
  },
});

const noIo = { group: ['node:fs', 'node:fs/*', 'node:http', 'node:net', 'fs', 'pino', '@duckdb/*'], message: 'analysis is pure: no I/O.' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-output/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  layer(['src/sources/**/*.ts'], ['store', 'measures', 'targets', 'analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/store/**/*.ts'], ['measures', 'targets', 'analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/measures/**/*.ts'], ['targets', 'analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/targets/**/*.ts'], ['analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/events/**/*.ts'], ['analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/analysis/**/*.ts'], ['store', 'sources', 'assessment', 'cli', 'server', 'interface'], [noIo]),
  layer(['src/assessment/**/*.ts'], ['cli', 'server', 'interface']),
  layer(['src/interface/**/*.ts'], ['cli', 'server']),
);
