// Writing files and output folders so that a crash, a kill or a full disk never leaves a half-written
// one, and so that replacing an output folder can never delete something joulebench did not write.
//
// Temporaries: a file or folder is written as a sibling named `.joulebench-tmp-<pid>.<name>` (from a
// worker thread `.joulebench-tmp-<pid>-t<thread>.<name>`) and
// renamed over its target (atomic on one file system); a folder being replaced is first renamed to
// `.joulebench-old-<pid>.<name>`. A process killed at the wrong moment (SIGKILL, power loss) leaves
// such a sibling behind; the next joulebench that writes into the same folder removes the ones whose
// process is gone.
//
// Output folders: every folder joulebench writes as a whole (run, check --out, sweep, merge, seq --out,
// brain --out) holds a marker file, `.joulebench-output.json`. `--force` replaces only folders with
// the marker, and never the current directory, the home folder or the package root, nor any of their
// ancestors.
import { closeSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { threadId } from 'node:worker_threads';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { InputError, excerpt } from './errors.js';
import { packageRoot } from './paths.js';

const TEMP_PATTERN = /^\.joulebench-(?:tmp|old)-(\d+)(?:-t\d+)?\./;
const NAME_MAX_BYTES = 255;

/** `name` cut (at a character boundary) to at most `max` UTF-8 bytes. */
function truncateBytes(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name;
  let out = '';
  for (const ch of name) {
    if (Buffer.byteLength(out + ch) > max) break;
    out += ch;
  }
  return out;
}

/** `<pid>` on the main thread, `<pid>-t<threadId>` in a worker thread: two threads writing one cache entry never share a temporary. */
function ownerTag(): string {
  return threadId === 0 ? `${process.pid}` : `${process.pid}-t${threadId}`;
}

/** The temporary sibling of `path` this process writes (`tmp`) or moves a replaced folder to (`old`). */
export function tempSibling(path: string, kind: 'tmp' | 'old' = 'tmp'): string {
  const prefix = `.joulebench-${kind}-${ownerTag()}.`;
  return join(dirname(path), prefix + truncateBytes(basename(path), NAME_MAX_BYTES - Buffer.byteLength(prefix)));
}

/** Prefix of `mkdtemp` probes, so that a probe left by a kill is a recognizable temporary too. */
export function probePrefix(dir: string): string {
  return join(dir, `.joulebench-tmp-${ownerTag()}.probe-`);
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  // not a pid this system can give: not one of ours, so never removed
  if (!Number.isSafeInteger(pid) || pid < 1 || pid > 4_194_304) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, another user's
  }
}

const cleaned = new Set<string>();

/** Forgets which folders were cleaned, so that the next command (`main()` call) looks again. */
export function forgetCleanedFolders(): void {
  cleaned.clear();
}

/**
 * Removes the temporaries a killed joulebench left in `dir` (those whose process no longer exists),
 * once per folder and command (a sweep writes thousands of chunks into one folder); returns their
 * names. Never throws: cleaning is best effort.
 */
