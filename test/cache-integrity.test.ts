// Cache integrity (issue 17). Every cache under cacheDir() — trained weights, sequence LM checkpoints,
// sweep executions — carries a content hash; a damaged, foreign, stale or malformed entry is said in
// one line naming its file and recomputed, giving exactly what a clean run gives, and the new entry
// replaces the bad one. A read-only or full cache never stops a run (tmpfs mounts: we run as root).
// Concurrent writers of one entry leave a consistent entry.
//
// Expected values come from the contract, not from the code: the envelope's hash is recomputed here
// from its documented definition (sha256 of JSON [kind, format, key], a newline, the payload's JSON),
// to forge entries whose hash is right but whose content is not.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Model } from '../harness/model.js';
import { cacheWritable } from '../core/verified-cache.js';
import { planExecution, ExecutionContext } from '../sweeps/execute.js';
import type { ExecutionResult } from '../sweeps/execute.js';
import { imageCnnWorkload } from '../workloads/image-cnn.js';
import { imageMlpWorkload } from '../workloads/image-mlp.js';
import { modelCachePath, readCachedModel } from '../workloads/model-cache.js';
import { getWorkload } from '../workloads/registry.js';
import { lmParams } from '../workloads/sequence/lm.js';
import { getBlock } from '../workloads/sequence/registry.js';
import { DEFAULT_STUDY, lmConfigFor, trainConfigFor } from '../workloads/sequence/study.js';
import { trainLm } from '../workloads/sequence/train.js';
import { VOCAB_SIZE } from '../workloads/text/brown-corpus.js';
import { BIN, cli, runCli, SMALL_RUN, tempDir } from './cli-helpers.js';

// Where tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN), the read-only and full caches are
// simulated by failing writes under the cache folder with the errno a real one gives; the tests say
// so in their names. Set JOULEBENCH_TEST_INJECT_FS=1 to take that path on purpose.
const fault = vi.hoisted(() => ({ under: '', code: '' }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const guarded =
    <A extends unknown[], R>(f: (...a: A) => R, syscall: string) =>
    (...a: A): R => {
      const path = String(a[0]);
      if (fault.code !== '' && path.startsWith(fault.under)) throw Object.assign(new Error(`${fault.code}: injected failure, ${syscall} '${path}'`), { code: fault.code, syscall, path });
      return f(...a);
    };
  const writeFileSync = guarded(fs.writeFileSync, 'open');
  return { ...fs, default: { ...fs, writeFileSync }, writeFileSync };
});

const mounted: string[] = [];
function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'jb-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  mounted.push(dir);
  return dir;
}
const remountReadOnly = (dir: string): void => void execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
const CAN_MOUNT =
  process.env.JOULEBENCH_TEST_INJECT_FS !== '1' &&
  (() => {
    try {
      execFileSync('umount', [mountTmpfs('4k')], { stdio: 'pipe' });
      mounted.pop();
      return true;
    } catch {
      return false;
    }
  })();
afterAll(() => {
  for (const dir of mounted) execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
});

/** A read-only cache folder: a tmpfs remounted read-only after `fill` wrote into it (or an injected EROFS). */
function readOnlyCache(fill: (dir: string) => void = () => {}): string {
  const dir = CAN_MOUNT ? mountTmpfs('4m') : mkdtempSync(join(tmpdir(), 'jb-ro-'));
  fill(dir);
  if (CAN_MOUNT) remountReadOnly(dir);
  else Object.assign(fault, { under: dir, code: 'EROFS' });
  return dir;
}
const how = (real: string, code: string): string => (CAN_MOUNT ? real : `injected ${code}: mount not permitted`);

let saved: string | undefined;
let cache: string;
beforeEach(() => {
  saved = process.env.JOULEBENCH_CACHE;
  cache = mkdtempSync(join(tmpdir(), 'jb-cache-integrity-'));
  process.env.JOULEBENCH_CACHE = cache;
});
afterEach(() => {
  if (saved === undefined) delete process.env.JOULEBENCH_CACHE;
  else process.env.JOULEBENCH_CACHE = saved;
  Object.assign(fault, { under: '', code: '' });
});

