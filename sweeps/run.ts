// Running a sweep: every execution (cached by content) priced at every hardware point, written as
// one CSV chunk per execution (atomically), then assembled into rows.csv in a fixed order. A killed
// sweep resumes where it stopped; shards (--shard i/N) split executions round-robin and
// `joulebench merge` joins their chunks.
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { InputError } from '../harness/errors.js';
import type { Ledger } from '../harness/ledger.js';
import type { HardwareProfile, ProfileParameter } from '../cost-models/profile.js';
import { COST_MODELS, costModelFor, getProfile } from '../cost-models/registry.js';
import { OutOfRangeError } from '../cost-models/model.js';
import { Piscina } from 'piscina';
import type { ExecutionContext, ExecutionPlan, ExecutionResult } from './execute.js';
import { planExecution } from './execute.js';
import { trainSequenceModel } from './execute-models.js';
import { isRecordedLayer } from '../cost-models/layer-facts.js';
import type { ExpandedSweep, Point, SweepSpec } from './spec.js';
import { WORKLOAD_KEYS, expandSweep } from './spec.js';
import { writeFileAtomic } from '../harness/atomic-write.js';

export interface Shard {
  readonly index: number; // 1-based
  readonly count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new InputError(`--shard "${text}" must be i/N with 1 ≤ i ≤ N, e.g. 2/4`);
  return { index, count };
}

/** A profile with parameter overrides, checked against the model's declared valid ranges. */
export function profileAt(point: Point, where: string): HardwareProfile {
  let profile: HardwareProfile;
  try {
    profile = getProfile(String(point.profile));
  } catch (e) {
    throw new InputError(`${where}: ${(e as Error).message}`);
  }
  const overrides = Object.entries(point).filter(([k]) => k.startsWith('param.'));
  if (overrides.length === 0) return profile;
  const model = COST_MODELS.get(profile.model)!;
  const parameters: Record<string, ProfileParameter> = { ...profile.parameters };
  for (const [k, v] of overrides) {
    const name = k.slice('param.'.length);
    const range = model.parameters[name];
    if (!range) throw new InputError(`${where}: ${k}: profile ${profile.id} (model ${profile.model}) has no parameter "${name}"${Object.keys(model.parameters).length ? `; it has ${Object.keys(model.parameters).join(', ')}` : ''}`);
    if (typeof v !== 'number' || v < range.min || v > range.max || (range.integer && !Number.isInteger(v))) {
      throw new InputError(`${where}: ${k} = ${String(v)} is outside the model's valid range [${range.min}, ${range.max}]${range.integer ? ' (integer)' : ''}`);
    }
    parameters[name] = { value: v, unit: range.unit, source: 'sweep override' };
  }
  return { ...profile, parameters };
}

function networkSigma(ledger: Ledger): number {
  let sop = 0;
  let dense = 0;
  for (const l of ledger.layers) {
    sop += l.activity.synOps.mean;
    dense += l.geometry.denseSynOps;
  }
  return dense === 0 ? 0 : sop / dense;
}

export interface SweepLayout {
  readonly workloadKeys: readonly string[];
  readonly hardwareKeys: readonly string[];
  readonly columns: readonly string[];
}

export function sweepLayout(sweep: ExpandedSweep): SweepLayout {
  const seen = new Set(sweep.executions.flatMap((p) => Object.keys(p)));
  const workloadKeys = WORKLOAD_KEYS.filter((k) => seen.has(k));
  const hardwareKeys = ['profile', ...[...new Set(sweep.hardware.flatMap((p) => Object.keys(p)))].filter((k) => k !== 'profile').sort()];
  // sequence and brain workloads report their own quality metric (bits per character, quantisation error …)
  const quality = sweep.executions.some((p) => p.workload === 'sequence' || String(p.workload).startsWith('brain-')) ? ['quality_metric', 'quality'] : [];
  return { workloadKeys, hardwareKeys, columns: [...workloadKeys, 'configuration', 'accuracy', ...quality, 'spikes_per_synapse', ...hardwareKeys, 'status', 'energy_j', 'compute_j', 'memory_j', 'all_in_j', 'note'] };
}

