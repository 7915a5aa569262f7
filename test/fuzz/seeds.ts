// Valid documents the fuzzers start from: the repository's own files (profiles, constant tables,
// claims, sweeps, literature, ONNX fixtures) and outputs made once per test run with the real CLI
// (a results.json of the ONNX fixture, a sweep folder with its shards and execution cache), so the
// seeds follow whatever the current schema is.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { main } from '../../cli/main.js';
import { cacheDir } from '../../core/paths.js';
import type { DocSeed, Json } from './mutate.js';
import { REPO } from './harness.js';

export const ONNX_AVG = join(REPO, 'test', 'fixtures', 'onnx', 'torch-cnn-avg.onnx');
export const ONNX_MAX = join(REPO, 'test', 'fixtures', 'onnx', 'torch-cnn.onnx');

/** The small run every results.json seed comes from (no training: an ONNX model, 4 test images). */
export const SEED_RUN_ARGS = ['run', '--onnx', ONNX_AVG, '-n', '4', '--calibration-samples', '20', '-T', '2', '4', '-c', 'ops-only-45nm', 'lemaire-2022', 'neuromorphic-core-45nm', '--mc-samples', '8', '-q'];

export const TINY_SWEEP = `version: 1
name: fuzz-tiny
description: Hopfield storage and recall, 3 patterns, 4 probes
workload:
  fixed: { workload: brain-hopfield, dataset: mnist, seed: 1, patterns: 3, samples: 4 }
  grid: { phase: [storage, recall] }
hardware:
  zip:
    profile: [ops-only-45nm, lemaire-2022, neuromorphic-core-45nm]
`;

export const ENERGY_CSV = `technology,width,action,energy,component,depth,unit,low,high,evidence,source
45nm,32,mac,4.6,alu,,pJ,3.7,5.5,P,Horowitz 2014
45nm,32,add,0.9,alu,,pJ,,,S,Horowitz 2014
45nm,64,read,10,sram,1024,pJ,8,12,P,Horowitz 2014
65nm,16,read,200,dram,,fJ,,,I,made up
`;

export interface Seeds {
  readonly root: string;
  /** A case's JOULEBENCH_CACHE is copied from here (executions of the tiny sweep; models when trained). */
  readonly cache: string;
  readonly runDir: string;
  readonly results: Json;
  readonly resultsText: string;
  /** A results.json of each other kind: a sequence study and a brain model (seeds for the results.json campaign). */
  readonly otherResults: readonly DocSeed[];
  readonly sweepDir: string;
  readonly shardDirs: readonly string[];
  readonly claims: DocSeed[];
  readonly sweeps: DocSeed[];
  readonly profiles: DocSeed[];
  readonly tables: DocSeed[];
  readonly literature: DocSeed[];
  readonly measured: DocSeed[];
  readonly onnx: { name: string; bytes: Uint8Array }[];
  readonly csv: string[][];
  readonly errors: string[];
}

function yamlSeeds(dir: string): DocSeed[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: f, doc: YAML.parse(readFileSync(join(dir, f), 'utf8')) as Json }));
}

/** A claims file about the seed run (its configurations and profiles), reading results.json beside it. */
function fixtureClaims(): Json {
  return {
    version: 1,
    description: 'claims about the fuzz seed run',
    results: 'results.json',
    claims: [
      { id: 'ann-energy', quantity: { energy: 'ann-dense', profile: 'ops-only-45nm' }, condition: { '>': 0 } },
      { id: 'ratio', quantity: { ratio: [{ energy: 'snn-if-T4' }, { energy: 'ann-dense' }] }, profiles: ['ops-only-45nm'], condition: { '<': 1000 } },
      { id: 'snn-core', quantity: { energy: 'snn-if-T2', profile: 'neuromorphic-core-45nm' }, condition: { '>=': 0 } },
      { id: 'acc', quantity: { difference: [{ accuracy: 'snn-if-T2' }, { accuracy: 'ann-dense' }] }, condition: { '>=': -1 } },
      { id: 'macs', quantity: { metric: 'Effective_MACs', config: 'ann-dense' }, condition: { within: { value: 34816, rel: 0.01 } } },
      { id: 'sigma', quantity: { metric: 'spikesPerSynapse', config: 'snn-if-T4', layer: '/5/Gemm' }, condition: { '>=': 0 } },
      { id: 'const', quantity: { product: [{ value: 203264 }, { constant: 'horowitz-45nm/fp32-mac' }] }, condition: { '==': 9.350144e-7 } },
      { id: 'sum', quantity: { sum: [{ metric: 'totalJ', config: 'ann-dense' }, { value: 1, unit: 'J' }] }, profiles: ['ops-only-45nm'], condition: { '>': 1 } },
    ],
  };
}

