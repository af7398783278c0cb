import { isPlanwatchError } from '../../../errors.js';

/**
 * A form as a page shows it: what was typed, and what is wrong with it, both as the NHS error
 * summary at the top (each problem linking to its field) and as the message on each field.
 * Values go back into the form so people correct rather than retype; nothing is stored.
 */
export interface FormState {
  values: Record<string, unknown>;
  errors: Record<string, string>;
  errorList: { text: string; href?: string }[];
}

export function formState(values: Record<string, unknown> = {}): FormState {
  return { values, errors: {}, errorList: [] };
}

/** The refusals a form shows to the person who sent it; anything else is not a form's business. */
const FORM_REFUSALS = new Set(['E_INVALID', 'E_PATIENT_DATA', 'E_CONFLICT']);

/**
 * Turns a refusal from the service into the form's errors, or returns undefined for any other
 * error (the caller rethrows it). The service names the field in `at.column` and starts its
 * message with the field's label, which the field's own message leaves out. `anchors` maps a
 * field to the element the summary should link to when that is not the field's id (a date's day).
 */
export function refusedForm(error: unknown, values: Record<string, unknown>, anchors: Record<string, string> = {}): FormState | undefined {
  if (!isPlanwatchError(error) || !FORM_REFUSALS.has(error.code)) return undefined;
  const field = error.at?.column;
  const text = sentence(error.code === 'E_INVALID' ? error.message.replace(/^[^:]+:\s*/, '') : error.message);
  if (!field) return { values, errors: {}, errorList: [{ text }] };
  return { values, errors: { [field]: text }, errorList: [{ text, href: `#${anchors[field] ?? field}` }] };
}

function sentence(text: string): string {
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** The status a refusal answers with: a conflict is 409, anything else a form refuses is 400. */
export function refusalStatus(error: unknown): number {
  return isPlanwatchError(error) && error.code === 'E_CONFLICT' ? 409 : 400;
}

/** A string field of a parsed form body; absent and non-string values are empty. */
export function field(body: unknown, name: string): string {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * 'YYYY-MM-DD' from the day, month and year boxes of the NHS date input, or what was typed when
 * it is not three numbers, so the service's date check words the refusal.
 */
export function isoDate(day: string, month: string, year: string): string {
  const parts = [day.trim(), month.trim(), year.trim()];
  if (!parts.every((part) => /^\d+$/.test(part)) || parts[2]!.length !== 4) return parts.filter(Boolean).join('-');
  return `${parts[2]}-${parts[1]!.padStart(2, '0')}-${parts[0]!.padStart(2, '0')}`;
}

/**
 * A path on this site to go to after signing in; anything else (another site, "//host") is
 * dropped. So is anything outside printable ASCII: a Location header cannot carry it (Node
 * refuses to send one with a character above U+00FF), and our own links are percent-encoded.
 */
export function localPath(next: string | undefined): string | undefined {
  if (!next || !/^\/(?![/\\])/.test(next) || /[^\x21-\x7e]|\\/.test(next) || next.length > 500) return undefined;
  return next;
}
