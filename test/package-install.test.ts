// The npm package as a user gets it: `npm pack` of this checkout (its compiled dist/, which `npm test`
// builds before vitest), installed into a fresh project with no .npmrc and an npm cache of its own,
// then the installed CLI (`npx joulebench --version`, `list`, a real `run`) and the library API
// (`import … from 'joulebench'`) against what this checkout computes in process. The install must
// fetch from the npm registry only and run no install script (onnxruntime-node, whose postinstall
// downloads CUDA libraries, is an optional peer dependency and is not installed).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile, loadResults, priceLedger, runStudy } from '../index.js';
import { tempDir, testCache } from './cli-helpers.js';

const REPO = resolve(import.meta.dirname, '..');
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/** The environment of npm and of the installed CLI: none of the npm_* settings `npm test` passes down (its .npmrc among them). */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_/i.test(k) && !/^ONNXRUNTIME_NODE_INSTALL/i.test(k) && k !== 'JOULEBENCH_CACHE') env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs = 300_000) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

let root: string;
let app: string;
let npmEnv: NodeJS.ProcessEnv;
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };
let installLog: string;
let installSeconds: number;

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist', 'index.js')) || !existsSync(join(REPO, 'dist', 'cli', 'main.js'))) {
    const b = run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], REPO, process.env);
    expect(b.code, b.stdout + b.stderr).toBe(0);
  }
  root = tempDir('package');
  app = join(root, 'app');
  mkdirSync(app);
  npmEnv = cleanEnv({ npm_config_cache: join(root, 'npm-cache'), npm_config_update_notifier: 'false' });
  // dist/ is built already: pack it as it is (`npm pack` alone would run prepare, i.e. tsc, again)
  const p = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', root], REPO, npmEnv);
  expect(p.code, p.stderr).toBe(0);
  packed = (JSON.parse(p.stdout) as (typeof packed)[])[0];
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }, null, 2));
  const t0 = performance.now();
  const i = run('npm', ['install', join(root, packed.filename), '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', '--loglevel=http'], app, npmEnv, 600_000);
  installSeconds = (performance.now() - t0) / 1000;
  installLog = i.stdout + i.stderr;
  expect(i.code, installLog.slice(-4000)).toBe(0);
  console.log(`npm pack: ${(packed.size / 1e6).toFixed(2)} MB (${(packed.unpackedSize / 1e6).toFixed(1)} MB unpacked, ${packed.files.length} files); npm install into a fresh project: ${installSeconds.toFixed(1)} s`);
}, 900_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the compiled CLI and library with their types, and every file they read at run time', () => {
    const files = new Set(packed.files.map((f) => f.path));
    for (const f of [
      'package.json', 'README.md', 'bin/joulebench.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js',
      'dist/harness/backends/snn-worker.js', 'dist/workloads/train/child.js', 'dist/sweeps/worker.js',
      'wasm/snn.wasm', 'harness/onnx/onnx.proto', 'claims/literature.yaml', 'claims/literature-constants.yaml', 'claims/measured.yaml', 'claims/measured/loihi-blouw-2019-kws.json',
      'cost-models/profiles/lemaire-2022.yaml', 'cost-models/tech/horowitz-45nm.yaml', 'reports/results.schema.json',
      'workloads/imported/activity.schema.json', 'core/ledger.ts', // harnessCodeVersion hashes the sources of core/, harness/, workloads/
      'checkpoints/sequence/README.md', 'dist/scripts/train-seq-checkpoints.js', // the sequence checkpoints and the script that trains them
    ]) expect(files.has(f), f).toBe(true);
    // every trained sequence checkpoint of the repository, manifest and weights
    for (const f of readdirSync(join(REPO, 'checkpoints', 'sequence')).filter((x) => /\.(json|f32)$/.test(x))) expect(files.has(`checkpoints/sequence/${f}`), f).toBe(true);
    for (const f of files) expect(f).not.toMatch(/^(test|bench|scripts|results|\.ci)\/|^dist\/bench\/|\.map$|^\.npmrc$/);
    const pkg = JSON.parse(readFileSync(join(app, 'node_modules', 'joulebench', 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' });
  });

  it('installs from the npm registry alone, running no install script and without onnxruntime-node', () => {
    const hosts = new Set([...installLog.matchAll(/https?:\/\/([^/\s'"]+)/g)].map((m) => m[1]));
    const registry = new URL(run('npm', ['config', 'get', 'registry'], app, npmEnv).stdout.trim()).host;
    expect([...hosts].filter((h) => h !== registry), installLog.slice(-4000)).toEqual([]);
    // --foreground-scripts prints "> pkg@version script" for every lifecycle script it runs
    expect(installLog).not.toMatch(/^> \S+ (preinstall|install|postinstall|prepare)$/m);
    expect(existsSync(join(app, 'node_modules', 'onnxruntime-node'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'joulebench', 'dist', 'index.js'))).toBe(true);
  });

  it('runs the installed CLI: --version, -V, list', () => {
    const env = cleanEnv({ JOULEBENCH_CACHE: testCache() });
    for (const flag of ['--version', '-V']) {
      const v = run('npx', ['--no', '--', 'joulebench', flag], app, { ...env, ...npmEnv });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout.trim()).toBe(VERSION);
    }
    const l = run('npx', ['--no', '--', 'joulebench', 'list'], app, { ...env, ...npmEnv });
    expect(l.code, l.stderr).toBe(0);
    expect(l.stdout).toMatch(/^workloads:\n {2}mnist-mlp {12}MLP 784-256-10 \(ReLU\) on MNIST$/m);
    expect(l.stdout).toMatch(/^ {2}lemaire-2022 {9}Lemaire et al\. 2022/m);
    expect(l.stdout).toContain('brain models (joulebench brain): hopfield');
  });

  it('runs a study with the installed CLI (without onnxruntime-node) to the energies this checkout computes', async () => {
    const env = { ...cleanEnv({ JOULEBENCH_CACHE: testCache() }), ...npmEnv };
    const argv = ['-n', '200', '-T', '4', '-c', 'ops-only-45nm', 'lemaire-2022', 'neuromorphic-core-45nm', 'ann-ideal-reuse-45nm'];
    const r = run('npx', ['--no', '--', 'joulebench', 'run', ...argv, '-o', 'out', '--mc-samples', '0'], app, env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('onnxruntime-node (optional) is not installed: the dense ANN runs on the TypeScript kernel');
    const installed = loadResults(join(app, 'out', 'results.json'));
    const here = await runStudy({ samples: 200, timesteps: [4], 'cost-models': ['ops-only-45nm', 'lemaire-2022', 'neuromorphic-core-45nm', 'ann-ideal-reuse-45nm'] });
    const energies = (doc: typeof here) => doc.configurations.map((c) => ({ id: c.id, accuracy: c.accuracy, energy: c.energy.map((e) => [e.profile, e.totalJ]), refused: c.refused.map((x) => x.profile) }));
    expect(installed.configurations.map((c) => c.id)).toEqual(['ann-dense', 'snn-if-T4']);
    expect(energies(installed)).toEqual(energies(here));
    expect(installed.configurations[0].ledger.layers).toEqual(here.configurations[0].ledger.layers);
    // asking for the onnxruntime kernel without it installed: one line saying how to install it
    const o = run('npx', ['--no', '--', 'joulebench', 'run', ...argv, '--kernel', 'onnxruntime', '-o', 'out2'], app, env);
    expect(o.code).toBe(2);
    expect(o.stderr.trim()).toMatch(/^joulebench: error: --kernel onnxruntime: .*ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node/);
    expect(existsSync(join(app, 'out2'))).toBe(false);
  });

  it("imports the library API from 'joulebench': loads and validates results, prices a ledger, evaluates claims", () => {
    writeFileSync(join(app, 'claims.yaml'), [
      'version: 1', 'results: out/results.json', 'claims:',
      '  - id: dense-macs', "    quantity: { metric: Dense, config: ann-dense }", "    condition: { '==': 203264 }",
      '  - id: snn-cheaper-ops-only', '    quantity: { ratio: [{ energy: snn-if-T4 }, { energy: ann-dense }] }', '    profiles: [ops-only-45nm]', "    condition: { '<': 1 }", '',
    ].join('\n'));
    const script = `
      import { loadResults, getProfile, priceLedger, checkClaims, builtinProfileIds, InputError, RESULTS_SCHEMA_VERSION } from 'joulebench';
      const doc = loadResults('out/results.json');
      const ann = doc.configurations.find((c) => c.id === 'ann-dense');
      const priced = priceLedger(ann.ledger, getProfile('eyeriss-rs-65nm'));
      let bad = null;
      try { loadResults('package.json'); } catch (e) { bad = e instanceof InputError ? e.message : 'not an InputError: ' + e; }
      const claims = await checkClaims('claims.yaml');
      console.log(JSON.stringify({ version: RESULTS_SCHEMA_VERSION, kind: doc.kind, profiles: builtinProfileIds().length, totalJ: priced.ok ? priced.priced.totalJ : priced.refused, bad, claims: claims.map((c) => [c.claim, c.profile, c.verdict]) }));
    `;
    const r = run(process.execPath, ['--input-type=module', '-e', script], app, cleanEnv({ JOULEBENCH_CACHE: testCache() }));
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, unknown>;
    const doc = loadResults(join(app, 'out', 'results.json'));
    const expected = priceLedger(doc.configurations[0].ledger, getProfile('eyeriss-rs-65nm'));
    expect(expected.ok).toBe(true);
    expect(got).toEqual({
      version: 4,
      kind: 'image',
      profiles: 15,
      totalJ: expected.ok ? expected.priced.totalJ : null,
      bad: 'package.json: schema: is missing: this is not a joulebench results.json; give a results.json written by `joulebench run`, `seq` or `brain` (its schema: `joulebench schema`), or run again to re-create it',
      claims: [['dense-macs', null, 'pass'], ['snn-cheaper-ops-only', 'ops-only-45nm', 'pass']],
    });
  });

  it('gives TypeScript users its types', () => {
    writeFileSync(join(app, 'use.ts'), [
      "import { loadResults, priceLedger, getProfile, type ResultsDoc, type PricedLedger } from 'joulebench';",
      "const doc: ResultsDoc = loadResults('out/results.json');",
      "const r = priceLedger(doc.configurations[0].ledger, getProfile('lemaire-2022'));",
      'const total: number | undefined = r.ok ? (r.priced satisfies PricedLedger).totalJ : undefined;',
      'export { total };',
      '// @ts-expect-error: a results document has no such field',
      'export const wrong = doc.noSuchField;', '',
    ].join('\n'));
    // no @types/node in the project: the API's declarations must not need it (skipLibCheck aside)
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [] }, files: ['use.ts'] }));
    const r = run(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app, cleanEnv({}));
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
