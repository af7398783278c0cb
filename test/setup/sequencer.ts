import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs the longest test files first, so that neither of the two workers is left finishing a long
 * file alone at the end of a project while the other waits (Vitest runs the projects one after
 * another when workers are reused). Vitest orders files this way itself once it has timed them,
 * but a fresh clone has no such record and Vitest then orders by file size, which put the
 * files that start servers and browsers last: a minute of one idle core per run. Those files'
 * durations from an earlier run are kept in test/setup/durations.json (`npm run
 * test:durations` records them again, as pytest-split keeps `.test_durations`); Vitest's own
 * record, when there is one, wins, and files known to neither (new ones) go last, largest first.
 * Failed files still run first.
 */
const DURATIONS_FILE = path.join(import.meta.dirname, 'durations.json');

function recorded(): Record<string, number> {
  try {
    return JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')) as Record<string, number>;
  } catch {
    return {};
  }
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const kept = recorded();
    const root = this.ctx.config.root;
    const facts = new Map(files.map((spec) => {
      const key = `${spec.project.name}:${path.relative(root, spec.moduleId)}`;
      const result = this.ctx.cache.getFileTestResults(key);
      return [spec, {
        failed: result?.failed ?? false,
        duration: result?.duration ?? kept[key],
        size: this.ctx.cache.getFileStats(key)?.size ?? 0,
      }];
    }));
    return [...files].sort((a, b) => {
      const x = facts.get(a)!;
      const y = facts.get(b)!;
      if (x.failed !== y.failed) return x.failed ? -1 : 1;
      if (x.duration !== undefined || y.duration !== undefined) return (y.duration ?? -1) - (x.duration ?? -1);
      return y.size - x.size;
    });
  }
}
