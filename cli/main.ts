// The joulebench command line (yargs). Every usage error is one line on stderr and exit code 2.
import yargs from 'yargs';
import type { BackendId } from '../harness/suite.js';
import { InputError, fileSystemInputError, oneLine } from '../core/errors.js';
import { forgetCleanedFolders } from '../core/atomic-write.js';
import { packageVersion } from '../core/paths.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';
import type { NirRunOptions } from './run-nir.js';
import { checkOptionValues, missingValueError, optionsOf } from './arg-checks.js';
import { quietLog, warnOf } from '../core/log.js';
import { progressLog, progressModeOf } from '../core/progress.js';
import { DEFAULT_SUITE } from './defaults.js';
import { defaultRunDir, fileBase, runName, updateLatest } from './run-name.js';

export { DEFAULT_SUITE };

// Start-up stays light: each command's implementation (study, training, onnxruntime, vega …) is
// imported by its handler when it runs, and the declarations its options are built from only for the
// command being parsed (`declarationsFor`), so `--help`, `--version` and `list` load none of it.
const load = {
  workloads: () => import('../workloads/registry.js'),
  suite: () => import('../harness/suite.js'),
  image: () => import('../workloads/image-options.js'),
  flags: () => import('./plugin-flags.js'),
  brain: () => import('../workloads/brain/plugins.js'),
  seqOptions: () => import('../workloads/sequence/options.js'),
  seqStudy: () => import('../workloads/sequence/study.js'),
};
type Declarations = { readonly [K in keyof typeof load]: Awaited<ReturnType<(typeof load)[K]>> };

/** The declarations each command's options are built from (the default command, run, for anything else). */
const NEEDS: Readonly<Record<string, readonly (keyof Declarations)[]>> = {
  run: ['workloads', 'suite', 'image', 'flags'],
  brain: ['brain', 'flags'],
  seq: ['seqOptions', 'seqStudy', 'flags'],
  export: ['workloads', 'image', 'flags'],
};
const LIGHT_COMMANDS = new Set(['price', 'check', 'audit', 'sweep', 'merge', 'report', 'lif-primer', 'list', 'explain', 'import-energy-table', 'schema']);

/**
 * Loads what the commands' option builders read, for the command being parsed: the one argv starts
 * with, else the default command (run, whose options `--help` lists too) and any command named later.
 */
async function declarationsFor(argv: readonly string[]): Promise<Declarations> {
  const isCommand = (a: string | undefined): a is string => a !== undefined && (LIGHT_COMMANDS.has(a) || NEEDS[a] !== undefined);
  const commands = isCommand(argv[0]) ? [argv[0]] : ['run', ...argv.filter(isCommand)];
  const keys = [...new Set(commands.flatMap((c) => NEEDS[c] ?? []))];
  const modules = await Promise.all(keys.map((k) => load[k]()));
  // only the loaded declarations are read: yargs runs the builder of the command being parsed only
  return Object.fromEntries(keys.map((k, i) => [k, modules[i]])) as unknown as Declarations;
}

/** Input currents (mV) of `joulebench lif-primer` without --current. */
const LIF_PRIMER_CURRENTS = [2, 10, 11, 12, 15, 20, 30];

/** Positional arguments of the commands (named <name> in errors). */
const POSITIONALS = new Set(['claims', 'file', 'files', 'folders', 'folder', 'model', 'profile']);


/** The NIR options of `run` as given, and which of run's other options were given (a NIR graph refuses those it decides itself). */
function nirOptions(args: Readonly<Record<string, unknown>>): Partial<NirRunOptions> {
  const flags = ['workload', 'onnx', 'dataset', 'neuron', 'reset', 'beta', 'alpha', 'refractory', 'coding', 'norm', 'calibration-samples', 'quant', 'execution', 'timesteps', 'threads'];
  const given = flags.filter((f) => args[f] !== undefined).map((f) => `--${f}`);
  // --kernel has a default; it counts as given only when it differs
  if (args.kernel !== undefined && args.kernel !== DEFAULT_SUITE.kernel) given.push('--kernel');
  const pick = (key: string): Record<string, unknown> => (args[key] === undefined ? {} : { [key === 'nir-reset' ? 'nirReset' : key === 'bin-us' ? 'binUs' : key]: args[key] });
  return { nir: args.nir, given, ...pick('dt'), ...pick('discretization'), ...pick('nir-reset'), ...pick('events'), ...pick('bin-us'), ...pick('bins') } as Partial<NirRunOptions>;
}

