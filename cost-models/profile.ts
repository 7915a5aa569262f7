// Hardware profiles: YAML files naming a cost model, the technology constants it uses (by role) and
// its design parameters. Built-in profiles live in cost-models/profiles/ as the same YAML a user writes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../harness/paths.js';
import type { Constant, ConstantKind } from './constants.js';
import { builtinConstants, parseConstantTable } from './constants.js';
import { importEnergyTable } from './energy-table.js';

export interface ProfileParameter {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}

export interface HardwareProfile {
  readonly id: string;
  readonly model: string;
  readonly title: string;
  readonly description: string;
  /** Constants by the role the cost model gives them (e.g. `mac`, `sramSlope`). */
  readonly constants: Readonly<Record<string, Constant>>;
  readonly parameters: Readonly<Record<string, ProfileParameter>>;
}

/** What a cost model declares about the profiles it accepts. */
export interface ProfileRequirements {
  readonly constantRoles: readonly string[];
  /** Roles a profile may leave out (the model then lists what they would price as unpriced). */
  readonly optionalConstantRoles?: readonly string[];
  /**
   * Kind of constant the model combines: `per-op` (default) or `all-in`. The two never mix: an all-in
   * figure already contains memory and routing, so no model may add memory or op terms to it.
   */
  readonly constantKind?: ConstantKind;
  readonly parameters: Readonly<Record<string, { readonly unit: string; readonly min: number; readonly max: number; readonly integer: boolean }>>;
}

const profileSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  model: z.string().min(1),
  title: z.string().min(1),
  description: z.string().min(1),
  constants: z.record(z.string(), z.string()),
  /** The user's own constant tables (YAML like cost-models/tech/, or Accelergy-style CSV), relative to the profile file. */
  tables: z.array(z.string()).default([]),
  parameters: z
    .record(
      z.string(),
      z.object({ value: z.number({ error: 'must be a finite number' }), unit: z.string(), source: z.string().min(1) }),
    )
    .default({}),
});

export function parseProfile(
  text: string,
  origin: string,
  requirementsOf: (model: string) => ProfileRequirements | undefined,
  constants: ReadonlyMap<string, Constant> = builtinConstants(),
): HardwareProfile {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new Error(`${origin}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const parsed = profileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${origin}: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const p = parsed.data;
  const req = requirementsOf(p.model);
  if (!req) throw new Error(`${origin}: field model: unknown cost model "${p.model}"`);
  const resolved: Record<string, Constant> = {};
  const optional = req.optionalConstantRoles ?? [];
  const kind = req.constantKind ?? 'per-op';
  for (const role of [...req.constantRoles, ...optional]) {
    const ref = p.constants[role];
    if (ref === undefined) {
      if (optional.includes(role)) continue;
      throw new Error(`${origin}: field constants.${role}: missing; model ${p.model} needs a constant for it`);
    }
    const c = constants.get(ref);
    if (!c) throw new Error(`${origin}: field constants.${role}: unknown constant "${ref}" (see cost-models/tech/*.yaml)`);
    assertKind(c, kind, `${origin}: field constants.${role}`, p.model);
    resolved[role] = c;
  }
  for (const role of Object.keys(p.constants)) {
    if (!req.constantRoles.includes(role) && !optional.includes(role)) {
      throw new Error(`${origin}: field constants.${role}: model ${p.model} has no such role (it uses ${[...req.constantRoles, ...optional].join(', ')})`);
    }
  }
  const parameters: Record<string, ProfileParameter> = {};
  for (const [name, spec] of Object.entries(req.parameters)) {
    const given = p.parameters[name];
    if (!given) throw new Error(`${origin}: field parameters.${name}: missing; model ${p.model} needs it (${spec.unit})`);
    if (given.unit !== spec.unit) throw new Error(`${origin}: field parameters.${name}.unit: must be "${spec.unit}"`);
    if (given.value < spec.min || given.value > spec.max || (spec.integer && !Number.isInteger(given.value))) {
      throw new Error(`${origin}: field parameters.${name}.value: ${given.value} is outside the model's valid range [${spec.min}, ${spec.max}]${spec.integer ? ' (integer)' : ''}`);
    }
    parameters[name] = given;
  }
  for (const name of Object.keys(p.parameters)) {
    if (!(name in req.parameters)) throw new Error(`${origin}: field parameters.${name}: model ${p.model} has no such parameter`);
  }
  return { id: p.id, model: p.model, title: p.title, description: p.description, constants: resolved, parameters };
}

/**
 * The all-in guard: all-in chip figures (energy per event with memory, routing and leakage inside) and
 * per-op constants never meet in one profile, so memory terms can never be added on top of an all-in figure.
 */
export function assertKind(c: Constant, kind: ConstantKind, where: string, model: string): void {
  if (c.kind === kind) return;
  if (c.kind === 'all-in') {
    throw new Error(`${where}: ${c.id} is an all-in chip figure (it already contains memory, routing and leakage); model ${model} adds memory and op terms, which would count them twice — price it with model all-in-chip`);
  }
  throw new Error(`${where}: ${c.id} is a per-op constant; model ${model} prices all-in chip figures only, and adding memory or op terms to an all-in figure would count them twice`);
}

export function builtinProfileFiles(): Map<string, string> {
  const dir = join(packageRoot, 'cost-models', 'profiles');
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) files.set(f.replace(/\.yaml$/, ''), join(dir, f));
  return files;
}

/** Built-in constants plus the tables a profile file names in `tables:` (paths relative to it). */
export function profileConstants(text: string, path: string): ReadonlyMap<string, Constant> {
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch {
    return builtinConstants(); // parseProfile reports the YAML error
  }
  const tables = (doc as { tables?: unknown } | null)?.tables;
  if (tables === undefined) return builtinConstants();
  if (!Array.isArray(tables) || tables.some((t) => typeof t !== 'string')) throw new Error(`${path}: field tables: must be a list of file paths (constant tables .yaml or energy tables .csv)`);
  const all = new Map(builtinConstants());
  tables.forEach((rel: string, i) => {
    const file = resolve(dirname(path), rel);
    if (!existsSync(file)) throw new Error(`${path}: field tables.${i}: ${file}: no such file`);
    const body = readFileSync(file, 'utf8');
    const table = file.endsWith('.csv')
      ? importEnergyTable(body, file, { id: basename(file, '.csv').toLowerCase().replace(/[^a-z0-9]+/g, '-') })
      : parseConstantTable(body, file);
    for (const [id, c] of table.constants) {
      if (all.has(id)) throw new Error(`${path}: field tables.${i}: constant ${id} is already defined (a built-in table or an earlier one has table id "${table.id}"); give the table another id`);
      all.set(id, c);
    }
  });
  return all;
}

export function readProfileFile(path: string, requirementsOf: (model: string) => ProfileRequirements | undefined): HardwareProfile {
  const text = readFileSync(path, 'utf8');
  return parseProfile(text, path, requirementsOf, profileConstants(text, path));
}
