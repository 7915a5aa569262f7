// Runs the built CLI (dist/, compiled by the test script before vitest) as a user would.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheDir } from '../core/paths.js';

export const BIN = resolve(import.meta.dirname, '..', 'bin', 'joulebench.js');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function cli(args: readonly string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `joulebench-${prefix}-`));
}

/** A cache folder of our own (so executions really run) that shares the trained weights of the user's cache. */
export function isolatedCache(): string {
  const dir = tempDir('sweep-cache');
  mkdirSync(join(cacheDir(), 'models'), { recursive: true });
  symlinkSync(join(cacheDir(), 'models'), join(dir, 'models'));
  return dir;
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
export function pausedAt(args: string[], cwd: string, target: string, env: Record<string, string> = {}): Promise<{ pid: number; tmp: string; exited: Promise<unknown> }> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env, JOULEBENCH_TEST_PAUSE_BEFORE_RENAME: target }, stdio: ['ignore', 'ignore', 'pipe'] });
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
