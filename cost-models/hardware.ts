// A hardware description (Accelergy ERT / ERT summary, Timeloop/Accelergy architecture, Accelergy
// table CSVs; readers in accelergy.ts and energy-table.ts) bound onto the roles of the shared
// technology (tech.ts): which component action prices which role, converted to joulebench's units,
// width and reference node, with provenance. Components and actions that price no role are kept and
// listed with the reason (never fatal); `joulebench explain` prints both lists.
//
// Mapping (by the component's class — from the architecture, the CSV's file or COMPONENT name — else
// by the last part of its name):
//   intmac / fpmac (any class containing "mac"): action mac_random (else mac, compute, read: the
//     library plug-in's "typical action") → intAdd + intMul (fpAdd + fpMul): joulebench prices a MAC
//     as multiply + add, so the imported MAC energy is split in the base profile's add : multiply
//     ratio at the MAC's width [I]; an adder or multiplier given too is bound as given and the MAC
//     sets the other part. mac_reused, mac_gated (data-dependent variants) are listed, not used.
//   intadder / fpadder (class containing "add"): add (else read) → intAdd / fpAdd.
//   intmultiplier / fpmultiplier ("mult"): multiply (else mult, mul, read) → intMul / fpMul.
//   SRAM, smartbuffer_SRAM, regfile, smartbuffer_RF, buffers, scratchpads: read and write/fill/update
//     → one SRAM access energy per accessBits access (joulebench prices a read and a write alike: the
//     value is the mean of the read and write energies, the range spans them). One memory: sramMode
//     flat-packed with that energy as sramPackedAccess; memories of several capacities: a least-squares
//     line in the capacity (width × depth bits) as sramSlope and sramIntercept, sramMode fit-packed.
//   DRAM: read and write → dram (per accessBits access; not node-scaled, as the built-in DRAM).
//   Anything else (comparators, counters, wires, NoCs, idle and leak actions) is listed as not used.
// Units and scaling: Accelergy energies are pJ per action; a w-bit op is brought to the profile's
// opBits by width-scaling.yaml (adds ×(b/w), multiplies ×(b/w)²), a W-bit memory access to accessBits
// words by ×(accessBits/W) (packing); an energy at technology T is brought to the profile's reference
// point by E(ref node, ref Vdd) / E(T, vddV) (Stillmaker–Baas; the table gives no supply, so it is
// read as the profile's vddV), so that priced at node T it is the table's own value.
// Ranges: the spread of the file's own values for the action (argument combinations, a summary's
// min–max, a CSV's low/high, read vs write); one value alone gets ±rangeFraction (default 20%),
// which the constant's rangeSource says.
import { basename } from 'node:path';
import { readDocumentText } from '../core/documents.js';
import { InputError } from '../core/errors.js';
import type { HardwareAction } from './accelergy.js';
import { csvActions, hardwareFileKind, parseHardwareYaml, readArchitecture, readErt, readErtSummary, withArchitecture } from './accelergy.js';
import type { Constant } from './constants.js';
import type { HardwareBinding, HardwareContext } from './profile.js';
import { checkConstantValues } from './constants.js';
import { parseAccelergyCsv, technologyNm } from './energy-table.js';
import { OutOfRangeError } from './model.js';
import { nodeEnergy, widthExponent } from './scaling.js';

/** Reads hardware files (ERT, ERT summary, ART, architecture YAML; CSV tables) into their actions. */
export function readHardwareFiles(paths: readonly string[], names: readonly string[] = paths): { actions: HardwareAction[]; notes: string[] } {
  let actions: HardwareAction[] = [];
  const notes: string[] = [];
  const archs: ReturnType<typeof readArchitecture>[] = [];
  for (const [i, path] of paths.entries()) {
    const file = names[i] ?? path;
    const text = readDocumentText({ path, field: `hardware.${i} (${file})`, what: 'an Accelergy ERT, ERT summary, architecture YAML or table CSV' });
    if (/\.csv$/i.test(file)) {
      const { rows, skipped } = parseAccelergyCsv(text, file);
      actions.push(...csvActions(rows, file, basename(file).replace(/\.csv$/i, '')));
      notes.push(...skipped.map((s) => `${file}: ${s}`));
      continue;
    }
    const doc = parseHardwareYaml(text, file);
    const kind = hardwareFileKind(doc);
    if (kind === 'ert') actions.push(...readErt(doc, file));
    else if (kind === 'ert-summary') actions.push(...readErtSummary(doc, file));
    else if (kind === 'architecture') archs.push(readArchitecture(doc, file));
    else if (kind === 'art') notes.push(`${file}: an area reference table (ART): areas are read over; joulebench prices energy only`);
    else throw InputError.at({ file, field: '(root)', problem: 'is no Accelergy or Timeloop file (no ERT, ERT_summary, ART or architecture key at the top)', fix: 'give ERT.yaml or ERT_summary.yaml (from accelergy), an architecture YAML, or an Accelergy table .csv' });
  }
  for (const arch of archs) actions = withArchitecture(actions, arch);
  if (actions.length === 0) {
    throw InputError.at({ file: names.join(', '), field: 'hardware', problem: 'gives no energies (an architecture alone has none)', fix: 'add the ERT.yaml Accelergy wrote for it, or an energy table .csv' });
  }
  return { actions, notes };
}