/** The rows of one execution at every hardware point (priced, or refused with the model's reason). */
export function priceExecution(sweep: ExpandedSweep, layout: SweepLayout, point: Point, result: Pick<ExecutionResult, 'id' | 'accuracy' | 'quality' | 'ledger'>, profiles: readonly HardwareProfile[]): (string | number)[][] {
  const { id, accuracy, ledger } = result;
  // σ (spikes per synapse) is defined for synaptic layers; sequence and brain ledgers are recorded layers
  const sigma = ledger.layers.every(isRecordedLayer) ? '' : networkSigma(ledger);
  const quality = layout.columns.includes('quality') ? [result.quality?.metric ?? '', result.quality?.value ?? ''] : [];
  return sweep.hardware.map((hw, h) => {
    const profile = profiles[h];
    const base = [...layout.workloadKeys.map((k) => (point[k] === undefined ? '' : String(point[k]))), id, Number.isNaN(accuracy) ? '' : accuracy, ...quality, sigma, ...layout.hardwareKeys.map((k) => (hw[k] === undefined ? '' : String(hw[k])))];
    try {
      const priced = costModelFor(profile).price(ledger, profile);
      let compute = 0;
      let memory = 0;
      let allIn = 0;
      for (const i of priced.items) {
        if (i.component === 'compute') compute += i.energyJ;
        else if (i.component === 'memory') memory += i.energyJ;
        else allIn += i.energyJ;
      }
      return [...base, 'ok', priced.totalJ, compute, memory, allIn, ''];
    } catch (e) {
      if (e instanceof OutOfRangeError) return [...base, 'refused', '', '', '', '', e.message];
      throw e;
    }
  });
}

export function sweepHash(sweep: ExpandedSweep): string {
  return createHash('sha256').update(JSON.stringify(sweep.spec)).digest('hex').slice(0, 16);
}

const chunkName = (i: number): string => `${String(i).padStart(6, '0')}.csv`;


export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly cached: number;
  readonly skipped: number;
}

/** Prepares the output folder: new, or resuming the same sweep (a different sweep needs --force). */
export function openSweepDir(out: string, sweep: ExpandedSweep, force: boolean): void {
  const meta = join(out, 'sweep.json');
  const hash = sweepHash(sweep);
  if (existsSync(out) && readdirSync(out).length > 0) {
    const same = existsSync(meta) && (JSON.parse(readFileSync(meta, 'utf8')) as { hash: string }).hash === hash;
    if (!same) {
      if (!force) throw new InputError(`--out ${out}: holds another sweep (or other files); choose another path or pass --force to replace it`);
      rmSync(out, { recursive: true, force: true });
    }
  }
  mkdirSync(join(out, 'chunks'), { recursive: true });
  // a write interrupted by a kill leaves only a temporary file: drop it, its chunk is redone
  for (const f of readdirSync(join(out, 'chunks'))) if (f.includes('.tmp-')) rmSync(join(out, 'chunks', f), { force: true });
  if (!existsSync(meta)) writeFileAtomic(meta, `${JSON.stringify({ schema: 'joulebench/sweep', version: 1, hash, spec: sweep.spec, executions: sweep.executions.length, hardwarePoints: sweep.hardware.length }, null, 1)}\n`);
}

export interface SweepPlan {
  readonly plans: readonly ExecutionPlan[];
  readonly profiles: readonly HardwareProfile[];
}

/** Interprets every point (throwing on the first bad one) before anything runs or is written. */
export function planSweep(sweep: ExpandedSweep): SweepPlan {
  return {
    plans: sweep.executions.map((p, i) => planExecution(p, `workload point ${i + 1} (${JSON.stringify(p)})`)),
    profiles: sweep.hardware.map((h, i) => profileAt(h, `hardware point ${i + 1} (${JSON.stringify(h)})`)),
  };
}

