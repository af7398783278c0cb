import type { z } from 'zod';
import { PlanwatchError } from '../errors.js';

/**
 * Parses one form's input with its zod schema. The first problem becomes a PlanwatchError whose
 * `at` names the form and, as `column`, the field, so pages can link the error to its input.
 */
export function parseForm<S extends z.ZodType>(form: string, schema: S, input: unknown, labels: Readonly<Record<string, string>>): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? '');
  const label = labels[field] ?? field;
  throw new PlanwatchError('E_INVALID', `${label}: ${issue?.message ?? 'not valid'}`, { file: form, column: field });
}

/**
 * ODS codes as NHS England publishes them. ICBs formed by the 2026 mergers carry ODS's newer
 * five-character shape (Z9B2Z for London's merged board), not the Q-codes of July 2022.
 */
export const ODS_CODE = {
  practice: /^[A-Z]\d{5}$/,
  trust: /^[A-Z0-9]{3,5}$/,
  icb: /^(?:Q[A-Z0-9]{2}|[A-Z]\d[A-Z]\d[A-Z])$/,
} as const;
