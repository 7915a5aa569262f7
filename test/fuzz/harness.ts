// The fuzz suite's oracle and bookkeeping: which outcomes are allowed (success, or an InputError whose
// message is one line), how failures are classified, how each format's campaign runs (a fixed seed,
// overridable; every case recorded; then fast-check replays the same seed to shrink one
// counterexample per kind of failure), and the summary table printed at the end.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { InputError } from '../../core/errors.js';

export const LARGE = process.env.JOULEBENCH_FUZZ === 'large';
/** Seed of every campaign (reproducible by default); JOULEBENCH_FUZZ_SEED overrides it. */
export const SEED = process.env.JOULEBENCH_FUZZ_SEED === undefined ? 17 : Number(process.env.JOULEBENCH_FUZZ_SEED);
/** Only formats whose name contains this (comma-separated), e.g. JOULEBENCH_FUZZ_ONLY=onnx,cli. */
export const ONLY = (process.env.JOULEBENCH_FUZZ_ONLY ?? '').split(',').filter(Boolean);
/** A fast-check replay path (printed with a failure) for JOULEBENCH_FUZZ_ONLY's format. */
export const REPLAY_PATH = process.env.JOULEBENCH_FUZZ_PATH;
export const REPO = resolve(import.meta.dirname, '..', '..');

export function selected(format: string): boolean {
  return ONLY.length === 0 || ONLY.some((o) => format.includes(o));
}

/** Cases of a format: CI size, or the large campaign's (JOULEBENCH_FUZZ=large); JOULEBENCH_FUZZ_RUNS scales both. */
export function runs(ci: number, large: number): number {
  const scale = process.env.JOULEBENCH_FUZZ_RUNS === undefined ? 1 : Number(process.env.JOULEBENCH_FUZZ_RUNS);
  return Math.max(1, Math.round((LARGE ? large : ci) * scale));
}

export const FAILURE_KINDS = [
  'stack trace',
  'wrong exit code',
  'multi-line error',
  'hang',
  'partial output',
  'user file touched',
  'non-finite/negative number',
  'wrong numbers',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export interface Failure {
  readonly kind: FailureKind;
  readonly detail: string;
}

export interface Outcome {
  /** ok: success; input-error: refused with an InputError / exit 2; claim-fail: exit 1 of check/audit. */
  readonly result: 'ok' | 'input-error' | 'claim-fail' | 'crash' | 'hang';
  readonly failures: Failure[];
  readonly message?: string;
}

/** The first stack frame in the project's own source (where a bug most likely is). */
export function projectFrame(e: unknown): string {
  const stack = (e as Error)?.stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?(\/[^():]+):(\d+):\d+\)?$/.exec(line.trim());
    if (m && !m[1].includes('node_modules') && !m[1].includes('/test/fuzz/') && m[1].startsWith(REPO)) return `${relative(REPO, m[1])}:${m[2]}`;
  }
  const first = stack.split('\n')[1]?.trim() ?? '';
  return first.replace(/^at /, '');
}

