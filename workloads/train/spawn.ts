// Runs a training job in a child Node process and waits for it. Workloads' `prepare()` is
// synchronous, tfjs' backends initialize asynchronously, and a trainer's WebAssembly heap never
// shrinks; a child process keeps all three apart from the harness. Its log lines are relayed to
// `log` when the child ends; its progress (steps, epochs, ETA) it draws live on our stderr when the
// log shows progress there (core/progress.ts); the trained model comes back on a pipe of its own, checked like a cache
// entry. This module does not load tfjs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../core/paths.js';
import type { CachedModel } from '../model-cache.js';
import { decodeModelEntry } from '../model-cache.js';
import type { TrainingJob } from './jobs.js';
import { progressOf } from '../../core/progress.js';

/** The compiled child entry: beside this file when running from dist/, else under dist/ (tests run the sources). */
export function childScript(): string {
  const here = fileURLToPath(import.meta.url);
  const script = here.endsWith('.js') ? join(dirname(here), 'child.js') : join(packageRoot, 'dist', 'workloads', 'train', 'child.js');
  if (!existsSync(script)) throw new Error(`training needs the compiled trainer ${script}; run \`npm run build\` first`);
  return script;
}

/** Trains the job in a child process and returns the model it hands back (on file descriptor 3). */
export function trainInChild(job: TrainingJob, log: (line: string) => void): CachedModel {
  // a progress on this process's stderr: the child draws its own there, live (fd 4 = our fd 2); else none
  const mode = progressOf(log).childMode;
  const r = spawnSync(process.execPath, [childScript()], { input: JSON.stringify(mode === undefined ? job : { ...job, progress: mode }), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe', 'pipe', mode === undefined ? 'ignore' : 2], maxBuffer: 1 << 30 });
  for (const line of (r.stdout ?? '').split('\n')) if (line) log(line);
  if (r.error) throw new Error(`training ${job.cacheId}: could not run the trainer: ${r.error.message}`);
  if (r.status !== 0) {
    const lines = (r.stderr ?? '').trim().split('\n');
    const why = lines.filter((l) => l.startsWith('error: ')).pop() ?? lines.pop() ?? `exit code ${r.status}, signal ${r.signal}`;
    throw new Error(`training ${job.cacheId} failed: ${why.replace(/^error: /, '')}`);
  }
  try {
    return decodeModelEntry(String(r.output[3] ?? ''), job.cacheId, job.key);
  } catch (e) {
    throw new Error(`training ${job.cacheId}: the trainer's result did not arrive intact: ${(e as Error).message}`);
  }
}
