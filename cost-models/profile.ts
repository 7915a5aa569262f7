// Hardware profiles: YAML files naming a cost model, the technology constants it uses (by role) and
// its design parameters. Built-in profiles live in cost-models/profiles/ as the same YAML a user writes.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parseYaml, validated } from '../core/input.js';
import { packageRoot } from '../core/paths.js';
import type { Constant, ConstantKind, Dimension } from './constants.js';
import { DIMENSION_UNITS, builtinConstants, dimensionOf, parseConstantTable } from './constants.js';
import { importEnergyTable } from './energy-table.js';

export interface ProfileParameter {
  readonly value: number;
  readonly unit: string;
  readonly source: string;
}

/** A named choice of the model (a mode, a memory kind), with where the profile's value comes from. */
export interface ProfileOption {
  readonly value: string;
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
  /**
   * Every option the model declares, by name (the model's default where the profile sets none), plus
   * the per-key refinements the profile gives (`memoryKind.kv`).
   */
  readonly options: Readonly<Record<string, ProfileOption>>;
}

/**
 * The unit (SI) a role's constant must have: an energy per op or access (J), an energy per bit
 * (J/bit), or an energy relative to one MAC (xMAC). A constant of another dimension (bits, a
 * dimensionless scaling coefficient) bound to a role is refused where the profile is read.
 */
export type RoleUnit = 'J' | 'J/bit' | 'xMAC';

/** A categorical choice a model offers (see HardwareProfile.options). */
export interface OptionSpec {
  readonly values: readonly string[];
  /** The value of a profile that does not set the option. */
  readonly default: string;
  readonly description: string;
  /** What each value means (printed by `joulebench explain`). */
  readonly meanings: Readonly<Record<string, string>>;
  /** Keys the option may be refined by, as `<option>.<key>` (e.g. `memoryKind.kv`: one operand's memory). */
  readonly keys?: readonly string[];
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
  /** The unit of every role (required and optional). */
  readonly roleUnits: Readonly<Record<string, RoleUnit>>;
  /** Categorical choices (modes, memory kinds); each has a default. */
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** Checks that span roles, parameters and options (e.g. a mode that needs an optional role): the problem, or null. */
  validate?(p: HardwareProfile): { readonly field: string; readonly problem: string; readonly fix: string } | null;
}

/** The value of option `name` for `key` (its refinement `name.key` when the profile gives one), else the option's own. */
export function optionValue(p: HardwareProfile, name: string, key?: string): string | undefined {
  const o = p.options ?? {};
  return (key === undefined ? undefined : o[`${name}.${key}`]?.value) ?? o[name]?.value;
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
  options: z.record(z.string(), z.object({ value: z.string(), source: z.string().min(1) })).default({}),
});

export function parseProfile(
  text: string,
  origin: string,
  requirementsOf: (model: string) => ProfileRequirements | undefined,
  constants: ReadonlyMap<string, Constant> = builtinConstants(),
): HardwareProfile {
  const parsed = { data: validated(profileSchema, parseYaml(text, origin), origin, 'see cost-models/profiles/*.yaml for the profile format') };
  const p = parsed.data;
  const req = requirementsOf(p.model);
  if (!req) throw new InputError(`${origin}: field model: unknown cost model "${p.model}"`);
  const resolved: Record<string, Constant> = {};
  const optional = req.optionalConstantRoles ?? [];
  const kind = req.constantKind ?? 'per-op';
  for (const role of [...req.constantRoles, ...optional]) {
    const ref = p.constants[role];
    if (ref === undefined) {
      if (optional.includes(role)) continue;
      throw new InputError(`${origin}: field constants.${role}: missing; model ${p.model} needs a constant for it`);
    }
    const c = constants.get(ref);
    if (!c) throw new InputError(`${origin}: field constants.${role}: unknown constant "${ref}" (see cost-models/tech/*.yaml)`);
    assertKind(c, kind, `${origin}: field constants.${role}`, p.model);
    assertRoleUnit(c, role, req, origin, p.model);
    resolved[role] = c;
  }
  for (const role of Object.keys(p.constants)) {
    if (!req.constantRoles.includes(role) && !optional.includes(role)) {
      throw new InputError(`${origin}: field constants.${role}: model ${p.model} has no such role (it uses ${[...req.constantRoles, ...optional].join(', ')})`);
    }
  }
  const parameters: Record<string, ProfileParameter> = {};
  for (const [name, spec] of Object.entries(req.parameters)) {
    const given = p.parameters[name];
    if (!given) throw new InputError(`${origin}: field parameters.${name}: missing; model ${p.model} needs it (${spec.unit})`);
    if (given.unit !== spec.unit) throw new InputError(`${origin}: field parameters.${name}.unit: must be "${spec.unit}"`);
    if (given.value < spec.min || given.value > spec.max || (spec.integer && !Number.isInteger(given.value))) {
      throw new InputError(`${origin}: field parameters.${name}.value: ${given.value} is outside the model's valid range [${spec.min}, ${spec.max}]${spec.integer ? ' (integer)' : ''}`);
    }
    parameters[name] = given;
  }
  for (const name of Object.keys(p.parameters)) {
    if (!(name in req.parameters)) throw new InputError(`${origin}: field parameters.${name}: model ${p.model} has no such parameter`);
  }
  const options = resolveOptions(p.options, req, origin, p.model);
  const profile: HardwareProfile = { id: p.id, model: p.model, title: p.title, description: p.description, constants: resolved, parameters, options };
  const problem = req.validate?.(profile);
  if (problem) throw InputError.at({ file: origin, ...problem });
  return profile;
}