export function errorLine(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message.split('\n')[0].slice(0, 300)}`;
  return `thrown non-Error: ${String(e).slice(0, 200)}`;
}

/** Messages of JavaScript engine errors (TypeError, RangeError …): never a user's mistake. */
export const ENGINE_ERROR = /Cannot read properties of|Cannot set properties of|is not a function|is not iterable|is not defined|Maximum call stack|Invalid array length|undefined \(reading|Cannot convert undefined|Cannot destructure/;

/**
 * A JavaScript engine error passed off as the user's mistake. A parser that stops at its nesting limit
 * ("not valid YAML (Maximum call stack size exceeded at line L, column C)") names the place in the
 * file and is let through.
 */
export function disguisedBug(message: string): boolean {
  return ENGINE_ERROR.test(message) && !/not valid (YAML|JSON)[^(]*\(Maximum call stack/.test(message);
}

/** An exception thrown by a parser or validator: allowed only as an InputError with a one-line message. */
export function classifyThrow(e: unknown): Outcome {
  if (e instanceof InputError) {
    // oneLine() escapes control characters; a raw newline or escape means the contract broke
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f\u2028\u2029]/.test(e.message)) return { result: 'input-error', failures: [{ kind: 'multi-line error', detail: `InputError message has control characters: ${JSON.stringify(e.message.slice(0, 200))}` }], message: e.message };
    // a bug wrapped into an InputError by a catch-all (e.g. `catch (e) { throw new UsageError(e.message) }`)
    if (disguisedBug(e.message)) return { result: 'input-error', failures: [{ kind: 'stack trace', detail: `a bug disguised as an InputError: ${e.message.slice(0, 300)}` }], message: e.message };
    return { result: 'input-error', failures: [], message: e.message };
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) return { result: 'crash', failures: [{ kind: 'stack trace', detail: `${errorLine(e)} (stack overflow)` }] };
  return { result: 'crash', failures: [{ kind: 'stack trace', detail: `${errorLine(e)} at ${projectFrame(e)}` }] };
}

/** Runs an in-process parser/validator case: success or InputError only, within `hangMs`. */
export async function guard(fn: () => unknown | Promise<unknown>, hangMs: number, after?: (value: unknown) => Failure[]): Promise<Outcome> {
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    const value = await withTimeout(Promise.resolve().then(fn), hangMs);
    outcome = { result: 'ok', failures: after ? after(value) : [] };
  } catch (e) {
    outcome = e instanceof Timeout ? { result: 'hang', failures: [{ kind: 'hang', detail: `no answer after ${hangMs} ms` }] } : classifyThrow(e);
  }
  const ms = performance.now() - t0;
  if (ms > hangMs && outcome.result !== 'hang') outcome = { ...outcome, failures: [...outcome.failures, { kind: 'hang', detail: `took ${Math.round(ms)} ms (limit ${hangMs} ms; synchronous)` }] };
  return outcome;
}

class Timeout extends Error {}
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Timeout(`timeout ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}
export const isTimeout = (e: unknown): boolean => e instanceof Timeout;

// ---------------------------------------------------------------------------------------------
// Numbers in documents: energies (keys ending in J, energy_j columns …) and counts must be finite and ≥ 0.

const COUNT_KEYS = new Set([
  'count', 'mean', 'sd', 'min', 'max', 'inputEvents', 'outputEvents', 'synOps', 'denseSynOps', 'updates', 'Footprint', 'Dense', 'Effective_MACs', 'Effective_ACs',
  'MembraneUpdates', 'valueSI', 'lowSI', 'highSI', 'weightCount', 'biasCount', 'neurons', 'fanIn', 'fanOut', 'samples',
]);
// snnFixedJ is the intercept of break-even's linear model E_SNN(σ) = snnFixedJ + σ·snnPerSigmaJ, fitted
// at the operating point; a convex cost (e.g. memories sized by the traffic) can make it negative, and
// the results schema allows that on purpose (cost-models/break-even.ts), so it is not an energy here
const SIGNED_J = new Set(['snnFixedJ']);
const isEnergyKey = (k: string): boolean => ((/J$/.test(k) && k !== 'J') || /(^|_)j$/.test(k) || (/energy/i.test(k) && !/ratio|Ratio/.test(k))) && !SIGNED_J.has(k);

/** Problems of numbers in a parsed JSON document (paths of non-finite, null or negative energies and counts). */
export function badNumbersInDoc(doc: unknown, limit = 3): string[] {
  const bad: string[] = [];
  const walk = (v: unknown, path: string, key: string, inCount: boolean): void => {
    if (bad.length >= limit) return;
    const watched = inCount || isEnergyKey(key) || COUNT_KEYS.has(key);
    if (typeof v === 'number') {
      if (watched && (!Number.isFinite(v) || v < 0)) bad.push(`${path} = ${v}`);
    } else if (v === null) {
      if (watched && (isEnergyKey(key) || inCount)) bad.push(`${path} = null (a non-finite number written as JSON null?)`);
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, key, inCount));
    else if (typeof v === 'object') {
      // a constant that is not an energy (scaling coefficients, voltages …) may be negative
      const si = (v as { siUnit?: unknown }).siUnit;
      const skip = typeof si === 'string' && !/^J/.test(si) ? new Set(['valueSI', 'lowSI', 'highSI']) : null;
      for (const [k, x] of Object.entries(v as object)) if (!skip?.has(k)) walk(x, `${path}.${k}`, k, inCount || k === 'count');
    }
    else if (typeof v === 'string' && watched && (isEnergyKey(key) || inCount) && /nan|inf/i.test(v)) bad.push(`${path} = "${v}"`);
  };
  walk(doc, '$', '', false);
  return bad;
}

