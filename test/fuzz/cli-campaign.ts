// The generated CLI campaign: real commands with small, valid base arguments, then a few hostile
// operations (a value replaced by NaN/Infinity/-1/''/a newline/a directory …, a value dropped, an
// option repeated or added, the output pointed at a user's folder, --force, an input file damaged, a
// cache entry corrupted). Each case runs `main(argv, io)` in process, in its own folder (cwd) and its
// own JOULEBENCH_CACHE, beside user files (sentinels) that must survive untouched.
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { main } from '../../cli/main.js';
import type { CampaignOptions, Failure, Outcome } from './harness.js';
import { LARGE, REPO, badNumbersInCsv, badNumbersInDoc, disguisedBug, isTimeout, runs, snapshot, treeDiff, withTimeout } from './harness.js';
import type { ByteOp, Json, TextOp, TreeOp } from './mutate.js';
import { applyByteOps, applyTextOps, applyTreeOps, byteOp, expandDeep, jsonText, textOp, treeOp, yamlText } from './mutate.js';
import type { Seeds } from './seeds.js';
import { ENERGY_CSV, ONNX_AVG, TINY_SWEEP } from './seeds.js';

const CASE_MS = LARGE ? 90_000 : 45_000;

// ---------------------------------------------------------------------------------------------
// Materials: the files a case's folder starts with. User files (never to be touched): USER_NOTES.txt,
// existing/keep.txt, and every input below unless the command names it as an output location.

type Material = 'onnx' | 'claims' | 'results' | 'lit' | 'tiny' | 'sweep' | 'sweep-partial' | 'shards' | 'profile' | 'csv' | 'run';
type FileKind = 'yaml' | 'json' | 'csv' | 'bytes';

/** Files of each material that a 'file' operation may damage, with how to parse them. */
const MUTABLE: Record<Material, [string, FileKind][]> = {
  onnx: [['model.onnx', 'bytes']],
  claims: [['claims.yaml', 'yaml']],
  results: [['run/results.json', 'json']],
  lit: [['lit.yaml', 'yaml']],
  tiny: [['tiny.yaml', 'yaml']],
  sweep: [['sweep/sweep.json', 'json'], ['sweep/rows.csv', 'csv']],
  'sweep-partial': [['sweep/sweep.json', 'json'], ['sweep/chunks/000000.csv', 'csv'], ['sweep/chunks/000001.csv', 'csv']],
  shards: [['shard1/sweep.json', 'json'], ['shard2/sweep.json', 'json'], ['shard1/chunks/000000.csv', 'csv'], ['shard2/chunks/000001.csv', 'csv']],
  profile: [['profile.yaml', 'yaml']],
  csv: [['table.csv', 'csv']],
  run: [['run/results.json', 'json']],
};