/** Every option the model declares (given, else its default) plus the refinements the profile gives. */
function resolveOptions(given: Readonly<Record<string, ProfileOption>>, req: ProfileRequirements, origin: string, model: string): Record<string, ProfileOption> {
  const specs = req.options ?? {};
  const out: Record<string, ProfileOption> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = { value: spec.default, source: `model ${model}'s default (the profile does not set it)` };
  for (const [full, o] of Object.entries(given)) {
    const dot = full.indexOf('.');
    const name = dot < 0 ? full : full.slice(0, dot);
    const key = dot < 0 ? undefined : full.slice(dot + 1);
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      throw InputError.at({ file: origin, field: `options.${full}`, problem: `model ${model} has no such option`, fix: known.length ? `use ${known.join(', ')}` : `remove it; model ${model} has no options` });
    }
    if (key !== undefined && !(spec.keys ?? []).includes(key)) {
      throw InputError.at({ file: origin, field: `options.${full}`, problem: `"${key}" is not a key of option ${name}`, fix: spec.keys?.length ? `refine ${name} by one of ${spec.keys.join(', ')}` : `set ${name} itself; it has no per-key refinements` });
    }
    if (!spec.values.includes(o.value)) {
      throw InputError.at({ file: origin, field: `options.${full}.value`, problem: `"${o.value}" is not a value of option ${name}`, fix: `use one of ${spec.values.join(', ')}` });
    }
    out[full] = o;
  }
  return out;
}

const ARTICLE = (s: string): string => (/^[aeiou]/.test(s) ? `an ${s}` : `a ${s}`);

/**
 * A role's constant must have the role's unit: an energy role takes energies only, an energy-per-bit
 * role energies per bit, a relative-energy role multiples of a MAC. A size in bits or a dimensionless
 * scaling coefficient bound as an energy is refused, naming the role, the constant and the fix.
 */
export function assertRoleUnit(c: Constant, role: string, req: ProfileRequirements, origin: string, model: string): void {
  const unit = req.roleUnits[role];
  if (unit === undefined) throw new Error(`model ${model} declares no unit for its role ${role} (internal error)`);
  if (c.siUnit === unit) return;
  const want: Dimension = dimensionOf(unit);
  const got = dimensionOf(c.siUnit);
  throw InputError.at({
    file: origin,
    field: `constants.${role}`,
    problem: `${c.id} is ${c.value} ${c.unit}, ${ARTICLE(got)}${got === want ? ` in ${c.siUnit}` : ''}, but model ${model} uses ${role} as ${ARTICLE(want)} (${unit})`,
    fix: `bind a constant in ${DIMENSION_UNITS[want]}`,
  });
}

/**
 * The all-in guard: all-in chip figures (energy per event with memory, routing and leakage inside) and
 * per-op constants never meet in one profile, so memory terms can never be added on top of an all-in figure.
 */
export function assertKind(c: Constant, kind: ConstantKind, where: string, model: string): void {
  if (c.kind === kind) return;
  if (c.kind === 'all-in') {
    throw new InputError(`${where}: ${c.id} is an all-in chip figure (it already contains memory, routing and leakage); model ${model} adds memory and op terms, which would count them twice — price it with model all-in-chip`);
  }
  throw new InputError(`${where}: ${c.id} is a per-op constant; model ${model} prices all-in chip figures only, and adding memory or op terms to an all-in figure would count them twice`);
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
  if (!Array.isArray(tables) || tables.some((t) => typeof t !== 'string')) throw new InputError(`${path}: field tables: must be a list of file paths (constant tables .yaml or energy tables .csv)`);
  const all = new Map(builtinConstants());
  tables.forEach((rel: string, i) => {
    const file = resolve(dirname(path), rel);
    if (!existsSync(file)) throw new InputError(`${path}: field tables.${i}: ${file}: no such file`);
    const body = readFileSync(file, 'utf8');
    const table = file.endsWith('.csv')
      ? importEnergyTable(body, file, { id: basename(file, '.csv').toLowerCase().replace(/[^a-z0-9]+/g, '-') })
      : parseConstantTable(body, file);
    for (const [id, c] of table.constants) {
      if (all.has(id)) throw new InputError(`${path}: field tables.${i}: constant ${id} is already defined (a built-in table or an earlier one has table id "${table.id}"); give the table another id`);
      all.set(id, c);
    }
  });
  return all;
}

export function readProfileFile(path: string, requirementsOf: (model: string) => ProfileRequirements | undefined): HardwareProfile {
  const text = readFileSync(path, 'utf8');
  return parseProfile(text, path, requirementsOf, profileConstants(text, path));
}
