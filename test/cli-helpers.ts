// How tests run joulebench. runCli: in this process, through main() (cli/main.ts), as fast as a
// function call. cli: the built CLI (bin/joulebench.js over dist/, compiled by the test script before
// vitest) in a child process, only where a process is the point: the launcher itself, SIGKILL, two
// processes at once, `sweep --jobs N` (its worker threads load the compiled dist/sweeps/worker.js) and
// settings a module reads once when it loads. Both give each test its own cache folder (testCache).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inject } from 'vitest';
import { copyModels } from './pretrained.js';

export const BIN = resolve(import.meta.dirname, '..', 'bin', 'joulebench.js');

export interface CliResult {
  readonly code: number | null;
  /** Everything printed, each line ended by a newline, as a process's stdout would hold it. */
  readonly stdout: string;
  readonly stderr: string;
}

/** What main() returned and printed; `out` and `err` are the printed lines. */
export interface MainResult extends CliResult {
  readonly code: number;
  readonly out: readonly string[];
  readonly err: readonly string[];
}

/** Environment of one command: a value of undefined removes the variable. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/** A new empty folder in the system's temporary folder, removed with everything in it when the test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `joulebench-${prefix}-`));
  made.push(dir);
  return dir;
}

// ---- caches ---------------------------------------------------------------------------------------

const made: string[] = []; // every folder tempDir made for this test file (caches among them), removed when it ends
let fileCache: string | undefined; // JOULEBENCH_CACHE of what the file runs in process (test/setup-cache.ts)
let inTest = false;
let perTest: string | undefined;
let perFile: string | undefined;

/**
 * A new cache folder of our own holding a writable copy of the pretrained default model (made once by
 * test/global-setup.ts): executions and other models really run and are cached here, nothing is
 * written to the user's cache or shared with another test. Removed when the test file ends.
 */
export function isolatedCache(prefix = 'cache'): string {
  const dir = tempDir(prefix);
  copyModels(inject('pretrainedCache'), dir);
  return dir;
}

/** The running test's own cache folder (one per test, made on first use; in beforeAll, one per file). */
export function testCache(): string {
  if (inTest) return (perTest ??= isolatedCache('test-cache'));
  return (perFile ??= isolatedCache('suite-cache'));
}

/** Hooks of test/setup-cache.ts: a test's cache is its own and is removed when it ends. */
export function beginTest(): void {
  inTest = true;
  perTest = undefined;
}
export function endTest(): void {
  inTest = false;
  if (perTest !== undefined) removeQuietly(perTest);
  perTest = undefined;
}
export function endFile(): void {
  for (const dir of made.splice(0)) removeQuietly(dir);
  perFile = undefined;
}
function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // a test made it unremovable on purpose (read-only): the system's temporary folder keeps it
  }
}

/** test/setup-cache.ts: the test file's own cache becomes JOULEBENCH_CACHE for what it runs in process. */
export function useFileCache(): void {
  fileCache = isolatedCache('file-cache');
  process.env.JOULEBENCH_CACHE = fileCache;
}

/**
 * The variables every command runs with: no colours, and as JOULEBENCH_CACHE the one given, else the
 * one the test set itself (a read-only or empty cache on purpose), else testCache(). (A CI job's
 * GITHUB_STEP_SUMMARY is removed for every test file by test/setup-cache.ts.)
 */
function commandEnv(env: CliEnv): Record<string, string | undefined> {
  const own = process.env.JOULEBENCH_CACHE !== undefined && process.env.JOULEBENCH_CACHE !== fileCache ? process.env.JOULEBENCH_CACHE : undefined;
  return { NO_COLOR: '1', ...env, JOULEBENCH_CACHE: env.JOULEBENCH_CACHE ?? own ?? testCache() };
}

// ---- running commands -------------------------------------------------------------------------------

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `joulebench <argv>` in this process through main(): in `cwd` (default: a new empty folder, never
 * the repository; process.chdir, restored after), with `env` on top of commandEnv() (restored after, as
 * is JOULEBENCH_CACHE_UNWRITABLE, which a command sets when it finds the cache read-only). Calls are
 * serialized: the working directory and the environment are the process's.
 */
export function runCli(argv: readonly string[], cwd?: string, env: CliEnv = {}): Promise<MainResult> {
  const run = queue.then(async () => {
    const { main } = await import('../cli/main.js');
    const vars = commandEnv(env);
    const saved = new Map([...Object.keys(vars), 'JOULEBENCH_CACHE_UNWRITABLE'].map((k) => [k, process.env[k]] as const));
    const before = process.cwd();
    const out: string[] = [];
    const err: string[] = [];
    try {
      setEnv(vars);
      process.chdir(cwd ?? tempDir('cwd'));
      const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
      const lines = (texts: string[]) => texts.flatMap((t) => t.split('\n'));
      const printed = (texts: string[]) => texts.map((t) => `${t}\n`).join('');
      return { code, stdout: printed(out), stderr: printed(err), out: lines(out), err: lines(err) };
    } finally {
      process.chdir(before);
      setEnv(Object.fromEntries(saved));
    }
  });
  queue = run.catch(() => {});
  return run;
}

function setEnv(vars: CliEnv): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

/** Runs the built CLI in a child process (see the top of this file for when a process is the point). */
export function cli(args: readonly string[], cwd: string, env: CliEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: childEnv(env) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function childEnv(env: CliEnv): NodeJS.ProcessEnv {
  const vars: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(commandEnv(env))) {
    if (v === undefined) delete vars[k];
    else vars[k] = v;
  }
  return vars;
}

/** Every entry under `dir`, recursively, relative to it (to prove nothing was written). */
export function listTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** Small but real run arguments: a few hundred test samples, two T values, both models. */
export const SMALL_RUN = ['run', '-n', '60', '-T', '4', '8', '--calibration-samples', '300', '--quiet'];

/**
 * Runs the built CLI with the test-only hook that pauses right before the final rename of `target`
 * (core/atomic-write.ts); waits until the child prints the test hook's pause line; returns the temporary it names. */
export function pausedAt(args: string[], cwd: string, target: string, env: CliEnv = {}): Promise<{ pid: number; tmp: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: childEnv({ ...env, JOULEBENCH_TEST_PAUSE_BEFORE_RENAME: target }), stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((r) => child.on('exit', r));
  return new Promise((resolvePause, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /joulebench-test: paused before rename (.+)\n/.exec(err);
      if (m) resolvePause({ pid: child.pid!, tmp: m[1], exited });
    });
    child.on('exit', () => reject(new Error(`exited before the pause: ${err}`)));
  });
}