/** The default folder name of a run: the model (workload, or the ONNX/NIR file's name) and the options that tell runs apart (cli/run-name.ts). */
function runFolderName(args: Readonly<Record<string, unknown>>, backends: readonly string[], configuration: Readonly<Record<string, unknown>>, workloads: ReadonlyMap<string, { readonly snnCoding: string }>): string {
  const timesteps = ((args.timesteps as number[] | undefined) ?? DEFAULT_SUITE.timesteps).map(Number);
  const given = (key: string): string | undefined => (args[key] === undefined ? undefined : String(args[key]));
  const extra = [...(given('samples') === undefined ? [] : [`n${given('samples')}`])];
  if (args.nir !== undefined) {
    const data = given('events') ?? given('inputs');
    return runName({
      model: fileBase(String(args.nir)),
      backends,
      timesteps: args.timesteps === undefined ? [] : timesteps,
      ...(data === undefined ? {} : { data: fileBase(data) }),
      extra: [...(args.onnx === undefined ? [] : [`vs-${fileBase(String(args.onnx))}`]), ...(given('dt') === undefined ? [] : [`dt${given('dt')}`]), ...(given('discretization') === undefined ? [] : [given('discretization')!]), ...extra],
    });
  }
  const workload = given('workload') ?? DEFAULT_SUITE.workload;
  const onnx = given('onnx');
  return runName({
    model: onnx === undefined ? workload : fileBase(onnx),
    backends,
    timesteps,
    neuron: String(configuration.neuron ?? DEFAULT_SUITE.neuron),
    coding: String(configuration.coding ?? (onnx === undefined ? (workloads.get(workload)?.snnCoding ?? 'rate') : 'rate')),
    executions: (args.execution as string[] | undefined) ?? DEFAULT_SUITE.executions,
    ...(onnx === undefined ? {} : { data: given('inputs') === undefined ? (given('dataset') ?? 'mnist') : fileBase(given('inputs')!) }),
    extra,
  });
}

/** The default folder name of `price`: `price_` and the first activity file's name, `+N` for N more files. */
function priceFolderName(files: readonly string[]): string {
  return `price_${fileBase(files[0] ?? 'activity')}${files.length > 1 ? `+${files.length - 1}` : ''}`;
}

/** After a run folder was written completely: results/latest points at it (a warning where it cannot). */
async function pointLatest(out: string, log: (line: string) => void): Promise<void> {
  const r = updateLatest(out);
  if ('warning' in r) warnOf(log)(r.warning);
}

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

// output piped into a reader that stops early (`joulebench audit | head`) ends the command quietly, as for any Unix tool
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
const processIo: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/**
 * A command's log on stderr: without --quiet it carries progress (core/progress.ts), drawn as one
 * updating line on an interactive terminal outside CI, else printed as plain lines now and then; with
 * --quiet only warnings. Lines printed elsewhere (a test's io) get plain progress.
 */
