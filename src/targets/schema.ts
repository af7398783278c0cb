import { z } from 'zod';
import { LEVELS, PERIOD_PATTERN } from '../dimensions.js';

/**
 * A targets file (targets/*.yaml): one source document (the NHS Constitution standards, or one
 * year's planning guidance) and its targets. A new year's guidance is a new file, not new code.
 */
const period = z.string().regex(PERIOD_PATTERN, 'use YYYY-MM');
const financialYear = z.string().regex(/^\d{4}\/\d{2}$/, 'use YYYY/YY, e.g. 2024/25');

export { LEVELS };

export const FIXED_COMPARATORS = ['>=', '<=', '>', '<', '=='] as const;
/**
 * improve_vs_baseline: each organisation's own threshold is its baseline month's figure improved
 * by `improvement` (in the measure's better direction), and at least as good as `floor`.
 * improve_on_previous_year: better than the same period a year earlier (the MTPF's 12-hour ask:
 * "higher % ... across 2026/27 compared to 2025/26").
 */
export const COMPARATORS = [...FIXED_COMPARATORS, 'improve_vs_baseline', 'improve_on_previous_year'] as const;

const citation = z.object({
  title: z.string().min(1),
  url: z.string().url(),
  section: z.string().optional().describe('Where in the document, e.g. "Annex A"'),
  quote: z.string().optional().describe('The words that set the target'),
});

const when = z.union([
  z.object({ month: period }).strict().describe('A single month, e.g. March 2025'),
  z.object({
    financial_year: financialYear,
    // The MTPF's 2028/29 4-hour target is "85% as the average for the year" without saying how
    // the average is taken; pooled (summed numerators ÷ summed denominators) is how NHS England
    // states whole-year figures, and mean_of_months is the other reading, one word away.
    average: z.enum(['pooled', 'mean_of_months']).default('pooled'),
  }).strict().describe('Across a whole financial year'),
  z.object({ every_month: z.literal(true), from: period.optional() }).strict().describe('A standing standard, assessed each month'),
]);

export const targetSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case words joined by hyphens'),
  title: z.string().min(1),
  metric: z.string().min(1).describe('A Planwatch measure id, e.g. ae_4hr'),
  comparator: z.enum(COMPARATORS),
  threshold: z.number().optional().describe('Fixed comparators: the level to reach'),
  improvement: z.number().positive().optional().describe('improve_vs_baseline: how much better than the baseline'),
  improvement_unit: z.enum(['points', 'percent']).default('points')
    .describe('improve_vs_baseline: points of the measure (58% + 7 = 65%) or percent of the baseline (58% × 1.07)'),
  baseline_period: period.optional().describe('improve_vs_baseline: the month each organisation is measured from'),
  floor: z.number().optional().describe('improve_vs_baseline: the level every organisation must reach whatever its baseline'),
  period: when,
  levels: z.array(z.enum(LEVELS)).min(1).describe('Levels the target applies to'),
  source: citation,
  notes: z.string().optional(),
  /** Where the source is ambiguous: the reading encoded, and the other one, for the page. */
  reading: z.string().optional(),
}).strict().superRefine((target, context) => {
  const need = (field: 'threshold' | 'improvement' | 'baseline_period', why: string) => {
    if (target[field] === undefined) context.addIssue({ code: 'custom', path: [field], message: `missing: ${why}` });
  };
  const forbid = (field: 'threshold' | 'improvement' | 'baseline_period' | 'floor', why: string) => {
    if (target[field] !== undefined) context.addIssue({ code: 'custom', path: [field], message: `not allowed: ${why}` });
  };
  if ((FIXED_COMPARATORS as readonly string[]).includes(target.comparator)) {
    need('threshold', `comparator "${target.comparator}" needs a threshold`);
    for (const field of ['improvement', 'baseline_period', 'floor'] as const) forbid(field, `comparator "${target.comparator}" takes a threshold only; ${field} belongs to improve_vs_baseline`);
  } else if (target.comparator === 'improve_vs_baseline') {
    need('improvement', 'improve_vs_baseline needs an improvement');
    need('baseline_period', 'improve_vs_baseline needs a baseline_period (YYYY-MM)');
    forbid('threshold', 'improve_vs_baseline sets each organisation\'s threshold from its baseline; use floor for a level everyone must reach');
  } else {
    for (const field of ['threshold', 'improvement', 'baseline_period', 'floor'] as const) forbid(field, 'improve_on_previous_year compares with the same period a year earlier');
  }
  if ('every_month' in target.period && !(FIXED_COMPARATORS as readonly string[]).includes(target.comparator)) {
    context.addIssue({ code: 'custom', path: ['comparator'], message: 'a standing standard (every_month) needs a fixed threshold' });
  }
});

export const targetsFileSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(1),
  publisher: z.string().min(1),
  published: z.string().optional(),
  url: z.string().url(),
  guidance_year: financialYear.optional(),
  targets: z.array(targetSchema).min(1),
}).strict();

export type Target = z.infer<typeof targetSchema>;
export type TargetsFile = z.infer<typeof targetsFileSchema>;
