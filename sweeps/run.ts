// Running a sweep: every execution (cached by content) priced at every hardware point, written as
// one CSV chunk per execution (atomically), then assembled into rows.csv in a fixed order. A killed
// sweep resumes where it stopped; shards (--shard i/N) split executions round-robin and
// `joulebench merge` joins their chunks.
//
// A folder is never trusted: sweep.json is checked against its schema and its hash, and every chunk
// carries a content hash (of the sweep, its execution index and its rows) in its first line, written
// with it in one atomic file. On resume a chunk that fails is recomputed (saying so); merge and report
// refuse it, naming the file, and merge checks every input before it writes anything.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { InputError, excerpt, rethrowInputError } from '../core/errors.js';
import { parseJsonDocument, readDocumentText, validateDocument } from '../core/documents.js';
import type { Ledger } from '../core/ledger.js';
import type { HardwareProfile, ProfileParameter } from '../cost-models/profile.js';
import { COST_MODELS, getProfile } from '../cost-models/registry.js';
import { priceLedger } from '../study/pricing.js';
import { Piscina } from 'piscina';
import { unwrapWorkerOutcome } from './worker-outcome.js';
import type { WorkerOutcome } from './worker-outcome.js';
import type { ExecutionContext, ExecutionPlan, ExecutionResult } from './execute.js';
import { planExecution } from './execute.js';
import { trainSequenceModel } from '../study/points.js';
import { isRecordedLayer } from '../core/ledger.js';
import type { ExpandedSweep, Point, SweepMeta } from './spec.js';
import { WORKLOAD_KEYS, expandSweep, sweepMetaSchema } from './spec.js';
import { ensureOutputMarker, removeOutputDir, removeStaleTemps, writeFileAtomic, writeFileAtomicWith } from '../core/atomic-write.js';
import { warnOf } from '../core/log.js';
import type { Shard } from './shard.js';
import { shardOfExecution } from './shard.js';

/** A profile with parameter overrides, checked against the model's declared valid ranges. */
export function profileAt(point: Point, where: string): HardwareProfile {
  let profile: HardwareProfile;
  try {
    profile = getProfile(String(point.profile));
  } catch (e) {
    rethrowInputError(e, `${where}: `);
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
    const outcome = priceLedger(ledger, profile);
    if (!outcome.ok) return [...base, 'refused', '', '', '', '', outcome.refused];
    const { priced } = outcome;
    let compute = 0;
    let memory = 0;
    let allIn = 0;
    for (const i of priced.items) {
      if (i.component === 'compute') compute += i.energyJ;
      else if (i.component === 'memory') memory += i.energyJ;
      else allIn += i.energyJ;
    }
    return [...base, 'ok', priced.totalJ, compute, memory, allIn, ''];
  });
}

export function sweepHash(sweep: ExpandedSweep): string {
  return createHash('sha256').update(JSON.stringify(sweep.spec)).digest('hex').slice(0, 16);
}

const chunkName = (i: number): string => `${String(i).padStart(6, '0')}.csv`;
const CHUNK_FILE = /^\d{6}\.csv$/;
const CHUNK_HEADER = /^# joulebench-chunk v1 sha256=([0-9a-f]{64})\n/;

