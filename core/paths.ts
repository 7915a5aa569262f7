// Locations the harness reads from and writes to, independent of whether it runs from source or dist/.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'cost-models'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`joulebench: cannot find the package root above ${start}`);
    dir = up;
  }
}

/** Root of the joulebench package (holds package.json, cost-models/, workloads/). */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** The version of this joulebench (package.json). */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Machine-wide cache for trained weights: $JOULEBENCH_CACHE, else $XDG_CACHE_HOME/joulebench, else ~/.cache/joulebench. */
export function cacheDir(): string {
  const explicit = process.env.JOULEBENCH_CACHE;
  if (explicit) return resolve(explicit);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'joulebench');
}
