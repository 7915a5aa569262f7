// `joulebench sweep <sweep.yaml>` and `joulebench merge <shard folders…>`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname, platform, arch, cpus } from 'node:os';
import { ExecutionContext } from '../sweeps/execute.js';
import type { Shard, SweepProgress } from '../sweeps/run.js';
import { assembleRows, mergeSweeps, openSweepDir, parseShard, planSweep, runSweepChunks } from '../sweeps/run.js';
import { parseSweep } from '../sweeps/spec.js';
import { UsageError } from './errors.js';
import { writeSweepReport } from './report.js';
import { checkOutputDir } from './output-dir.js';

export interface SweepArgs {
  readonly file: string;
  readonly out?: string;
  readonly shard?: string;
  /** Executions run in parallel (worker threads); 1 runs them in this thread. */
  readonly jobs: number;
  readonly force: boolean;
  readonly quiet: boolean;
}

/** Progress on a terminal: one line redrawn in place; elsewhere (CI): a plain line per execution. */
function progressReporter(log: (line: string) => void, quiet: boolean): (p: SweepProgress) => void {
  if (quiet) return () => {};
  const tty = process.stderr.isTTY === true;
  const started = performance.now();
  return (p) => {
    const s = ((performance.now() - started) / 1000).toFixed(1);
    const text = `executions ${p.done}/${p.total} (${p.cached} from cache, ${p.skipped} already done) ${s} s`;
    if (tty) {
      const width = 30;
      const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}${p.done === p.total ? '\n' : ''}`);
    } else log(text);
  };
}

export async function executeSweep(a: SweepArgs, out: (line: string) => void, log: (line: string) => void): Promise<void> {
  if (!Number.isInteger(a.jobs) || a.jobs < 1) throw new UsageError(`--jobs must be a positive integer, got ${a.jobs}`);
  if (!existsSync(a.file)) throw new UsageError(`sweep file ${a.file}: no such file`);
  const sweep = parseSweep(readFileSync(a.file, 'utf8'), a.file);
  let shard: Shard | null = null;
  if (a.shard !== undefined) shard = parseShard(a.shard);
  const plan = planSweep(sweep);
  const dir = a.out ?? join('results', 'sweeps', sweep.spec.name + (shard ? `-shard${shard.index}of${shard.count}` : ''));
  checkOutputDir(dir, true); // the folder may hold this sweep's earlier (resumable) progress
  openSweepDir(dir, sweep, a.force);
  const started = performance.now();
  log(`sweep ${sweep.spec.name}: ${sweep.executions.length} executions × ${sweep.hardware.length} hardware points${shard ? `, shard ${shard.index}/${shard.count}` : ''} → ${dir}`);
  const ctx = new ExecutionContext(log);
  const progress = await runSweepChunks(dir, sweep, plan, ctx, shard, a.jobs, progressReporter(log, a.quiet));
  let rows = 0;
  if (shard === null) {
    rows = assembleRows(dir, sweep);
    writeSweepReport(dir);
  }
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(
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
  checkOutputDir(outDir, true);
  const { sweep, rows } = mergeSweeps(dirs, outDir, force);
  writeSweepReport(outDir);
  out(`merged ${dirs.length} folders: ${rows} rows of sweep ${sweep.spec.name} in ${join(outDir, 'rows.csv')}`);
}