/** A tiny sequence study and a tiny brain model: seeds of the other results.json kinds. */
const SEED_SEQ_ARGS = ['seq', '-f', 'softmax', 'spikformer', '--text-steps', '2', '--recall-steps', '2', '--batch', '2', '--context', '16', '--d', '8', '--heads', '1', '--layers', '1', '--mlp-width', '8', '--eval-windows', '2', '--recall-sequences', '2', '--recall-lengths', '16', '--recall-train-lengths', '16', '-L', '16', '32', '-c', 'ops-only-45nm', 'eyeriss-rs-65nm', 'lemaire-2022', '-q'];
const SEED_BRAIN_ARGS = ['brain', 'hopfield', '--units', '20', '--alphas', '0.1', '--capacity-probes', '2', '--patterns', '2', '--memories', '3', '--probes', '2', '-c', 'ops-only-45nm', 'loihi', '-q'];

export async function buildSeeds(): Promise<Seeds> {
  const root = mkdtempSync(join(tmpdir(), 'joulebench-fuzz-seeds-'));
  const cache = join(root, 'cache');
  mkdirSync(cache);
  // trained weights of the user's cache (mnist-mlp, from test/global-setup.ts) so cases that name it do not train
  const models = join(cacheDir(), 'models');
  if (existsSync(models)) cpSync(models, join(cache, 'models'), { recursive: true });
  const errors: string[] = [];
  const before = process.env.JOULEBENCH_CACHE;
  process.env.JOULEBENCH_CACHE = cache;
  const io = { out: () => {}, err: (t: string) => errors.push(t) };
  try {
    const runDir = join(root, 'run');
    const sweepDir = join(root, 'sweep');
    const sweepFile = join(root, 'tiny.yaml');
    writeFileSync(sweepFile, TINY_SWEEP);
    const codes = [
      await main([...SEED_RUN_ARGS, '-o', runDir], io),
      await main(['sweep', sweepFile, '-o', sweepDir, '-q'], io),
      await main(['sweep', sweepFile, '--shard', '1/2', '-o', join(root, 'shard1'), '-q'], io),
      await main(['sweep', sweepFile, '--shard', '2/2', '-o', join(root, 'shard2'), '-q'], io),
      await main([...SEED_SEQ_ARGS, '-o', join(root, 'seq')], io),
      await main([...SEED_BRAIN_ARGS, '-o', join(root, 'brain')], io),
    ];
    if (codes.some((c) => c !== 0)) throw new Error(`fuzz seeds: a seed command failed (${codes.join(',')}): ${errors.join(' | ')}`);
    const resultsText = readFileSync(join(runDir, 'results.json'), 'utf8');
    const claimsSeeds: DocSeed[] = [{ name: 'fixture-claims', doc: fixtureClaims() }, { name: 'joulebench.yaml', doc: YAML.parse(readFileSync(join(REPO, 'claims', 'joulebench.yaml'), 'utf8')) as Json }];
    const csv = ENERGY_CSV.trim().split('\n').map((l) => l.split(','));
    return {
      root,
      cache,
      runDir,
      results: JSON.parse(resultsText) as Json,
      resultsText,
      otherResults: ['seq', 'brain'].map((k) => ({ name: `seed-${k} results.json`, doc: JSON.parse(readFileSync(join(root, k, 'results.json'), 'utf8')) as Json })),
      sweepDir,
      shardDirs: [join(root, 'shard1'), join(root, 'shard2')],
      claims: claimsSeeds,
      sweeps: [{ name: 'tiny', doc: YAML.parse(TINY_SWEEP) as Json }, ...yamlSeeds(join(REPO, 'sweeps', 'examples'))],
      profiles: [
        ...yamlSeeds(join(REPO, 'cost-models', 'profiles')),
        // a user's profile that extends a built-in one with user-facing names, shorthands and an inline energy
        { name: 'extends', doc: { extends: 'neuromorphic-core-45nm', parameters: { node: '22nm', vdd: '0.8 V', fifoEntries: 64 }, constants: { 'int-add': '0.05 pJ', fpAdd: { value: 0.4, unit: 'pJ', low: 0.3, high: 0.5, source: 'my synthesis' } }, options: { 'memoryKind.weight': 'dram' } } },
      ],
      tables: yamlSeeds(join(REPO, 'cost-models', 'tech')),
      literature: [{ name: 'literature.yaml', doc: YAML.parse(readFileSync(join(REPO, 'claims', 'literature.yaml'), 'utf8')) as Json }],
      measured: [{ name: 'measured.yaml', doc: YAML.parse(readFileSync(join(REPO, 'claims', 'measured.yaml'), 'utf8')) as Json }],
      onnx: [ONNX_AVG, ONNX_MAX].map((p) => ({ name: p.split('/').pop()!, bytes: new Uint8Array(readFileSync(p)) })),
      csv,
      errors,
    };
  } finally {
    if (before === undefined) delete process.env.JOULEBENCH_CACHE;
    else process.env.JOULEBENCH_CACHE = before;
  }
}
