// Reading user files: YAML parsing and schema validation that fail with one line naming the file,
// the field and what is wrong (as InputError, so the CLI exits 2).
import YAML from 'yaml';
import type { z } from 'zod';
import { InputError, excerpt } from './errors.js';

export function parseYaml(text: string, origin: string): unknown {
  try {
    return YAML.parse(text);
  } catch (e) {
    throw new InputError(`${origin}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * Validates `value` against `schema`; the first issue becomes the error line
 * `ORIGIN: field PATH: PROBLEM; FIX`, the fix pointing at where the format is described.
 */
export function validated<T>(schema: z.ZodType<T>, value: unknown, origin: string, fix: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = `field ${issue.path.join('.') || '(root)'}`;
    const problem = excerpt(issue.message, 160);
    throw new InputError(`${origin}: ${field}: ${problem}; ${fix}`, { file: origin, field, problem, fix });
  }
  return r.data;
}
