// Output locations are checked before any work starts (so a run never trains for minutes and then
// fails to write), and output folders are written atomically with joulebench's marker
// (harness/atomic-write.ts): a failed or interrupted run leaves nothing half-written, and --force
// replaces only folders joulebench wrote.
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import type { OutputKind } from '../harness/atomic-write.js';
import { checkReplaceable, probePrefix, tempSibling, writeOutputFolder } from '../harness/atomic-write.js';
import { excerpt } from '../harness/errors.js';
import { UsageError } from './errors.js';

/** Longest name of one path component (file systems allow 255 bytes). */
const NAME_MAX_BYTES = 255;
/** Longest output path: PATH_MAX is 4096 bytes, and the files written inside need room too. */
const OUTPUT_PATH_MAX_BYTES = 4000;

/** Refuses an empty or over-long path (one line naming the option), before anything touches the disk. */
function checkPathText(path: string, option: string): string {
  if (path === '') throw new UsageError(`${option}: is empty; name a path, e.g. ${option} results/run1`);
  const abs = resolve(path);
  const long = abs.split(sep).find((part) => Buffer.byteLength(part) > NAME_MAX_BYTES);
  if (long !== undefined) throw new UsageError(`${option} ${excerpt(path, 200)}: a name in the path is ${Buffer.byteLength(long)} bytes long, above the ${NAME_MAX_BYTES} bytes file systems allow; choose shorter names`);
  const bytes = Buffer.byteLength(abs);
  if (bytes > OUTPUT_PATH_MAX_BYTES) throw new UsageError(`${option} ${excerpt(path, 200)}: the path is ${bytes} bytes long, above the ${OUTPUT_PATH_MAX_BYTES} bytes joulebench allows (PATH_MAX is 4096, and the files inside need room); choose a shorter path`);
  return abs;
}

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
  if (existsSync(abs)) {
    if (statSync(abs).isDirectory()) throw new UsageError(`${option} ${excerpt(path, 200)}: is a directory; name a file`);
    if (!force) throw new UsageError(`${option} ${excerpt(path, 200)}: exists; add --force to replace it`);
  }
  const dir = dirname(abs);
  if (!existsSync(dir)) throw new UsageError(`${option} ${excerpt(path, 200)}: directory ${dir} does not exist; create it or choose another path`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${option} ${excerpt(path, 200)}: ${dir} is not a directory; choose another path`);
  const probe = tempSibling(join(dir, 'probe'));
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new UsageError(`${option} ${excerpt(path, 200)}: cannot write files in ${dir} (${(e as NodeJS.ErrnoException).code ?? 'error'}); choose a writable path`);
  }
  return abs;
}
