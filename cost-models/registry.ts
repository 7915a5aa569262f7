// Cost models and the built-in hardware profiles, by id.
import { InputError } from '../core/errors.js';
import { existsSync, readFileSync } from 'node:fs';
import YAML from 'yaml';
import { acceleratorModels } from './accelerator.js';
import { allInAcceleratorModel, allInChipModel } from './all-in.js';
import { bindHardwareFiles } from './hardware.js';
import { annIdealReuseModel, annNoReuseModel } from './ann-reuse.js';
import { lemaireModel } from './lemaire-2022.js';
import type { CostModel } from './model.js';
import { neuromorphicCoreModel } from './neuromorphic.js';
import { opsOnlyModel } from './ops-only.js';
import type { HardwareProfile } from './profile.js';
import { builtinProfileFiles, readProfileFile } from './profile.js';

/**
 * Cost models by id, in listing order: the two literature estimates of the foundation (Lemaire et al.
 * 2022, ops-only), then the hardware-aware ANN models from the least to the most efficient bound, the
 * event-driven SNN core, and all-in chip figures.
 */
export const COST_MODELS: ReadonlyMap<string, CostModel> = new Map(
  [lemaireModel, opsOnlyModel, annNoReuseModel, ...acceleratorModels, annIdealReuseModel, neuromorphicCoreModel, allInChipModel, allInAcceleratorModel].map((m) => [m.id, m]),
);

export function costModelFor(profile: HardwareProfile): CostModel {
  const m = COST_MODELS.get(profile.model);
  if (!m) throw new InputError(`profile ${profile.id}: unknown cost model "${profile.model}"; known: ${[...COST_MODELS.keys()].join(', ')}`);
  return m;
}

const loaded = new Map<string, HardwareProfile>();

/** Built-in profile ids grouped by cost model (in COST_MODELS order), then by id. */
export function builtinProfileIds(): string[] {
  const order = [...COST_MODELS.keys()];
  const rank = (id: string): number => order.indexOf(getProfile(id).model);
  return [...builtinProfileFiles().keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The built-in profiles' ids and titles in builtinProfileIds' order, read from the profile files
 * alone: `list` shows them without parsing every constant table (getProfile resolves and checks the
 * constants; `explain`, the runs and the tests load every profile that way).
 */
export function builtinProfileTitles(): { readonly id: string; readonly title: string }[] {
  const order = [...COST_MODELS.keys()];
  const rows = [...builtinProfileFiles()].map(([id, path]) => {
    const doc = YAML.parse(readFileSync(path, 'utf8')) as { readonly model?: unknown; readonly title?: unknown } | null;
    return { id, model: String(doc?.model), title: String(doc?.title) };
  });
  return rows.sort((a, b) => order.indexOf(a.model) - order.indexOf(b.model) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(({ id, title }) => ({ id, title }));
}

/** A built-in profile by id, or a user's profile file by path (anything ending in .yaml or .yml). */
export function getProfile(id: string): HardwareProfile {
  const hit = loaded.get(id);
  if (hit) return hit;
  if (/\.ya?ml$/.test(id)) {
    if (!existsSync(id)) throw new InputError(`profile file ${id}: no such file; check the path`);
    const profile = readProfileFile(id, (model) => COST_MODELS.get(model), bindHardwareFiles);
    loaded.set(id, profile);
    return profile;
  }
  const path = builtinProfileFiles().get(id);
  if (!path) throw new InputError(`unknown cost model profile "${id}"; known: ${builtinProfileIds().join(', ')}`);
  const profile = readProfileFile(path, (model) => COST_MODELS.get(model));
  if (profile.id !== id) throw new Error(`${path}: field id: "${profile.id}" must match the file name "${id}"`);
  loaded.set(id, profile);
  return profile;
}
