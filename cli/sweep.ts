// `joulebench sweep <sweep.yaml>` and `joulebench merge <shard folders…>`.
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { availableParallelism, hostname, platform, arch, cpus, totalmem } from 'node:os';
import { writeFileAtomic } from '../core/atomic-write.js';
import { readDocumentText } from '../core/documents.js';
import { ExecutionContext } from '../sweeps/execute.js';
import type { SweepProgress } from '../sweeps/run.js';
import { assembleRows, mergeSweeps, openSweepDir, planSweep, runSweepChunks } from '../sweeps/run.js';
import type { Shard } from '../sweeps/shard.js';
import { parseShard } from '../sweeps/shard.js';
import { parseSweep } from '../sweeps/spec.js';
import { UsageError } from './errors.js';
import type { ProgressTask } from '../core/progress.js';
import { progressOf } from '../core/progress.js';
import { writeSweepReport } from './report.js';
import { checkOutputPath } from './output-dir.js';

export interface SweepArgs {
  readonly file: string;
  readonly out?: string;
  readonly shard?: string;
  /** Executions run in parallel (worker threads); 1 runs them in this thread. */
  readonly jobs: number;
  readonly force: boolean;
  readonly quiet: boolean;
}

/**
 * The sweep's progress as the log shows it (core/progress.ts: one line redrawn on a terminal, plain
 * lines now and then in CI, nothing with --quiet): executions done of those left to run, with rate
 * and ETA; executions a resumed sweep had already done count neither in the total nor in the rate.
 */
function progressReporter(log: (line: string) => void): { report: (p: SweepProgress) => void; end: () => void } {
  let task: ProgressTask | undefined;
  let skipped = 0;
  return {
    report: (p) => {
      if (p.done === p.skipped) {
        // the chunks already written are read before any execution runs; the last such report says they start
        skipped = p.skipped;
        task = progressOf(log).task('sweep', p.total - skipped, 'executions');
        return;
      }
      task ??= progressOf(log).task('sweep', p.total - skipped, 'executions');
      task.update(p.done - skipped, `${p.cached} from cache${skipped > 0 ? `, ${skipped} already done` : ''}`);
    },
    end: () => task?.end(),
  };
}

/**
 * Memory one worker thread is assumed to need: measured about 300 MB resident per worker (a 16-job
 * sweep of the MNIST workloads peaked at 4.8 GB), rounded up for headroom.
 */
export const WORKER_MEMORY_BYTES = 512 * 1024 ** 2;
/** Memory kept for the main thread (the sweep's points, the assembled rows, the cache). */
const MAIN_MEMORY_BYTES = 1024 ** 3;

/** The most --jobs this machine runs: its CPUs (os.availableParallelism) and the workers its memory holds. */
export function maxJobs(): { max: number; cpus: number; byMemory: number; memoryBytes: number } {
  const cpuCount = availableParallelism();
  const limit = process.constrainedMemory?.() ?? 0; // a cgroup (container) limit, when there is one
  const memoryBytes = limit > 0 ? Math.min(limit, totalmem()) : totalmem();
  const byMemory = Math.max(1, Math.floor((memoryBytes - MAIN_MEMORY_BYTES) / WORKER_MEMORY_BYTES));
  return { max: Math.min(cpuCount, byMemory), cpus: cpuCount, byMemory, memoryBytes };
}

/** Refuses --jobs beyond what the machine runs (more threads than CPUs only add memory; too many are killed for it). */
export function checkJobs(jobs: number): void {
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs must be a positive integer, got ${jobs}`);
  const m = maxJobs();
  if (jobs > m.max) {
    const gib = (b: number) => (b / 1024 ** 3).toFixed(1);
    throw new UsageError(
      `--jobs ${jobs} is more than this machine can run: at most ${m.max} (${m.cpus} CPUs; ${m.byMemory} workers of ${WORKER_MEMORY_BYTES / 1024 ** 2} MiB each in ${gib(m.memoryBytes)} GiB of memory, ${gib(MAIN_MEMORY_BYTES)} GiB kept for the main thread); use --jobs ${m.max} or fewer, or --shard i/N to spread the sweep over machines`,
    );
  }
}

export async function executeSweep(a: SweepArgs, out: (line: string) => void, log: (line: string) => void): Promise<void> {
  checkJobs(a.jobs);
  const sweep = parseSweep(readDocumentText({ path: a.file, field: 'sweep file', what: 'a sweep file (YAML)' }), a.file);
  let shard: Shard | null = null;
  if (a.shard !== undefined) shard = parseShard(a.shard);
  const plan = planSweep(sweep);
  const dir = a.out ?? join('results', 'sweeps', sweep.spec.name + (shard ? `-shard${shard.index}of${shard.count}` : ''));
  checkOutputPath(dir); // the folder may hold this sweep's earlier (resumable) progress: openSweepDir decides
  openSweepDir(dir, sweep, a.force);
  const started = performance.now();
  log(`sweep ${sweep.spec.name}: ${sweep.executions.length} executions × ${sweep.hardware.length} hardware points${shard ? `, shard ${shard.index}/${shard.count}${shard.from ? ` (from the ${shard.from})` : ''}` : ''} → ${dir}`);
  const ctx = new ExecutionContext(log);
  const reporter = progressReporter(log);
  let progress: SweepProgress;
  try {
    progress = await runSweepChunks(dir, sweep, plan, ctx, shard, a.jobs, reporter.report);
  } finally {
    reporter.end();
  }
  let rows = 0;
  if (shard === null) {
    rows = assembleRows(dir, sweep);
    writeSweepReport(dir);
  }
  const seconds = (performance.now() - started) / 1000;
  writeFileAtomic(
    join(dir, 'manifest.json'),
    `${JSON.stringify({ createdAt: new Date().toISOString(), host: { hostname: hostname(), platform: platform(), arch: arch(), cpus: cpus().length, node: process.version }, argv: process.argv.slice(2), shard, progress, seconds, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }, null, 2)}\n`,
  );
  out(
    shard === null
      ? `wrote ${rows} rows (${sweep.executions.length} executions: ${progress.done - progress.cached - progress.skipped} run, ${progress.cached} from cache, ${progress.skipped} already done) to ${join(dir, 'rows.csv')} (report: ${join(dir, 'report.html')}) in ${seconds.toFixed(1)} s`
      : `shard ${shard.index}/${shard.count}: ${progress.done} executions in ${dir} (${seconds.toFixed(1)} s); join the shards with \`joulebench merge\``,
  );
}

export function executeMerge(dirs: readonly string[], outDir: string, force: boolean, out: (line: string) => void): void {
  for (const d of dirs) if (!existsSync(d)) throw new UsageError(`merge: ${d}: no such folder`);
  checkOutputPath(outDir);
  const inside = dirs.find((d) => resolve(d).startsWith(resolve(outDir) + sep));
  if (inside !== undefined) throw new UsageError(`merge: --out ${outDir} holds the shard folder ${inside}; choose an output folder outside the shards`);
  const { sweep, rows } = mergeSweeps(dirs, outDir, force);
  writeSweepReport(outDir);
  out(`merged ${dirs.length} folders: ${rows} rows of sweep ${sweep.spec.name} in ${join(outDir, 'rows.csv')}`);
}
