// Hardware profiles: YAML files naming a cost model, the technology constants it uses (by role) and
// its design parameters. Built-in profiles live in cost-models/profiles/ as the same YAML a user writes.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { parseYaml, validated } from '../core/input.js';
import { packageRoot } from '../core/paths.js';
import type { Constant, ConstantKind, Dimension } from './constants.js';
import { DIMENSION_UNITS, UNITS, builtinConstants, checkConstantValues, dimensionOf, parseConstantTable } from './constants.js';
import { hardwareFileKind } from './accelergy.js';
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
  /** Set when the profile took constants from a hardware description (`hardware:`): what was bound and what was not used. */
  readonly hardware?: { readonly files: readonly string[]; readonly bound: readonly string[]; readonly unused: readonly string[] };
  /** Set when the profile extends a built-in one (`extends:`): the base's id. */
  readonly extends?: string;
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

/** What the binding needs to know of the profile it completes. */
export interface HardwareContext {
  /** The profile's id (imported constants are `<id>/<role>`). */
  readonly profileId: string;
  /** The roles the profile's model has (required and optional). */
  readonly roles: readonly string[];
  /** The unit of each role: only roles priced in J (J/bit for sramSlope) take an imported energy; a role relative to a MAC (xMAC) does not. */
  readonly roleUnits: Readonly<Record<string, RoleUnit>>;
  /** The base profile's constants by role (the add : multiply ratio a MAC is split in). */
  readonly base: Readonly<Record<string, Constant>>;
  readonly opBits: number;
  readonly accessBits?: number;
  readonly refNodeNm: number;
  readonly refVddV: number;
  readonly vddV: number;
  readonly rangeFraction?: number;
}

export interface HardwareBinding {
  readonly files: readonly string[];
  /** Constants by role. */
  readonly constants: Readonly<Record<string, Constant>>;
  readonly options: Readonly<Record<string, { readonly value: string; readonly source: string }>>;
  /** The node every bound entry shares (the profile's default nodeNm), when they share one. */
  readonly technologyNm?: number;
  /** One line per bound role: which component action, its value and conversions. */
  readonly bound: readonly string[];
  /** One line per component action not used, with the reason. */
  readonly unused: readonly string[];
}

/** Reads hardware files and binds them onto a profile's roles (cost-models/hardware.ts; given by the registry, so that this module does not import the scaling it depends on). */
export type HardwareBinder = (paths: readonly string[], names: readonly string[], ctx: HardwareContext) => HardwareBinding;

/** User-facing names of constant roles, accepted beside the models' own role names. */
export const ROLE_ALIASES: Readonly<Record<string, string>> = {
  'int-add': 'intAdd',
  'int-mul': 'intMul',
  'int-multiply': 'intMul',
  'fp-add': 'fpAdd',
  'fp-mul': 'fpMul',
  'fp-multiply': 'fpMul',
  'sram-slope': 'sramSlope',
  'sram-intercept': 'sramIntercept',
  'sram-access': 'sramPackedAccess',
  'dram-access': 'dram',
};
/** User-facing names of parameters, accepted beside the models' own parameter names. */
export const PARAMETER_ALIASES: Readonly<Record<string, string>> = {
  node: 'nodeNm',
  technology: 'nodeNm',
  vdd: 'vddV',
  voltage: 'vddV',
  'op-bits': 'opBits',
  'access-bits': 'accessBits',
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const kebab = (role: string): string => role.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);

/**
 * A profile document with everything spelled out: `extends: <built-in profile>` merged under the
 * file's own fields (constants, parameters and options by name), user-facing names mapped to the
 * model's (`node: 22` → `nodeNm`, `int-add` → `intAdd`), shorthands expanded (`nodeNm: 22`,
 * `memoryKind: dram`, an inline energy `intAdd: 0.05 pJ`), and a hardware description (`hardware:
 * [ERT.yaml, arch.yaml, table.csv]`) bound onto the model's roles. New constants (inline energies,
 * the hardware's) are added to `constants`.
 */