export function removeStaleTemps(dir: string): string[] {
  const abs = resolve(dir);
  if (cleaned.has(abs)) return [];
  let names: string[];
  try {
    names = readdirSync(abs);
  } catch {
    return [];
  }
  cleaned.add(abs);
  const removed: string[] = [];
  for (const name of names) {
    const m = TEMP_PATTERN.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    try {
      rmSync(join(abs, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // left for a later run
    }
  }
  return removed;
}

/**
 * Test hook (tests only, never set it otherwise): with JOULEBENCH_TEST_PAUSE_BEFORE_RENAME set to a
 * target's file or folder name, the process announces the pause on stderr and sleeps for ten minutes
 * right before renaming that target's temporary into place, so a test can SIGKILL it there.
 */
function pauseBeforeRenameForTests(target: string, tmp: string): void {
  const name = process.env.JOULEBENCH_TEST_PAUSE_BEFORE_RENAME;
  if (name === undefined || name !== basename(target)) return;
  process.stderr.write(`joulebench-test: paused before rename ${tmp}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600_000);
}

/**
 * A file-system error (errno) reported with the path the user named: the target rather than the
 * temporary sibling, and a path at all where Node gives none (a write that ran out of space).
 */
function atTarget(e: unknown, tmp: string, target: string, pathless = target): unknown {
  if (typeof e !== 'object' || e === null || typeof (e as NodeJS.ErrnoException).code !== 'string') return e;
  const err = e as NodeJS.ErrnoException;
  if (err.path === undefined) err.path = pathless;
  else if (err.path === tmp || err.path.startsWith(tmp + sep)) err.path = target + err.path.slice(tmp.length);
  return err;
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // a later joulebench removes it (its process is gone)
  }
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  writeFileAtomicWith(path, (write) => write(data));
}

/** Writes all of `data` to `fd`: a write may take fewer bytes than given (a nearly full disk); the next one then fails with ENOSPC. */
function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Writes `path` atomically from a producer that writes into an open file descriptor piece by piece
 * (`write`; rows.csv streams thousands of chunks without holding them all): the same temporary, test hook,
 * clean-up and error naming as writeFileAtomic. An error the producer throws removes the temporary.
 */
export function writeFileAtomicWith(path: string, produce: (write: (data: string | Uint8Array) => void) => void): void {
  removeStaleTemps(dirname(path));
  const tmp = tempSibling(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      produce((data) => writeAll(fd, data));
    } finally {
      closeSync(fd);
    }
    pauseBeforeRenameForTests(path, tmp);
    renameSync(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    throw atTarget(e, tmp, path);
  }
}

// ---------------------------------------------------------------------------------------------
// Output folders

/** The marker file of a folder joulebench wrote as a whole. */
export const OUTPUT_MARKER = '.joulebench-output.json';
export type OutputKind = 'run' | 'sweep' | 'seq' | 'brain';

export function outputMarkerText(kind: OutputKind): string {
  return `${JSON.stringify({ tool: 'joulebench', kind })}\n`;
}

/** Whether `dir` holds joulebench's marker (a folder joulebench itself wrote). */
export function hasOutputMarker(dir: string): boolean {
  try {
    const m = JSON.parse(readFileSync(join(dir, OUTPUT_MARKER), 'utf8')) as unknown;
    return typeof m === 'object' && m !== null && (m as { tool?: unknown }).tool === 'joulebench';
  } catch {
    return false;
  }
}

/** Adds the marker to a folder joulebench is writing in place (a sweep folder), when missing. */
export function ensureOutputMarker(dir: string, kind: OutputKind): void {
  if (!hasOutputMarker(dir)) writeFileAtomic(join(dir, OUTPUT_MARKER), outputMarkerText(kind));
}

/** Whether anything (even a dangling symbolic link) is at `path`. */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Why `dir` must never be deleted, or undefined: it is (or contains) the current directory, the home
 * folder or the joulebench package, or it is the file-system root.
 */
export function protectedFolder(dir: string): string | undefined {
  const target = realOrResolved(dir);
  if (dirname(target) === target) return 'is the file-system root';
  let cwd: string | undefined;
  try {
    cwd = realOrResolved(process.cwd());
  } catch {
    cwd = undefined; // the current directory was deleted
  }
  const guarded: [string | undefined, string][] = [
    [cwd, 'the current directory'],
    [realOrResolved(homedir()), 'your home folder'],
    [realOrResolved(packageRoot), 'the joulebench package folder'],
  ];
  for (const [path, what] of guarded) {
    if (path === undefined) continue;
    if (path === target) return `is ${what}`;
    if (path.startsWith(target.endsWith(sep) ? target : target + sep)) return `contains ${what}`;
  }
  return undefined;
}

/**
 * Refuses (one-line InputError naming `option`, the folder and the fix) to replace an existing
 * folder that is protected, or that is not empty and lacks joulebench's marker. `force` is whether
 * the user asked to replace a non-empty folder.
 */
export function checkReplaceable(dir: string, force: boolean, option = '--out'): void {
  if (!pathExists(dir)) return;
  const field = `${option} ${excerpt(dir, 200)}`;
  const guarded = protectedFolder(dir);
  if (guarded !== undefined) throw InputError.at({ field, problem: `${guarded}, which joulebench never replaces or deletes`, fix: 'name a new folder inside it, e.g. results/run1' });
  const st = lstatSync(dir);
  if (st.isSymbolicLink()) throw InputError.at({ field, problem: 'is a symbolic link', fix: 'name the folder it points to, or a new path' });
  if (!st.isDirectory()) throw InputError.at({ field, problem: 'exists and is not a directory', fix: 'choose another path' });
  if (readdirSync(dir).length === 0) return;
  if (!force) throw InputError.at({ field, problem: 'directory exists and is not empty', fix: 'choose another path or pass --force to replace it' });
  if (!hasOutputMarker(dir)) {
    throw InputError.at({ field, problem: `holds files joulebench did not write (no ${OUTPUT_MARKER}), so --force will not replace it`, fix: 'choose another path, or move or delete that folder yourself' });
  }
}

/** Deletes an output folder the user asked to replace (after `checkReplaceable`). */
export function removeOutputDir(dir: string, option = '--out'): void {
  checkReplaceable(dir, true, option);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Writes `files` (name → contents) and the marker into the folder `out` atomically: a temporary
 * sibling renamed into place when complete. An existing `out` is replaced only as `checkReplaceable`
 * allows (it may have appeared while running). On any failure (a full disk) nothing is left.
 */
export function writeOutputFolder(out: string, kind: OutputKind, files: ReadonlyMap<string, string>, force: boolean, option = '--out'): void {
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  removeStaleTemps(parent);
  const tmp = tempSibling(out);
  removeQuietly(tmp);
  let name = ''; // the file being written, named by an error without a path (a write that ran out of space)
  try {
    mkdirSync(tmp);
    for (const [file, text] of [[OUTPUT_MARKER, outputMarkerText(kind)], ...files]) {
      name = file;
      writeFileSync(join(tmp, file), text);
    }
    name = '';
    checkReplaceable(out, force, option);
    pauseBeforeRenameForTests(out, tmp);
    if (pathExists(out) && readdirSync(out).length > 0) {
      const old = tempSibling(out, 'old');
      renameSync(out, old);
      try {
        renameSync(tmp, out);
      } catch (e) {
        renameSync(old, out);
        throw e;
      }
      removeQuietly(old);
    } else renameSync(tmp, out);
  } catch (e) {
    removeQuietly(tmp);
    throw atTarget(e, tmp, out, join(out, name));
  }
}
