// Issue 17, command-line arguments and output folders: --force replaces only folders joulebench wrote
// (its marker file) and never the current directory, home or the package; every option needs its
// value, once, finite; output paths are checked before any work; temporaries a SIGKILL leaves are
// removed by the next write; a full disk or a read-only location is one line, exit 2, nothing left.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import type { MainResult } from './cli-helpers.js';
import { BIN, isolatedCache, listTree, pausedAt, runCli, tempDir } from './cli-helpers.js';

/** Runs `f` with JOULEBENCH_CACHE set to `cache`, restored after (unset when it was unset). */
async function withCache<T>(cache: string, f: () => Promise<T>): Promise<T> {
  const saved = process.env.JOULEBENCH_CACHE;
  process.env.JOULEBENCH_CACHE = cache;
  try {
    return await f();
  } finally {
    if (saved === undefined) delete process.env.JOULEBENCH_CACHE;
    else process.env.JOULEBENCH_CACHE = saved;
  }
}

/** Runs `f` with a fresh, empty JOULEBENCH_CACHE and says whether it stayed empty (nothing trained). */
async function withEmptyCache<T>(f: () => Promise<T>): Promise<{ result: T; cacheUntouched: boolean }> {
  const cache = tempDir('safety-cache');
  const result = await withCache(cache, f);
  return { result, cacheUntouched: listTree(cache).length === 0 };
}

/** Exit 2, exactly one line on stderr (the error), nothing on stdout. */
function expectRefused(r: MainResult, mentions: RegExp): void {
  expect(r.code, r.err.join('\n')).toBe(2);
  expect(r.err, r.err.join('\n')).toHaveLength(1);
  expect(r.err[0]).toMatch(/^joulebench: error: /);
  expect(r.err[0]).toMatch(mentions);
  expect(r.out).toEqual([]);
}

/** The smallest real run of the pretrained default model (a copy in the test's own cache, see global-setup). */
const RUN_OPTIONS = ['-n', '20', '--calibration-samples', '50', '-c', 'ops-only-45nm', '--mc-samples', '0', '-q'];
const RUN = ['run', '-T', '4', ...RUN_OPTIONS];

const marker = (dir: string): unknown => JSON.parse(readFileSync(join(dir, '.joulebench-output.json'), 'utf8'));

function userFolder(parent: string, name: string): string {
  const d = join(parent, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'thesis.tex'), 'years of work');
  return d;
}

const SWEEP = `version: 1
name: safety
workload:
  fixed: { workload: mnist-mlp, backend: ann-dense, samples: 20, calibration-samples: 50 }
  grid: { timesteps: [4] }
hardware:
  grid: { profile: [ops-only-45nm] }
`;