type Kind = { readonly type: 'mac' | 'add' | 'mul'; readonly numeric: 'int' | 'fp' } | { readonly type: 'sram' | 'dram' };

function classify(a: HardwareAction): Kind | null {
  const c = (a.componentClass ?? a.component.split('.').pop() ?? '').toLowerCase();
  const numeric = /fp|float/.test(c) ? 'fp' : 'int';
  if (/dram/.test(c)) return { type: 'dram' };
  if (/sram|regfile|reg_file|(^|_)rf$|buffer|spad|scratchpad|glb|cache/.test(c)) return { type: 'sram' };
  if (/mac/.test(c)) return { type: 'mac', numeric };
  if (/mult|^mul/.test(c)) return { type: 'mul', numeric };
  if (/add/.test(c)) return { type: 'add', numeric };
  return null;
}

const PRIMARY: Readonly<Record<'mac' | 'add' | 'mul', readonly string[]>> = {
  mac: ['mac_random', 'mac', 'compute', 'read'],
  add: ['add', 'compute', 'read'],
  mul: ['multiply', 'mult', 'mul', 'compute', 'read'],
};
const MEMORY_READ = ['read'];
const MEMORY_WRITE = ['write', 'fill', 'update'];

const numAttr = (a: HardwareAction, ...keys: string[]): number | undefined => {
  for (const k of keys) {
    const v = a.attributes[k];
    const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
    if (Number.isFinite(x) && x > 0) return x;
  }
  return undefined;
};
const techOf = (a: HardwareAction): number | undefined => {
  const t = a.attributes.technology;
  return typeof t === 'number' ? t : typeof t === 'string' ? technologyNm(t) : undefined;
};
const fmt = (x: number): string => Number(x.toPrecision(4)).toString();

