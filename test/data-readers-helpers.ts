// Shared by the data-reader tests: a refusal must be an InputError of one line.
import { expect } from 'vitest';
import { InputError } from '../core/errors.js';

/** The InputError `f` throws; fails the test when it throws anything else, or nothing. */
export function refusal(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).not.toMatch(/\n/);
    return e as InputError;
  }
  throw new Error('expected an InputError, nothing was thrown');
}