/** Problems of numeric columns of a CSV text (energies and counts; an empty energy is allowed where status is not ok). */
export function badNumbersInCsv(text: string, limit = 3): string[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch (e) {
    return [`not valid CSV (${(e as Error).message.split('\n')[0]})`];
  }
  if (rows.length === 0) return [];
  const header = rows[0];
  const watched = header.map((h, i) => [h, i] as const).filter(([h]) => /(^|_)j$|^count$|^energy|^compute_j|^memory_j|^all_in_j/i.test(h));
  const status = header.indexOf('status');
  const refused = header.indexOf('refused');
  const bad: string[] = [];
  for (let r = 1; r < rows.length && bad.length < limit; r++) {
    const cells = rows[r];
    for (const [h, i] of watched) {
      const c = cells[i];
      if (c === undefined || c === '') {
        if ((status >= 0 && cells[status] !== 'ok') || (refused >= 0 && (cells[refused] ?? '') !== '')) continue;
        bad.push(`row ${r + 1} ${h} is empty`);
        continue;
      }
      const x = Number(c);
      if (!Number.isFinite(x) || x < 0) bad.push(`row ${r + 1} ${h} = ${c}`);
    }
  }
  return bad;
}

// ---------------------------------------------------------------------------------------------
// File trees: what a case wrote, changed or left behind.

export interface Entry {
  readonly type: 'file' | 'dir' | 'link' | 'other';
  readonly hash: string;
}

export function snapshot(dir: string, skip: readonly string[] = []): Map<string, Entry> {
  const m = new Map<string, Entry>();
  if (!existsSync(dir)) return m;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) m.set(rel, { type: 'link', hash: '' });
      else if (st.isDirectory()) {
        m.set(rel, { type: 'dir', hash: '' });
        walk(p);
      } else if (st.isFile()) m.set(rel, { type: 'file', hash: createHash('sha1').update(readFileSync(p)).digest('hex') });
      else m.set(rel, { type: 'other', hash: '' });
    }
  };
  walk(dir);
  return m;
}

export function treeDiff(before: Map<string, Entry>, after: Map<string, Entry>): { added: string[]; removed: string[]; changed: string[] } {
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  const changed = [...after.keys()].filter((k) => before.has(k) && (before.get(k)!.type !== after.get(k)!.type || before.get(k)!.hash !== after.get(k)!.hash));
  return { added, removed, changed };
}

// ---------------------------------------------------------------------------------------------
// Summary: cases per format and failures by kind, with examples.

interface FormatStats {
  cases: number;
  ok: number;
  inputErrors: number;
  claimFails: number;
  failedCases: number;
  byKind: Map<FailureKind, number>;
  seconds: number;
  refusals?: Map<string, number>;
}

export interface Example {
  readonly format: string;
  readonly kind: FailureKind;
  readonly detail: string;
  readonly input: string;
  shrunk?: string;
  replay?: string;
}

/** A message with its numbers, quoted values and temp paths blurred (to group messages by shape). */
function blur(m: string): string {
  return m
    .replace(/\/tmp\/[^\s:]*/g, 'PATH')
    .replace(/\d+(\.\d+)?(e[+-]?\d+)?/g, '#')
    .replace(/"[^"]*"/g, '"…"');
}

export class Summary {
  readonly formats = new Map<string, FormatStats>();
  readonly examples: Example[] = [];
  private readonly signatures = new Set<string>();