/** Binds the actions onto the context's roles. */
export function bindHardware(files: readonly string[], actions: readonly HardwareAction[], notes: readonly string[], ctx: HardwareContext): HardwareBinding {
  const frac = ctx.rangeFraction ?? 0.2;
  const bound: string[] = [];
  const unused: string[] = [...notes];
  const constants: Record<string, Constant> = {};
  const options: Record<string, { value: string; source: string }> = {};
  const nodes = new Set<number>();
  // a role takes an imported energy only where the model prices it in joules (per op or access), or
  // J/bit for the SRAM slope; a role relative to a MAC (Eyeriss's normalized costs, xMAC) does not
  const has = (role: string): boolean => ctx.roles.includes(role) && ctx.roleUnits[role] === (role === 'sramSlope' ? 'J/bit' : 'J');
  const label = (a: HardwareAction, action: string): string => `${a.component}${a.componentClass && a.componentClass !== a.component ? ` (${a.componentClass})` : ''} ${action}`;
  // the factor that takes an energy at the action's technology to the profile's reference point
  const toRef = (a: HardwareAction): { factor: number; text: string } => {
    const t = techOf(a);
    if (t === undefined) return { factor: 1, text: `no technology given: read as the reference node ${ctx.refNodeNm} nm` };
    nodes.add(t);
    if (t === ctx.refNodeNm && ctx.vddV === ctx.refVddV) return { factor: 1, text: `${t} nm (the reference node)` };
    try {
      const f = nodeEnergy({ nodeNm: ctx.refNodeNm, vddV: ctx.refVddV }) / nodeEnergy({ nodeNm: t, vddV: ctx.vddV });
      return { factor: f, text: `${t} nm at ${ctx.vddV} V → reference ${ctx.refNodeNm} nm, ${ctx.refVddV} V: ×${fmt(f)}` };
    } catch (e) {
      if (e instanceof OutOfRangeError) throw InputError.at({ file: a.where, field: 'technology', problem: `${a.attributes.technology}: ${e.message}`, fix: 'give a technology inside the scaling table (7–130 nm)' });
      throw e;
    }
  };
  const spread = (values: readonly number[]): { lo: number; hi: number; text: string } | null => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return lo < hi ? { lo, hi, text: `the file's own spread (${fmt(lo)}–${fmt(hi)} pJ: argument combinations, min–max or read vs write)` } : null;
  };
  const make = (role: string, valuePJ: number, lowPJ: number, highPJ: number, unit: 'pJ' | 'pJ/bit', source: string, rangeSource: string): Constant => {
    const factor = 1e-12;
    const name = role.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
    // the checks of every constant (positive, plausible window, low ≤ value ≤ high), at the source entry
    checkConstantValues({ name, value: valuePJ, low: lowPJ, high: highPJ, unit }, 'per-op', source.split(': ')[0], () => `${role} (from ${source.split('; ')[0]})`);
    const r6 = (x: number): number => Number(x.toPrecision(6));
    return {
      id: `${ctx.profileId}/${name}`,
      value: r6(valuePJ),
      unit,
      valueSI: r6(valuePJ) * factor,
      siUnit: unit === 'pJ' ? 'J' : 'J/bit',
      low: r6(lowPJ),
      high: r6(highPJ),
      lowSI: r6(lowPJ) * factor,
      highSI: r6(highPJ) * factor,
      evidence: 'I',
      source,
      rangeSource,
      kind: 'per-op',
    };
  };
  const rangeOf = (values: readonly number[], scale: number, value: number): { lo: number; hi: number; text: string } => {
    const s = spread(values);
    if (s) return { lo: s.lo * scale, hi: s.hi * scale, text: s.text };
    return { lo: value * (1 - frac), hi: value * (1 + frac), text: `assumed ±${Math.round(frac * 100)}% (import default: the file gives one value)` };
  };

  // 1. arithmetic: explicit adders and multipliers first, then MACs for what is left
  const arithmetic = actions.map((a) => ({ a, k: classify(a) })).filter((x) => x.k && (x.k.type === 'mac' || x.k.type === 'add' || x.k.type === 'mul'));
  const memory = actions.map((a) => ({ a, k: classify(a) })).filter((x) => x.k && (x.k.type === 'sram' || x.k.type === 'dram'));
  for (const a of actions) if (classify(a) === null) unused.push(`${a.where}: ${label(a, a.actions.join('|'))}: no joulebench role for this component class (energy ${fmt(a.energyPJ)} pJ kept here)`);
  const used = new Set<HardwareAction>();
  const pick = (type: 'mac' | 'add' | 'mul', numeric: 'int' | 'fp'): { a: HardwareAction; action: string } | null => {
    for (const want of PRIMARY[type]) {
      const hit = arithmetic.find((x) => x.k!.type === type && (x.k as { numeric: string }).numeric === numeric && x.a.actions.includes(want));
      if (hit) return { a: hit.a, action: want };
    }
    return null;
  };
  const addExp = widthExponent('add').valueSI;
  const mulExp = widthExponent('mul').valueSI;
  for (const numeric of ['int', 'fp'] as const) {
    const addRole = numeric === 'int' ? 'intAdd' : 'fpAdd';
    const mulRole = numeric === 'int' ? 'intMul' : 'fpMul';
    const explicit: Record<string, { a: HardwareAction; w: number; ref: ReturnType<typeof toRef> }> = {};
    for (const [type, role, exp] of [['add', addRole, addExp], ['mul', mulRole, mulExp]] as const) {
      const p = pick(type, numeric);
      if (!p || !has(role)) continue;
      used.add(p.a);
      const w = numAttr(p.a, 'width', 'datawidth', 'word-bits') ?? ctx.opBits;
      const wText = numAttr(p.a, 'width', 'datawidth', 'word-bits') === undefined ? `no width given: read as opBits = ${ctx.opBits}` : `${w} bits → opBits ${ctx.opBits}: ×${fmt((ctx.opBits / w) ** exp)}`;
      const ref = toRef(p.a);
      const scale = (ctx.opBits / w) ** exp * ref.factor;
      const v = p.a.energyPJ * scale;
      const r = rangeOf(p.a.energiesPJ, scale, v);
      constants[role] = make(role, v, r.lo, r.hi, 'pJ', `${p.a.where}: ${label(p.a, p.action)} = ${fmt(p.a.energyPJ)} pJ (Accelergy energies are pJ); ${wText}; ${ref.text}`, r.text);
      explicit[type] = { a: p.a, w, ref };
      bound.push(`${role} ← ${label(p.a, p.action)} ${fmt(p.a.energyPJ)} pJ (${p.a.where})`);
    }
    const mac = pick('mac', numeric);
    if (!mac || (!has(addRole) && !has(mulRole))) continue;
    if (constants[addRole] && constants[mulRole]) continue; // both parts given explicitly
    used.add(mac.a);
    const w = numAttr(mac.a, 'width', 'datawidth', 'word-bits') ?? ctx.opBits;
    const ref = toRef(mac.a);
    const eRef = mac.a.energyPJ * ref.factor;
    const x = w / ctx.opBits;
    const a0 = (constants[addRole]?.valueSI ?? ctx.base[addRole]?.valueSI ?? 0) / 1e-12;
    const m0 = (constants[mulRole]?.valueSI ?? ctx.base[mulRole]?.valueSI ?? 0) / 1e-12;
    const parts = a0 * x ** addExp + m0 * x ** mulExp;
    if (!(parts > 0)) {
      unused.push(`${mac.a.where}: ${label(mac.a, mac.action)}: the profile has no add and multiply energies to split a MAC by; bind intAdd and intMul, or give an adder and a multiplier`);
      continue;
    }
    const wText = numAttr(mac.a, 'width', 'datawidth', 'word-bits') === undefined ? `no width given: read as opBits = ${ctx.opBits}` : `a ${w}-bit MAC`;
    for (const [role, base, exp] of [[addRole, a0, addExp], [mulRole, m0, mulExp]] as const) {
      if (constants[role]) continue;
      const other = role === addRole ? m0 * x ** mulExp : a0 * x ** addExp;
      // the MAC sets this part: the whole MAC when the other part is given explicitly, else its share
      const k = constants[role === addRole ? mulRole : addRole] && explicit[role === addRole ? 'mul' : 'add'] ? (eRef - other) / x ** exp / base : eRef / parts;
      const share = explicit[role === addRole ? 'mul' : 'add'] ? `the MAC minus the explicitly given ${role === addRole ? 'multiply' : 'add'}` : `the base profile's add : multiply ratio at ${w} bits (${fmt(a0 * x ** addExp)} : ${fmt(m0 * x ** mulExp)}) [I]`;
      const scale = k > 0 ? (role === addRole ? (a0 * k) / mac.a.energyPJ : (m0 * k) / mac.a.energyPJ) : NaN;
      if (!(k > 0) || !(scale > 0)) {
        unused.push(`${mac.a.where}: ${label(mac.a, mac.action)}: cannot set ${role} (the explicitly given other part is larger than the MAC)`);
        continue;
      }
      const v = base * k;
      const r = rangeOf(mac.a.energiesPJ, scale, v);
      constants[role] = make(role, v, r.lo, r.hi, 'pJ', `${mac.a.where}: ${label(mac.a, mac.action)} = ${fmt(mac.a.energyPJ)} pJ (Accelergy energies are pJ), ${wText}; joulebench prices a MAC as multiply + add, so ${role} is its part by ${share}, at opBits ${ctx.opBits}; ${ref.text}`, r.text);
      bound.push(`${role} ← ${label(mac.a, mac.action)} ${fmt(mac.a.energyPJ)} pJ, split by ${share} (${mac.a.where})`);
    }
  }
  for (const { a, k } of arithmetic) {
    if (used.has(a)) continue;
    const kk = k as { type: 'mac' | 'add' | 'mul'; numeric: 'int' | 'fp' };
    const roles = kk.type === 'add' ? [kk.numeric === 'int' ? 'intAdd' : 'fpAdd'] : kk.type === 'mul' ? [kk.numeric === 'int' ? 'intMul' : 'fpMul'] : kk.numeric === 'int' ? ['intAdd', 'intMul'] : ['fpAdd', 'fpMul'];
    const names = a.actions.join(' ');
    const why = /reused|gated/.test(names)
      ? 'a data-dependent variant (operand reuse, gating); joulebench prices every op at full activity'
      : /idle|leak/.test(names)
        ? 'static (idle, leak) energy: this model prices dynamic energy per op only'
        : !roles.some(has)
          ? `the profile's model has no ${roles.join(' or ')} role`
          : roles.every((r) => constants[r])
            ? `${roles.join(' and ')} already bound from another entry`
            : 'not the action that prices this op';
    unused.push(`${a.where}: ${label(a, a.actions.join('|'))} ${fmt(a.energyPJ)} pJ: ${why}`);
  }

  // 2. memories
  const accessBits = ctx.accessBits;
  const byComponent = new Map<string, { type: 'sram' | 'dram'; entries: HardwareAction[] }>();
  for (const { a, k } of memory) {
    const isAccess = [...MEMORY_READ, ...MEMORY_WRITE].some((x) => a.actions.includes(x));
    if (!isAccess) {
      unused.push(`${a.where}: ${label(a, a.actions.join('|'))} ${fmt(a.energyPJ)} pJ: ${/idle|leak/.test(a.actions.join(' ')) ? 'static (idle, leak) energy: this model prices dynamic energy per access only' : 'not a read or write'}`);
      continue;
    }
    const key = `${k!.type}|${a.component}|${a.attributes.width ?? ''}|${a.attributes.depth ?? ''}`;
    const g = byComponent.get(key) ?? { type: k!.type as 'sram' | 'dram', entries: [] };
    g.entries.push(a);
    byComponent.set(key, g);
  }
  const memories = [...byComponent.values()].map((g) => {
    const a = g.entries[0];
    const reads = g.entries.filter((e) => MEMORY_READ.some((x) => e.actions.includes(x)));
    const writes = g.entries.filter((e) => !reads.includes(e));
    const reps = [...(reads.length ? [reads[0].energyPJ] : []), ...(writes.length ? [writes[0].energyPJ] : [])];
    const all = g.entries.flatMap((e) => e.energiesPJ);
    const W = numAttr(a, 'memory_width', 'width', 'datawidth', 'word-bits');
    const depth = numAttr(a, 'memory_depth', 'depth', 'entries');
    return { type: g.type, a, entries: g.entries, energyPJ: reps.reduce((x, y) => x + y, 0) / reps.length, all, W, depth, what: `${[reads.length ? 'read' : '', writes.length ? writes[0].actions[0] : ''].filter(Boolean).join(' and ')}` };
  });
  const memRole = (role: string): string | null => {
    if (ctx.roles.includes(role) && !has(role)) return `the profile's model prices ${role} relative to a MAC (${ctx.roleUnits[role]}), not in joules; not bound`;
    if (!has(role) || accessBits === undefined) return `the profile's model has no ${role} role${accessBits === undefined ? ' (no accessBits)' : ''}`;
    return null;
  };
  const drams = memories.filter((m) => m.type === 'dram');
  drams.forEach((m, i) => {
    const no = memRole('dram') ?? (i > 0 ? 'dram is already bound from another DRAM' : m.W === undefined ? 'no width (width or datawidth): the access cannot be brought to accessBits' : null);
    if (no) {
      for (const e of m.entries) unused.push(`${e.where}: ${label(e, e.actions.join('|'))} ${fmt(e.energyPJ)} pJ: ${no}`);
      return;
    }
    const scale = accessBits! / m.W!;
    const v = m.energyPJ * scale;
    const r = rangeOf(m.all, scale, v);
    if (m.a.attributes.technology !== undefined) nodes.add(techOf(m.a) ?? NaN);
    constants.dram = make('dram', v, r.lo, r.hi, 'pJ', `${m.a.where}: ${label(m.a, m.what)} = ${fmt(m.energyPJ)} pJ per ${m.W}-bit access (mean of read and write; Accelergy energies are pJ) → per ${accessBits}-bit access ×${fmt(scale)}; DRAM is not node-scaled`, r.text);
    bound.push(`dram ← ${label(m.a, m.what)} ${fmt(m.energyPJ)} pJ per ${m.W}-bit access (${m.a.where})`);
  });
  const srams = memories.filter((m) => m.type === 'sram' && m.W !== undefined);
  for (const m of memories.filter((x) => x.type === 'sram' && x.W === undefined)) for (const e of m.entries) unused.push(`${e.where}: ${label(e, e.actions.join('|'))}: no width (width, memory_width or datawidth): the access cannot be brought to accessBits`);
  if (srams.length > 0) {
    const no = memRole('sramPackedAccess');
    const points = srams.map((m) => {
      const ref = toRef(m.a);
      const scale = ((accessBits ?? 1) / m.W!) * ref.factor;
      return { m, ref, scale, e: m.energyPJ * scale, capacity: m.depth === undefined ? undefined : m.depth * m.W! };
    });
    const caps = new Set(points.map((p) => p.capacity));
    const fitted = points.length >= 2 && !caps.has(undefined) && caps.size >= 2 && has('sramSlope') && has('sramIntercept') && accessBits !== undefined ? lineFit(points.map((p) => [p.capacity!, p.e])) : null;
    if (fitted && fitted.slope > 0 && fitted.intercept > 0) {
      const list = points.map((p) => `${label(p.m.a, p.m.what)} ${fmt(p.m.energyPJ)} pJ per ${p.m.W}-bit access, ${p.capacity} bits (${p.m.a.where}; ${p.ref.text})`).join('; ');
      const range = `assumed ±${Math.round(frac * 100)}% (import default: a least-squares line through ${points.length} imported memories)`;
      constants.sramSlope = make('sramSlope', fitted.slope, fitted.slope * (1 - frac), fitted.slope * (1 + frac), 'pJ/bit', `least-squares line of the per-${accessBits}-bit access energy in the capacity (width × depth bits) through ${list} [I]`, range);
      constants.sramIntercept = make('sramIntercept', fitted.intercept, fitted.intercept * (1 - frac), fitted.intercept * (1 + frac), 'pJ', `intercept of the same line: ${list} [I]`, range);
      options.sramMode = { value: 'fit-packed', source: `the hardware description gives ${points.length} SRAMs of different capacities: their line in the capacity, one ${accessBits}-bit access, narrower words packed` };
      bound.push(`sramSlope, sramIntercept ← a line through ${points.length} memories (${points.map((p) => `${p.m.a.component} ${p.capacity} bits`).join(', ')})`);
    } else if (no) {
      for (const p of points) for (const e of p.m.entries) unused.push(`${e.where}: ${label(e, e.actions.join('|'))} ${fmt(e.energyPJ)} pJ: ${no}`);
    } else {
      // one memory (or no usable line): its energy for every SRAM, whatever the capacity
      const p = points.reduce((x, y) => ((y.capacity ?? 0) > (x.capacity ?? 0) ? y : x));
      const r = rangeOf(p.m.all, p.scale, p.e);
      constants.sramPackedAccess = make('sramPackedAccess', p.e, r.lo, r.hi, 'pJ', `${p.m.a.where}: ${label(p.m.a, p.m.what)} = ${fmt(p.m.energyPJ)} pJ per ${p.m.W}-bit access${p.capacity ? ` (${p.m.depth} × ${p.m.W} bits)` : ''} (mean of read and write; Accelergy energies are pJ) → per ${accessBits}-bit access ×${fmt(accessBits! / p.m.W!)}; ${p.ref.text}`, r.text);
      options.sramMode = { value: 'flat-packed', source: `the hardware description gives ${points.length === 1 ? 'one SRAM' : 'no SRAMs of known, different capacities with a positive line'}: ${p.m.a.component}'s access energy for every SRAM whatever its capacity, ${accessBits}-bit accesses, narrower words packed [I]` };
      bound.push(`sramPackedAccess ← ${label(p.m.a, p.m.what)} ${fmt(p.m.energyPJ)} pJ per ${p.m.W}-bit access (${p.m.a.where}); sramMode flat-packed`);
      for (const q of points.filter((x) => x !== p)) for (const e of q.m.entries) unused.push(`${e.where}: ${label(e, e.actions.join('|'))} ${fmt(e.energyPJ)} pJ: another SRAM; with no line through the SRAMs, the largest (${p.m.a.component}) prices every SRAM access`);
    }
  }
  nodes.delete(NaN);
  return { files, constants, options, ...(nodes.size === 1 ? { technologyNm: [...nodes][0] } : {}), bound, unused };
}

/** Reads the hardware files and binds them onto the context's roles (the binder `getProfile` gives parseProfile). */
export function bindHardwareFiles(paths: readonly string[], names: readonly string[], ctx: HardwareContext): HardwareBinding {
  const { actions, notes } = readHardwareFiles(paths, names);
  return bindHardware(names, actions, notes, ctx);
}

/** Least-squares line y = slope·x + intercept. */
function lineFit(points: readonly (readonly [number, number])[]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