function chunkDigest(sweepHashText: string, index: number, body: string): string {
  return createHash('sha256').update(`${sweepHashText}\n${index}\n`).update(body).digest('hex');
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** What is wrong with one row of a chunk or of rows.csv (null when nothing): shape, keys, and no NaN, Infinity or negative energy. */
export function rowProblem(row: readonly string[], layout: SweepLayout, point: Point, hardware: Point): string | null {
  const cols = layout.columns;
  if (row.length !== cols.length) return `has ${row.length} columns, expected ${cols.length}`;
  const cell = (name: string): string => row[cols.indexOf(name)];
  for (const k of layout.workloadKeys) if (cell(k) !== (point[k] === undefined ? '' : String(point[k]))) return `column ${k} is ${excerpt(cell(k), 30)}, but this execution has ${excerpt(String(point[k] ?? ''), 30)}`;
  for (const k of layout.hardwareKeys) if (cell(k) !== (hardware[k] === undefined ? '' : String(hardware[k]))) return `column ${k} is ${excerpt(cell(k), 30)}, but this hardware point has ${excerpt(String(hardware[k] ?? ''), 30)}`;
  if (cell('configuration') === '') return 'column configuration is empty';
  const num = (name: string, ok: (x: number) => boolean, what: string): string | null => {
    const t = cell(name);
    return t === '' || (NUMBER.test(t) && ok(Number(t))) ? null : `column ${name} is ${excerpt(t, 30)}, not ${what}`;
  };
  const finite = Number.isFinite;
  const nonNegative = (x: number) => finite(x) && x >= 0;
  const problems = [
    num('accuracy', (x) => finite(x) && x >= 0 && x <= 1, 'a fraction in [0, 1]'),
    num('spikes_per_synapse', nonNegative, 'a finite number ≥ 0'),
    cols.includes('quality') ? num('quality', finite, 'a finite number') : null,
  ];
  const status = cell('status');
  const energies = ['energy_j', 'compute_j', 'memory_j', 'all_in_j'];
  if (status === 'ok') {
    for (const e of energies) problems.push(cell(e) === '' ? `column ${e} is empty in a priced row` : num(e, nonNegative, 'an energy ≥ 0 (finite)'));
  } else if (status === 'refused') {
    for (const e of energies) if (cell(e) !== '') problems.push(`column ${e} holds a value in a refused row`);
    if (cell('note') === '') problems.push('a refused row has no reason in column note');
  } else problems.push(`column status is ${excerpt(status, 30)}, not ok or refused`);
  return problems.find((x) => x !== null) ?? null;
}

/** The chunk file of execution `index`: a hash line, then its rows (one per hardware point) as CSV. */
export function chunkText(sweep: ExpandedSweep, layout: SweepLayout, index: number, rows: readonly (readonly (string | number)[])[]): string {
  const text = rows.map((r) => r.map((v) => String(v)));
  text.forEach((r, h) => {
    const problem = rowProblem(r, layout, sweep.executions[index], sweep.hardware[h]);
    // the rows come from joulebench itself: an invalid one is a bug, and is not written
    if (problem !== null) throw new Error(`sweep row of execution ${index + 1} at hardware point ${h + 1} would be invalid: ${problem} (this is a bug in joulebench; nothing was written for it)`);
  });
  const body = stringify(rows as (string | number)[][]);
  return `# joulebench-chunk v1 sha256=${chunkDigest(sweepHash(sweep), index, body)}\n${body}`;
}

/** The rows (CSV text) of a chunk file's text, or what is wrong with it. */
export function checkChunk(text: string, sweep: ExpandedSweep, layout: SweepLayout, index: number): { body: string } | { problem: string } {
  const m = CHUNK_HEADER.exec(text);
  if (!m) return { problem: text === '' ? 'is empty' : 'has no content-hash line (not written by this joulebench, or corrupt)' };
  const body = text.slice(m[0].length);
  if (chunkDigest(sweepHash(sweep), index, body) !== m[1]) return { problem: 'does not match its content hash (corrupt, edited, or from another sweep or execution)' };
  let rows: string[][];
  try {
    rows = parseCsv(body, { relax_column_count: true }) as string[][];
  } catch {
    return { problem: 'is not valid CSV' };
  }
  if (rows.length !== sweep.hardware.length) return { problem: `has ${rows.length} rows, expected one per hardware point (${sweep.hardware.length})` };
  for (let h = 0; h < rows.length; h++) {
    const problem = rowProblem(rows[h], layout, sweep.executions[index], sweep.hardware[h]);
    if (problem !== null) return { problem: `row ${h + 1}: ${problem}` };
  }
  return { body };
}

/** Reads and checks chunk `index` of a folder; null when it is missing. */
function readChunk(dir: string, sweep: ExpandedSweep, layout: SweepLayout, index: number): { path: string; body: string } | { path: string; problem: string } | null {
  const path = join(dir, 'chunks', chunkName(index));
  if (!existsSync(path)) return null;
  let text: string;
  try {
    if (!statSync(path).isFile()) return { path, problem: 'is not a file' };
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { path, problem: `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  return { path, ...checkChunk(text, sweep, layout, index) };
}

const SWEEP_JSON_FIX = 'sweep.json is written by `joulebench sweep`; rerun the sweep with --force to start this folder again';

/** Reads and checks a folder's sweep.json: schema, spec, and that the hash and counts are the spec's. */
export function readSweepMeta(dir: string, field = 'sweep folder'): { meta: SweepMeta; sweep: ExpandedSweep } {
  const path = join(dir, 'sweep.json');
  const text = readDocumentText({ path, field, what: 'the sweep.json of a sweep output folder' });
  const meta = validateDocument(sweepMetaSchema, parseJsonDocument(text, path, SWEEP_JSON_FIX), path, SWEEP_JSON_FIX);
  const sweep = expandSweep(meta.spec, path);
  const bad = (f: string, problem: string) => InputError.at({ file: path, field: f, problem, fix: SWEEP_JSON_FIX });
  if (sweepHash(sweep) !== meta.hash) throw bad('hash', 'does not match the spec it holds (the file was edited or is corrupt)');
  if (meta.executions !== sweep.executions.length) throw bad('executions', `is ${meta.executions} but the spec expands to ${sweep.executions.length}`);
  if (meta.hardwarePoints !== sweep.hardware.length) throw bad('hardwarePoints', `is ${meta.hardwarePoints} but the spec expands to ${sweep.hardware.length}`);
  return { meta, sweep };
}


export interface SweepProgress {
  readonly done: number;
  readonly total: number;
  readonly cached: number;
  readonly skipped: number;
}

/** Prepares the output folder: new, or resuming the same sweep (a different sweep, or a corrupt sweep.json, needs --force). */
export function openSweepDir(out: string, sweep: ExpandedSweep, force: boolean): void {
  const meta = join(out, 'sweep.json');
  const hash = sweepHash(sweep);
  if (existsSync(out) && readdirSync(out).length > 0) {
    let same = false;
    if (existsSync(meta)) {
      try {
        same = readSweepMeta(out).meta.hash === hash;
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        // the same problem, with the fix that applies here (--force replaces a folder it cannot trust)
        if (!force) throw e.problem ? InputError.at({ ...e.problem, fix: 'pass --force to replace the folder (its results cannot be trusted) or choose another path' }) : e;
      }
    }
    if (!same) {
      if (!force) throw new InputError(`--out ${out}: holds another sweep (or other files); choose another path or pass --force to replace it`);
      removeOutputDir(out); // only a folder joulebench wrote (its marker), never the current directory or home
    }
  }
  mkdirSync(join(out, 'chunks'), { recursive: true });
  ensureOutputMarker(out, 'sweep');
  // a write interrupted by a kill leaves only a temporary file: drop it, its chunk is redone
  removeStaleTemps(join(out, 'chunks'));
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
  /** Says which finished chunks failed their check and are recomputed. */
  warn: (line: string) => void = warnOf(ctx.log),
): Promise<SweepProgress> {
  const layout = sweepLayout(sweep);
  const mine = sweep.executions.map((_, i) => i).filter((i) => shard === null || i % shard.count === shard.index - 1);
  let done = 0;
  let cached = 0;
  let skipped = 0;
  const finish = (i: number, result: ExecutionResult, hit: boolean): void => {
    if (hit) cached++;
    const rows = priceExecution(sweep, layout, sweep.executions[i], result, profiles);
    writeFileAtomic(join(out, 'chunks', chunkName(i)), chunkText(sweep, layout, i, rows));
    done++;
    onProgress({ done, total: mine.length, cached, skipped });
  };
  const todo: number[] = [];
  for (const i of mine) {
    const chunk = readChunk(out, sweep, layout, i);
    if (chunk !== null && 'body' in chunk) {
      skipped++;
      done++;
      onProgress({ done, total: mine.length, cached, skipped });
    } else {
      if (chunk !== null) warn(`${chunk.path}: ${chunk.problem}; recomputing it`);
      todo.push(i);
    }
  }
  if (todo.length > 0) onProgress({ done, total: mine.length, cached, skipped }); // the executions start now
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
          const { result, cached: hit } = unwrapWorkerOutcome((await pool.run(plans[i])) as WorkerOutcome);
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

const CHUNK_FIX = 'rerun the `joulebench sweep` command that wrote this folder: it resumes, recomputing the chunk';

/** Streams all chunks, in execution order, into rows.csv (atomically), checking each; a bad chunk names its file and nothing is replaced. */
export function assembleRows(out: string, sweep: ExpandedSweep): number {
  const missing = missingChunks(out, sweep);
  if (missing.length > 0) throw new InputError(`${out}: ${missing.length} of ${sweep.executions.length} executions have no results yet (first: point ${missing[0] + 1}); run the remaining shards or resume the sweep`);
  const layout = sweepLayout(sweep);
  let rows = 0;
  writeFileAtomicWith(join(out, 'rows.csv'), (write) => {
    write(stringify([layout.columns as string[]]));
    for (let i = 0; i < sweep.executions.length; i++) {
      const chunk = readChunk(out, sweep, layout, i)!;
      if ('problem' in chunk) throw InputError.at({ file: chunk.path, field: 'chunk', problem: chunk.problem, fix: CHUNK_FIX });
      write(chunk.body);
      rows += sweep.hardware.length;
    }
  });
  return rows;
}

/**
 * Checks a finished sweep folder before its report is drawn: sweep.json, every chunk, and that
 * rows.csv is exactly the header and the chunks' rows (so a report never shows rows nobody computed).
 */
export function verifySweepFolder(dir: string): ExpandedSweep {
  const { sweep } = readSweepMeta(dir);
  const layout = sweepLayout(sweep);
  const rowsPath = join(dir, 'rows.csv');
  const rowsText = readDocumentText({ path: rowsPath, field: 'sweep folder', what: 'the rows.csv of a finished sweep' });
  const expected = createHash('sha256').update(stringify([layout.columns as string[]]));
  for (let i = 0; i < sweep.executions.length; i++) {
    const chunk = readChunk(dir, sweep, layout, i);
    if (chunk === null) throw InputError.at({ file: join(dir, 'chunks', chunkName(i)), field: 'chunk', problem: 'is missing', fix: CHUNK_FIX });
    if ('problem' in chunk) throw InputError.at({ file: chunk.path, field: 'chunk', problem: chunk.problem, fix: CHUNK_FIX });
    expected.update(chunk.body);
  }
  if (createHash('sha256').update(rowsText).digest('hex') !== expected.digest('hex')) {
    throw InputError.at({ file: rowsPath, field: 'content', problem: 'is not the rows of this folder\'s chunks (edited, truncated or corrupt)', fix: 'rerun the `joulebench sweep` (or `merge`) command that wrote this folder to re-assemble it' });
  }
  return sweep;
}

/** The shard a sweep folder's manifest.json records (`joulebench sweep --shard`), if any. */
function shardOfFolder(dir: string): Shard | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { shard?: { index?: unknown; count?: unknown } | null };
    const sh = m.shard;
    return sh && Number.isInteger(sh.index) && Number.isInteger(sh.count) ? { index: sh.index as number, count: sh.count as number } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Joins shard folders of one sweep into `out` and assembles rows.csv. Every input (sweep.json, every
 * chunk, completeness) is checked before anything is written; folders of different sweeps are refused.
 */
export function mergeSweeps(dirs: readonly string[], out: string, force: boolean): { sweep: ExpandedSweep; rows: number } {
  if (dirs.length === 0) throw new InputError('merge: give the shard folders to join');
  for (const d of dirs) {
    if (!statSync(d).isDirectory()) throw new InputError(`merge: ${d} is not a folder; give the output folders of the shards`);
    if (!existsSync(join(d, 'sweep.json'))) throw new InputError(`merge: ${d} is not a sweep folder (no sweep.json)`);
  }
  const metas = dirs.map((d) => readSweepMeta(d, 'merge:').meta);
  const other = metas.findIndex((m) => m.hash !== metas[0].hash);
  if (other >= 0) throw new InputError(`merge: ${dirs[other]} holds a different sweep than ${dirs[0]} (sweep ${metas[other].hash} vs ${metas[0].hash})`);
  const sweep = expandSweep(metas[0].spec, join(dirs[0], 'sweep.json'));
  const layout = sweepLayout(sweep);
  // check every chunk of every folder before writing anything
  const found = new Map<number, { path: string; body: string }>();
  for (const d of dirs) {
    const chunks = join(d, 'chunks');
    if (!existsSync(chunks) || !statSync(chunks).isDirectory()) {
      throw InputError.at({ file: d, field: 'merge', problem: 'has no chunks/ folder, so it is not a complete sweep output folder', fix: 'give the folders `joulebench sweep --shard i/N` wrote (rerun that shard if its folder was damaged)' });
    }
    for (const f of readdirSync(chunks).filter((x) => CHUNK_FILE.test(x))) {
      const i = Number(f.slice(0, 6));
      if (i >= sweep.executions.length) throw InputError.at({ file: join(chunks, f), field: 'chunk', problem: `names execution ${i + 1}, but the sweep has ${sweep.executions.length}`, fix: 'remove it; it does not belong to this sweep' });
      const chunk = readChunk(d, sweep, layout, i)!;
      if ('problem' in chunk) throw InputError.at({ file: chunk.path, field: 'chunk', problem: chunk.problem, fix: CHUNK_FIX });
      const prev = found.get(i);
      if (prev && prev.body !== chunk.body) throw InputError.at({ file: chunk.path, field: 'chunk', problem: `differs from ${prev.path} (the same execution)`, fix: 'merge folders of one run of the sweep (rerun the shards)' });
      if (!prev) found.set(i, chunk);
    }
  }
  const missing = sweep.executions.map((_, i) => i).filter((i) => !found.has(i));
  if (missing.length > 0) {
    // the shards that own the missing executions, when the folders say how the sweep was split
    const counts = new Set(dirs.map((d) => shardOfFolder(d)?.count));
    const count = counts.size === 1 ? [...counts][0] : undefined;
    const shards = count === undefined ? [] : [...new Set(missing.map((i) => shardOfExecution(i, count)))].sort((a, b) => a - b);
    const which = shards.length > 0 ? `; missing shard${shards.length > 1 ? 's' : ''} ${shards.map((i) => `${i}/${count}`).join(', ')}: run ${shards.length > 1 ? 'them' : 'it'} (joulebench sweep --shard i/N) and merge again` : '; run the missing shards first';
    throw new InputError(`merge: ${missing.length} of ${sweep.executions.length} executions have no results in these folders (first: point ${missing[0] + 1})${which}`);
  }
  openSweepDir(out, sweep, force);
  const hash = sweepHash(sweep);
  for (const [i, chunk] of found) {
    writeFileAtomic(join(out, 'chunks', chunkName(i)), `# joulebench-chunk v1 sha256=${chunkDigest(hash, i, chunk.body)}\n${chunk.body}`);
  }
  return { sweep, rows: assembleRows(out, sweep) };
}
