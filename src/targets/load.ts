import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, type Document } from 'yaml';
import { PlanwatchError } from '../errors.js';
import { findMeasure } from '../measures/index.js';
import { targetsFileSchema, type Target, type TargetsFile } from './schema.js';

/** The repo's targets folder: beside src/ when run from source, beside dist/ when built. */
export const DEFAULT_TARGETS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'targets');

export type LoadedTarget = Target & { file: TargetsFile };

/**
 * The line of the field at `at`, or of its nearest enclosing field when it is missing (a missing
 * threshold is reported at its target's line).
 */
function lineOf(document: Document, text: string, at: readonly PropertyKey[]): number | undefined {
  for (let depth = at.length; depth > 0; depth--) {
    const node = document.getIn(at.slice(0, depth) as (string | number)[], true) as { range?: [number, number] } | undefined;
    if (node?.range) return text.slice(0, node.range[0]).split('\n').length;
  }
  return undefined;
}

function targetsError(name: string, line: number | undefined, field: string, problem: string): PlanwatchError {
  return new PlanwatchError('E_TARGETS', `${name}${line ? ` line ${line}` : ''}, field "${field}": ${problem}.`, { file: name, ...(line ? { line } : {}), column: field });
}

/** Parses and validates one targets file; errors name the file, line and field. */
export function parseTargetsFile(name: string, text: string): TargetsFile {
  const document = parseDocument(text, { prettyErrors: true });
  if (document.errors.length > 0) {
    const error = document.errors[0]!;
    const line = error.linePos?.[0]?.line;
    throw new PlanwatchError('E_TARGETS', `${name}${line ? ` line ${line}` : ''}: not valid YAML (${error.message.split('\n')[0]}).`, { file: name, ...(line ? { line } : {}) });
  }
  const parsed = targetsFileSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw targetsError(name, lineOf(document, text, issue.path), issue.path.join('.'), issue.message);
  }
  for (const [index, target] of parsed.data.targets.entries()) {
    if (!findMeasure(target.metric)) {
      throw targetsError(name, lineOf(document, text, ['targets', index, 'metric']), `targets.${index}.metric`, `unknown measure "${target.metric}" in target ${target.id} (planwatch --help lists the measures)`);
    }
  }
  return parsed.data;
}

export function loadTargets(dir: string = DEFAULT_TARGETS_DIR): LoadedTarget[] {
  const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
  const targets: LoadedTarget[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const file = parseTargetsFile(name, readFileSync(path.join(dir, name), 'utf8'));
    for (const target of file.targets) {
      const earlier = seen.get(target.id);
      if (earlier) throw new PlanwatchError('E_TARGETS', `${name}: target id "${target.id}" is already used in ${earlier}.`, { file: name });
      seen.set(target.id, name);
      targets.push({ ...target, file });
    }
  }
  return targets;
}
