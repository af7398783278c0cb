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

// SheetJS runs only on legacy .xls and is loaded on the first one read (sources/workbook.ts), so
// a static import anywhere in src/sources would load it for every CSV ingest. npm `xlsx` (0.18.5)
// has unfixed CVEs: never import it.
const lazySheetJs = { group: ['xlsx', 'xlsx/*', '@e965/xlsx', '@e965/xlsx/*'], message: 'SheetJS loads lazily in sources/workbook.ts, and npm `xlsx` is not used: see README, Dependencies.' };

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
  layer(['src/sources/**/*.ts'], ['store', 'measures', 'targets', 'analysis', 'assessment', 'cli', 'server', 'interface'], [lazySheetJs]),
  layer(['src/store/**/*.ts'], ['measures', 'targets', 'analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/measures/**/*.ts'], ['targets', 'analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/targets/**/*.ts'], ['analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/events/**/*.ts'], ['analysis', 'assessment', 'cli', 'server', 'interface']),
  layer(['src/analysis/**/*.ts'], ['store', 'sources', 'assessment', 'cli', 'server', 'interface'], [noIo]),
  layer(['src/assessment/**/*.ts'], ['cli', 'server', 'interface']),
  layer(['src/interface/**/*.ts'], ['cli', 'server']),
);
