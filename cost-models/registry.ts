// Cost models and the built-in hardware profiles, by id.
import { lemaireModel } from './lemaire-2022.js';
import type { CostModel } from './model.js';
import { opsOnlyModel } from './ops-only.js';
import type { HardwareProfile } from './profile.js';
import { builtinProfileFiles, readProfileFile } from './profile.js';

export const COST_MODELS: ReadonlyMap<string, CostModel> = new Map([opsOnlyModel, lemaireModel].map((m) => [m.id, m]));

export function costModelFor(profile: HardwareProfile): CostModel {
  const m = COST_MODELS.get(profile.model);
  if (!m) throw new Error(`profile ${profile.id}: unknown cost model "${profile.model}"`);
  return m;
}

const loaded = new Map<string, HardwareProfile>();

export function builtinProfileIds(): string[] {
  return [...builtinProfileFiles().keys()];
}

export function getProfile(id: string): HardwareProfile {
  const hit = loaded.get(id);
  if (hit) return hit;
  const path = builtinProfileFiles().get(id);
  if (!path) throw new Error(`unknown cost model profile "${id}"; known: ${builtinProfileIds().join(', ')}`);
  const profile = readProfileFile(path, (model) => COST_MODELS.get(model));
  if (profile.id !== id) throw new Error(`${path}: field id: "${profile.id}" must match the file name "${id}"`);
  loaded.set(id, profile);
  return profile;
}