function resolveProfileDoc(
  raw: unknown,
  origin: string,
  requirementsOf: (model: string) => ProfileRequirements | undefined,
  constants: Map<string, Constant>,
  binder?: HardwareBinder,
): { doc: unknown; hardware?: HardwareProfile['hardware']; extends?: string } {
  if (!isRecord(raw)) return { doc: raw };
  const kind = hardwareFileKind(raw);
  if (kind !== null) {
    throw InputError.at({
      file: origin,
      field: '(root)',
      problem: `is an Accelergy/Timeloop ${kind === 'ert' ? 'energy reference table (ERT)' : kind === 'ert-summary' ? 'ERT summary' : kind === 'art' ? 'area table (ART)' : 'architecture'} file, not a profile`,
      fix: `write a profile that extends a built-in one and names it, e.g. "extends: neuromorphic-core-45nm" and "hardware: [${basename(origin)}]"`,
    });
  }
  const user = { ...raw };
  let merged: Record<string, unknown> = user;
  let baseId: string | undefined;
  const given = { constants: new Set<string>(), parameters: new Set<string>(), options: new Set<string>() };
  if (user.extends !== undefined) {
    if (typeof user.extends !== 'string') throw InputError.at({ file: origin, field: 'extends', problem: 'must be the id of a built-in profile', fix: 'e.g. extends: neuromorphic-core-45nm (see `joulebench list`)' });
    baseId = user.extends;
    const basePath = builtinProfileFiles().get(baseId);
    if (!basePath) throw InputError.at({ file: origin, field: 'extends', problem: `"${baseId}" is not a built-in profile`, fix: `use one of ${[...builtinProfileFiles().keys()].join(', ')}` });
    const base = parseYaml(readFileSync(basePath, 'utf8'), basePath) as Record<string, unknown>;
    if (user.model !== undefined && user.model !== base.model) {
      throw InputError.at({ file: origin, field: 'model', problem: `"${String(user.model)}" differs from the model of ${baseId} (${String(base.model)})`, fix: 'leave model out to keep the base\'s, or write a whole profile without extends' });
    }
    const changed = ['constants', 'parameters', 'options', 'hardware', 'tables'].filter((k) => user[k] !== undefined);
    merged = {
      ...base,
      id: user.id ?? basename(origin).replace(/\.ya?ml$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, ''),
      title: user.title ?? `${String(base.title)} — as ${basename(origin)} changes it`,
      description: user.description ?? `${String(base.description)} Extended by ${basename(origin)}, which changes ${changed.length ? changed.join(', ') : 'nothing'}; everything else is ${baseId}'s.`,
    };
  }
  const model = typeof merged.model === 'string' ? merged.model : undefined;
  const req = model === undefined ? undefined : requirementsOf(model);
  // constants: user-facing names, inline energies
  const section = (key: string): Record<string, unknown> => {
    const v = user[key];
    if (v === undefined || v === null) return {};
    if (!isRecord(v)) throw InputError.at({ file: origin, field: key, problem: 'must be a mapping of names to values', fix: `see cost-models/profiles/*.yaml for the ${key} format` });
    return v;
  };
  const userConstants: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(section('constants'))) {
    const role = ROLE_ALIASES[name] ?? name;
    given.constants.add(role);
    userConstants[role] = inlineConstant(v, role, `constants.${name}`, origin, String(merged.id ?? 'profile'), constants);
  }
  const userParams: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(section('parameters'))) {
    const param = PARAMETER_ALIASES[name] ?? name;
    given.parameters.add(param);
    userParams[param] = typeof v === 'number' || typeof v === 'string' ? shorthandParameter(v, param, `parameters.${name}`, origin, req) : v;
  }
  const userOptions: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(section('options'))) {
    given.options.add(name);
    userOptions[name] = typeof v === 'string' ? { value: v, source: `set in ${basename(origin)}` } : v;
  }
  const baseSection = (key: string): Record<string, unknown> => (baseId !== undefined && isRecord(merged[key]) ? (merged[key] as Record<string, unknown>) : {});
  const doc: Record<string, unknown> = {
    ...merged,
    constants: { ...baseSection('constants'), ...userConstants },
    parameters: { ...baseSection('parameters'), ...userParams },
    options: { ...baseSection('options'), ...userOptions },
  };
  delete doc.extends;
  let hardware: HardwareProfile['hardware'];
  if (user.hardware !== undefined) {
    const files = user.hardware;
    if (!Array.isArray(files) || files.length === 0 || files.some((f) => typeof f !== 'string')) {
      throw InputError.at({ file: origin, field: 'hardware', problem: 'must be a list of file paths', fix: 'e.g. hardware: [ERT.yaml, architecture.yaml] (Accelergy ERT or ERT summary, Timeloop/Accelergy architecture, Accelergy table .csv), relative to the profile' });
    }
    if (!req) throw InputError.at({ file: origin, field: 'model', problem: 'missing or unknown, so the hardware cannot be bound', fix: 'give extends: <built-in profile> or a known model' });
    const paths = (files as string[]).map((f, i) => {
      const path = resolve(dirname(origin), f);
      if (!existsSync(path)) throw InputError.at({ file: origin, field: `hardware.${i}`, problem: `${path}: no such file`, fix: 'check the path (relative to the profile file)' });
      if (statSync(path).isDirectory()) throw InputError.at({ file: origin, field: `hardware.${i}`, problem: `${path} is a directory`, fix: 'name the file itself (ERT.yaml, architecture.yaml, a table .csv)' });
      return path;
    });
    const params = doc.parameters as Record<string, { value?: unknown } | undefined>;
    const num = (name: string): number | undefined => (typeof params[name]?.value === 'number' ? (params[name]!.value as number) : undefined);
    const roles = [...req.constantRoles, ...(req.optionalConstantRoles ?? [])];
    const base: Record<string, Constant> = {};
    for (const [role, ref] of Object.entries(doc.constants as Record<string, unknown>)) {
      const c = typeof ref === 'string' ? constants.get(ref) : undefined;
      if (c) base[role] = c;
    }
    const opBits = num('opBits');
    const refNodeNm = num('refNodeNm');
    const refVddV = num('refVddV');
    const vddV = num('vddV');
    if (opBits === undefined || refNodeNm === undefined || refVddV === undefined || vddV === undefined) {
      throw InputError.at({ file: origin, field: 'hardware', problem: `model ${model} has no technology parameters (opBits, refNodeNm, refVddV, vddV) to bind a hardware description to`, fix: 'extend a hardware-aware profile (ann-ideal-reuse-45nm, ann-no-reuse-45nm, neuromorphic-core-45nm)' });
    }
    const accessBits = num('accessBits');
    if (!binder) throw InputError.at({ file: origin, field: 'hardware', problem: 'hardware descriptions are read only where profiles are loaded by name or path (--cost-model, explain)', fix: 'give the profile with -c PROFILE.yaml' });
    const b = binder(paths, files as string[], { profileId: String(doc.id), roles, roleUnits: req.roleUnits, base, opBits, refNodeNm, refVddV, vddV, ...(accessBits === undefined ? {} : { accessBits }) });
    const docConstants = doc.constants as Record<string, unknown>;
    for (const [role, c] of Object.entries(b.constants)) {
      if (given.constants.has(role)) continue; // the file's own binding wins
      constants.set(c.id, c);
      docConstants[role] = c.id;
    }
    const docOptions = doc.options as Record<string, unknown>;
    for (const [name, o] of Object.entries(b.options)) if (!given.options.has(name)) docOptions[name] = o;
    if (b.technologyNm !== undefined && !given.parameters.has('nodeNm') && 'nodeNm' in (doc.parameters as object)) {
      (doc.parameters as Record<string, unknown>).nodeNm = { value: b.technologyNm, unit: 'nm', source: `the technology of the hardware description (${(files as string[]).join(', ')}), so its energies are priced at their own node` };
    }
    hardware = { files: files as string[], bound: b.bound, unused: b.unused };
    delete doc.hardware;
  }
  // an extended profile's default title says where it now sits (the base's title names the base's node)
  if (baseId !== undefined && user.title === undefined) {
    const params = doc.parameters as Record<string, { value?: unknown } | undefined>;
    const at = [params.nodeNm?.value !== undefined ? `${String(params.nodeNm.value)} nm` : '', params.vddV?.value !== undefined ? `${String(params.vddV.value)} V` : ''].filter(Boolean).join(', ');
    doc.title = `${String(doc.title)}${at ? ` (now ${at})` : ''}`;
  }
  return { doc, ...(hardware ? { hardware } : {}), ...(baseId !== undefined ? { extends: baseId } : {}) };
}

