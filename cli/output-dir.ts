// Run folders are written atomically: everything goes into a temporary sibling folder that is
// renamed into place only when complete, so a failed or interrupted run leaves nothing half-written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';

/** Checks, before any work starts, that `out` can be created; throws a UsageError naming the fix. */
export function checkOutputDir(out: string, force: boolean): string {
  const abs = resolve(out);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UsageError(`--out ${out}: exists and is not a directory; choose another path`);
    if (readdirSync(abs).length > 0 && !force) throw new UsageError(`--out ${out}: directory exists and is not empty; choose another path or pass --force to replace it`);
  }
  let ancestor = dirname(abs);
  while (!existsSync(ancestor)) ancestor = dirname(ancestor);
  if (!statSync(ancestor).isDirectory()) throw new UsageError(`--out ${out}: ${ancestor} is not a directory, so the output directory cannot be created there; choose another path`);
  // Probe with a real directory creation: permission bits say nothing for root or read-only mounts.
  try {
    rmSync(mkdtempSync(join(ancestor, '.joulebench-probe-')), { recursive: true, force: true });
  } catch {
    throw new UsageError(`--out ${out}: cannot create directories in ${ancestor}; choose a writable path`);
  }
  return abs;
}

/** Writes `files` (name → contents) into `out` atomically. */
export function writeRunFolder(out: string, files: ReadonlyMap<string, string>, force: boolean): void {
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(out)}.tmp-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  try {
    for (const [name, text] of files) writeFileSync(join(tmp, name), text);
    if (existsSync(out)) {
      if (!force && readdirSync(out).length > 0) throw new UsageError(`--out ${out}: directory appeared while running; not replacing it without --force`);
      rmSync(out, { recursive: true, force: true });
    }
    renameSync(tmp, out);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
