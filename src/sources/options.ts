import { z } from 'zod';

/** Option schemas that several collections' plugins share (STYLE.md §2: every field described). */

/** Only publications for this month or later, for plugins that discover monthly files. */
export const sinceOption = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'use YYYY-MM')
  .optional()
  .describe('Only publications for this month (YYYY-MM) or later');