const useCache = (dir: string): string => (process.env.JOULEBENCH_CACHE = dir);
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface Envelope {
  joulebench: string;
  kind: string;
  format: number;
  key: string;
  sha256: string;
  payload: Record<string, unknown>;
}
const envelopeOf = (path: string): Envelope => JSON.parse(readFileSync(path, 'utf8')) as Envelope;
/** The entry with its hash made right again for its (edited) payload, as a buggy writer would leave it. */
function resign(env: Envelope): string {
  env.sha256 = sha256(`${JSON.stringify([env.kind, env.format, env.key])}\n${JSON.stringify(env.payload)}`);
  return JSON.stringify(env);
}
/** base64 float32 text with value i set to v. */
function setF32(b64: string, i: number, v: number): string {
  const buf = Buffer.from(b64, 'base64');
  buf.writeFloatLE(v, 4 * i);
  return buf.toString('base64');
}
/** base64 float32 text with one bit of value i flipped (bit 20: a mantissa bit, the value stays finite). */
function flipBit(b64: string, i: number): string {
  const buf = Buffer.from(b64, 'base64');
  buf.writeUInt32LE((buf.readUInt32LE(4 * i) ^ (1 << 20)) >>> 0, 4 * i);
  return buf.toString('base64');
}

/** What one kind of cache needs for the shared corruption table. */
interface Kind {
  /** Computes through the cache; `value` is a fingerprint of everything the result carries. */
  load(log: (line: string) => void): Promise<{ value: string; fromCache: boolean }>;
  /** The entry's file in the current cache. */
  path(): string;
  /** Sets the first stored number (a weight, or a count) of the payload. */
  setNumber(payload: Record<string, unknown>, v: number): void;
  /** Flips a bit of the first stored number. */
  flip(payload: Record<string, unknown>): void;
  /** How a problem with that number is named, for a value shown as `shown`. */
  badNumber(shown: string): RegExp;
  /** A valid entry of another key (another seed), written in the current cache: [its text, its key]. */
  otherEntry(): Promise<[string, string]>;
  /** The entry as the previous joulebench wrote it (no envelope, no hash). */
  legacy(env: Envelope): unknown;
}

interface Corruption {
  readonly name: string;
  apply(text: string, k: Kind): Promise<string> | string;
  why(k: Kind, env: Envelope, other: string): RegExp;
}

const HASH = /its content hash does not match its contents \(damaged or edited\)/;
/** The entry with the payload edited by `edit`; its hash made right again when `sign`. */
const editing =
  (edit: (p: Record<string, unknown>, k: Kind) => void, sign: boolean) =>
  (text: string, k: Kind): string => {
    const env = JSON.parse(text) as Envelope;
    edit(env.payload, k);
    return sign ? resign(env) : JSON.stringify(env);
  };
const CORRUPTIONS: readonly Corruption[] = [
  { name: 'a bit flipped inside a stored value', apply: editing((p, k) => k.flip(p), false), why: () => HASH },
  { name: 'the file truncated to half', apply: (text) => text.slice(0, Math.floor(text.length / 2)), why: () => /not valid JSON \(.*; \d+ characters\)/ },
  { name: 'a NaN value (hash made right)', apply: editing((p, k) => k.setNumber(p, Number.NaN), true), why: (k) => k.badNumber('NaN') },
  { name: 'an Infinity value (hash made right)', apply: editing((p, k) => k.setNumber(p, Number.POSITIVE_INFINITY), true), why: (k) => k.badNumber('Infinity') },
  { name: 'a −3e38 value', apply: editing((p, k) => k.setNumber(p, -3e38), false), why: () => HASH },
  {
    name: 'a valid entry of another key copied over it',
    apply: async (_text, k) => (await k.otherEntry())[0],
    why: (_k, env, other) => new RegExp(`it is the entry of key ${other}, not of ${env.key} \\(copied or renamed\\)`),
  },
  { name: 'an empty file', apply: () => '', why: () => /the file is empty/ },
  { name: 'JSON of the wrong shape (an array)', apply: () => '[1, 2, 3]', why: () => /JSON of the wrong shape \(an array, not a cache entry\)/ },
  { name: 'JSON of the wrong shape (another object)', apply: () => '{"weights": {"fc1": "AAAA"}}', why: () => /JSON of the wrong shape \(not a joulebench cache entry\)/ },
];

