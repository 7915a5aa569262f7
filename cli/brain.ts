// `joulebench brain <hopfield|som|stdp|lut>`: the brain-inspired models — the classic ones on MNIST /
// Fashion-MNIST, Izhikevich's look-up-table network on the Brown corpus. The model is a workload
// plugin (workloads/brain/plugins.ts: options, defaults, validation, execution); the study layer
// prices each phase into one results document (study/brain.ts); the terminal text and the report
// render that document (reports/brain-view.ts). A profile that does not cover a layer kind refuses
// it (OutOfRangeError): reported, never fatal.
import { builtinProfileIds, getProfile } from '../cost-models/registry.js';
import { brainText } from '../reports/brain-view.js';
import { exportFiles } from '../reports/exports.js';
import { renderReport } from '../reports/html.js';
import { measuredByProfile } from '../claims/measured-file.js';
import { runBrainStudy } from '../study/brain.js';
import { BRAIN_PLUGINS } from '../workloads/brain/plugins.js';
import type { WorkloadPlugin } from '../workloads/plugin.js';
import { flagOf } from '../workloads/plugin.js';
import { parseFlagOptions } from './plugin-flags.js';
import { UsageError } from './errors.js';
import { checkOutputDir, writeRunFolder } from './output-dir.js';

export const BRAIN_MODELS = [...BRAIN_PLUGINS.keys()];

/** Options as given on the command line; a plugin option left out takes the plugin's default. */
export interface BrainArgs {
  readonly model: string;
  /** Plugin options given (camelCase keys of the plugins' declarations). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly profiles?: readonly string[];
  readonly out?: string;
  readonly force: boolean;
}

function pluginOf(model: string): WorkloadPlugin {
  const plugin = BRAIN_PLUGINS.get(model);
  if (!plugin) throw new UsageError(`unknown brain model "${model}"; choose one of ${BRAIN_MODELS.join(', ')}`);
  return plugin;
}

/** The model's options, every default filled in; an option of another model is named with the models it applies to. */
export function brainOptions(model: string, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const plugin = pluginOf(model);
  for (const key of Object.keys(given)) {
    if (key in plugin.options) continue;
    const others = [...BRAIN_PLUGINS.values()].filter((p) => key in p.options);
    throw new UsageError(`--${flagOf(key, others[0].options[key])} applies to ${others.map((p) => p.id).join(' and ')} only, not ${model}`);
  }
  return parseFlagOptions(plugin, given);
}

export function executeBrain(args: BrainArgs, out: (line: string) => void, log: (line: string) => void): void {
  const plugin = pluginOf(args.model);
  const options = brainOptions(args.model, args.options);
  const known = builtinProfileIds();
  const profiles = [...(args.profiles ?? known)];
  for (const p of profiles) if (!known.includes(p)) throw new UsageError(`--cost-model: unknown profile "${p}"; known: ${known.join(', ')}`);
  const outDir = args.out === undefined ? null : checkOutputDir(args.out, args.force);

  const doc = runBrainStudy(plugin, options, profiles.map((p) => getProfile(p)), log);
  for (const line of brainText(doc)) out(line);

  if (outDir !== null) {
    writeRunFolder(outDir, 'brain', new Map([['results.json', `${JSON.stringify(doc, null, 1)}\n`], ['report.html', renderReport(doc, measuredByProfile())], ...exportFiles(doc)]), args.force);
    out(`\nwrote ${args.out}/{results.json,report.html,benchmark.json,bmf.json}`);
  }
}
