// Output locations are checked before any work starts (so a run never trains for minutes and then
// fails to write), and output folders are written atomically with joulebench's marker
// (core/atomic-write.ts): a failed or interrupted run leaves nothing half-written, and --force
// replaces only folders joulebench wrote.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OutputKind } from '../core/atomic-write.js';
import { checkReplaceable, probePrefix, writeOutputFolder } from '../core/atomic-write.js';
import { checkPathText, checkWritableFile } from '../core/documents.js';
import { excerpt } from '../core/errors.js';
import { UsageError } from './errors.js';

/** The nearest existing folder at or above `abs`'s parent, checked to be a directory. */
function existingParent(abs: string, path: string, option: string): string {
  let ancestor = dirname(abs);
  while (!existsSync(ancestor)) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw new UsageError(`${option} ${excerpt(path, 200)}: ${ancestor} is not a directory, so the output cannot be created there; choose another path`);
  return ancestor;
}

/**
 * Checks, before any work starts, that the folder `out` can be created where it is named: not empty
 * or over-long, not a file, its nearest existing parent writable (a real creation probe: permission
 * bits say nothing for root or read-only mounts). Does not look at what `out` holds.
 */
export function checkOutputPath(out: string, option = '--out'): string {
  const abs = checkPathText(out, option);
  if (existsSync(abs) && !statSync(abs).isDirectory()) throw new UsageError(`${option} ${excerpt(out, 200)}: exists and is not a directory; choose another path`);
  const ancestor = existingParent(abs, out, option);
  try {
    rmSync(mkdtempSync(probePrefix(ancestor)), { recursive: true, force: true });
  } catch (e) {
    throw new UsageError(`${option} ${excerpt(out, 200)}: cannot create directories in ${ancestor} (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose a writable path`);
  }
  return abs;
}

/**
 * Checks, before any work starts, that the folder `out` can be written and, when it exists, that it
 * may be replaced: empty, or non-empty with --force and joulebench's marker; never the current
 * directory, the home folder or the package root. Throws a one-line UsageError naming the fix.
 */
export function checkOutputDir(out: string, force: boolean, option = '--out'): string {
  const abs = checkOutputPath(out, option);
  checkReplaceable(out, force, option);
  return abs;
}

/** Writes `files` (name → contents) into the output folder `out` atomically, with joulebench's marker. */
export function writeRunFolder(out: string, kind: OutputKind, files: ReadonlyMap<string, string>, force: boolean): void {
  writeOutputFolder(out, kind, files, force);
}

/**
 * Checks, before any work starts, that the file `path` can be written: not empty or over-long, not a
 * directory, an existing file only with `force`, its folder existing and writable (probed).
 */
export function checkOutputFile(path: string, force: boolean, option: string): string {
  const abs = checkPathText(path, option);
  if (existsSync(abs) && !statSync(abs).isDirectory() && !force) throw new UsageError(`${option} ${excerpt(path, 200)}: exists; add --force to replace it`);
  checkWritableFile(path, option);
  return abs;
}
