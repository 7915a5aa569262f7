// Errors the user can fix: printed as one line and exit code 2, with nothing written.
import { InputError } from '../core/errors.js';

/** A bad command-line argument. */
export class UsageError extends InputError {
  override readonly name: string = 'UsageError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