function commandLog(io: CliIo, quiet: boolean): (line: string) => void {
  if (quiet) return quietLog(io.err);
  const own = io === processIo;
  return progressLog({ mode: own ? progressModeOf(process.stderr) : 'plain', line: io.err, ownStderr: own, ...(own && process.stderr.columns ? { columns: process.stderr.columns } : {}) });
}

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode = EXIT_OK;
  forgetCleanedFolders(); // each command looks for temporaries a killed joulebench left
  let self: unknown; // the parser, for the option types of the command being parsed
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.out(packageVersion()); // as yargs prints it below, without loading the default command's declarations
    return EXIT_OK;
  }
  let d: Declarations;
  try {
    d = await declarationsFor(argv);
  } catch (e) {
    io.err(`joulebench: internal error: ${(e as Error).stack ?? String(e)}`);
    return EXIT_FAILURE;
  }
  const parser = yargs([...argv])
    .scriptName('joulebench')
    .locale('en')
    .usage('$0 <command> [options]\n\nIs this spiking network really more energy-efficient than the ANN it replaces? Counts compute and memory traffic per layer and prices them under documented cost models.')
    .command(
      ['run', '$0'],
      'run a workload as ANN and SNN, price it under cost models, write results and an HTML report (no options: the default suite)',
      (y) =>
        d.flags.addPluginFlags(y, [d.image.IMAGE_CONFIGURATION])
          .option('workload', { alias: 'w', type: 'string', requiresArg: true, describe: `workload id (${[...d.workloads.WORKLOADS.keys()].join(', ')}); default ${DEFAULT_SUITE.workload}` })
          .option('onnx', { type: 'string', requiresArg: true, describe: 'run your own model: an ONNX MLP/CNN file (instead of --workload)' })
          .option('dataset', { type: 'string', requiresArg: true, describe: 'dataset of an --onnx model: mnist (default) or fashion-mnist' })
          .option('inputs', { type: 'string', requiresArg: true, describe: 'your own inputs for an --onnx model, instead of --dataset: a .npy, FILE.npz:KEY or IDX array [N, …] of any sample shape the model takes, values in [0, 1]' })
          .option('labels', { type: 'string', requiresArg: true, describe: 'their labels [N] (integers; .npy, FILE.npz:KEY or IDX); without them no accuracy is measured' })
          .option('nir', { type: 'string', requiresArg: true, describe: 'run your own spiking network: a NIR graph file (.nir from snnTorch, Norse, Sinabs, SpikingJelly, Lava …; instead of --workload) on --inputs or --events, at step --dt; with --onnx ANN.onnx, compared with that ANN on the same inputs' })
          .option('dt', { type: 'number', requiresArg: true, describe: 'NIR: the simulation step, in the unit of the file\'s time constants (seconds for snnTorch, Norse and Sinabs exports)' })
          .option('discretization', { type: 'string', requiresArg: true, defaultDescription: 'exact', describe: 'NIR: exact (exponential decay, e^{−dt/τ}) or euler (1 − dt/τ, as snnTorch and Norse step)' })
          .option('nir-reset', { type: 'string', requiresArg: true, defaultDescription: 'to-v-reset', describe: 'NIR: to-v-reset (NIR\'s) or subtract (v − v_threshold, snnTorch\'s and Sinabs\'s default)' })
          .option('events', { type: 'string', requiresArg: true, describe: 'NIR: a folder of N-MNIST/N-Caltech101 .bin event files in class subfolders (e.g. Test/0 … Test/9), binned into frames [T, 2, H, W]; instead of --inputs' })
          .option('bin-us', { type: 'number', requiresArg: true, describe: 'NIR --events: bin width in µs' })
          .option('bins', { type: 'number', requiresArg: true, describe: 'NIR --events: number of bins T (with --bin-us: events after T bins are dropped)' })
          .option('backend', { alias: 'b', type: 'array', requiresArg: true, string: true, defaultDescription: DEFAULT_SUITE.backends.join(' '), describe: `backends to run (${d.suite.BACKEND_IDS.join(', ')})` })
          .option('timesteps', { alias: 'T', type: 'array', requiresArg: true, number: true, defaultDescription: DEFAULT_SUITE.timesteps.join(' '), describe: 'SNN timesteps per inference, one run each' })
          .option('cost-model', { alias: 'c', type: 'array', requiresArg: true, string: true, defaultDescription: DEFAULT_SUITE.profiles.join(' '), describe: 'cost model profiles (see `joulebench list`)' })
          .option('execution', { type: 'array', requiresArg: true, string: true, defaultDescription: DEFAULT_SUITE.executions.join(' '), describe: 'SNN execution: time-stepped and/or event-driven (same spikes, different counts)' })
          .option('quant', { type: 'array', requiresArg: true, string: true, defaultDescription: DEFAULT_SUITE.quant.join(' '), describe: 'ann-quant configurations: w<weight bits>a<activation bits>; aT = ⌈log2(T+1)⌉ bits for each T (the fair match of a T-step SNN)' })
          .option('threads', { type: 'number', requiresArg: true, describe: 'threads (default 1): the SNN\'s samples split across worker threads, the onnxruntime ANN\'s intra-op threads; the same results' })
          .option('kernel', { type: 'string', requiresArg: true, default: DEFAULT_SUITE.kernel, describe: 'fast (the dense ANN on onnxruntime, or on the TypeScript kernel where the optional onnxruntime-node is not installed; the SNN on WebAssembly SIMD kernels where they exist: time-stepped dense, conv and pooling IF/LIF/CUBA layers), onnxruntime (the ANN only) or js (the TypeScript reference kernels everywhere); every kernel gives the same ledger' })
          .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'output directory (default results/<model>_<backends>-T<list>_<coding>[_<data>]_<time>, e.g. results/mnist-mlp_ann+snn-if-T4-8-16-32_rate_20260101-120000, then results/latest points at it)' })
          .option('force', { type: 'boolean', default: false, describe: 'replace a non-empty output directory that joulebench wrote (it holds .joulebench-output.json)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only the summary (no progress, no log lines; warnings still)' })
          .option('pair', { type: 'array', requiresArg: true, string: true, describe: 'break-even and verdict pairs SNN-PROFILE:ANN-PROFILE (default: each two-family profile with itself, every SNN-only with every ANN-only profile)' })
          .option('mc-samples', { type: 'number', requiresArg: true, describe: 'Monte Carlo samples per energy total and per pair (default 1000; 0: interval bounds only)' }),
      async (args) => {
        const { executeRun } = await import('./run.js');
        if (args.onnx !== undefined && args.workload !== undefined) throw new UsageError('--onnx and --workload are alternatives: give one');
        const nir = args.nir === undefined ? {} : nirOptions(args);
        // a NIR graph runs on snn; with the ANN it replaces (--onnx), that ANN on ann-dense beside it
        const backends = args.backend ?? (args.nir === undefined ? DEFAULT_SUITE.backends : args.onnx === undefined ? ['snn'] : ['ann-dense', 'snn']);
        for (const b of backends) {
          if (!(d.suite.BACKEND_IDS as readonly string[]).includes(b)) throw new UsageError(`--backend: unknown backend "${b}"; known: ${d.suite.BACKEND_IDS.join(', ')}`);
        }
        const log = commandLog(io, args.quiet);
        // one configuration's options: declared once with the sweep keys (workloads/image-options.ts)
        const { beta, alpha, coding, ...fixed } = d.flags.parseFlagOptions(d.image.IMAGE_CONFIGURATION, d.flags.givenPluginOptions(args, [d.image.IMAGE_CONFIGURATION]));
        const configuration = { ...fixed, ...(beta === undefined ? {} : { beta }), ...(alpha === undefined ? {} : { alpha }), ...(coding === undefined ? {} : { coding }) };
        const { out, summary, doc } = await executeRun(
          {
            workload: args.workload ?? DEFAULT_SUITE.workload,
            ...(args.onnx === undefined ? {} : { onnx: args.onnx }),
            ...(args.dataset === undefined ? {} : { dataset: args.dataset }),
            ...(args.inputs === undefined ? {} : { inputs: args.inputs }),
            ...(args.labels === undefined ? {} : { labels: args.labels }),
            ...nir,
            backends: backends as BackendId[],
            timesteps: (args.timesteps ?? DEFAULT_SUITE.timesteps).map(Number),
            profiles: args['cost-model'] ?? DEFAULT_SUITE.profiles,
            ...configuration,
            executions: args.execution ?? DEFAULT_SUITE.executions,
            quant: args.quant ?? DEFAULT_SUITE.quant,
            kernel: args.kernel,
            ...(args.threads === undefined ? {} : { threads: args.threads }),
            out: args.out ?? defaultRunDir(runFolderName(args, backends, configuration, d.workloads.WORKLOADS)),
            force: args.force,
            quiet: args.quiet,
            ...(args.pair === undefined ? {} : { pairs: args.pair }),
            ...(args['mc-samples'] === undefined ? {} : { monteCarloSamples: args['mc-samples'] }),
          },
          log,
        );
        for (const w of (await import('../reports/analysis.js')).runWarnings(doc)) io.err(`joulebench: warning: ${w}`);
        io.out(summary);
        io.out(`\nwrote ${out}/{results.json,energy.csv,report.html,manifest.json,benchmark.json,bmf.json}`);
        if (args.out === undefined) await pointLatest(out, log);
      },
    )
    .command(
      'price <files..>',
      'price activity recorded elsewhere (joulebench-activity JSON, e.g. from recorder/joulebench_record.py): the same results, report and exports as a run, one configuration per file',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true, describe: 'activity files (JSON, format joulebench-activity; its schema: `joulebench schema --activity`)' })
          .option('cost-model', { alias: 'c', type: 'array', requiresArg: true, string: true, defaultDescription: DEFAULT_SUITE.profiles.join(' '), describe: 'cost model profiles (see `joulebench list`)' })
          .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'output directory (default results/price_<first file\'s name>[+N]_<time>, then results/latest points at it)' })
          .option('force', { type: 'boolean', default: false, describe: 'replace a non-empty output directory that joulebench wrote (it holds .joulebench-output.json)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only the summary' })
          .option('pair', { type: 'array', requiresArg: true, string: true, describe: 'break-even and verdict pairs SNN-PROFILE:ANN-PROFILE (with an ANN and an SNN file)' })
          .option('mc-samples', { type: 'number', requiresArg: true, describe: 'Monte Carlo samples per energy total and per pair (default 1000; 0: interval bounds only)' }),
      async (args) => {
        const { executePrice } = await import('./price.js');
        const priceLog = commandLog(io, args.quiet);
        const { out, summary, doc } = executePrice(
          {
            files: args.files as string[],
            profiles: args['cost-model'] ?? DEFAULT_SUITE.profiles,
            out: args.out ?? defaultRunDir(priceFolderName(args.files as string[])),
            force: args.force,
            ...(args.pair === undefined ? {} : { pairs: args.pair }),
            ...(args['mc-samples'] === undefined ? {} : { monteCarloSamples: args['mc-samples'] }),
          },
          priceLog,
        );
        for (const w of (await import('../reports/analysis.js')).runWarnings(doc)) io.err(`joulebench: warning: ${w}`);
        io.out(summary);
        io.out(`\nwrote ${out}/{results.json,energy.csv,report.html,manifest.json,benchmark.json,bmf.json}`);
        if (args.out === undefined) await pointLatest(out, priceLog);
      },
    )
    .command(
      'check <claims>',
      'evaluate the efficiency claims of a claims.yaml (exit 0: all hold; 1: a claim fails or a baseline quantity moved; 2: bad input)',
      (y) =>
        y
          .positional('claims', { type: 'string', demandOption: true, describe: 'claims file (YAML), see claims/README.md' })
          .option('baseline', { type: 'string', requiresArg: true, describe: 'a results.json to compare every energy and count against' })
          .option('tolerance', { type: 'number', requiresArg: true, default: 0, describe: 'relative change allowed against the baseline (0: exact; modeled counts are deterministic)' })
          .option('junit', { type: 'string', requiresArg: true, describe: 'write JUnit XML here' })
          .option('markdown', { type: 'string', requiresArg: true, describe: 'write a Markdown summary here (also appended to $GITHUB_STEP_SUMMARY when set)' })
          .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'also write the run folder of a claims file with a `run:` section' })
          .option('force', { type: 'boolean', default: false, describe: 'replace a non-empty --out directory that joulebench wrote (it holds .joulebench-output.json)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only the results' }),
      async (args) => {
        const { executeCheck } = await import('./check.js');
        exitCode = await executeCheck(
          {
            file: args.claims,
            ...(args.baseline === undefined ? {} : { baseline: args.baseline }),
            tolerance: args.tolerance,
            ...(args.junit === undefined ? {} : { junit: args.junit }),
            ...(args.markdown === undefined ? {} : { markdown: args.markdown }),
            ...(args.out === undefined ? {} : { out: args.out }),
            force: args.force,
            quiet: args.quiet,
          },
          io.out,
          commandLog(io, args.quiet),
        );
      },
    )
    .command(
      'audit',
      'recompute published SNN energy claims (claims/literature.yaml) from their own counts and constants, beside a memory-inclusive estimate, and hold chip profiles against published measurements (claims/measured.yaml) (exit 0: every status and ratio as recorded; 1: one differs; 2: bad input)',
      (y) =>
        y
          .option('file', { type: 'string', requiresArg: true, describe: 'a literature file (YAML; default: the built-in claims/literature.yaml), see claims/README.md' })
          .option('html', { type: 'string', requiresArg: true, describe: 'write the audit as a self-contained HTML page here' })
          .option('markdown', { type: 'string', requiresArg: true, describe: 'write the audit as Markdown here' })
          .option('measured', { type: 'string', requiresArg: true, describe: 'a measured-vs-modelled file (YAML; default: the built-in claims/measured.yaml), see claims/README.md' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only the table and the summary line' }),
      async (args) => {
        const { executeAudit } = await import('./audit.js');
        exitCode = executeAudit({ ...(args.file === undefined ? {} : { file: args.file }), ...(args.html === undefined ? {} : { html: args.html }), ...(args.markdown === undefined ? {} : { markdown: args.markdown }), ...(args.measured === undefined ? {} : { measured: args.measured }), quiet: args.quiet }, io.out);
      },
    )
    .command(
      'sweep <file>',
      'run a design-space sweep (sweep.yaml): every execution, cached by content, priced at every hardware point; resumable',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'sweep file (YAML), see sweeps/README.md' })
          .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'output folder (default results/sweeps/<name>); rerunning resumes it' })
          .option('shard', { type: 'string', requiresArg: true, describe: 'run only shard i of N (i/N), or `auto`: i and N from a Slurm job array, a Kubernetes Indexed Job or JOULEBENCH_SHARD_INDEX/COUNT (sweeps/README.md); join with `joulebench merge`' })
          .option('jobs', { alias: 'j', type: 'number', requiresArg: true, default: 1, describe: 'executions to run in parallel (worker threads)' })
          .option('force', { type: 'boolean', default: false, describe: 'replace an output folder that holds a different sweep (only a folder joulebench wrote)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress output' }),
      async (args) => {
        const { executeSweep } = await import('./sweep.js');
        await executeSweep({ file: args.file, ...(args.out === undefined ? {} : { out: args.out }), ...(args.shard === undefined ? {} : { shard: args.shard }), jobs: args.jobs, force: args.force, quiet: args.quiet }, io.out, commandLog(io, args.quiet));
      },
    )
    .command(
      'merge <folders..>',
      'join the shard folders of one sweep into one (rows.csv)',
      (y) =>
        y
          .positional('folders', { type: 'string', array: true, demandOption: true, describe: 'shard output folders' })
          .option('out', { alias: 'o', type: 'string', requiresArg: true, demandOption: true, describe: 'merged output folder' })
          .option('force', { type: 'boolean', default: false, describe: 'replace an output folder that holds a different sweep (only a folder joulebench wrote)' }),
      async (args) => {
        const { executeMerge } = await import('./sweep.js');
        executeMerge(args.folders as string[], args.out, args.force, io.out);
      },
    )
    .command(
      'report <folder>',
      're-render report.html of a run or sweep folder and export every chart as SVG and PNG (charts/)',
      (y) =>
        y
          .positional('folder', { type: 'string', demandOption: true, describe: 'a run folder (results.json) or a sweep folder (rows.csv)' })
          .option('images', { type: 'boolean', default: true, describe: 'also write charts/<id>.svg and .png (--no-images to skip)' }),
      async (args) => {
        const { executeReport } = await import('./report.js');
        await executeReport(args.folder, args.images, io.out);
      },
    )
    .command(
      'lif-primer',
      "the brain-inspired-computing primer's LIF example: spike times for several input currents, Euler vs closed form",
      (y) => y.option('current', { alias: 'I', type: 'array', requiresArg: true, number: true, defaultDescription: LIF_PRIMER_CURRENTS.join(' '), describe: 'input currents I in mV (the primer uses 2)' }),
      async (args) => {
        const { executeLifPrimer } = await import('./lif-primer.js');
        executeLifPrimer((args.current ?? LIF_PRIMER_CURRENTS).map(Number), io.out);
      },
    )
    .command(
      'brain <model>',
      'brain-inspired models: hopfield, som, stdp on MNIST/Fashion-MNIST; lut (Izhikevich look-up-table network) on the Brown corpus: quality metrics, ledger and energy per phase (storage/learning vs recall/inference)',
      (y) =>
        d.flags.addPluginFlags(
          y
            .positional('model', { type: 'string', demandOption: true, describe: `model: ${[...d.brain.BRAIN_PLUGINS.keys()].join(', ')}` })
            .option('cost-model', { alias: 'c', type: 'array', requiresArg: true, string: true, describe: 'cost model profiles (default: every built-in profile)' }),
          [...d.brain.BRAIN_PLUGINS.values()],
        )
          .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'also write results.json (metrics, ledgers, energies per phase) and report.html into this directory' })
          .option('force', { type: 'boolean', default: false, describe: 'replace a non-empty --out directory that joulebench wrote (it holds .joulebench-output.json)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress lines' }),
      async (args) => {
        const { executeBrain } = await import('./brain.js');
        executeBrain(
          {
            model: args.model,
            options: d.flags.givenPluginOptions(args, [...d.brain.BRAIN_PLUGINS.values()]),
            force: args.force,
            ...(args['cost-model'] !== undefined ? { profiles: args['cost-model'] } : {}),
            ...(args.out !== undefined ? { out: args.out } : {}),
          },
          io.out,
          commandLog(io, args.quiet),
        );
      },
    )
    .command(
      'seq',
      'inter-token workloads: one small LM per block family (attention, state-space, sparse, spiking) on Brown corpus characters and associative recall; bits/char and recall beside energy per token vs context length',
      (y) =>
        d.flags.addPluginFlags(y, [d.seqOptions.SEQUENCE_STUDY])
          .option('cost-model', { alias: 'c', type: 'array', requiresArg: true, string: true, describe: `cost model profiles (default ${d.seqStudy.DEFAULT_STUDY.profiles.join(' ')})` })
          .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'also write results.json, energy.csv and report.html into this directory' })
          .option('force', { type: 'boolean', default: false, describe: 'replace a non-empty --out directory that joulebench wrote (it holds .joulebench-output.json)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress lines' }),
      async (args) => {
        const { executeSeq } = await import('./seq.js');
        await executeSeq(
          {
            options: d.flags.givenPluginOptions(args, [d.seqOptions.SEQUENCE_STUDY]),
            force: args.force,
            ...(args['cost-model'] !== undefined ? { profiles: args['cost-model'] } : {}),
            ...(args.out !== undefined ? { out: args.out } : {}),
          },
          io.out,
          commandLog(io, args.quiet),
        );
      },
    )
    .command('list', 'list workloads, backends and cost model profiles', () => {}, async () => {
      const [{ WORKLOADS }, { SEQUENCE_BLOCKS }, { BRAIN_PLUGINS }, { builtinProfileTitles }] = await Promise.all([load.workloads(), import('../workloads/sequence/registry.js'), load.brain(), import('../cost-models/registry.js')]);
      io.out('workloads:');
      for (const w of WORKLOADS.values()) io.out(`  ${w.id.padEnd(20)} ${w.title}`);
      io.out('backends:');
      io.out('  ann-dense            dense ANN, fp32, every MAC performed');
      io.out('  ann-sparse           zero-skipping ANN, fp32: only nonzero inputs cost MACs, plus index traffic');
      io.out('  ann-quant            quantized ANN (--quant w8a8 w4a4 w8aT), integer MACs');
      io.out('  snn                  converted SNN: --neuron if|lif|cuba, --reset, --coding rate|latency|direct, --execution time-stepped|event-driven');
      io.out('sequence block families (joulebench seq, sweeps with workload: sequence):');
      for (const b of SEQUENCE_BLOCKS.values()) io.out(`  ${b.id.padEnd(20)} ${b.title}`);
      io.out(`brain models (joulebench brain): ${[...BRAIN_PLUGINS.keys()].join(', ')}`);
      io.out('cost model profiles:');
      for (const { id, title } of builtinProfileTitles()) io.out(`  ${id.padEnd(20)} ${title}`);
    })
    .command(
      'explain <profile>',
      'print every constant of a cost model profile (value, unit, range, evidence, source), its parameters and scaling',
      (y) => y.positional('profile', { type: 'string', demandOption: true, describe: 'a built-in profile id (see `joulebench list`) or a profile .yaml file' }),
      async (args) => {
        const { executeExplain } = await import('./explain.js');
        executeExplain(args.profile, io.out);
      },
    )
    .command(
      'export',
      'write a built-in workload\'s SNN as a NIR graph, its ANN as ONNX, its test samples as .npz (x, y): for other tools, and for run --nir / run --onnx --inputs',
      (y) =>
        d.flags.addPluginFlags(y, [d.image.EXPORT_CONFIGURATION])
          .option('workload', { alias: 'w', type: 'string', requiresArg: true, default: DEFAULT_SUITE.workload, describe: `workload id (${[...d.workloads.WORKLOADS.keys()].join(', ')})` })
          .option('nir', { type: 'string', requiresArg: true, describe: 'write the SNN (converted with --norm, --calibration-samples, --neuron …, or the workload\'s directly trained SNN) as a NIR file' })
          .option('onnx', { type: 'string', requiresArg: true, describe: 'write the ANN as an ONNX file' })
          .option('data', { type: 'string', requiresArg: true, describe: 'write the first --samples test samples as an .npz archive: x (float32 [N, …] in [0, 1]) and y (int64 labels)' })
          .option('dt', { type: 'number', requiresArg: true, default: 0.001, describe: 'the step the SNN\'s per-step decays stand for, in seconds (NIR\'s time constants are in seconds)' })
          .option('nir-version', { type: 'string', requiresArg: true, default: '0.2.0', describe: 'NIR format written: 0.2.x or 0.1.x' })
          .option('force', { type: 'boolean', default: false, describe: 'replace existing files' }),
      async (args) => {
        const { executeExport } = await import('./export.js');
        const { beta, alpha, ...fixed } = d.flags.parseFlagOptions(d.image.EXPORT_CONFIGURATION, d.flags.givenPluginOptions(args, [d.image.EXPORT_CONFIGURATION]));
        const written = await executeExport({
          workload: args.workload, ...(args.nir === undefined ? {} : { nir: args.nir }), ...(args.onnx === undefined ? {} : { onnx: args.onnx }), ...(args.data === undefined ? {} : { data: args.data }),
          dt: args.dt, nirVersion: args['nir-version'], force: args.force, ...fixed, ...(beta === undefined ? {} : { beta }), ...(alpha === undefined ? {} : { alpha }),
        }, commandLog(io, false)); // training progress (export has no --quiet)
        for (const w of written) io.out(`wrote ${w}`);
      },
    )
    .command(
      'import-energy-table <file>',
      'turn an Accelergy-style energy table (CSV: technology,width,action,energy[,component,depth,unit,low,high,evidence,source]) into a constant table YAML',
      (y) =>
        y
          .positional('file', { type: 'string', demandOption: true, describe: 'the CSV file' })
          .option('id', { type: 'string', requiresArg: true, describe: 'table id (default: the file name)' })
          .option('source', { type: 'string', requiresArg: true, describe: 'source of rows without a source column' })
          .option('evidence', { type: 'string', requiresArg: true, describe: 'evidence of rows without an evidence column: P, S (default) or I' })
          .option('range', { type: 'number', requiresArg: true, default: 0.2, describe: 'relative half-width of the range of rows without low/high' })
          .option('out', { alias: 'o', type: 'string', requiresArg: true, describe: 'write the YAML here (default: print it)' })
          .option('force', { type: 'boolean', default: false, describe: 'replace an existing --out file' }),
      async (args) => {
        const { executeImportEnergyTable } = await import('./explain.js');
        executeImportEnergyTable({ file: args.file, ...(args.id ? { id: args.id } : {}), ...(args.source ? { source: args.source } : {}), ...(args.evidence ? { evidence: args.evidence } : {}), range: args.range, ...(args.out !== undefined ? { out: args.out } : {}), force: args.force }, io.out);
      },
    )
    .command('schema', 'print the JSON Schema of results.json (--activity: of the activity files `price` reads)', (y) => y.option('activity', { type: 'boolean', default: false, describe: 'the joulebench-activity format instead' }), async (args) => {
      const schema = args.activity ? (await import('../workloads/imported/activity.js')).activityJsonSchema() : (await import('../reports/results-schema.js')).resultsJsonSchema();
      io.out(JSON.stringify(schema, null, 2));
    })
    // every option's value is checked before any command runs: given once, not empty, a finite number
    .middleware((args) => checkOptionValues(args, optionsOf(self), POSITIONALS))
    .strict()
    .help()
    .alias('help', 'h')
    .version(packageVersion())
    .alias('version', 'V')
    .wrap(Math.min(110, process.stdout.columns || 110))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs' own validation failures (a missing value, an unknown option) are usage errors too
      throw missingValueError(msg, optionsOf(self)) ?? (err === undefined || err === null || err.name === 'YError' ? new UsageError(msg ?? err.message) : err);
    });
  self = parser;
  try {
    await parser.parseAsync();
  } catch (e) {
    const userError = e instanceof InputError ? e : fileSystemInputError(e);
    if (userError !== undefined) {
      io.err(`joulebench: error: ${oneLine(userError.message)}`);
      exitCode = EXIT_USAGE;
    } else {
      io.err(`joulebench: internal error: ${(e as Error).stack ?? String(e)}`);
      exitCode = EXIT_FAILURE;
    }
  }
  return exitCode;
}