function setUpMaterials(s: Seeds, cwd: string, materials: readonly Material[]): void {
  writeFileSync(join(cwd, 'USER_NOTES.txt'), 'my notes: must survive every joulebench command\n');
  mkdirSync(join(cwd, 'existing'));
  writeFileSync(join(cwd, 'existing', 'keep.txt'), 'a user folder that is not a joulebench output\n');
  writeFileSync(join(cwd, 'afile.txt'), 'plain text, not a document of any joulebench format\n');
  writeFileSync(join(cwd, 'empty.yaml'), '');
  mkdirSync(join(cwd, 'dir.yaml'));
  for (const m of materials) {
    switch (m) {
      case 'onnx':
        cpSync(ONNX_AVG, join(cwd, 'model.onnx'));
        break;
      case 'claims': {
        const doc = structuredClone(s.claims[0].doc) as Record<string, Json>;
        doc.results = 'run/results.json';
        writeFileSync(join(cwd, 'claims.yaml'), yamlText(doc));
        break;
      }
      case 'results':
      case 'run':
        mkdirSync(join(cwd, 'run'), { recursive: true });
        writeFileSync(join(cwd, 'run', 'results.json'), s.resultsText);
        break;
      case 'lit':
        cpSync(join(REPO, 'claims', 'literature.yaml'), join(cwd, 'lit.yaml'));
        cpSync(join(REPO, 'claims', 'literature-constants.yaml'), join(cwd, 'literature-constants.yaml'));
        break;
      case 'tiny':
        writeFileSync(join(cwd, 'tiny.yaml'), TINY_SWEEP);
        break;
      case 'sweep':
        mkdirSync(join(cwd, 'sweep'));
        for (const f of ['sweep.json', 'rows.csv']) cpSync(join(s.sweepDir, f), join(cwd, 'sweep', f));
        cpSync(join(s.sweepDir, 'chunks'), join(cwd, 'sweep', 'chunks'), { recursive: true });
        break;
      case 'sweep-partial':
        // a sweep folder as a killed run leaves it: sweep.json and chunks, no rows.csv
        mkdirSync(join(cwd, 'sweep'));
        cpSync(join(s.sweepDir, 'sweep.json'), join(cwd, 'sweep', 'sweep.json'));
        cpSync(join(s.sweepDir, 'chunks'), join(cwd, 'sweep', 'chunks'), { recursive: true });
        break;
      case 'shards':
        for (const [i, d] of s.shardDirs.entries()) {
          mkdirSync(join(cwd, `shard${i + 1}`));
          cpSync(join(d, 'sweep.json'), join(cwd, `shard${i + 1}`, 'sweep.json'));
          cpSync(join(d, 'chunks'), join(cwd, `shard${i + 1}`, 'chunks'), { recursive: true });
        }
        break;
      case 'profile':
        cpSync(join(REPO, 'cost-models', 'profiles', 'eyeriss-rs-65nm.yaml'), join(cwd, 'profile.yaml'));
        break;
      case 'csv':
        writeFileSync(join(cwd, 'table.csv'), ENERGY_CSV);
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Commands: small valid base arguments (fast, no training) and what they need.

interface Template {
  readonly name: string;
  readonly argv: readonly string[];
  readonly materials: readonly Material[];
  /** execution cache (tiny sweep), trained model weights (mnist-mlp), or none. */
  readonly cache: 'none' | 'exec' | 'models';
  /** Options that keep the case small: never removed, and never given a huge valid value. */
  readonly sizeOptions?: readonly string[];
  /** Files a successful run must leave (relative to cwd), when its out option is unchanged. */
  readonly outputs?: readonly string[];
}

const T = (t: Template): Template => t;
const COMMON_MATERIALS: Material[] = [];

export const TEMPLATES: readonly Template[] = [
  T({ name: 'run --onnx', argv: ['run', '--onnx', 'model.onnx', '-n', '3', '--calibration-samples', '10', '-T', '2', '-c', 'ops-only-45nm', '--mc-samples', '0', '-o', 'out', '-q'], materials: ['onnx', 'profile', 'csv'], cache: 'none', sizeOptions: ['-n', '--calibration-samples', '--mc-samples', '-T'], outputs: ['out/results.json', 'out/energy.csv', 'out/report.html', 'out/manifest.json', 'out/benchmark.json', 'out/bmf.json'] }),
  T({ name: 'run -w mnist-mlp', argv: ['run', '-w', 'mnist-mlp', '-n', '3', '--calibration-samples', '20', '-T', '2', '-b', 'ann-dense', 'snn', '-c', 'lemaire-2022', '--mc-samples', '0', '-o', 'out', '-q'], materials: ['profile'], cache: 'models', sizeOptions: ['-n', '--calibration-samples', '--mc-samples', '-T', '-w'], outputs: ['out/results.json', 'out/energy.csv', 'out/report.html', 'out/manifest.json'] }),
  T({ name: 'check', argv: ['check', 'claims.yaml', '--baseline', 'run/results.json', '--junit', 'j.xml', '--markdown', 'm.md', '-q'], materials: ['claims', 'results'], cache: 'none', outputs: ['j.xml', 'm.md'] }),
  T({ name: 'audit', argv: ['audit', '--file', 'lit.yaml', '--markdown', 'a.md', '-q'], materials: ['lit'], cache: 'none', outputs: ['a.md'] }),
  T({ name: 'sweep', argv: ['sweep', 'tiny.yaml', '-o', 'sw', '-q'], materials: ['tiny'], cache: 'exec', sizeOptions: ['--jobs', '-j'], outputs: ['sw/rows.csv', 'sw/sweep.json', 'sw/report.html', 'sw/manifest.json'] }),
  T({ name: 'sweep (resume)', argv: ['sweep', 'tiny.yaml', '-o', 'sweep', '-q'], materials: ['tiny', 'sweep-partial'], cache: 'exec', sizeOptions: ['--jobs', '-j'], outputs: ['sweep/rows.csv', 'sweep/report.html'] }),
  T({ name: 'merge', argv: ['merge', 'shard1', 'shard2', '-o', 'merged'], materials: ['shards'], cache: 'none', outputs: ['merged/rows.csv', 'merged/sweep.json', 'merged/report.html'] }),
  T({ name: 'report (run)', argv: ['report', 'run', '--no-images'], materials: ['run'], cache: 'none', outputs: ['run/report.html'] }),
  T({ name: 'report (sweep)', argv: ['report', 'sweep', '--no-images'], materials: ['sweep'], cache: 'none', outputs: ['sweep/report.html'] }),
  T({ name: 'explain', argv: ['explain', 'profile.yaml'], materials: ['profile', 'csv'], cache: 'none' }),
  T({ name: 'import-energy-table', argv: ['import-energy-table', 'table.csv', '--source', 'fuzz', '-o', 't.yaml'], materials: ['csv'], cache: 'none', outputs: ['t.yaml'] }),
  T({ name: 'lif-primer', argv: ['lif-primer', '-I', '2', '10'], materials: COMMON_MATERIALS, cache: 'none' }),
  T({ name: 'brain som', argv: ['brain', 'som', '--grid', '3x3', '--train', '20', '--test', '10', '-c', 'ops-only-45nm', '-q', '-o', 'bout'], materials: COMMON_MATERIALS, cache: 'none', sizeOptions: ['--grid', '--train', '--test'], outputs: ['bout/results.json', 'bout/report.html'] }),
  T({ name: 'brain stdp', argv: ['brain', 'stdp', '--neurons', '5', '--train', '5', '--label', '5', '--test', '5', '--steps', '20', '-c', 'lemaire-2022', 'loihi', '-q', '-o', 'bout'], materials: COMMON_MATERIALS, cache: 'none', sizeOptions: ['--neurons', '--train', '--label', '--test', '--steps'], outputs: ['bout/results.json', 'bout/report.html'] }),
  T({
    name: 'seq',
    argv: ['seq', '-f', 'softmax', '--task', 'recall', '-L', '16', '--d', '8', '--heads', '1', '--layers', '1', '--mlp-width', '8', '--recall-steps', '2', '--text-steps', '2', '--batch', '2', '--context', '16', '--recall-train-lengths', '16', '--recall-lengths', '16', '--recall-sequences', '2', '--eval-windows', '2', '-c', 'ops-only-45nm', '-o', 'sout', '-q'],
    materials: COMMON_MATERIALS,
    cache: 'none',
    sizeOptions: ['-f', '--task', '-L', '--d', '--heads', '--layers', '--mlp-width', '--recall-steps', '--text-steps', '--batch', '--context', '--recall-train-lengths', '--recall-lengths', '--recall-sequences', '--eval-windows'],
    outputs: ['sout/results.json', 'sout/energy.csv'],
  }),
  T({ name: 'list/schema', argv: ['list'], materials: COMMON_MATERIALS, cache: 'none' }),
];

/** Every option of every command (a case may add one that does not belong). */
const ALL_OPTIONS = [
  '--workload', '-w', '--onnx', '--dataset', '--backend', '-b', '--timesteps', '-T', '--cost-model', '-c', '--samples', '-n', '--norm', '--calibration-samples', '--neuron', '--reset',
  '--beta', '--alpha', '--refractory', '--coding', '--execution', '--quant', '--kernel', '--seed', '--out', '-o', '--force', '--quiet', '-q', '--pair', '--mc-samples',
  '--baseline', '--tolerance', '--junit', '--markdown', '--file', '--html', '--shard', '--jobs', '-j', '--images', '--no-images', '--current', '-I', '--units', '--noise',
  '--grid', '--variant', '--family', '--task', '--lengths', '--id', '--source', '--evidence', '--range', '--help', '--version', '--bogus',
];

/** Options whose value may be huge without making a case slow (the value is refused or cheap). */
const HUGE_OK = new Set(['--seed', '--tolerance', '--range', '--beta', '--alpha', '--noise', '--capacity-noise', '--current', '-I', '--timesteps', '-T', '--shard', '--refractory']);

const HOSTILE_ARGS = [
  '', ' ', 'NaN', 'Infinity', '-Infinity', '-1', '0', '-0', '0.5', '2.5', '1e999', '-1e999', '1e-320', 'abc', '1,2', '0x10', '1e1', '\n', 'a\nb', '\u001b[2J', '\u0001', // (an argv string cannot hold NUL: a NUL path comes from documents instead)
  '-', '.', '..', '/dev/null', 'existing', 'afile.txt', 'dir.yaml', 'empty.yaml', 'nonexistent.yaml', 'x'.repeat(300), 'ü', 'ops-only-45nm', 'profile.yaml', 'table.csv',
  'lemaire-2022', 'eyeriss-rs-65nm', 'loihi', 'snn', 'ann-quant', 'w8aT', 'w0a0', 'if', 'lif', 'cuba', 'max', 'p0', 'p100', 'p99.9', 'event-driven', 'rate', '3', '7', '1/2', '3/2', '0/0',
];
const HUGE_ARGS = ['1e308', '9007199254740993', '4294967296', '5000', '100000000'];

const OUT_PATHS = ['existing', '.', '..', 'afile.txt', 'afile.txt/sub', 'new/deep/out', '', ' ', 'out\nx', 'existing/keep.txt', 'run', 'sweep', 'USER_NOTES.txt', '/dev/null', 'dir.yaml', 'x'.repeat(300)];
const FILE_ARGS = ['nonexistent.yaml', 'existing', 'dir.yaml', 'afile.txt', 'empty.yaml', '', '/dev/null', 'model.onnx', 'table.csv', 'USER_NOTES.txt', 'a\nb.yaml', '.', 'run', 'sweep', 'shard1', 'lit.yaml', 'claims.yaml', 'tiny.yaml', 'profile.yaml'];

// ---------------------------------------------------------------------------------------------
// Operations on a case.

export interface CliOp {
  readonly op: 'value' | 'drop-value' | 'repeat' | 'add-option' | 'remove' | 'positional' | 'out' | 'force' | 'unquiet' | 'file' | 'cache-corrupt' | 'cache-file';
  readonly at: number;
  readonly pick: number;
  readonly tree: readonly TreeOp[];
  readonly text: readonly TextOp[];
  readonly bytes: readonly ByteOp[];
}

export interface CliCase {
  readonly template: number;
  readonly ops: readonly CliOp[];
}

const argvOps = ['value', 'value', 'value', 'drop-value', 'repeat', 'add-option', 'add-option', 'remove', 'positional', 'out', 'out', 'force', 'unquiet'] as const;

function cliOp(kinds: readonly CliOp['op'][]): fc.Arbitrary<CliOp> {
  return fc.record({
    op: fc.constantFrom(...kinds),
    at: fc.nat(),
    pick: fc.nat(),
    tree: fc.array(treeOp, { minLength: 1, maxLength: 3 }),
    text: fc.array(textOp, { maxLength: 2 }),
    bytes: fc.array(byteOp, { minLength: 1, maxLength: 3 }),
  });
}

const isOption = (t: string): boolean => /^-{1,2}[A-Za-z]/.test(t);

/** Index ranges of options: [option index, first value, end). */
function options(argv: readonly string[]): { i: number; end: number }[] {
  const out: { i: number; end: number }[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (!isOption(argv[i])) continue;
    let end = i + 1;
    while (end < argv.length && !isOption(argv[end])) end++;
    out.push({ i, end });
  }
  return out;
}

function firstOption(argv: readonly string[]): number {
  const o = options(argv);
  return o.length === 0 ? argv.length : o[0].i;
}

interface Built {
  readonly argv: string[];
  readonly files: { path: string; kind: FileKind; tree: readonly TreeOp[]; text: readonly TextOp[]; bytes: readonly ByteOp[] }[];
  readonly cacheCorrupt: { pick: number; tree: readonly TreeOp[]; text: readonly TextOp[] }[];
  readonly cacheIsFile: boolean;
}

function build(t: Template, ops: readonly CliOp[]): Built {
  const argv = [...t.argv];
  const files: Built['files'] = [];
  const cacheCorrupt: Built['cacheCorrupt'] = [];
  let cacheIsFile = false;
  const size = new Set(t.sizeOptions ?? []);
  const hostile = (opt: string, pick: number): string => {
    const pool = HUGE_OK.has(opt) || !size.has(opt) && !/samples|units|probes|patterns|memories|jobs|sweeps|train|test|steps|neurons|label|lengths|batch|context|width|layers|heads|windows|sequences|grid|^--d$|^-L$/.test(opt) ? [...HOSTILE_ARGS, ...HUGE_ARGS] : HOSTILE_ARGS;
    return pool[pick % pool.length];
  };
  for (const o of ops) {
    const opts = options(argv);
    switch (o.op) {
      case 'value': {
        const withValue = opts.filter((x) => x.end > x.i + 1);
        if (withValue.length === 0) break;
        const x = withValue[o.at % withValue.length];
        argv[x.i + 1 + (o.pick % (x.end - x.i - 1))] = hostile(argv[x.i], o.pick);
        break;
      }
      case 'drop-value': {
        const withValue = opts.filter((x) => x.end > x.i + 1 && !size.has(argv[x.i]));
        if (withValue.length === 0) break;
        const x = withValue[o.at % withValue.length];
        argv.splice(x.i + 1, x.end - x.i - 1);
        break;
      }
      case 'repeat': {
        if (opts.length === 0) break;
        const x = opts[o.at % opts.length];
        argv.push(argv[x.i], ...(x.end > x.i + 1 ? [hostile(argv[x.i], o.pick)] : []));
        break;
      }
      case 'add-option': {
        const opt = ALL_OPTIONS[o.at % ALL_OPTIONS.length];
        if (o.pick % 4 === 0) argv.push(opt);
        else argv.push(opt, hostile(opt, o.pick));
        break;
      }
      case 'remove': {
        const removable = opts.filter((x) => !size.has(argv[x.i]));
        if (removable.length === 0) break;
        const x = removable[o.at % removable.length];
        argv.splice(x.i, x.end - x.i);
        break;
      }
      case 'positional': {
        const first = firstOption(argv);
        if (first <= 1) {
          argv.splice(1, 0, FILE_ARGS[o.pick % FILE_ARGS.length]);
          break;
        }
        argv[1 + (o.at % (first - 1))] = FILE_ARGS[o.pick % FILE_ARGS.length];
        break;
      }
      case 'out': {
        const x = opts.find((y) => argv[y.i] === '-o' || argv[y.i] === '--out');
        const value = OUT_PATHS[o.pick % OUT_PATHS.length];
        if (x && x.end > x.i + 1) argv[x.i + 1] = value;
        else argv.push('-o', value);
        break;
      }
      case 'force':
        argv.push('--force');
        break;
      case 'unquiet': {
        const q = argv.findIndex((a) => a === '-q' || a === '--quiet');
        if (q >= 0) argv.splice(q, 1);
        break;
      }
      case 'file': {
        const mutable = t.materials.flatMap((m) => MUTABLE[m]);
        if (mutable.length === 0) break;
        const [path, kind] = mutable[o.at % mutable.length];
        files.push({ path, kind, tree: o.tree, text: o.text, bytes: o.bytes });
        break;
      }
      case 'cache-corrupt':
        cacheCorrupt.push({ pick: o.pick, tree: o.tree, text: o.text });
        break;
      case 'cache-file':
        cacheIsFile = true;
        break;
    }
  }
  return { argv, files, cacheCorrupt, cacheIsFile };
}

function damage(path: string, kind: FileKind, f: { tree: readonly TreeOp[]; text: readonly TextOp[]; bytes: readonly ByteOp[] }): void {
  if (!existsSync(path)) return;
  if (kind === 'bytes') {
    writeFileSync(path, applyByteOps(new Uint8Array(readFileSync(path)), f.bytes));
    return;
  }
  const text = readFileSync(path, 'utf8');
  let out: string;
  if (kind === 'csv') {
    const rows = text.trimEnd().split('\n').map((l) => l.split(',')) as unknown as Json;
    const m = applyTreeOps(rows, f.tree);
    out = Array.isArray(m) ? (m as Json[]).map((r) => (Array.isArray(r) ? r.map((c) => (c === null ? '' : typeof c === 'object' ? JSON.stringify(c) : String(c))).join(',') : String(r))).join('\n') + '\n' : String(m);
  } else {
    const doc = (kind === 'json' ? JSON.parse(text) : YAML.parse(text)) as Json;
    out = (kind === 'json' ? jsonText : yamlText)(applyTreeOps(doc, f.tree));
  }
  writeFileSync(path, applyTextOps(expandDeep(out), f.text));
}

function showCase(c: CliCase): string {
  const t = TEMPLATES[c.template];
  const b = build(t, c.ops);
  const parts = [`joulebench ${b.argv.map((a) => JSON.stringify(a)).join(' ')}`, `(template ${t.name})`];
  for (const f of b.files) parts.push(`damaged ${f.path}: tree ${JSON.stringify(f.tree)} text ${JSON.stringify(f.text)}${f.kind === 'bytes' ? ` bytes ${JSON.stringify(f.bytes)}` : ''}`);
  for (const x of b.cacheCorrupt) parts.push(`corrupted cache entry #${x.pick}: tree ${JSON.stringify(x.tree)} text ${JSON.stringify(x.text)}`);
  if (b.cacheIsFile) parts.push('JOULEBENCH_CACHE is a regular file');
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Running one case and judging it.

/** The clean outputs of each template (for the wrong-numbers check of corrupted caches). */
const cleanOutputs = new Map<string, Map<string, string>>();

const OUTPUT_OPTIONS = new Set(['-o', '--out', '--junit', '--markdown', '--html']);

/** Paths (absolute) a command may write: its output options' values, report's folder, and default results/. */
function writable(argv: readonly string[], cwd: string): string[] {
  const out: string[] = [resolve(cwd, 'results')];
  for (const x of options(argv)) if (OUTPUT_OPTIONS.has(argv[x.i]) && x.end > x.i + 1) out.push(resolve(cwd, argv[x.i + 1]));
  if (argv[0] === 'report') for (let i = 1; i < firstOption(argv); i++) out.push(resolve(cwd, argv[i]));
  return out;
}

const inside = (p: string, dirs: readonly string[]): boolean => dirs.some((d) => p === d || p.startsWith(`${d}/`));

async function runCase(s: Seeds, t: Template, b: Built, wrongNumbersCheck: boolean): Promise<{ outcome: Outcome; files: Map<string, string> }> {
  const root = mkdtempSync(join(tmpdir(), 'joulebench-fuzz-cli-'));
  const cwd = join(root, 'home', 'user', 'work');
  mkdirSync(cwd, { recursive: true });
  const cache = join(root, 'cache');
  if (t.cache === 'exec') cpSync(join(s.cache, 'executions'), join(cache, 'executions'), { recursive: true });
  else if (t.cache === 'models' && existsSync(join(s.cache, 'models'))) cpSync(join(s.cache, 'models'), join(cache, 'models'), { recursive: true });
  else mkdirSync(cache);
  setUpMaterials(s, cwd, t.materials);
  for (const f of b.files) {
    try {
      damage(join(cwd, f.path), f.kind, f);
    } catch {
      writeFileSync(join(cwd, f.path), applyTextOps(readFileSync(join(cwd, f.path), 'utf8'), f.text.length ? f.text : [{ op: 'truncate', at: 7, text: '' }]));
    }
  }
  for (const c of b.cacheCorrupt) {
    const entries = (readdirSync(cache, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.json')).sort();
    if (entries.length === 0) continue;
    const p = join(cache, entries[c.pick % entries.length]);
    try {
      damage(p, 'json', { ...c, bytes: [] });
    } catch {
      writeFileSync(p, readFileSync(p, 'utf8').slice(0, 10));
    }
  }
  let cacheEnv = cache;
  if (b.cacheIsFile) {
    cacheEnv = join(root, 'cache-file');
    writeFileSync(cacheEnv, 'not a folder\n');
  }
  const home = join(root, 'home');
  const before = snapshot(home);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io = { out: (x: string) => void stdout.push(x), err: (x: string) => void stderr.push(x) };
  const savedCwd = process.cwd();
  const savedCache = process.env.JOULEBENCH_CACHE;
  const savedSummary = process.env.GITHUB_STEP_SUMMARY;
  delete process.env.GITHUB_STEP_SUMMARY;
  process.env.JOULEBENCH_CACHE = cacheEnv;
  process.chdir(cwd);
  const failures: Failure[] = [];
  let code: number | 'hang' | 'throw';
  const t0 = performance.now();
  try {
    code = await withTimeout(main(b.argv, io), CASE_MS);
  } catch (e) {
    if (isTimeout(e)) {
      code = 'hang';
      failures.push({ kind: 'hang', detail: `no exit after ${CASE_MS / 1000} s` });
    } else {
      code = 'throw';
      failures.push({ kind: 'stack trace', detail: `main() itself threw ${(e as Error).name}: ${(e as Error).message?.split('\n')[0]}` });
    }
  } finally {
    process.chdir(savedCwd);
    if (savedCache === undefined) delete process.env.JOULEBENCH_CACHE;
    else process.env.JOULEBENCH_CACHE = savedCache;
    if (savedSummary !== undefined) process.env.GITHUB_STEP_SUMMARY = savedSummary;
  }
  const ms = performance.now() - t0;
  if (code !== 'hang' && ms > CASE_MS) failures.push({ kind: 'hang', detail: `took ${Math.round(ms / 1000)} s (limit ${CASE_MS / 1000} s)` });
  const errText = stderr.join('\n');
  const errLines = errText === '' ? [] : errText.split('\n');
  const after = snapshot(home);
  const diff = treeDiff(before, after);
  const files = new Map<string, string>();
  const cmd = b.argv[0];
  const mayExit1 = cmd === 'check' || cmd === 'audit';
  let result: Outcome['result'] = 'ok';
  if (typeof code === 'number') {
    const internal = errLines.findIndex((l) => /internal error/.test(l) || /^\s+at /.test(l));
    if (internal >= 0) {
      result = 'crash';
      const frame = errLines.slice(internal).find((l) => /^\s+at .*\/(cli|core|harness|workloads|cost-models|reports|claims|sweeps)\//.test(l)) ?? '';
      failures.push({ kind: 'stack trace', detail: `exit ${code}: ${errLines[internal].slice(0, 300)}${frame ? ` ${frame.trim().replace(REPO + '/', '')}` : ''}` });
    } else if (code === 2) {
      result = 'input-error';
      const bug = errLines.find((l) => l.startsWith('joulebench: error:') && disguisedBug(l));
      if (bug) failures.push({ kind: 'stack trace', detail: `exit 2 but the message is a JavaScript error (a bug disguised as an input error): ${bug.slice(0, 300)}` });
      if (errLines.length !== 1 || !errLines[0].startsWith('joulebench: error:')) {
        failures.push({ kind: 'multi-line error', detail: `exit 2 with ${errLines.length} stderr lines: ${JSON.stringify(errLines.slice(0, 3)).slice(0, 400)}` });
      }
    } else if (code === 1 && mayExit1) result = 'claim-fail';
    else if (code !== 0) failures.push({ kind: 'wrong exit code', detail: `exit ${code}; stderr ${JSON.stringify(errLines.slice(0, 2)).slice(0, 300)}` });
    else if (errLines.some((l) => l.startsWith('joulebench: error:'))) failures.push({ kind: 'wrong exit code', detail: `exit 0 but printed ${errLines.find((l) => l.startsWith('joulebench: error:'))!.slice(0, 200)}` });
  } else result = code === 'hang' ? 'hang' : 'crash';

  // user files: USER_NOTES.txt always; on exit 2 everything; otherwise anything outside the command's
  // output locations (an output location that is the working folder or above it protects nothing)
  const allowed = writable(b.argv, cwd).filter((d) => !(cwd === d || cwd.startsWith(`${d}/`)));
  const forced = b.argv.includes('--force');
  const userTouched = [...diff.removed, ...diff.changed].filter((rel) => {
    const abs = join(home, rel);
    if (abs === join(cwd, 'USER_NOTES.txt') || code === 2) return true;
    if (!inside(abs, allowed)) return true;
    return inside(abs, [join(cwd, 'existing')]) && !forced;
  });
  const removedNotes = !after.has(join('user', 'work', 'USER_NOTES.txt'));
  if (removedNotes || userTouched.length > 0) {
    failures.push({ kind: 'user file touched', detail: `exit ${String(code)}: ${removedNotes ? 'USER_NOTES.txt (in the working folder) was removed; ' : ''}${userTouched.slice(0, 4).join(', ')}${userTouched.length > 4 ? ` … (${userTouched.length})` : ''}` });
  }
  if (code === 2 && diff.added.length > 0) failures.push({ kind: 'partial output', detail: `exit 2 but wrote ${diff.added.slice(0, 4).join(', ')}${diff.added.length > 4 ? ` … (${diff.added.length})` : ''}` });
  const leftovers = diff.added.filter((p) => /\.tmp-|\.joulebench-probe-|\.partial|~$/.test(p));
  if (leftovers.length > 0) failures.push({ kind: 'partial output', detail: `exit ${String(code)} left temporary files: ${leftovers.slice(0, 3).join(', ')}` });
  if (code === 0 || (code === 1 && mayExit1)) {
    const outUnchanged = JSON.stringify(options(b.argv).filter((x) => OUTPUT_OPTIONS.has(b.argv[x.i])).map((x) => b.argv.slice(x.i, x.end))) === JSON.stringify(options([...t.argv]).filter((x) => OUTPUT_OPTIONS.has(t.argv[x.i])).map((x) => t.argv.slice(x.i, x.end)));
    // --help and --version print and exit 0 without running the command
    if (outUnchanged && b.argv[0] === t.argv[0] && !b.argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V')) {
      const missing = (t.outputs ?? []).filter((p) => !existsSync(join(cwd, p)));
      if (missing.length > 0) failures.push({ kind: 'partial output', detail: `exit ${code} but ${missing.join(', ')} missing` });
    }
  }
  // numbers in every file written or changed
  for (const rel of [...diff.added, ...diff.changed]) {
    const abs = join(home, rel);
    if (after.get(rel)?.type !== 'file') continue;
    if (/manifest\.json$/.test(rel)) continue;
    if (rel.endsWith('.json')) {
      let doc: unknown;
      const text = readFileSync(abs, 'utf8');
      try {
        doc = JSON.parse(text);
      } catch {
        failures.push({ kind: 'partial output', detail: `wrote ${rel}, which is not valid JSON (${text.length} bytes)` });
        continue;
      }
      const bad = badNumbersInDoc(doc);
      if (bad.length > 0) failures.push({ kind: 'non-finite/negative number', detail: `${rel}: ${bad.join('; ')}` });
      if (wrongNumbersCheck) files.set(rel.replace(/^user\/work\//, ''), text);
    } else if (rel.endsWith('.csv')) {
      const text = readFileSync(abs, 'utf8');
      const bad = badNumbersInCsv(text);
      if (bad.length > 0) failures.push({ kind: 'non-finite/negative number', detail: `${rel}: ${bad.join('; ')}` });
      if (wrongNumbersCheck) files.set(rel.replace(/^user\/work\//, ''), text);
    }
  }
  try {
    chmodSync(root, 0o700);
    rmSync(root, { recursive: true, force: true });
  } catch {
    // leave it for the OS
  }
  return { outcome: { result, failures, message: errLines[0] }, files };
}

async function checkCase(s: Seeds, c: CliCase): Promise<Outcome> {
  const t = TEMPLATES[c.template];
  const b = build(t, c.ops);
  const corrupting = b.cacheCorrupt.length > 0;
  const { outcome, files } = await runCase(s, t, b, corrupting);
  if (!corrupting || outcome.result !== 'ok') return outcome;
  // a corrupted cache entry must be detected (recomputed or refused), never trusted: same numbers as a clean run
  let clean = cleanOutputs.get(b.argv.join('\u0000'));
  if (!clean) {
    clean = (await runCase(s, t, { ...b, cacheCorrupt: [] }, true)).files;
    cleanOutputs.set(b.argv.join('\u0000'), clean);
  }
  const failures = [...outcome.failures];
  for (const [rel, text] of clean) {
    if (/report\.html|manifest/.test(rel)) continue;
    const mine = files.get(rel);
    if (mine !== undefined && mine !== text) {
      const a = mine.split('\n');
      const bl = text.split('\n');
      const line = a.findIndex((l, i) => l !== bl[i]);
      failures.push({ kind: 'wrong numbers', detail: `${rel} differs from a clean run after a corrupted cache entry was used (line ${line + 1}: ${JSON.stringify(a[line]?.slice(0, 160))} vs ${JSON.stringify(bl[line]?.slice(0, 160))})` });
      break;
    }
  }
  return { ...outcome, failures };
}

// ---------------------------------------------------------------------------------------------
// The campaigns.

const byName = (names: readonly string[]): number[] => TEMPLATES.map((t, i) => [t, i] as const).filter(([t]) => names.includes(t.name)).map(([, i]) => i);

function cases(templates: readonly number[], ops: readonly CliOp['op'][], min: number, max: number): fc.Arbitrary<CliCase> {
  return fc.record({ template: fc.constantFrom(...templates), ops: fc.array(cliOp(ops), { minLength: min, maxLength: max }) });
}

export function cliArgvFormat(s: Seeds): CampaignOptions<CliCase> {
  return {
    format: 'cli argv',
    numRuns: runs(110, 1200),
    shrinkMs: LARGE ? 120_000 : 12_000,
    arbitrary: cases(TEMPLATES.map((_, i) => i), [...argvOps], 0, 3),
    show: showCase,
    check: (c) => checkCase(s, c),
  };
}

export function cliFilesFormat(s: Seeds): CampaignOptions<CliCase> {
  return {
    format: 'cli input files',
    numRuns: runs(70, 800),
    shrinkMs: LARGE ? 120_000 : 10_000,
    arbitrary: cases(byName(['run --onnx', 'check', 'audit', 'sweep', 'report (run)', 'explain', 'import-energy-table']), ['file', 'file', 'file', 'value', 'out', 'force'], 1, 3),
    show: showCase,
    check: (c) => checkCase(s, c),
  };
}

export function sweepFolderFormat(s: Seeds): CampaignOptions<CliCase> {
  return {
    format: 'sweep folders (sweep.json, chunks)',
    numRuns: runs(50, 600),
    shrinkMs: LARGE ? 120_000 : 8_000,
    arbitrary: cases(byName(['sweep (resume)', 'merge', 'report (sweep)']), ['file', 'file', 'file', 'out', 'force', 'positional'], 1, 3),
    show: showCase,
    check: (c) => checkCase(s, c),
  };
}

export function cacheFormat(s: Seeds): CampaignOptions<CliCase> {
  return {
    format: 'caches (executions, models)',
    numRuns: runs(25, 300),
    shrinkMs: LARGE ? 120_000 : 8_000,
    arbitrary: fc.oneof(
      // (a corrupted model entry retrains for a minute: the model cache is fuzzed in process instead)
      { weight: 4, arbitrary: cases(byName(['sweep', 'sweep (resume)']), ['cache-corrupt'], 1, 2) },
      { weight: 1, arbitrary: cases(byName(['sweep', 'run --onnx']), ['cache-file'], 1, 1) },
    ),
    show: showCase,
    check: (c) => checkCase(s, c),
  };
}

export const cliCampaigns: [string, (s: Seeds) => CampaignOptions<unknown>][] = [
  ['cli argv', cliArgvFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['cli input files', cliFilesFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['sweep folders (sweep.json, chunks)', sweepFolderFormat as (s: Seeds) => CampaignOptions<unknown>],
  ['caches (executions, models)', cacheFormat as (s: Seeds) => CampaignOptions<unknown>],
];