/** A parameter given as a bare number or text with its unit (`nodeNm: 22`, `node: 22nm`, `vdd: 0.8 V`). */
function shorthandParameter(v: number | string, name: string, field: string, origin: string, req: ProfileRequirements | undefined): unknown {
  const spec = req?.parameters[name];
  if (!spec) return v; // parseProfile names the unknown parameter
  let value = v;
  if (typeof v === 'string') {
    const m = /^\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*([a-zA-Z]*)\s*$/.exec(v);
    if (!m || (m[2] !== '' && m[2] !== spec.unit)) throw InputError.at({ file: origin, field, problem: `"${v}" is not a number in ${spec.unit}`, fix: `give e.g. ${name}: ${spec.min} (in ${spec.unit})` });
    value = Number(m[1]);
  }
  return { value, unit: spec.unit, source: `set in ${basename(origin)}` };
}

/**
 * A constant binding: a constant id (kept), an energy written inline (`0.05 pJ`, or `{ value, unit,
 * low, high, source, evidence }`) — made a constant `<profile>/<role>` and added to `constants`.
 */
function inlineConstant(v: unknown, role: string, field: string, origin: string, profileId: string, constants: Map<string, Constant>): unknown {
  let spec: Record<string, unknown> | null = null;
  if (typeof v === 'string') {
    const m = /^\s*([-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*(\S+)\s*$/.exec(v);
    if (!m) return v; // a constant id
    spec = { value: Number(m[1]), unit: m[2] };
  } else if (typeof v === 'number') {
    throw InputError.at({ file: origin, field, problem: `${v} has no unit`, fix: `write the energy with its unit, e.g. ${role}: ${v} pJ, or name a constant (see cost-models/tech/*.yaml)` });
  } else if (isRecord(v)) spec = v;
  else return v;
  const value = spec.value;
  const unit = spec.unit;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw InputError.at({ file: origin, field: `${field}.value`, problem: 'must be a finite number', fix: 'give the energy as a number with its unit, e.g. 0.05 pJ' });
  if (typeof unit !== 'string' || !(unit in UNITS)) throw InputError.at({ file: origin, field: `${field}.unit`, problem: `"${String(unit)}" is not a unit`, fix: 'use pJ, fJ, nJ or J (per op or access), or pJ/bit for an energy per bit' });
  const given = spec.low !== undefined || spec.high !== undefined;
  const low = typeof spec.low === 'number' ? spec.low : value * 0.8;
  const high = typeof spec.high === 'number' ? spec.high : value * 1.2;
  const name = kebab(role);
  checkConstantValues({ name, value, low, high, unit }, 'per-op', origin, (key) => (key === 'value' ? field : `${field}.${key}`));
  const evidence = spec.evidence === undefined ? 'I' : spec.evidence;
  if (evidence !== 'P' && evidence !== 'S' && evidence !== 'I') throw InputError.at({ file: origin, field: `${field}.evidence`, problem: `"${String(evidence)}" is not P, S or I`, fix: 'give P (primary), S (secondary) or I (inferred)' });
  const u = UNITS[unit];
  const id = `${profileId}/${name}`;
  constants.set(id, {
    id,
    value,
    unit,
    valueSI: value * u.factor,
    siUnit: u.si,
    low,
    high,
    lowSI: low * u.factor,
    highSI: high * u.factor,
    evidence,
    source: typeof spec.source === 'string' && spec.source !== '' ? `${spec.source} (given in ${basename(origin)})` : `given in ${basename(origin)}, no source stated`,
    rangeSource: typeof spec.rangeSource === 'string' ? spec.rangeSource : given ? `given in ${basename(origin)}` : 'assumed ±20% (the profile gives no range)',
    kind: 'per-op',
  });
  return id;
}

export function parseProfile(
  text: string,
  origin: string,
  requirementsOf: (model: string) => ProfileRequirements | undefined,
  constants: ReadonlyMap<string, Constant> = builtinConstants(),
  binder?: HardwareBinder,
): HardwareProfile {
  const all = new Map(constants);
  const resolved = resolveProfileDoc(parseYaml(text, origin), origin, requirementsOf, all, binder);
  constants = all;
  const parsed = { data: validated(profileSchema, resolved.doc, origin, 'see cost-models/profiles/*.yaml for the profile format') };
  const p = parsed.data;
  const req = requirementsOf(p.model);
  if (!req) throw new InputError(`${origin}: field model: unknown cost model "${p.model}"`);
  const bound: Record<string, Constant> = {};
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
    bound[role] = c;
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
  const profile: HardwareProfile = {
    id: p.id,
    model: p.model,
    title: p.title,
    description: p.description,
    constants: bound,
    parameters,
    options,
    ...(resolved.hardware ? { hardware: resolved.hardware } : {}),
    ...(resolved.extends ? { extends: resolved.extends } : {}),
  };
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
    throw new InputError(`${where}: ${c.id} is an all-in chip figure (it already contains memory, routing and leakage); model ${model} adds memory and op terms, which would count them twice — price it with model all-in-chip (spike events) or all-in-accelerator (MACs)`);
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

export function readProfileFile(path: string, requirementsOf: (model: string) => ProfileRequirements | undefined, binder?: HardwareBinder): HardwareProfile {
  const text = readFileSync(path, 'utf8');
  return parseProfile(text, path, requirementsOf, profileConstants(text, path), binder);
}