  stats(format: string): FormatStats {
    let s = this.formats.get(format);
    if (!s) {
      s = { cases: 0, ok: 0, inputErrors: 0, claimFails: 0, failedCases: 0, byKind: new Map(), seconds: 0 };
      this.formats.set(format, s);
    }
    return s;
  }

  record(format: string, o: Outcome, input: () => string): void {
    const s = this.stats(format);
    s.cases++;
    if (o.result === 'ok') s.ok++;
    else if (o.result === 'input-error') {
      s.inputErrors++;
      const sig = blur(o.message ?? '').slice(0, 110);
      s.refusals ??= new Map();
      s.refusals.set(sig, (s.refusals.get(sig) ?? 0) + 1);
    }
    else if (o.result === 'claim-fail') s.claimFails++;
    if (o.failures.length > 0) s.failedCases++;
    const kinds = new Set<FailureKind>();
    for (const f of o.failures) {
      if (!kinds.has(f.kind)) s.byKind.set(f.kind, (s.byKind.get(f.kind) ?? 0) + 1);
      kinds.add(f.kind);
      // one example per distinct (format, kind, message shape): numbers and quoted values blurred
      const sig = `${format}|${f.kind}|${blur(f.detail).slice(0, 140)}`;
      if (!this.signatures.has(sig) && this.examples.filter((e) => e.format === format && e.kind === f.kind).length < 8) {
        this.signatures.add(sig);
        this.examples.push({ format, kind: f.kind, detail: f.detail, input: input().slice(0, 1500) });
      }
    }
  }

  table(): string {
    const kinds = FAILURE_KINDS;
    const head = ['format', 'cases', 'ok', 'input error', 'exit 1', 'failed cases', ...kinds, 's'];
    const rows: string[][] = [];
    const total: FormatStats = { cases: 0, ok: 0, inputErrors: 0, claimFails: 0, failedCases: 0, byKind: new Map(), seconds: 0 };
    for (const [f, s] of this.formats) {
      rows.push([f, String(s.cases), String(s.ok), String(s.inputErrors), String(s.claimFails), String(s.failedCases), ...kinds.map((k) => String(s.byKind.get(k) ?? 0)), s.seconds.toFixed(1)]);
      total.cases += s.cases;
      total.ok += s.ok;
      total.inputErrors += s.inputErrors;
      total.claimFails += s.claimFails;
      total.failedCases += s.failedCases;
      total.seconds += s.seconds;
      for (const [k, n] of s.byKind) total.byKind.set(k, (total.byKind.get(k) ?? 0) + n);
    }
    rows.push(['**total**', String(total.cases), String(total.ok), String(total.inputErrors), String(total.claimFails), String(total.failedCases), ...kinds.map((k) => String(total.byKind.get(k) ?? 0)), total.seconds.toFixed(1)]);
    const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
    return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
  }

  markdown(): string {
    const parts = [
      `# joulebench fuzz summary`,
      '',
      `campaign: ${LARGE ? 'large (JOULEBENCH_FUZZ=large)' : 'CI'}; seed ${SEED}${ONLY.length ? `; only ${ONLY.join(',')}` : ''}; cases per format and failed cases by kind (a case counts once per kind)`,
      '',
      this.table(),
      '',
    ];
    parts.push('<details><summary>most frequent refusals per format (what the malformed inputs ran into)</summary>', '');
    for (const [f, st] of this.formats) {
      const top = [...(st.refusals ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]).slice(0, 4);
      parts.push(`- ${f}: ${top.map(([m, n]) => `${n}× \`${m.replace(/`/g, "'")}\``).join('; ')}`);
    }
    parts.push('', '</details>', '');
    if (this.examples.length > 0) {
      parts.push('## Failures (one example per kind of message)', '');
      for (const e of this.examples) {
        parts.push(`- **${e.format}** — ${e.kind}: ${e.detail.replace(/\n/g, '\\n')}`);
        parts.push(`  - input: \`${e.input.replace(/`/g, "'").replace(/\n/g, '\\n').slice(0, 600)}\``);
        if (e.shrunk) parts.push(`  - shrunk: \`${e.shrunk.replace(/`/g, "'").replace(/\n/g, '\\n').slice(0, 600)}\``);
        if (e.replay) parts.push(`  - replay: \`${e.replay}\``);
      }
    }
    return `${parts.join('\n')}\n`;
  }

  write(): string {
    const md = this.markdown();
    const dir = join(REPO, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fuzz-summary.md'), md);
    writeFileSync(join(dir, 'fuzz-failures.json'), `${JSON.stringify({ seed: SEED, large: LARGE, examples: this.examples }, null, 1)}\n`);
    return md;
  }
}

