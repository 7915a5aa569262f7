// Errors caused by the user's input (arguments, files, datasets, a model asked outside its valid
// range), as opposed to bugs. The CLI prints them as one line and exits with code 2.

/** What is wrong with an input, typed at the place that finds it. */
export interface InputProblem {
  /** The file (or `--option`) the bad value came from, when there is one. */
  readonly file?: string;
  /** The field path inside it, e.g. `constants.mac_fp32.value` or `--timesteps`. */
  readonly field: string;
  /** What is wrong, e.g. `must be a positive number, got -4.6`. */
  readonly problem: string;
  /** What the user should do, e.g. `give the energy in J, pJ or fJ`. */
  readonly fix: string;
}

export class InputError extends Error {
  override readonly name: string = 'InputError';
  /** Present when the error was raised through `InputError.at` (structured); otherwise only the message. */
  readonly problem?: InputProblem;

  constructor(message: string, problem?: InputProblem) {
    super(oneLine(message));
    if (problem !== undefined) this.problem = problem;
  }

  /** `FILE: FIELD: PROBLEM; FIX` (the file part only when given). */
  static at(problem: InputProblem): InputError {
    return new InputError(formatProblem(problem), problem);
  }
}

export function formatProblem(p: InputProblem): string {
  return `${p.file === undefined ? '' : `${p.file}: `}${p.field}: ${p.problem}; ${p.fix}`;
}

/**
 * Makes any text safe to print as one terminal line: control characters (newlines, tabs, escape
 * sequences, NUL) are shown escaped, as JSON would, so a value read from a hostile file can neither
 * break the one-line error contract nor drive the terminal.
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** A short, printable excerpt of a user value for an error message (never the whole of a file). */
export function excerpt(value: unknown, max = 60): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const line = oneLine(s);
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/**
 * Rethrows `e` with `prefix` in front of its message when it is an InputError (the user's mistake,
 * now named where the caller knows it: an option, a sweep point); anything else is a bug and is
 * rethrown unchanged, never turned into a user error.
 */
export function rethrowInputError(e: unknown, prefix: string): never {
  if (e instanceof InputError) throw new InputError(`${prefix}${e.message}`, e.problem);
  throw e;
}

/** File-system failures the user can fix (space, permissions, read-only media), by errno code. */
const USER_FIXABLE_FS_CODES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device; free space or choose another location',
  EDQUOT: 'disk quota exceeded; free space or choose another location',
  EROFS: 'the file system is read-only; choose a writable location',
  EACCES: 'permission denied; choose a location you can write to',
  EPERM: 'operation not permitted; choose a location you can write to',
  ENAMETOOLONG: 'the path is too long; choose a shorter path',
  EISDIR: 'is a directory where a file is expected; name a file',
  ENOTDIR: 'a part of the path is not a directory; check the path',
  EMFILE: 'too many open files; raise the limit (ulimit -n) or use fewer --jobs',
};

/**
 * A Node file-system error (identified by its errno `code`, never by message text) that the user can
 * fix, as an InputError naming the path; undefined for anything else (a bug).
 */
export function fileSystemInputError(e: unknown): InputError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code !== 'string' || typeof err.syscall !== 'string') return undefined;
  const fix = USER_FIXABLE_FS_CODES[err.code];
  if (fix === undefined) return undefined;
  const path = err.path ?? (err as { dest?: string }).dest ?? '(unknown path)';
  return InputError.at({ file: path, field: err.syscall, problem: err.code, fix });
}
