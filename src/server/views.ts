import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { periodLabel } from '../dimensions.js';
import { figuresTableHtml, type FiguresTable } from './figures-table.js';
import { changeText, displayName, valueText } from './format.js';

/**
 * The Nunjucks environment every page renders through: our views first, then nhsuk-frontend's
 * own macros ("nhsuk/components/…/macro.njk"). Views are read from src/server/views both when
 * running from source and from dist (package.json "files" ships them), so the build does not
 * copy templates.
 */
export const VIEWS_DIR = path.resolve(import.meta.dirname, '..', '..', 'src', 'server', 'views');
export const PUBLIC_DIR = path.resolve(import.meta.dirname, '..', '..', 'src', 'server', 'public');
/** node_modules/nhsuk-frontend/dist: holds nhsuk/ (macros, CSS, JS and assets). */
export const NHSUK_DIST = path.join(path.dirname(createRequire(import.meta.url).resolve('nhsuk-frontend/package.json')), 'dist');
export const NHSUK_VERSION: string = (JSON.parse(readFileSync(path.join(NHSUK_DIST, '..', 'package.json'), 'utf8')) as { version: string }).version;

export type Views = nunjucks.Environment;

export function createViews(extraPaths: readonly string[] = []): Views {
  const loader = new nunjucks.FileSystemLoader([VIEWS_DIR, ...extraPaths, NHSUK_DIST], { noCache: false });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  env.addFilter('period', (period: string, frequency?: 'month' | 'quarter') => (period ? periodLabel(period, frequency) : ''));
  env.addFilter('value', valueText);
  env.addFilter('change', changeText);
  env.addFilter('orgName', displayName);
  env.addFilter('figuresTable', (table: FiguresTable, classes?: string) => new nunjucks.runtime.SafeString(figuresTableHtml({ ...table, ...(classes ? { classes } : {}) })));
  env.addGlobal('nhsukVersion', NHSUK_VERSION);
  return env;
}

// The references a template makes to others by name: {% extends %}, {% include %}, {% import %}, {% from … import %}.
const TEMPLATE_REFERENCE = /\{%-?\s*(?:extends|include|import|from)\s+["']([^"']+)["']/g;

/**
 * Compiles the public pages' templates and every template they extend, include or import
 * (nhsuk-frontend's macros among them), so that the server's first request renders with them
 * ready: compiled on demand, they were half a second of the first organisation page. Returns
 * how many were compiled. The interface log's pages are left to compile when first asked for.
 */
export function precompileViews(env: Views): number {
  const queue = ['layout.njk', ...readdirSync(path.join(VIEWS_DIR, 'pages')).filter((file) => file.endsWith('.njk')).map((file) => `pages/${file}`)];
  const done = new Set<string>();
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (done.has(name)) continue;
    done.add(name);
    const template = env.getTemplate(name, true) as nunjucks.Template & { tmplStr: string };
    for (const [, reference] of template.tmplStr.matchAll(TEMPLATE_REFERENCE)) queue.push(reference!);
  }
  return done.size;
}

/**
 * nhsuk-frontend's page template starts the body with one inline script that marks the page as
 * JavaScript-enabled before it paints. The content security policy allows scripts from our own
 * origin only, plus exactly this script by its hash, read from the installed template so an
 * upgrade that changes it cannot silently break the policy.
 */
export function templateScriptHashes(): string[] {
  const template = readFileSync(path.join(NHSUK_DIST, 'nhsuk', 'template.njk'), 'utf8');
  return [...template.matchAll(/<script[^>]*>([^<]+)<\/script>/g)].map(
    (match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`,
  );
}
