// Documents read and written: one place that turns the ways a named file can be wrong (missing, a
// folder, unreadable, empty, not JSON, …) into one-line InputErrors that name the file and never echo
// its contents, and that checks an output file can be written before any work starts.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { InputError, excerpt, fileSystemInputError } from './errors.js';

/** How a document is named in errors: the option or field that named it, and what it should be. */
export interface DocumentRef {
  /** The path as the user gave it (printed as the file). */
  readonly path: string;
  /** Where the path came from, e.g. `--baseline` or `claims.yaml: results` (the field of the error). */
  readonly field: string;
  /** What the file should be, e.g. `a results.json` (used in the fix). */
  readonly what: string;
}

/**
 * A problem with a path the user named through `field` (an option, a field of a file): one line
 * `FIELD PATH: PROBLEM[; FIX]`, carrying the structured problem.
 */
export function pathError(field: string, path: string, problem: string, fix?: string): InputError {
  return new InputError(`${field ? `${field} ` : ''}${path}: ${problem}${fix ? `; ${fix}` : ''}`, { file: path, field, problem, fix: fix ?? 'check the path' });
}

/** Longest name of one path component (file systems allow 255 bytes). */
const NAME_MAX_BYTES = 255;
/** Longest output path: PATH_MAX is 4096 bytes, and the files written inside need room too. */
const OUTPUT_PATH_MAX_BYTES = 4000;

/**
 * Refuses an empty path, one holding a NUL character or an over-long one (one line naming the option),
 * before anything touches the disk; returns the absolute path.
 */
export function checkPathText(path: string, option: string): string {
  const bad = (problem: string, fix: string) => pathError(option, excerpt(path, 200), problem, fix);
  if (path === '') throw InputError.at({ field: option, problem: 'is empty', fix: `name a path, e.g. ${option} results/run1` });
  if (path.includes('\0')) throw bad('contains a NUL character, which no file name can hold', 'check the path');
  const abs = resolve(path);
  const long = abs.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX_BYTES);
  if (long !== undefined) throw bad(`a name in the path is ${Buffer.byteLength(long)} bytes long, above the ${NAME_MAX_BYTES} bytes file systems allow`, 'choose shorter names');
  const bytes = Buffer.byteLength(abs);
  if (bytes > OUTPUT_PATH_MAX_BYTES) throw bad(`the path is ${bytes} bytes long, above the ${OUTPUT_PATH_MAX_BYTES} bytes joulebench allows (PATH_MAX is 4096, and the files inside need room)`, 'choose a shorter path');
  return abs;
}

/**
 * Checks that `ref.path` is an existing regular file; otherwise one line `FIELD PATH: PROBLEM; FIX`
 * (a folder where a file is expected included).
 */