describe('--force replaces only a folder joulebench wrote (its marker), never the current directory, home or the package', () => {
  it('run -o --force in a folder holding a user file: refused (-o has no value), the file intact (was: the empty path became the current directory and was deleted)', async () => {
    const cwd = tempDir('force-cwd');
    writeFileSync(join(cwd, 'user.txt'), 'mine');
    const r = await runCli([...RUN, '-o', '--force'], cwd);
    expectRefused(r, /--out: needs a value, and none follows it/);
    expect(listTree(cwd)).toEqual(['user.txt']);
    expect(readFileSync(join(cwd, 'user.txt'), 'utf8')).toBe('mine');
  });

  it('run -o <a folder of the user> --force: refused naming the folder, the missing marker and the fix; nothing touched, nothing run', async () => {
    const cwd = tempDir('force-user');
    userFolder(cwd, 'papers');
    const { result, cacheUntouched } = await withEmptyCache(() => runCli([...RUN, '-o', 'papers', '--force'], cwd));
    expectRefused(result, /--out papers: holds files joulebench did not write \(no \.joulebench-output\.json\), so --force will not replace it; choose another path, or move or delete that folder yourself/);
    expect(cacheUntouched).toBe(true);
    expect(listTree(cwd)).toEqual(['papers', 'papers/thesis.tex']);
  });

  it('sweep -o <an unrelated folder> --force: refused, the folder intact', async () => {
    const cwd = tempDir('force-sweep');
    writeFileSync(join(cwd, 's.yaml'), SWEEP);
    userFolder(cwd, 'data');
    const { result, cacheUntouched } = await withEmptyCache(() => runCli(['sweep', 's.yaml', '-o', 'data', '--force', '-q'], cwd));
    expectRefused(result, /--out data: holds files joulebench did not write \(no \.joulebench-output\.json\)/);
    expect(cacheUntouched).toBe(true);
    expect(listTree(cwd)).toEqual(['data', 'data/thesis.tex', 's.yaml']);
  });

  it('the current directory and its ancestors are never replaced, even with the marker and --force', async () => {
    const cwd = tempDir('force-dot');
    writeFileSync(join(cwd, '.joulebench-output.json'), '{"tool":"joulebench","kind":"run"}\n');
    writeFileSync(join(cwd, 'user.txt'), 'mine');
    mkdirSync(join(cwd, 'sub'));
    expectRefused(await runCli([...RUN, '-o', '.', '--force'], cwd), /--out \.: is the current directory, which joulebench never replaces or deletes; name a new folder inside it/);
    expectRefused(await runCli([...RUN, '-o', '..', '--force'], join(cwd, 'sub')), /--out \.\.: contains the current directory, which joulebench never replaces/);
    expect(listTree(cwd)).toEqual(['.joulebench-output.json', 'sub', 'user.txt']);
  });

  it('a sweep never deletes the current directory: a different sweep with --force in . is refused', async () => {
    const cwd = tempDir('force-sweep-dot');
    writeFileSync(join(cwd, 's.yaml'), SWEEP);
    writeFileSync(join(cwd, '.joulebench-output.json'), '{"tool":"joulebench","kind":"sweep"}\n');
    const { result } = await withEmptyCache(() => runCli(['sweep', 's.yaml', '-o', '.', '--force', '-q'], cwd));
    expectRefused(result, /--out \.: is the current directory, which joulebench never replaces or deletes/);
    expect(listTree(cwd)).toEqual(['.joulebench-output.json', 's.yaml']);
  });

  it('the home folder and the package root are never replaced, marker or not', async () => {
    const home = tempDir('force-home');
    writeFileSync(join(home, '.joulebench-output.json'), '{"tool":"joulebench","kind":"run"}\n');
    writeFileSync(join(home, '.bashrc'), 'export X=1');
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      expectRefused(await runCli([...RUN, '-o', home, '--force']), /: is your home folder, which joulebench never replaces or deletes/);
    } finally {
      process.env.HOME = savedHome;
    }
    expect(listTree(home)).toEqual(['.bashrc', '.joulebench-output.json']);
    expectRefused(await runCli([...RUN, '-o', packageRoot, '--force'], home), /: is the joulebench package folder, which joulebench never replaces or deletes/);
    expect(existsSync(join(packageRoot, 'package.json'))).toBe(true);
    expectRefused(await runCli([...RUN, '-o', '/', '--force']), /--out \/: is the file-system root/);
  });

  it('a run folder carries the marker; --force replaces a folder joulebench wrote, and without --force it is kept', async () => {
    const cwd = tempDir('force-ours');
    const first = await runCli([...RUN, '-o', 'out'], cwd);
    expect(first.code, first.err.join('\n')).toBe(0);
    expect(marker(join(cwd, 'out'))).toEqual({ tool: 'joulebench', kind: 'run' });
    expect(listTree(join(cwd, 'out'))).toEqual(['.joulebench-output.json', 'benchmark.json', 'bmf.json', 'energy.csv', 'manifest.json', 'report.html', 'results.json']);
    writeFileSync(join(cwd, 'out', 'left-over.txt'), 'from the first run');
    expectRefused(await runCli([...RUN, '-o', 'out'], cwd), /--out out: directory exists and is not empty; choose another path or pass --force to replace it/);
    expect(existsSync(join(cwd, 'out', 'left-over.txt'))).toBe(true);
    const again = await runCli([...RUN, '-o', 'out', '--force'], cwd);
    expect(again.code, again.err.join('\n')).toBe(0);
    expect(existsSync(join(cwd, 'out', 'left-over.txt'))).toBe(false);
    expect(existsSync(join(cwd, 'out', 'results.json'))).toBe(true);
    expect(readdirSync(cwd)).toEqual(['out']); // no temporary or replaced folder left beside it
  });

  it('check --out, sweep and merge folders carry the marker; a sweep folder resumes without --force and is replaced by another sweep only with --force', async () => {
    const cwd = tempDir('force-kinds');
    writeFileSync(join(cwd, 'claims.yaml'), 'version: 1\nrun:\n  workload: mnist-mlp\n  backends: [ann-dense]\n  timesteps: [4]\n  cost-models: [ops-only-45nm]\n  samples: 20\n  calibration-samples: 50\nclaims:\n  - id: positive\n    quantity: { energy: ann-dense }\n    condition: { ">": 0 }\n');
    const check = await runCli(['check', 'claims.yaml', '-o', 'checked', '-q'], cwd);
    expect(check.code, check.err.join('\n')).toBe(0);
    expect(marker(join(cwd, 'checked'))).toEqual({ tool: 'joulebench', kind: 'run' });

    writeFileSync(join(cwd, 's.yaml'), SWEEP);
    writeFileSync(join(cwd, 't.yaml'), SWEEP.replace('name: safety', 'name: other'));
    await withCache(isolatedCache(), async () => {
      const s = await runCli(['sweep', 's.yaml', '-o', 'sw', '-q'], cwd);
      expect(s.code, s.err.join('\n')).toBe(0);
      expect(marker(join(cwd, 'sw'))).toEqual({ tool: 'joulebench', kind: 'sweep' });
      const resumed = await runCli(['sweep', 's.yaml', '-o', 'sw', '-q'], cwd);
      expect(resumed.code).toBe(0);
      expect(resumed.out.join('\n')).toContain('1 already done');
      expectRefused(await runCli(['sweep', 't.yaml', '-o', 'sw', '-q'], cwd), /--out sw: holds another sweep/);
      const replaced = await runCli(['sweep', 't.yaml', '-o', 'sw', '-q', '--force'], cwd);
      expect(replaced.code, replaced.err.join('\n')).toBe(0);
      expect(JSON.parse(readFileSync(join(cwd, 'sw', 'sweep.json'), 'utf8')).spec.name).toBe('other');
      const merged = await runCli(['merge', 'sw', '-o', 'merged'], cwd);
      expect(merged.code, merged.err.join('\n')).toBe(0);
      expect(marker(join(cwd, 'merged'))).toEqual({ tool: 'joulebench', kind: 'sweep' });
      // a merge never replaces a folder that holds one of its shard folders
      expect((await runCli(['sweep', 's.yaml', '-o', 'merged/shard', '-q'], cwd)).code).toBe(0);
      expectRefused(await runCli(['merge', 'merged/shard', '-o', 'merged', '--force'], cwd), /merge: --out merged holds the shard folder merged\/shard; choose an output folder outside the shards/);
      expect(listTree(join(cwd, 'merged'))).toContain('shard/rows.csv');
    });
  });

  it('seq --out and brain --out carry the marker', async () => {
    const cwd = tempDir('force-seq-brain');
    const { result: seq } = await withEmptyCache(() =>
      runCli(['seq', '-f', 'softmax', '--task', 'recall', '-c', 'ops-only-45nm', '--recall-steps', '2', '--batch', '2', '--context', '16', '--d', '8', '--heads', '1', '--layers', '1', '--mlp-width', '8', '--recall-sequences', '1', '--recall-lengths', '16', '--recall-train-lengths', '16', '--lengths', '16', '-q', '-o', 'seq'], cwd),
    );
    expect(seq.code, seq.err.join('\n')).toBe(0);
    expect(marker(join(cwd, 'seq'))).toEqual({ tool: 'joulebench', kind: 'seq' });
    const { result: brain } = await withEmptyCache(() => runCli(['brain', 'hopfield', '--units', '20', '--alphas', '0.1', '--capacity-probes', '1', '--patterns', '1', '--memories', '2', '--probes', '1', '-c', 'ops-only-45nm', '-q', '-o', 'brain'], cwd));
    expect(brain.code, brain.err.join('\n')).toBe(0);
    expect(marker(join(cwd, 'brain'))).toEqual({ tool: 'joulebench', kind: 'brain' });
  });
});

