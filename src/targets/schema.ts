import { z } from 'zod';
import { LEVELS, PERIOD_PATTERN } from '../dimensions.js';

/**
 * A targets file (targets/*.yaml): one source document (the NHS Constitution standards, or one
 * year's planning guidance) and its targets. A new year's guidance is a new file, not new code.
 */
const period = z.string().regex(PERIOD_PATTERN, 'use YYYY-MM');
const financialYear = z.string().regex(/^\d{4}\/\d{2}$/, 'use YYYY/YY, e.g. 2024/25');

export { LEVELS };

const citation = z.object({
  title: z.string().min(1),
  url: z.string().url(),
  section: z.string().optional().describe('Where in the document, e.g. "Annex A"'),
  quote: z.string().optional().describe('The words that set the target'),
});

const when = z.union([
  z.object({ month: period }).strict().describe('A single month, e.g. March 2025'),
  z.object({ financial_year: financialYear }).strict().describe('Across a whole financial year, from summed numerators and denominators'),
  z.object({ every_month: z.literal(true), from: period.optional() }).strict().describe('A standing standard, assessed each month'),
]);

const fixedTarget = z.object({
  comparator: z.enum(['>=', '<=', '>', '<', '==']),
  threshold: z.number(),
});

const relativeTarget = z.object({
  comparator: z.literal('improve_vs_baseline'),
  /** Points (or units) of improvement on the baseline period's own value. */
  improvement: z.number(),
  baseline_period: period,
  /** The target is never below this, whatever the baseline. */
  floor: z.number().optional(),
});

export const targetSchema = z.intersection(
  z.object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case words joined by hyphens'),
    title: z.string().min(1),
    metric: z.string().min(1).describe('A Planwatch measure id, e.g. ae_4hr'),
    period: when,
    levels: z.array(z.enum(LEVELS)).min(1).describe('Levels the target applies to'),
    source: citation,
    notes: z.string().optional(),
  }),
  z.union([fixedTarget, relativeTarget]),
);

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