/** Runs (or resumes) the executions of this shard, `jobs` at a time (worker threads when > 1); returns counts. */
export async function runSweepChunks(
  out: string,
  sweep: ExpandedSweep,
  { plans, profiles }: SweepPlan,
  ctx: ExecutionContext,
  shard: Shard | null,
  jobs: number,
  onProgress: (p: SweepProgress) => void,
): Promise<SweepProgress> {
  const layout = sweepLayout(sweep);
  const mine = sweep.executions.map((_, i) => i).filter((i) => shard === null || i % shard.count === shard.index - 1);
  let done = 0;
  let cached = 0;
  let skipped = 0;
  const finish = (i: number, result: ExecutionResult, hit: boolean): void => {
    if (hit) cached++;
    const rows = priceExecution(sweep, layout, sweep.executions[i], result, profiles);
    writeFileAtomic(join(out, 'chunks', chunkName(i)), stringify(rows));
    done++;
    onProgress({ done, total: mine.length, cached, skipped });
  };
  const todo: number[] = [];
  for (const i of mine) {
    if (existsSync(join(out, 'chunks', chunkName(i)))) {
      skipped++;
      done++;
      onProgress({ done, total: mine.length, cached, skipped });
    } else todo.push(i);
  }
  if (jobs <= 1 || todo.length <= 1) {
    for (const i of todo) {
      const { result, cached: hit } = await ctx.execute(plans[i]);
      finish(i, result, hit);
    }
  } else {
    // Train or load every workload once here, so workers only read cached weights.
    for (const w of new Set(todo.flatMap((i) => (plans[i].kind === 'image' ? [plans[i].workload] : [])))) ctx.prepare(w);
    for (const i of todo) {
      const plan = plans[i];
      if (plan.kind === 'sequence') await trainSequenceModel(plan, ctx.log);
    }
    const pool = new Piscina({ filename: new URL('./worker.js', import.meta.url).href, minThreads: Math.min(jobs, todo.length), maxThreads: Math.min(jobs, todo.length), idleTimeout: 1000 });
    try {
      await Promise.all(
        todo.map(async (i) => {
          const { result, cached: hit } = (await pool.run(plans[i])) as { result: ExecutionResult; cached: boolean };
          finish(i, result, hit);
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  return { done, total: mine.length, cached, skipped };
}

/** Indices of executions whose chunk is missing. */
export function missingChunks(out: string, sweep: ExpandedSweep): number[] {
  return sweep.executions.map((_, i) => i).filter((i) => !existsSync(join(out, 'chunks', chunkName(i))));
}

/** Streams all chunks, in execution order, into rows.csv (atomically). */
export function assembleRows(out: string, sweep: ExpandedSweep): number {
  const missing = missingChunks(out, sweep);
  if (missing.length > 0) throw new InputError(`${out}: ${missing.length} of ${sweep.executions.length} executions have no results yet (first: point ${missing[0] + 1}); run the remaining shards or resume the sweep`);
  const layout = sweepLayout(sweep);
  const target = join(out, 'rows.csv');
  const tmp = `${target}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  let rows = 0;
  try {
    writeSync(fd, stringify([layout.columns as string[]]));
    for (let i = 0; i < sweep.executions.length; i++) {
      const text = readFileSync(join(out, 'chunks', chunkName(i)), 'utf8');
      writeSync(fd, text);
      rows += sweep.hardware.length;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, target);
  return rows;
}

/** Joins shard folders of one sweep into `out` and assembles rows.csv; refuses folders of different sweeps. */
export function mergeSweeps(dirs: readonly string[], out: string, force: boolean): { sweep: ExpandedSweep; rows: number } {
  if (dirs.length === 0) throw new InputError('merge: give the shard folders to join');
  const metas = dirs.map((d) => {
    const meta = join(d, 'sweep.json');
    if (!existsSync(meta)) throw new InputError(`merge: ${d} is not a sweep folder (no sweep.json)`);
    return JSON.parse(readFileSync(meta, 'utf8')) as { hash: string; spec: SweepSpec };
  });
  const other = metas.findIndex((m) => m.hash !== metas[0].hash);
  if (other >= 0) throw new InputError(`merge: ${dirs[other]} holds a different sweep than ${dirs[0]} (sweep ${metas[other].hash} vs ${metas[0].hash})`);
  const sweep = expandSweep(metas[0].spec, join(dirs[0], 'sweep.json'));
  // check completeness before writing anything
  const have = new Set(dirs.flatMap((d) => (existsSync(join(d, 'chunks')) ? readdirSync(join(d, 'chunks')) : [])));
  const missing = sweep.executions.map((_, i) => i).filter((i) => !have.has(chunkName(i)));
  if (missing.length > 0) throw new InputError(`merge: ${missing.length} of ${sweep.executions.length} executions have no results in these folders (first: point ${missing[0] + 1}); run the missing shards first`);
  openSweepDir(out, sweep, force);
  copyChunks(dirs, out);
  return { sweep, rows: assembleRows(out, sweep) };
}

/** Copies every chunk of the given shard folders into `out`. */
export function copyChunks(dirs: readonly string[], out: string): void {
  mkdirSync(join(out, 'chunks'), { recursive: true });
  for (const d of dirs) {
    for (const f of readdirSync(join(d, 'chunks')).filter((x) => /^\d{6}\.csv$/.test(x))) {
      const target = join(out, 'chunks', f);
      if (!existsSync(target)) copyFileSync(join(d, 'chunks', f), target);
    }
  }
}