describe('every option needs its value, once, finite and in range', () => {
  const missing: [string, string[], RegExp][] = [
    ['run -o followed by another flag', ['run', '-o', '--force'], /--out: needs a value/],
    ['run -T followed by another flag (was: the default T)', ['run', '-T', '-b', 'snn'], /--timesteps: needs a value/],
    ['run -b at the end', ['run', '-b'], /--backend: needs a value/],
    ['run -c followed by another flag', ['run', '-c', '-q'], /--cost-model: needs a value/],
    ['run --execution followed by another flag', ['run', '--execution', '-q'], /--execution: needs a value/],
    ['run --quant at the end', ['run', '-b', 'ann-quant', '--quant'], /--quant: needs a value/],
    ['run --samples at the end', ['run', '--samples'], /--samples: needs a value/],
    ['run --refractory at the end (has a default)', ['run', '--refractory'], /--refractory: needs a value/],
    ['sweep -j at the end', ['sweep', 's.yaml', '-j'], /--jobs: needs a value/],
    ['merge -o at the end', ['merge', 'a', '-o'], /--out: needs a value/],
    ['check --tolerance followed by a flag', ['check', 'c.yaml', '--tolerance', '-q'], /--tolerance: needs a value/],
    ['brain --alphas at the end', ['brain', 'hopfield', '--alphas'], /--alphas: needs a value/],
    ['seq -L followed by a flag', ['seq', '-L', '-q'], /--lengths: needs a value/],
    ['lif-primer -I at the end', ['lif-primer', '-I'], /--current: needs a value/],
    ['import-energy-table -o at the end', ['import-energy-table', 'x.csv', '-o'], /--out: needs a value/],
  ];
  it.each(missing)('%s: refused, no default taken', async (_name, argv, msg) => {
    const cwd = tempDir('arg-missing');
    const { result, cacheUntouched } = await withEmptyCache(() => runCli(argv, cwd));
    expectRefused(result, msg);
    expect(cacheUntouched).toBe(true);
    expect(listTree(cwd)).toEqual([]);
  });

  const empty: [string, string[], RegExp][] = [
    ["run -o ''", ['run', '-o', ''], /--out: is empty; give a value/],
    ["sweep -o ''", ['sweep', 's.yaml', '-o', ''], /--out: is empty; give a value/],
    ["merge -o ''", ['merge', 'a', '-o', ''], /--out: is empty/],
    ["seq -o ''", ['seq', '-o', ''], /--out: is empty/],
    ["brain -o ''", ['brain', 'hopfield', '-o', ''], /--out: is empty/],
    ["check -o ''", ['check', 'c.yaml', '-o', ''], /--out: is empty/],
    ["import-energy-table -o ''", ['import-energy-table', 'x.csv', '-o', ''], /--out: is empty/],
    ["run -w ''", ['run', '-w', ''], /--workload: is empty/],
    ["run --neuron ''", ['run', '--neuron', ''], /--neuron: is empty/],
  ];
  it.each(empty)('%s: an empty value is refused', async (_name, argv, msg) => {
    const cwd = tempDir('arg-empty');
    writeFileSync(join(cwd, 'user.txt'), 'mine');
    expectRefused(await runCli(argv, cwd), msg);
    expect(listTree(cwd)).toEqual(['user.txt']);
  });

  const twice: [string, string[], RegExp][] = [
    ['run -o a -o b (was: TypeError … instance of Array)', ['run', '-o', 'a', '-o', 'b'], /--out: given 2 times \(a, b\); give it once/],
    ['run -o a --out b (alias and name)', ['run', '-o', 'a', '--out', 'b'], /--out: given 2 times/],
    ['run --refractory twice (was: the last silently taken)', ['run', '--refractory', '1', '--refractory', '2'], /--refractory: given 2 times \(1, 2\)/],
    ['run --neuron twice', ['run', '--neuron', 'lif', '--neuron', 'if'], /--neuron: given 2 times/],
    ['sweep -j twice', ['sweep', 's.yaml', '-j', '1', '-j', '2'], /--jobs: given 2 times/],
    ['seq --d twice', ['seq', '--d', '8', '--d', '16'], /-d: given 2 times/],
    ['brain --units twice', ['brain', 'hopfield', '--units', '10', '--units', '20'], /--units: given 2 times/],
  ];
  it.each(twice)('%s: refused naming the option', async (_name, argv, msg) => expectRefused(await runCli(argv, tempDir('arg-twice')), msg));

  it('an array option may be given twice: -T 4 -T 8 is T = 4 and 8', async () => {
    const cwd = tempDir('arg-array-twice');
    const r = await runCli(['run', '-T', '4', '-T', '8', ...RUN_OPTIONS, '-o', 'out'], cwd);
    expect(r.code, r.err.join('\n')).toBe(0);
    const doc = JSON.parse(readFileSync(join(cwd, 'out', 'results.json'), 'utf8')) as { configurations: { id: string }[] };
    expect(doc.configurations.map((c) => c.id)).toEqual(['ann-dense', 'snn-if-T4', 'snn-if-T8']);
  });

  const notFinite: [string, string[], RegExp][] = [
    ['run -n NaN', ['run', '-n', 'NaN'], /--samples must be a finite number, got NaN/],
    ['run -n Infinity', ['run', '-n', 'Infinity'], /--samples must be a finite number, got Infinity/],
    ['run -n 1e999', ['run', '-n', '1e999'], /--samples must be a finite number, got Infinity/],
    ['run -T 4 Infinity', ['run', '-T', '4', 'Infinity'], /--timesteps must be a finite number, got Infinity/],
    ['run --beta NaN', ['run', '--neuron', 'lif', '--beta', 'NaN'], /--beta must be a finite number, got NaN/],
    ['run --seed -Infinity', ['run', '--seed=-Infinity'], /--seed must be a finite number, got -Infinity/],
    ['sweep -j Infinity', ['sweep', 's.yaml', '-j', 'Infinity'], /--jobs must be a finite number/],
    ['check --tolerance NaN', ['check', 'c.yaml', '--tolerance', 'NaN'], /--tolerance must be a finite number, got NaN/],
    ['seq --learning-rate Infinity', ['seq', '--learning-rate', 'Infinity'], /--learning-rate must be a finite number, got Infinity/],
    ['brain --noise NaN', ['brain', 'hopfield', '--noise', 'NaN'], /--noise must be a finite number, got NaN/],
    ['lif-primer -I 2 NaN', ['lif-primer', '-I', '2', 'NaN'], /--current must be a finite number, got NaN/],
    ['import-energy-table --range Infinity', ['import-energy-table', 'x.csv', '--range', 'Infinity'], /--range must be a finite number, got Infinity/],
  ];
  it.each(notFinite)('%s: refused naming the option', async (_name, argv, msg) => expectRefused(await runCli(argv, tempDir('arg-finite')), msg));

  const outOfRange: [string, string[], RegExp][] = [
    ['run -n 0', ['run', '-n', '0'], /--samples must be a positive integer, got 0/],
    ['run -n 2.5', ['run', '-n', '2.5'], /--samples must be a positive integer, got 2.5/],
    ['run --mc-samples -1', ['run', '--mc-samples', '-1'], /--mc-samples/],
    ['sweep -j 0', ['sweep', 's.yaml', '-j', '0'], /--jobs must be a positive integer, got 0/],
    ['seq --batch 0', ['seq', '--batch', '0'], /--batch must be an integer ≥ 1, got 0/],
    ['brain --units 3', ['brain', 'hopfield', '--units', '3'], /--units must be an integer in 10…5000, got 3/],
  ];
  it.each(outOfRange)('%s: refused naming the option and the range', async (_name, argv, msg) => expectRefused(await runCli(argv, tempDir('arg-range')), msg));

  it('--alpha is checked whatever the neuron: refused with the fix unless the neuron is cuba, where it must be in [0, 1)', async () => {
    expectRefused(await runCli(['run', '--alpha', '0.3']), /--alpha 0\.3: the synaptic current decay exists only in cuba neurons, not if; drop --alpha or add --neuron cuba/);
    expectRefused(await runCli(['run', '--neuron', 'lif', '--alpha', '0.3']), /--alpha 0\.3: .* not lif; drop --alpha or add --neuron cuba/);
    expectRefused(await runCli(['run', '--neuron', 'cuba', '--alpha', '1.5']), /--alpha: alpha \(current decay\) must be in \[0, 1\), got 1\.5/);
    expectRefused(await runCli(['run', '--alpha', 'NaN']), /--alpha must be a finite number, got NaN/);
  });

  it('--neuron cuba --alpha 0.3 runs with that current decay', async () => {
    const cwd = tempDir('arg-cuba');
    const r = await runCli([...RUN, '-b', 'snn', '--neuron', 'cuba', '--alpha', '0.3', '-o', 'out'], cwd);
    expect(r.code, r.err.join('\n')).toBe(0);
    const manifest = JSON.parse(readFileSync(join(cwd, 'out', 'manifest.json'), 'utf8')) as { arguments: { neuron: string; alpha: number } };
    expect(manifest.arguments).toMatchObject({ neuron: 'cuba', alpha: 0.3 });
    expect(readFileSync(join(cwd, 'out', 'results.json'), 'utf8')).toContain('snn-cuba-T4');
  });

  const trained: [string, string[], RegExp][] = [
    ['--neuron lif', ['--neuron', 'lif'], /--neuron lif: mnist-mlp-sg is an SNN trained directly \(surrogate gradients\) with if neurons \(reset subtract, beta 1, refractory 0\) and rate coding, which training fixes; drop the option/],
    ['--neuron lif --beta 0.8', ['--neuron', 'lif', '--beta', '0.8'], /--neuron lif: mnist-mlp-sg is an SNN trained directly/],
    ['--reset zero', ['--reset', 'zero'], /--reset zero: mnist-mlp-sg is an SNN trained directly/],
    ['--refractory 2', ['--refractory', '2'], /--refractory 2: mnist-mlp-sg is an SNN trained directly/],
    ['--coding latency', ['--coding', 'latency'], /--coding latency: mnist-mlp-sg is an SNN trained directly .* and rate coding/],
    ['--beta 0.9 (an IF neuron has no leak)', ['--beta', '0.9'], /--beta: an IF neuron has no leak/],
  ];
  it.each(trained)('-w mnist-mlp-sg %s: refused (its neuron is fixed by training), before training anything', async (_name, extra, msg) => {
    const { result, cacheUntouched } = await withEmptyCache(() => runCli(['run', '-w', 'mnist-mlp-sg', ...extra, '-o', join(tempDir('arg-sg'), 'out')]));
    expectRefused(result, msg);
    expect(cacheUntouched).toBe(true);
  });

  it('-w mnist-mlp-sg with the neuron it was trained with passes that check (it then stops at the bad --out, before training)', async () => {
    const cwd = tempDir('arg-sg-ok');
    writeFileSync(join(cwd, 'blocker'), 'a file');
    const { result, cacheUntouched } = await withEmptyCache(() => runCli(['run', '-w', 'mnist-mlp-sg', '--neuron', 'if', '--reset', 'subtract', '--beta', '1', '--coding', 'rate', '-o', 'blocker/out'], cwd));
    expectRefused(result, /--out blocker\/out: .*blocker is not a directory/);
    expect(cacheUntouched).toBe(true);
  });

  it('values with newlines and escape sequences still give one error line (escaped)', async () => {
    const r = await runCli(['run', '-w', 'evil\nworkload\u001b[31m']);
    expectRefused(r, /--workload: unknown workload "evil\\nworkload\\u001b\[31m"/);
    expectRefused(await runCli(['run', '-o', 'a\nb', '-o', 'c']), /--out: given 2 times \(a\\nb, c\)/);
    const cwd = tempDir('arg-newline');
    userFolder(cwd, 'x\ny');
    expectRefused(await runCli([...RUN, '-o', 'x\ny', '--force'], cwd), /--out x\\ny: holds files joulebench did not write/);
  });
});