export function requireFile(ref: DocumentRef): void {
  const bad = (problem: string, fix?: string) => pathError(ref.field, excerpt(ref.path, 200), problem, fix);
  if (ref.path.includes('\0')) throw bad('contains a NUL character, which no file name can hold', 'check the path');
  let st;
  try {
    st = statSync(ref.path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw bad('no such file');
    if (code === 'ENOTDIR') throw bad('no such file (a part of the path is not a directory)');
    throw fileSystemInputError(e) ?? e;
  }
  if (st.isDirectory()) throw bad('is a directory, not a file', `name ${ref.what} itself`);
  if (!st.isFile()) throw bad('is not a regular file', `name ${ref.what}`);
}

/** The bytes of a document (see requireFile); read errors the user can fix are one line. */
export function readDocumentBytes(ref: DocumentRef): Buffer {
  requireFile(ref);
  try {
    return readFileSync(ref.path);
  } catch (e) {
    throw fileSystemInputError(e) ?? e;
  }
}

/** The text of a document (UTF-8; a byte-order mark is dropped). */
export function readDocumentText(ref: DocumentRef): string {
  const text = readDocumentBytes(ref).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** 1-based line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/**
 * Where and why `text` is not JSON (RFC 8259), without quoting it: a small iterative scanner (no
 * recursion, so deep nesting cannot overflow the stack), run only after JSON.parse has failed, so the
 * position does not depend on the wording of the engine's message. Null when the text is valid JSON.
 */
export function jsonSyntaxError(text: string): { offset: number; problem: string } | null {
  let i = 0;
  const n = text.length;
  const stack: number[] = []; // 123 '{' or 91 '['
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const err = (problem: string) => ({ offset: i, problem });
  const TRUNCATED = 'the text ends in the middle of a value (is the file truncated?)';
  const isDigit = (c: number): boolean => c >= 48 && c <= 57;
  const scanString = (): { offset: number; problem: string } | null => {
    i++; // opening quote
    for (;;) {
      if (i >= n) return err(TRUNCATED);
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 0x20) return err('a control character inside a string (escape it, e.g. \\n)');
      if (c === 92) {
        const e = text[i + 1];
        if (e === undefined) return err(TRUNCATED);
        if ('"\\/bfnrt'.includes(e)) i += 2;
        else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else return err('an invalid escape sequence in a string');
      } else i++;
    }
  };
  const scanNumber = (): { offset: number; problem: string } | null => {
    const start = i;
    if (text.charCodeAt(i) === 45) i++;
    if (text.startsWith('Infinity', i)) return { offset: start, problem: 'Infinity is not a JSON number' };
    if (i >= n) return err(TRUNCATED);
    if (text.charCodeAt(i) === 48) i++;
    else if (isDigit(text.charCodeAt(i))) while (i < n && isDigit(text.charCodeAt(i))) i++;
    else return err('a malformed number');
    if (text.charCodeAt(i) === 46) {
      i++;
      if (!isDigit(text.charCodeAt(i))) return err(i >= n ? TRUNCATED : 'a malformed number (digits must follow the decimal point)');
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      if (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45) i++;
      if (!isDigit(text.charCodeAt(i))) return err(i >= n ? TRUNCATED : 'a malformed number (digits must follow the exponent)');
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    return null;
  };
  // states: expect a value, expect a key (after '{' or ','), after a value
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    ws();
    if (state === 'value') {
      if (i >= n) return err(stack.length === 0 && text.trim() === '' ? 'the file is empty' : TRUNCATED);
      const c = text.charCodeAt(i);
      if (c === 123 || c === 91) {
        stack.push(c);
        i++;
        ws();
        const close = c === 123 ? 125 : 93;
        if (text.charCodeAt(i) === close) {
          stack.pop();
          i++;
          state = 'after';
        } else state = c === 123 ? 'key' : 'value';
        continue;
      }
      let bad: { offset: number; problem: string } | null = null;
      if (c === 34) bad = scanString();
      else if (c === 45 || isDigit(c)) bad = scanNumber();
      else if (text.startsWith('true', i)) i += 4;
      else if (text.startsWith('false', i)) i += 5;
      else if (text.startsWith('null', i)) i += 4;
      else if (text.startsWith('NaN', i) || text.startsWith('Infinity', i)) return err('NaN and Infinity are not JSON numbers');
      else return err('a value (object, array, string, number, true, false or null) was expected');
      if (bad) return bad;
      state = 'after';
    } else if (state === 'key') {
      if (i >= n) return err(TRUNCATED);
      if (text.charCodeAt(i) !== 34) return err('a property name in double quotes was expected');
      const bad = scanString();
      if (bad) return bad;
      ws();
      if (i >= n) return err(TRUNCATED);
      if (text.charCodeAt(i) !== 58) return err('a colon was expected after the property name');
      i++;
      state = 'value';
    } else {
      if (stack.length === 0) return i >= n ? null : err('more text follows the JSON value');
      if (i >= n) return err(TRUNCATED);
      const c = text.charCodeAt(i);
      const top = stack[stack.length - 1];
      if (c === 44) {
        i++;
        state = top === 123 ? 'key' : 'value';
      } else if ((top === 123 && c === 125) || (top === 91 && c === 93)) {
        stack.pop();
        i++;
      } else return err(`a comma or ${top === 123 ? "'}'" : "']'"} was expected`);
    }
  }
}

/**
 * Parses a JSON document; a syntax error is one line naming the file and the line and column, never
 * quoting the text (the file may be anything: a binary, a secret, someone else's data).
 */
export function parseJsonDocument(text: string, file: string, fix: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const at = jsonSyntaxError(text) ?? { offset: 0, problem: 'not valid JSON' };
    const { line, column } = lineColumn(text, at.offset);
    throw InputError.at({ file, field: `line ${line}, column ${column}`, problem: `not valid JSON: ${at.problem}`, fix });
  }
}

/** A zod issue path as a JSON field path: `configurations[0].energy[1].totalJ` (`(root)` for the document). */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else {
      const key = String(p);
      out += /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `${out === '' ? '' : '.'}${key}` : `[${excerpt(JSON.stringify(key), 40)}]`;
    }
  }
  return out === '' ? '(root)' : out;
}

/** Validates `value` against `schema`; the first issue is one line naming the file, the field path and the fix. */
export function validateDocument<T>(schema: z.ZodType<T>, value: unknown, file: string, fix: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw InputError.at({ file, field: fieldPath(issue.path), problem: excerpt(issue.message, 160), fix });
  }
  return r.data;
}

/** The type of a JSON value, for messages ("got a string"). */
export function jsonTypeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * Checks, before any work, that an output file can be written: its folder exists and is writable
 * (probed by creating and removing a file there: permission bits say nothing for root or read-only
 * mounts) and the target is not a folder; a file appended to must itself be writable. `option` names
 * it (`--junit`).
 */
export function checkWritableFile(path: string, option: string, mode: 'replace' | 'append' = 'replace'): void {
  const abs = checkPathText(path, option);
  const dir = dirname(abs);
  const bad = (problem: string, fix: string) => pathError(option, path, problem, fix);
  if (!existsSync(dir)) throw bad(`directory ${dir} does not exist`, 'create it or choose another path');
  if (!statSync(dir).isDirectory()) throw bad(`${dir} is not a directory`, 'choose another path');
  if (existsSync(abs) && statSync(abs).isDirectory()) throw bad('is a directory', 'give a file name');
  const probe = join(dir, `.${basename(abs)}.probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw bad(`cannot write in ${dir} (${code ?? 'error'})`, 'choose a writable location');
  } finally {
    rmSync(probe, { force: true });
  }
  // a replaced file is written beside it and renamed over it; an appended one must itself be writable
  if (mode === 'append' && existsSync(abs)) {
    try {
      closeSync(openSync(abs, 'r+'));
    } catch (e) {
      throw bad(`cannot be replaced (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'choose a writable file');
    }
  }
}