export const summary = new Summary();

// ---------------------------------------------------------------------------------------------
// One format's campaign.

export interface CampaignOptions<T> {
  readonly format: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** How a case is shown in the report (the file's text, the argv …). */
  readonly show: (t: T) => string;
  readonly check: (t: T) => Promise<Outcome>;
  readonly numRuns: number;
  /** Time allowed to shrink one counterexample per kind of failure. */
  readonly shrinkMs: number;
}

/**
 * Runs `numRuns` generated cases (seed SEED), recording each; then, for each kind of failure seen,
 * lets fast-check replay the same seed and shrink the first failing case. Returns the failures as
 * printable lines (seed, replay path, shrunk counterexample) — empty when every case passed.
 */
export async function campaign<T>(o: CampaignOptions<T>): Promise<string[]> {
  const t0 = performance.now();
  /** First case index (fast-check run index) of each kind of failure, to replay and shrink from there. */
  const kinds = new Map<FailureKind, number>();
  const stats = summary.stats(o.format);
  let index = 0;
  await fc.check(
    fc.asyncProperty(o.arbitrary, async (t) => {
      const out = await o.check(t);
      summary.record(o.format, out, () => o.show(t));
      for (const f of out.failures) if (!kinds.has(f.kind)) kinds.set(f.kind, index);
      index++;
      return true;
    }),
    { seed: SEED, numRuns: o.numRuns, ...(REPLAY_PATH ? { path: REPLAY_PATH } : {}) },
  );
  const report: string[] = [];
  const shrinkStart = performance.now();
  for (const [kind, first] of kinds) {
    const left = o.shrinkMs - (performance.now() - shrinkStart);
    let detail = '';
    const r = await fc.check(
      fc.asyncProperty(o.arbitrary, async (t) => {
        const out = await o.check(t);
        const f = out.failures.find((x) => x.kind === kind);
        if (f) detail = f.detail;
        return f === undefined;
      }),
      { seed: SEED, numRuns: o.numRuns, path: REPLAY_PATH ?? String(first), ...(left > 0 ? { interruptAfterTimeLimit: Math.max(200, left) } : { interruptAfterTimeLimit: 1 }), markInterruptAsFailure: false, endOnFailure: false },
    );
    const ex = summary.examples.find((e) => e.format === o.format && e.kind === kind);
    if (r.failed && r.counterexample) {
      const shown = o.show(r.counterexample[0] as T);
      const replay = `JOULEBENCH_FUZZ_ONLY=${o.format} JOULEBENCH_FUZZ_SEED=${r.seed} JOULEBENCH_FUZZ_PATH=${r.counterexamplePath} npx vitest run test/fuzz`;
      if (ex) {
        ex.shrunk = shown;
        ex.replay = replay;
      }
      report.push(`[${o.format}] ${kind}: ${detail}\n    seed ${r.seed}, path ${r.counterexamplePath} (${r.numShrinks} shrinks)\n    shrunk counterexample: ${shown.slice(0, 1200)}\n    replay: ${replay}`);
    } else {
      report.push(`[${o.format}] ${kind}: ${ex?.detail ?? ''}\n    seed ${SEED} (not shrunk in time)\n    counterexample: ${ex?.input ?? ''}`);
    }
  }
  stats.seconds += (performance.now() - t0) / 1000;
  return report;
}