describe('output paths are checked before any work', () => {
  it('a path component over 255 bytes is refused before training', async () => {
    const cwd = tempDir('path-long-name');
    const { result, cacheUntouched } = await withEmptyCache(() => runCli(['run', '-o', `runs/${'n'.repeat(256)}`], cwd));
    expectRefused(result, /--out runs\/n+…: a name in the path is 256 bytes long, above the 255 bytes file systems allow; choose shorter names/);
    expect(cacheUntouched).toBe(true);
    expect(listTree(cwd)).toEqual([]);
  });

  it('a name of 255 multi-byte bytes passes the name check (bytes, not characters, are counted)', async () => {
    const cwd = tempDir('path-bytes');
    writeFileSync(join(cwd, 'blocker'), 'a file');
    // 86 × 'é' (2 bytes) = 172 bytes: allowed; 128 × 'é' = 256 bytes: refused
    expectRefused(await runCli(['run', '-o', `blocker/${'é'.repeat(86)}`], cwd), /blocker is not a directory/);
    expectRefused(await runCli(['run', '-o', `blocker/${'é'.repeat(128)}`], cwd), /a name in the path is 256 bytes long/);
  });

  it('a path over 4096 bytes is refused before training, for run, seq, brain and sweep', async () => {
    const cwd = tempDir('path-long');
    const long = Array.from({ length: 22 }, () => 'd'.repeat(200)).join('/');
    writeFileSync(join(cwd, 's.yaml'), SWEEP);
    for (const argv of [['run', '-o', long], ['seq', '-o', long], ['brain', 'hopfield', '-o', long], ['sweep', 's.yaml', '-o', long]]) {
      const { result, cacheUntouched } = await withEmptyCache(() => runCli(argv, cwd));
      expectRefused(result, /--out d+…: the path is \d{4} bytes long, above the 4000 bytes joulebench allows \(PATH_MAX is 4096/);
      expect(cacheUntouched).toBe(true);
    }
    expect(listTree(cwd)).toEqual(['s.yaml']);
  });

  it('import-energy-table -o is checked before the CSV is parsed: a directory, a missing parent, an existing file without --force', async () => {
    const cwd = tempDir('path-import');
    writeFileSync(join(cwd, 'bad.csv'), 'not,a,table\n');
    mkdirSync(join(cwd, 'dir'));
    expectRefused(await runCli(['import-energy-table', 'bad.csv', '-o', 'dir'], cwd), /--out dir: is a directory; give a file name/);
    expectRefused(await runCli(['import-energy-table', 'bad.csv', '-o', 'nowhere/t.yaml'], cwd), /--out nowhere\/t\.yaml: directory .*nowhere does not exist/);
    writeFileSync(join(cwd, 'mine.yaml'), 'my table');
    expectRefused(await runCli(['import-energy-table', 'bad.csv', '-o', 'mine.yaml'], cwd), /--out mine\.yaml: exists; add --force to replace it/);
    expect(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).toBe('my table');
    expectRefused(await runCli(['import-energy-table', 'bad.csv', '-o', `${'t'.repeat(300)}.yaml`], cwd), /a name in the path is 305 bytes long/);
    // a good path: the CSV is parsed and its error is the one reported
    expectRefused(await runCli(['import-energy-table', 'bad.csv', '-o', 'new.yaml'], cwd), /bad\.csv/);
    expect(listTree(cwd)).toEqual(['bad.csv', 'dir', 'mine.yaml']);
    writeFileSync(join(cwd, 'good.csv'), 'technology,width,action,energy,component,source\n45nm,32,add,0.1,adder,my synthesis run\n');
    const ok = await runCli(['import-energy-table', 'good.csv', '-o', 'mine.yaml', '--force'], cwd);
    expect(ok.code, ok.err.join('\n')).toBe(0);
    expect(readFileSync(join(cwd, 'mine.yaml'), 'utf8')).toMatch(/^id: good\n/);
    expect(listTree(cwd)).toEqual(['bad.csv', 'dir', 'good.csv', 'mine.yaml']);
  });
});

describe('temporaries left by a SIGKILL are removed by the next write into that folder', () => {
  it('run folder: killed right before the final rename, its .joulebench-tmp-<pid>.<name>/ is removed by the next run; a live process\'s temporary is kept', async () => {
    const cwd = tempDir('stale-run');
    const { pid, tmp, exited } = await pausedAt([...RUN, '-o', 'killed'], cwd, 'killed');
    process.kill(pid, 'SIGKILL');
    await exited;
    expect(tmp).toBe(join(cwd, `.joulebench-tmp-${pid}.killed`));
    expect(listTree(tmp)).toContain('results.json');
    expect(existsSync(join(cwd, 'killed'))).toBe(false);
    const live = join(cwd, `.joulebench-tmp-${process.ppid}.busy`); // the test runner: alive
    mkdirSync(live);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid is free
    mkdirSync(join(cwd, `.joulebench-old-${dead}.previous`)); // a folder being replaced when its process was killed
    const next = await runCli([...RUN, '-o', 'next'], cwd);
    expect(next.code, next.err.join('\n')).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual([`.joulebench-tmp-${process.ppid}.busy`, 'next']);
  });

  it('file: killed before renaming import-energy-table -o t.yaml, its .joulebench-tmp-<pid>.t.yaml is removed by the next write there', async () => {
    const cwd = tempDir('stale-file');
    writeFileSync(join(cwd, 'mine.csv'), 'technology,width,action,energy,component,source\n45nm,32,add,0.1,adder,my synthesis run\n');
    const { pid, tmp, exited } = await pausedAt(['import-energy-table', 'mine.csv', '-o', 't.yaml'], cwd, 't.yaml');
    process.kill(pid, 'SIGKILL');
    await exited;
    expect(tmp).toBe(`.joulebench-tmp-${pid}.t.yaml`); // beside -o t.yaml, as named
    expect(readdirSync(cwd).sort()).toEqual([`.joulebench-tmp-${pid}.t.yaml`, 'mine.csv']);
    const again = await runCli(['import-energy-table', 'mine.csv', '-o', 'u.yaml'], cwd);
    expect(again.code, again.err.join('\n')).toBe(0);
    expect(readdirSync(cwd).sort()).toEqual(['mine.csv', 'u.yaml']);
  });

  it('sweep folder: rows.csv and chunk temporaries of a dead process are removed when the sweep resumes', async () => {
    const cwd = tempDir('stale-sweep');
    writeFileSync(join(cwd, 's.yaml'), SWEEP);
    await withCache(isolatedCache(), async () => {
      expect((await runCli(['sweep', 's.yaml', '-o', 'sw', '-q'], cwd)).code).toBe(0);
      const dead = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its pid is free
      writeFileSync(join(cwd, 'sw', `.joulebench-tmp-${dead}.rows.csv`), 'half a');
      writeFileSync(join(cwd, 'sw', 'chunks', `.joulebench-tmp-${dead}.000000.csv`), 'half a');
      const again = await runCli(['sweep', 's.yaml', '-o', 'sw', '-q'], cwd);
      expect(again.code, again.err.join('\n')).toBe(0);
      expect(readdirSync(join(cwd, 'sw')).filter((f) => f.startsWith('.joulebench-tmp'))).toEqual([]);
      expect(readdirSync(join(cwd, 'sw', 'chunks'))).toEqual(['000000.csv']);
    });
  });
});

describe('a full disk and a read-only output location', () => {
  const root = tempDir('mounts');
  const full = join(root, 'full');
  const ro = join(root, 'ro');
  let mounted = false;
  beforeAll(() => {
    mkdirSync(full);
    mkdirSync(ro);
    const mount = (...args: string[]) => spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
    mounted = mount('-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full) && mount('-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', ro) && mount('-o', 'remount,ro', ro);
  });
  afterAll(() => {
    for (const d of [full, ro]) spawnSync('umount', [d], { stdio: 'ignore' });
  });

  it('full disk (a 64 KiB tmpfs; skipped where tmpfs cannot be mounted, see cli-safety-enospc.test.ts): one line naming the file and ENOSPC, exit 2, no partial folder, no temporary', async (ctx) => {
    if (!mounted) ctx.skip();
    const r = await runCli([...RUN, '-o', join(full, 'out')]);
    expectRefused(r, new RegExp(`^joulebench: error: ${full}/out/[a-z.]+: (write|open): ENOSPC; no space left on the device; free space or choose another location$`));
    expect(readdirSync(full)).toEqual([]);
  });

  it('read-only output location (a tmpfs remounted read-only): refused before any work, for run, seq, brain, sweep and import-energy-table', async (ctx) => {
    if (!mounted) ctx.skip();
    const cwd = tempDir('ro-cwd');
    writeFileSync(join(cwd, 's.yaml'), SWEEP);
    writeFileSync(join(cwd, 'bad.csv'), 'not,a,table\n');
    for (const argv of [['run', '-o', join(ro, 'out')], ['seq', '-o', join(ro, 'out')], ['brain', 'hopfield', '-o', join(ro, 'out')], ['sweep', 's.yaml', '-o', join(ro, 'out')]]) {
      const { result, cacheUntouched } = await withEmptyCache(() => runCli(argv, cwd)); // not quiet: any work would log
      expectRefused(result, new RegExp(`--out ${ro}/out: cannot create directories in ${ro} \\(EROFS\\); choose a writable path`));
      expect(cacheUntouched).toBe(true);
    }
    expectRefused(await runCli(['import-energy-table', 'bad.csv', '-o', join(ro, 't.yaml')], cwd), new RegExp(`--out ${ro}/t.yaml: cannot write in ${ro} \\(EROFS\\); choose a writable location`));
    expect(readdirSync(ro)).toEqual([]);
  });
});
