import { expect } from 'vitest';
import { PlanwatchError, type ErrorCode, type ErrorLocation } from '../../src/errors.js';

/** Asserts code, file, line and column together (STYLE.md §5), and returns the error. */
export async function expectPlanwatchError(
  action: () => unknown | Promise<unknown>,
  code: ErrorCode,
  at: Partial<ErrorLocation> = {},
): Promise<PlanwatchError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a PlanwatchError').toBeInstanceOf(PlanwatchError);
  const error = caught as PlanwatchError;
  expect({ code: error.code, ...pick(error.at, at) }).toEqual({ code, ...at });
  return error;
}

function pick(actual: ErrorLocation | undefined, wanted: Partial<ErrorLocation>): Partial<ErrorLocation> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(wanted)) out[key] = (actual as unknown as Record<string, unknown> | undefined)?.[key];
  return out;
}