/**
 * The shared checks: a clean entry has an envelope with a sha256 and reloads; each corruption is
 * said in exactly one line naming the file, the result is recomputed equal to the clean one, and
 * the file holds a valid entry again; an entry of the previous version is stale, said once.
 */
function corruptionSuite(make: () => Kind): void {
  it('a clean entry carries its key and a sha256 of its content, and reloads to the same result', async () => {
    const k = make();
    const lines: string[] = [];
    const clean = await k.load((l) => lines.push(l));
    expect(clean.fromCache).toBe(false);
    const env = envelopeOf(k.path());
    expect(env.joulebench).toBe('cache-entry');
    expect(env.sha256).toBe(sha256(`${JSON.stringify([env.kind, env.format, env.key])}\n${JSON.stringify(env.payload)}`));
    const again = await k.load((l) => lines.push(l));
    expect(again).toEqual({ value: clean.value, fromCache: true });
    expect(lines.filter((l) => /cache/.test(l) && !/^training /.test(l))).toEqual([]);
  });

  it.each(CORRUPTIONS.map((c) => [c.name, c] as const))('%s: one line naming the file, recomputed equal to a clean run, entry rewritten', async (_name, c) => {
    const k = make();
    const clean = await k.load(() => {});
    const path = k.path();
    const env = envelopeOf(path);
    const text = readFileSync(path, 'utf8');
    const bad = await c.apply(text, k);
    const other = c.name.startsWith('a valid entry of another key') ? (JSON.parse(bad) as Envelope).key : '';
    writeFileSync(path, bad);
    const lines: string[] = [];
    const redone = await k.load((l) => lines.push(l));
    const said = lines.filter((l) => l.startsWith('cache '));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`^cache entry ${escape(path)} is corrupt: .+; recomputing it$`));
    expect(said[0]).toMatch(c.why(k, env, other));
    expect(redone).toEqual({ value: clean.value, fromCache: false });
    expect(readFileSync(path, 'utf8')).toBe(text); // rewritten: the same bytes a clean run writes
    const quiet: string[] = [];
    expect(await k.load((l) => quiet.push(l))).toEqual({ value: clean.value, fromCache: true });
    expect(quiet).toEqual([]);
  });

  it('an entry written by the previous version (no hash) is stale: recomputed and rewritten, said once for the folder', async () => {
    const k = make();
    const clean = await k.load(() => {});
    const path = k.path();
    const text = readFileSync(path, 'utf8');
    const [, otherKey] = await k.otherEntry();
    const otherPath = readdirSync(join(path, '..'))
      .map((f) => join(path, '..', f))
      .find((f) => f !== path && f.includes(otherKey))!;
    for (const p of [path, otherPath]) writeFileSync(p, JSON.stringify(k.legacy(envelopeOf(p))));
    const lines: string[] = [];
    expect(await k.load((l) => lines.push(l))).toEqual({ value: clean.value, fromCache: false });
    await k.otherEntry(); // a second stale entry of the folder, read (and recomputed) in the same process
    const said = lines.filter((l) => l.startsWith('cache '));
    expect(said).toEqual([`cache entries in ${join(path, '..')} were written by an earlier joulebench (no content hash) and are stale; recomputing them (first: ${path})`]);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
}

/** Each edit, re-signed, is said in one line matching its pattern and recomputed equal to the clean result. */
async function expectResignedEditsRecomputed(k: Kind, cases: readonly [(p: Record<string, unknown>) => void, RegExp][]): Promise<void> {
  const clean = await k.load(() => {});
  const path = k.path();
  for (const [edit, why] of cases) {
    const env = envelopeOf(path);
    edit(env.payload);
    // INFINITY_MARK becomes 1e999 in the file (it reads as Infinity); the hash is that of the payload as read back
    const text = resign(env);
    const forged = text.replace(String(INFINITY_MARK), '1e999');
    writeFileSync(path, forged === text ? text : forged.replace(/"sha256":"\w+"/, `"sha256":"${sha256(`${JSON.stringify([env.kind, env.format, env.key])}\n${JSON.stringify((JSON.parse(forged) as Envelope).payload)}`)}"`));
    const lines: string[] = [];
    expect(await k.load((l) => lines.push(l))).toEqual({ value: clean.value, fromCache: false });
    expect(lines.filter((l) => l.startsWith('cache '))).toHaveLength(1);
    expect(lines[0]).toMatch(why);
  }
}
const INFINITY_MARK = 987654.25;

// ---------------------------------------------------------------------------------------------
// Trained weights (workloads/model-cache.ts), through the tiny MLP workload (784-4-10, one epoch).

const MLP_CFG = { hidden: [4], epochs: 1, batchSize: 64, learningRate: 0.1, momentum: 0.9, weightDecay: 0, seed: 1 };
const tinyMlp = (seed = 1) => imageMlpWorkload('ci-mlp', 'tiny MLP', 'mnist', { ...MLP_CFG, seed });

function modelBytes(model: Model): string {
  return model.layers.map((l) => (l.kind === 'dense' || l.kind === 'conv2d' ? Buffer.concat([Buffer.from(l.weight.buffer, l.weight.byteOffset, l.weight.byteLength), Buffer.from(l.bias.buffer, l.bias.byteOffset, l.bias.byteLength)]).toString('base64') : l.kind)).join('|');
}
/** Everything a prepared workload hands on (weights and training record), except whether it came from the cache. */
function prepareMlp(seed: number, log: (line: string) => void): { value: string; fromCache: boolean; key: string } {
  const p = tinyMlp(seed).prepare(log);
  const { fromCache, ...record } = p.training;
  return { value: `${modelBytes(p.model)}\n${JSON.stringify(record)}`, fromCache, key: p.training.cacheKey };
}

const modelKind = (): Kind => {
  let key = '';
  return {
    load: async (log) => {
      const r = prepareMlp(1, log);
      key = r.key;
      return { value: r.value, fromCache: r.fromCache };
    },
    path: () => modelCachePath('ci-mlp', key),
    setNumber: (p, v) => {
      const bias = (p.layers as Record<string, { f32: string }>[])[0].bias;
      bias.f32 = setF32(bias.f32, 0, v);
    },
    flip: (p) => {
      const w = (p.layers as Record<string, { f32: string }>[])[0].weight;
      w.f32 = flipBit(w.f32, 100);
    },
    badNumber: (shown) => new RegExp(`layer fc1: bias\\[0\\] is ${shown}`),
    otherEntry: async () => {
      const r = prepareMlp(2, () => {});
      return [readFileSync(modelCachePath('ci-mlp', r.key), 'utf8'), r.key];
    },
    legacy: (env) => ({ format: 2, key: env.key, ...env.payload }),
  };
};

describe('trained weights: every corruption is found and retrained', () => {
  corruptionSuite(modelKind);

  it('a re-signed entry whose layers are not the architecture, or of another model id, is retrained', async () => {
    await expectResignedEditsRecomputed(modelKind(), [
      [(p) => void (p.layers as unknown[]).pop(), /it has 1 layers, the architecture 2/],
      [(p) => void (p.id = 'mnist-mlp'), /it holds model "mnist-mlp", not "ci-mlp"/],
      [(p) => void ((p.layers as Record<string, unknown>[])[0].weight = { f32: Buffer.alloc(4).toString('base64') }), /layer fc1: weight has 1 values, expected 3136/],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Sequence LM checkpoints (workloads/sequence/train.ts): the linear-attention LM at d = 8, 2 steps.

const SEQ_STUDY = { ...DEFAULT_STUDY, d: 8, heads: 2, layers: 1, mlpWidth: 8, batch: 2, context: 8, textSteps: 2 };
const seqCfg = lmConfigFor(getBlock('linear'), SEQ_STUDY, VOCAB_SIZE);
const seqTrain = (seed = 1) => ({ ...trainConfigFor({ ...SEQ_STUDY, seed }, 'text'), steps: 2 });
function seqFiles(): string[] {
  const dir = join(process.env.JOULEBENCH_CACHE!, 'sequence');
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
}

const seqKind = (): Kind => {
  let file = '';
  return {
    load: async (log) => {
      const r = await trainLm(seqCfg, seqTrain(1), log);
      if (file === '') file = seqFiles()[0]; // the first load of a test is in an empty cache
      return { value: JSON.stringify({ w: Object.entries(r.weights).map(([k, v]) => [k, Buffer.from(v.buffer).toString('base64')]), c: r.lossCurve }), fromCache: r.fromCache };
    },
    path: () => join(process.env.JOULEBENCH_CACHE!, 'sequence', file),
    setNumber: (p, v) => {
      const w = p.weights as Record<string, string>;
      w['head.w'] = setF32(w['head.w'], 0, v);
    },
    flip: (p) => {
      const w = p.weights as Record<string, string>;
      w['head.w'] = flipBit(w['head.w'], 5);
    },
    badNumber: (shown) => new RegExp(`weights\\.head\\.w\\[0\\] is ${shown}`),
    otherEntry: async () => {
      await trainLm(seqCfg, seqTrain(2), () => {});
      const text = readFileSync(join(process.env.JOULEBENCH_CACHE!, 'sequence', seqFiles().find((f) => f !== file)!), 'utf8');
      return [text, (JSON.parse(text) as Envelope).key];
    },
    legacy: (env) => env.payload,
  };
};

describe('sequence LM checkpoints: every corruption is found and retrained', () => {
  it('the configuration has the parameter the table edits', () => {
    expect(lmParams(seqCfg).map((p) => p.name)).toContain('head.w');
  });
  corruptionSuite(seqKind);

  it('a re-signed checkpoint with a parameter of the wrong length, a missing one or another configuration is retrained', async () => {
    await expectResignedEditsRecomputed(seqKind(), [
      [(p) => void ((p.weights as Record<string, string>)['head.w'] = 'AAAAAA=='), /weights\.head\.w has 1 values, expected \d+/],
      [(p) => void delete (p.weights as Record<string, string>)['head.w'], /weights lacks parameter head\.w/],
      [(p) => void ((p.identity as { layers: number }).layers = 2), /its identity is not the configuration asked for/],
      [(p) => void (p.lossCurve = [-1]), /lossCurve is not a list of finite non-negative losses/],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Sweep executions (sweeps/execute.ts): a classic Hopfield recall point (3 stored images, 8 probes).

const HOPFIELD = (samples = 8) => planExecution({ workload: 'brain-hopfield', phase: 'recall', patterns: 3, samples }, 'p');
/** A result as a string in which NaN (no accuracy) is visible. */
const resultText = (r: ExecutionResult): string => JSON.stringify(r, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));

const executionKind = (): Kind => {
  let key = '';
  return {
    load: async (log) => {
      const { result, cached } = await new ExecutionContext(() => {}, log).execute(HOPFIELD());
      key = result.key;
      return { value: resultText(result), fromCache: cached };
    },
    path: () => join(process.env.JOULEBENCH_CACHE!, 'executions', `${key}.json`),
    setNumber: (p, v) => {
      const layers = (p.ledger as { layers: { compute: { count: { mean: number } }[] }[] }).layers;
      layers[0].compute[0].count.mean = v;
    },
    flip: (p) => {
      const layers = (p.ledger as { layers: { compute: { count: { mean: number } }[] }[] }).layers;
      layers[0].compute[0].count.mean += 1; // a flip of the lowest bit of an integer count
    },
    badNumber: () => /result\.ledger\.layers\[0\]\.compute\[0\]\.count\.mean: /,
    otherEntry: async () => {
      const { result } = await new ExecutionContext(() => {}).execute(HOPFIELD(9));
      return [readFileSync(join(process.env.JOULEBENCH_CACHE!, 'executions', `${result.key}.json`), 'utf8'), result.key];
    },
    legacy: (env) => env.payload,
  };
};

describe('sweep executions: every corruption is found and recomputed', () => {
  corruptionSuite(executionKind);

  it('a re-signed entry with a negative, −3e38 or 1e999 count, an accuracy above 1 or a missing ledger is recomputed', async () => {
    const k = executionKind();
    await expectResignedEditsRecomputed(k, [
      [(p) => k.setNumber(p, -5), /count\.mean: must be ≥ 0/],
      [(p) => k.setNumber(p, -3e38), /count\.mean: must be ≥ 0/],
      [(p) => k.setNumber(p, INFINITY_MARK), /count\.mean: must be a finite number/],
      [(p) => void (p.accuracy = 1.5), /result\.accuracy: must be in \[0, 1\]/],
      [(p) => void delete p.ledger, /result\.ledger: /],
      [(p) => void ((p.ledger as { layers: { perTimestep: { outputEvents: number[] } }[] }).layers[0].perTimestep.outputEvents[0] = -1), /perTimestep\.outputEvents\[0\]: must be ≥ 0/],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// End to end through the CLI (dist/): a sweep over corrupted entries writes the rows of a clean one.

const BRAIN_SWEEP = `version: 1
name: cache-integrity
workload:
  fixed: { dataset: mnist, seed: 1 }
  zip:
    workload: [brain-hopfield, brain-hopfield, brain-som]
    phase: [recall, storage, inference]
    patterns: [3, 4, null]
    train: [null, null, 100]
    samples: [8, 8, 20]
hardware:
  grid: { profile: [ops-only-45nm, lemaire-2022] }
`;

describe('a sweep over corrupted execution entries', () => {
  it('writes rows.csv byte-identical to a clean sweep, naming each bad entry in one line (also from worker threads)', async () => {
    const cwd = tempDir('cache-sweep');
    writeFileSync(join(cwd, 's.yaml'), BRAIN_SWEEP);
    const env = { JOULEBENCH_CACHE: cache };
    const clean = await runCli(['sweep', 's.yaml', '-o', 'clean'], cwd, env);
    expect(clean.code).toBe(0);
    const rows = readFileSync(join(cwd, 'clean', 'rows.csv'), 'utf8');
    const entries = readdirSync(join(cache, 'executions')).map((f) => join(cache, 'executions', f));
    expect(entries).toHaveLength(3);
    const corrupt = (): void => {
      const [a, b, c] = entries.map(envelopeOf);
      const count = (e: Envelope) => (e.payload.ledger as { layers: { memory: { count: { mean: number } }[] }[] }).layers[0].memory[0].count;
      count(a).mean = -1e6; // a negative count, hash made right: would price to a negative energy
      writeFileSync(entries[0], resign(a));
      count(b).mean *= 2; // an edited count, hash left as it was
      writeFileSync(entries[1], JSON.stringify(b));
      writeFileSync(entries[2], readFileSync(entries[2], 'utf8').slice(0, 100)); // truncated
    };
    for (const [out, jobs] of [['again', '1'], ['parallel', '2']] as const) {
      corrupt();
      const args = ['sweep', 's.yaml', '-o', out, '--jobs', jobs];
      const r = jobs === '1' ? await runCli(args, cwd, env) : cli(args, cwd, env); // worker threads load the compiled worker: a child process
      expect(r.code).toBe(0);
      expect(readFileSync(join(cwd, out, 'rows.csv'), 'utf8')).toBe(rows);
      const said = r.stderr.split('\n').filter((l) => l.startsWith('cache entry '));
      expect(said).toHaveLength(3);
      expect(said).toContain(`cache entry ${entries[0]} is corrupt: result.ledger.layers[0].memory[0].count.mean: must be ≥ 0; recomputing it`);
      expect(said).toContain(`cache entry ${entries[1]} is corrupt: its content hash does not match its contents (damaged or edited); recomputing it`);
      expect(said).toContain(`cache entry ${entries[2]} is corrupt: not valid JSON (Unexpected end of JSON input; 100 characters); recomputing it`);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Read-only and full caches.

describe('a cache that cannot be written', () => {
  it(`an empty read-only cache (${how('tmpfs remounted ro', 'EROFS')}): says so once, trains without caching, never dies`, async () => {
    const clean = prepareMlp(1, () => {});
    const ro = useCache(readOnlyCache());
    const lines: string[] = [];
    const first = prepareMlp(1, (l) => lines.push(l));
    expect(lines[0]).toBe(`cache ${ro} is not writable (EROFS); continuing without caching`);
    expect(lines[1]).toMatch(/^training ci-mlp \(784-4-10, 1 epochs, seed 1\) on 60000 mnist images; not cached$/);
    expect(first).toEqual({ ...clean, fromCache: false });
    const second = prepareMlp(1, (l) => lines.push(l));
    expect(second).toEqual(first);
    expect(lines.filter((l) => l.startsWith('cache '))).toHaveLength(1);
    expect(readdirSync(ro)).toEqual([]);
  });

  it(`a read-only cache that holds the entry (${how('tmpfs remounted ro', 'EROFS')}) serves it`, () => {
    const clean = prepareMlp(1, () => {});
    const ro = useCache(
      readOnlyCache((dir) => {
        mkdirSync(join(dir, 'models'));
        copyFileSync(modelCachePath('ci-mlp', clean.key), join(dir, 'models', `ci-mlp-${clean.key}.json`));
      }),
    );
    const lines: string[] = [];
    expect(prepareMlp(1, (l) => lines.push(l))).toEqual({ ...clean, fromCache: true });
    expect(lines).toEqual([`cache ${ro} is not writable (EROFS); continuing without caching`]);
  });

  it(`a CNN trained in a child process on a read-only cache (${how('tmpfs remounted ro', 'EROFS')}) is handed back to the parent, not lost`, () => {
    const cnn = () => imageCnnWorkload('ci-cnn', 'tiny', 'mnist', [{ kind: 'dense', units: 4 }], { optimizer: 'momentum', learningRate: 0.05, momentum: 0.9, epochs: 1, batchSize: 32, weightDecay: 0, seed: 1, trainSamples: 64 });
    const clean = cnn().prepare(() => {});
    const ro = useCache(readOnlyCache());
    const lines: string[] = [];
    const p = cnn().prepare((l) => lines.push(l));
    expect(lines[0]).toBe(`cache ${ro} is not writable (EROFS); continuing without caching`);
    expect(p.training.fromCache).toBe(false);
    expect(modelBytes(p.model)).toBe(modelBytes(clean.model));
    expect(p.training.testAccuracy).toBe(clean.training.testAccuracy);
    expect(readdirSync(ro)).toEqual([]);
  });

  it(`a full cache (${how('a 4 KiB tmpfs filled to the last byte', 'ENOSPC')}) is found at the start: says so once, runs without caching`, () => {
    let full: string;
    if (CAN_MOUNT) {
      full = mountTmpfs('4k');
      expect(() => writeFileSync(join(full, 'filler'), Buffer.alloc(64 * 1024))).toThrow(/ENOSPC/);
    } else {
      full = mkdtempSync(join(tmpdir(), 'jb-full-'));
      Object.assign(fault, { under: full, code: 'ENOSPC' });
    }
    useCache(full);
    const lines: string[] = [];
    const r = prepareMlp(1, (l) => lines.push(l));
    expect(lines[0]).toBe(`cache ${full} is not writable (ENOSPC); continuing without caching`);
    expect(r.fromCache).toBe(false);
  });

  it(`a cache that fills up mid-run (${how('a 16 KiB tmpfs, the entry 17 KB', 'ENOSPC on the entry')}): one line, the in-memory model is used, no temporary left`, () => {
    const clean = prepareMlp(1, () => {});
    let small: string;
    if (CAN_MOUNT) small = mountTmpfs('16k');
    else {
      small = mkdtempSync(join(tmpdir(), 'jb-small-'));
      Object.assign(fault, { under: join(small, 'models'), code: 'ENOSPC' });
    }
    useCache(small);
    const lines: string[] = [];
    const r = prepareMlp(1, (l) => lines.push(l));
    expect(lines[0]).toMatch(/; cached after this run$/); // the probe found room
    const said = lines.filter((l) => l.startsWith('could not write') || l.startsWith('cache '));
    expect(said).toEqual([`could not write cache entry ${join(small, 'models', `ci-mlp-${clean.key}.json`)} (ENOSPC); continuing without caching`]);
    expect(r).toEqual({ ...clean, fromCache: false });
    expect(readdirSync(join(small, 'models'))).toEqual([]);
    // caching stays off for the rest of the process: the next write is not tried, nothing more is said
    const seq: string[] = [];
    expect(cacheWritable((l) => seq.push(l))).toBe(false);
    expect(seq).toEqual([]);
  });

  it('a cache folder that is a file is not writable (said once); an entry that is a folder is said, recomputed and not cached', () => {
    const clean = prepareMlp(1, () => {});
    const file = join(cache, 'not-a-folder');
    writeFileSync(file, 'x');
    useCache(file);
    const lines: string[] = [];
    expect(prepareMlp(1, (l) => lines.push(l))).toEqual({ ...clean, fromCache: false });
    expect(lines.filter((l) => l.startsWith('cache ') || l.startsWith('could not'))).toEqual([expect.stringMatching(new RegExp(`^cache ${escape(file)} is not writable \\((EEXIST|ENOTDIR)\\); continuing without caching$`))]);
    const other = useCache(mkdtempSync(join(tmpdir(), 'jb-cache-integrity-')));
    const entry = join(other, 'models', `ci-mlp-${clean.key}.json`);
    mkdirSync(entry, { recursive: true });
    const said: string[] = [];
    expect(prepareMlp(1, (l) => said.push(l))).toEqual({ ...clean, fromCache: false });
    expect(said.filter((l) => l.startsWith('cache ') || l.startsWith('could not'))).toEqual([
      `cache entry ${entry} cannot be read (EISDIR); recomputing it`,
      `could not write cache entry ${entry} (EISDIR); continuing without caching`,
    ]);
  });

  it.skipIf(!CAN_MOUNT)('joulebench run and sweep (--jobs 2) on a read-only cache (tmpfs remounted ro) finish, saying it once, without a stack trace', async () => {
    // the pretrained default MLP of the shared test cache, copied (read only) into the read-only cache
    const shared = resolve(saved ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? '', '.cache'), 'joulebench'));
    useCache(shared);
    const mlp = getWorkload('mnist-mlp').prepare(() => {});
    const entry = modelCachePath('mnist-mlp', mlp.training.cacheKey);
    const ro = readOnlyCache((dir) => {
      mkdirSync(join(dir, 'models'));
      copyFileSync(entry, join(dir, 'models', `mnist-mlp-${mlp.training.cacheKey}.json`));
    });
    const cwd = tempDir('cache-ro');
    const run = await runCli([...SMALL_RUN.filter((a) => a !== '--quiet'), '-o', 'out'], cwd, { JOULEBENCH_CACHE: ro }); // --quiet silences every log line
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l.includes('not writable'))).toEqual([`cache ${ro} is not writable (EROFS); continuing without caching`]);
    expect(existsSync(join(cwd, 'out', 'results.json'))).toBe(true);
    writeFileSync(join(cwd, 's.yaml'), BRAIN_SWEEP);
    const sweep = cli(['sweep', 's.yaml', '-o', 'sweep', '--jobs', '2'], cwd, { JOULEBENCH_CACHE: ro }); // worker threads: a child process
    expect(sweep.code).toBe(0);
    expect(sweep.stderr.split('\n').filter((l) => l.includes('not writable'))).toEqual([`cache ${ro} is not writable (EROFS); continuing without caching`]);
    const writable = await runCli(['sweep', 's.yaml', '-o', 'sweep-rw'], cwd, { JOULEBENCH_CACHE: tempDir('cache-rw') });
    expect(readFileSync(join(cwd, 'sweep', 'rows.csv'), 'utf8')).toBe(readFileSync(join(cwd, 'sweep-rw', 'rows.csv'), 'utf8'));
    expect(writable.code).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Concurrent writers.

describe('two processes filling the same entry', () => {
  it('leave a consistent entry: every read in between sees a whole entry or none, and no temporary is left', async () => {
    const dist = resolve(import.meta.dirname, '..', 'dist', 'workloads');
    const script = `
      import { initMlp } from ${JSON.stringify(join(dist, 'train-mlp.js'))};
      import { writeCachedModel } from ${JSON.stringify(join(dist, 'model-cache.js'))};
      const model = initMlp('ci-mlp', 784, [32], 10, 1);
      for (let i = 0; i < 60; i++) if (!writeCachedModel('k', model, { round: 0 }, (l) => { console.error(l); process.exit(3); })) process.exit(4);`;
    const writer = () =>
      new Promise<number | null>((done) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, JOULEBENCH_CACHE: cache }, stdio: ['ignore', 'ignore', 'inherit'] });
        p.on('exit', (code) => done(code));
      });
    const writers = Promise.all([writer(), writer()]);
    let finished = false;
    void writers.then(() => (finished = true));
    const problems: string[] = [];
    let reads = 0;
    while (!finished) {
      readCachedModel('ci-mlp', 'k', (l) => problems.push(l));
      reads++;
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await writers).toEqual([0, 0]);
    expect(problems).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    const last = readCachedModel('ci-mlp', 'k', (l) => problems.push(l));
    expect(last?.info).toEqual({ round: 0 });
    expect(problems).toEqual([]);
    expect(readdirSync(join(cache, 'models'))).toEqual(['ci-mlp-k.json']);
  });
});
