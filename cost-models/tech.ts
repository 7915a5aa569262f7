// The technology a hardware-aware profile binds: arithmetic energies (int/fp add and multiply at a
// reference width, scaled to any width), memory access energies, and the node/voltage scaling of
// everything on chip.
//
// Memory: each operand's memory (weights, inputs, partial sums, a neuron state, a FIFO, a KV cache …)
// is of the kind the profile declares — option `memoryKind` (sram or dram) for every operand, refined
// per operand by `memoryKind.<operand>` — never chosen by its size. DRAM costs `dram` per `accessBits`
// access, b-bit words packed (b/accessBits of an access). SRAM follows option `sramMode`:
//   fit-per-access  Lemaire et al.'s "ICONIP" mode: every word access costs the capacity fit
//                   E(C) = sramSlope·C + sramIntercept (C the memory's bits), whatever the word width;
//   fit-packed      the same fit, read as the energy of one accessBits-wide access (Horowitz's figures
//                   are 64-bit reads), with b-bit words packed: E(C)·b/accessBits [I: joulebench's
//                   combination of the fit with packing; neither of Lemaire's modes];
//   flat-packed     Lemaire et al.'s "new" mode (T. Louis): a flat sramPackedAccess (10 pJ) per 64-bit
//                   access to an 8 KiB block, whatever the capacity, words packed: 10 pJ·b/64.
// The fit modes are valid up to sramMaxBits (the largest Horowitz point the fit is built on: 1 MB, read
// as 1 MiB); a larger SRAM is refused (OutOfRangeError), never silently priced as DRAM: declare that
// operand's memory dram if it lives off chip, or `sram-spill-dram` — a declared on-chip SRAM of at
// most sramMaxBits per store backed by DRAM, so a store that does not fit on chip lives in DRAM. Below Horowitz's smallest point (8 KB) the fit is applied as Lemaire
// et al. apply it to every memory (biases, FIFOs): it never falls below its intercept, an upper
// estimate for small memories.
//
// Division, exp and log have no energy of their own: each is k multiplies and k adds of its type and
// width (k × E_MAC), k a constant with provenance and a range (tech/op-equivalents.yaml, roles
// expMacs, logMacs, divMacs), so they scale with width and node like the MAC they are built from and
// the uncertainty analysis varies k like any other constant. A profile that binds no k for an op
// refuses ledgers that record it.
import type { Numeric, OpKind, Operand } from '../core/ledger.js';
import type { Constant } from './constants.js';
import { OutOfRangeError } from './model.js';
import type { HardwareProfile, ProfileRequirements, RoleUnit } from './profile.js';
import { optionValue } from './profile.js';
import type { OperatingPoint, WidthRule } from './scaling.js';
import { nodeScaleFactor, scalingConstantsUsed, widthExponent, widthFactor } from './scaling.js';

/** Arithmetic roles: energies of one op at the profile's `opBits` width. */
export const ARITHMETIC_ROLES = ['intAdd', 'intMul', 'fpAdd', 'fpMul'] as const;
/** Multiply-add equivalents of division and transcendental ops (optional roles: unbound, the op is refused). */
export const OP_EQUIVALENT_ROLES = ['expMacs', 'logMacs', 'divMacs'] as const;
const OP_EQUIVALENT_ROLE: Readonly<Partial<Record<OpKind, (typeof OP_EQUIVALENT_ROLES)[number]>>> = { exp: 'expMacs', log: 'logMacs', div: 'divMacs' };
/** SRAM (linear in capacity, per access: see sramMode) and DRAM (per `accessBits` access). */
export const MEMORY_ROLES = ['sramSlope', 'sramIntercept', 'dram'] as const;
/** Optional memory role: the flat energy of one `accessBits` SRAM access (sramMode flat-packed only). */
export const PACKED_SRAM_ROLE = 'sramPackedAccess';

/** The unit of every role of the shared technology. */
export const TECH_ROLE_UNITS: Readonly<Record<string, RoleUnit>> = {
  intAdd: 'J',
  intMul: 'J',
  fpAdd: 'J',
  fpMul: 'J',
  expMacs: 'xMAC',
  logMacs: 'xMAC',
  divMacs: 'xMAC',
  sramSlope: 'J/bit',
  sramIntercept: 'J',
  dram: 'J',
  [PACKED_SRAM_ROLE]: 'J',
};

export const MEMORY_KINDS = ['sram', 'dram', 'sram-spill-dram'] as const;
export type MemoryKind = (typeof MEMORY_KINDS)[number];
export const SRAM_MODES = ['fit-per-access', 'fit-packed', 'flat-packed'] as const;
export type SramMode = (typeof SRAM_MODES)[number];

/** The operands a memory can hold: the ledger's operands, the core's event FIFOs and lazy-leak timestamps. */
export const MEMORY_OPERANDS = ['weight', 'input', 'output', 'bias', 'potential', 'current', 'psum', 'state', 'kv', 'score', 'lut_row', 'index', 'trace', 'address', 'event', 'timestamp'] as const;
export type MemoryOperand = (typeof MEMORY_OPERANDS)[number];
/** Compile-time check: every ledger operand can be given a memory kind (fails to compile otherwise). */
export const EVERY_OPERAND_HAS_A_KIND: [Operand] extends [MemoryOperand] ? true : never = true;

export const SRAM_MODE_MEANINGS: Readonly<Record<SramMode, string>> = {
  'fit-per-access': "Lemaire et al.'s ICONIP mode: every word access costs sramSlope × capacity + sramIntercept, whatever its width",
  'fit-packed': 'the capacity fit is the energy of one accessBits-wide access; b-bit words are packed, costing b/accessBits of it [I]',
  'flat-packed': "Lemaire et al.'s new mode: sramPackedAccess per accessBits access (10 pJ per 64-bit access to an 8 KiB block), any capacity; b-bit words packed",
};

export const MEMORY_OPTIONS: NonNullable<ProfileRequirements['options']> = {
  memoryKind: {
    values: MEMORY_KINDS,
    default: 'sram',
    description: 'the kind of memory that holds each operand (memoryKind.<operand> sets one operand); never chosen by size',
    meanings: {
      sram: 'on-chip SRAM sized to hold the operand, priced by sramMode; a store above sramMaxBits is refused',
      dram: 'off-chip DRAM, dram per accessBits access, words packed',
      'sram-spill-dram': 'a declared two-level hierarchy: on-chip SRAM sized to hold the operand up to sramMaxBits (priced by sramMode), and DRAM for a store that does not fit on chip',
    },
    keys: MEMORY_OPERANDS,
  },
  sramMode: { values: SRAM_MODES, default: 'fit-packed', description: 'how an SRAM access is priced', meanings: SRAM_MODE_MEANINGS },
};

/** A memory-technology profile in flat-packed mode must bind sramPackedAccess. */
export function validateMemoryOptions(p: HardwareProfile): { field: string; problem: string; fix: string } | null {
  if (optionValue(p, 'sramMode') === 'flat-packed' && !p.constants[PACKED_SRAM_ROLE]) {
    return { field: `constants.${PACKED_SRAM_ROLE}`, problem: 'missing; sramMode flat-packed prices every SRAM access at this flat energy', fix: 'bind it (e.g. lemaire-2022/sram-packed-64b, 10 pJ per 64-bit access) or choose another sramMode' };
  }
  return null;
}

type ParamSpec = ProfileRequirements['parameters'][string];
export const NODE_PARAMETERS: Readonly<Record<string, ParamSpec>> = {
  nodeNm: { unit: 'nm', min: 7, max: 130, integer: true },
  vddV: { unit: 'V', min: 0.5, max: 1.3, integer: false },
  refNodeNm: { unit: 'nm', min: 7, max: 130, integer: true },
  refVddV: { unit: 'V', min: 0.5, max: 1.3, integer: false },
  opBits: { unit: 'bits', min: 1, max: 64, integer: true },
};
export const MEMORY_PARAMETERS: Readonly<Record<string, ParamSpec>> = {
  accessBits: { unit: 'bits', min: 8, max: 1024, integer: true },
  /** The largest SRAM the capacity fit is valid for (fit modes); larger SRAMs are refused. */
  sramMaxBits: { unit: 'bits', min: 1024, max: 1e9, integer: true },
};

export type MemoryLevel = 'sram' | 'dram';

export interface Tech {
  /** Scale factor from the constants' node/voltage to the profile's (applies on chip only). */
  readonly nodeFactor: number;
  /** Energy of one op of this kind, numeric type and width, at the profile's node (joules). */
  opJ(op: OpKind, numeric: Numeric, bits: number): number;
  /**
   * Energy of one `wordBits` access to the memory of `capacityBits` that holds `operand`, and its
   * level (the kind the profile declares for the operand). An SRAM beyond the fit's range is refused.
   */
  memoryJ(capacityBits: number, wordBits: number, operand: MemoryOperand): { readonly level: MemoryLevel; readonly unitJ: number };
  /** Every constant this technology multiplies by (roles, scaling coefficients, width exponents). */
  readonly constants: readonly Constant[];
}

const param = (p: HardwareProfile, name: string): number => {
  const v = p.parameters[name];
  if (!v) throw new Error(`profile ${p.id}: parameter ${name} is missing`);
  return v.value;
};

export function operatingPoints(p: HardwareProfile): { from: OperatingPoint; to: OperatingPoint } {
  return { from: { nodeNm: param(p, 'refNodeNm'), vddV: param(p, 'refVddV') }, to: { nodeNm: param(p, 'nodeNm'), vddV: param(p, 'vddV') } };
}

/**
 * The warning for a compared (SNN profile, ANN profile) pair that sits on different technology nodes
 * or supply voltages (parameters nodeNm, vddV), or null when both sit on the same point or either
 * profile declares no operating point (literature and all-in chip models). The ratio of such a pair
 * mixes the technology's gain with the architecture's.
 */
export function operatingPointMismatch(snn: HardwareProfile, ann: HardwareProfile): string | null {
  const point = (p: HardwareProfile): OperatingPoint | null => (p.parameters.nodeNm && p.parameters.vddV ? { nodeNm: p.parameters.nodeNm.value, vddV: p.parameters.vddV.value } : null);
  const s = point(snn);
  const a = point(ann);
  if (!s || !a || (s.nodeNm === a.nodeNm && s.vddV === a.vddV)) return null;
  const what = [s.nodeNm !== a.nodeNm ? 'technology nodes' : '', s.vddV !== a.vddV ? 'supply voltages' : ''].filter(Boolean).join(' and ');
  return `pair ${snn.id}:${ann.id} compares different ${what}: the SNN profile at ${s.nodeNm} nm, ${s.vddV} V, the ANN profile at ${a.nodeNm} nm, ${a.vddV} V; E_SNN/E_ANN mixes the technology's gain with the architecture's — set nodeNm and vddV alike in both profiles to compare architectures`;
}

const techCache = new WeakMap<HardwareProfile, Map<boolean, Tech>>();

/**
 * The technology of a profile whose model uses ARITHMETIC_ROLES, NODE_PARAMETERS and, with `memory`,
 * MEMORY_ROLES/PARAMETERS. Profiles are immutable, so a profile's technology (and every per-op and
 * per-access energy it derives) is computed once and reused — re-costing calls this per ledger.
 */
export function techOf(p: HardwareProfile, memory = true): Tech {
  let byMemory = techCache.get(p);
  if (!byMemory) {
    byMemory = new Map();
    techCache.set(p, byMemory);
  }
  let t = byMemory.get(memory);
  if (!t) {
    t = memoized(buildTech(p, memory));
    byMemory.set(memory, t);
  }
  return t;
}

function memoized(t: Tech): Tech {
  const ops = new Map<string, number>();
  const mems = new Map<string, ReturnType<Tech['memoryJ']>>();
  return {
    ...t,
    opJ: (op, numeric, bits) => {
      const k = `${op}|${numeric}|${bits}`;
      let v = ops.get(k);
      if (v === undefined) {
        v = t.opJ(op, numeric, bits);
        ops.set(k, v);
      }
      return v;
    },
    memoryJ: (capacityBits, wordBits, operand) => {
      const k = `${capacityBits}|${wordBits}|${operand}`;
      let v = mems.get(k);
      if (v === undefined) {
        v = t.memoryJ(capacityBits, wordBits, operand);
        mems.set(k, v);
      }
      return v;
    },
  };
}

function buildTech(p: HardwareProfile, memory: boolean): Tech {
  const { from, to } = operatingPoints(p);
  const nodeFactor = nodeScaleFactor(from, to);
  const opBits = param(p, 'opBits');
  const c = p.constants;
  const opJ = (op: OpKind, numeric: Numeric, bits: number): number => {
    const add = (numeric === 'fp' ? c.fpAdd : c.intAdd).valueSI * widthFactor('add', opBits, bits);
    const mul = (numeric === 'fp' ? c.fpMul : c.intMul).valueSI * widthFactor('mul', opBits, bits);
    switch (op) {
      case 'mac':
        return (mul + add) * nodeFactor;
      case 'mul':
        return mul * nodeFactor;
      case 'ac':
      case 'add':
      case 'cmp': // a comparator is a subtractor (Yan et al.: E_CMP = E_SUB = E_ACC)
      case 'index':
        return add * nodeFactor;
      case 'exp':
      case 'log':
      case 'div': {
        const role = OP_EQUIVALENT_ROLE[op]!;
        const k = c[role];
        if (!k) throw new OutOfRangeError(`profile ${p.id}: op "${op}" needs the constant role ${role} (multiply-adds per ${op}, cost-models/tech/op-equivalents.yaml), which the profile does not bind`);
        return k.valueSI * (mul + add) * nodeFactor;
      }
      default:
        throw new OutOfRangeError(`profile ${p.id}: op "${op}" has no energy in this technology (only mac, mul, ac, add, cmp, index, exp, log, div)`);
    }
  };
  const used: Constant[] = [
    ...ARITHMETIC_ROLES.map((r) => c[r]),
    ...OP_EQUIVALENT_ROLES.flatMap((r) => (c[r] ? [c[r]] : [])),
    ...scalingConstantsUsed(from, to),
    ...(['add', 'mul'] as WidthRule[]).map(widthExponent),
  ];
  let memoryJ: Tech['memoryJ'] = () => {
    throw new Error(`profile ${p.id}: this model has no memory technology`);
  };
  if (memory) {
    const accessBits = param(p, 'accessBits');
    const sramMaxBits = param(p, 'sramMaxBits');
    const mode = (optionValue(p, 'sramMode') ?? 'fit-packed') as SramMode;
    const kindOf = (operand: MemoryOperand): MemoryKind => (optionValue(p, 'memoryKind', operand) ?? 'sram') as MemoryKind;
    memoryJ = (capacityBits: number, wordBits: number, operand: MemoryOperand) => {
      if (!(capacityBits >= 0 && Number.isFinite(capacityBits))) throw new OutOfRangeError(`profile ${p.id}: the ${operand} memory holds ${capacityBits} bits; a memory's capacity must be a finite number ≥ 0`);
      const packing = widthFactor('memory', accessBits, wordBits);
      const kind = kindOf(operand);
      if (kind === 'dram' || (kind === 'sram-spill-dram' && capacityBits > sramMaxBits)) return { level: 'dram', unitJ: c.dram.valueSI * packing };
      if (mode === 'flat-packed') return { level: 'sram', unitJ: c[PACKED_SRAM_ROLE].valueSI * nodeFactor * packing };
      if (capacityBits > sramMaxBits) {
        throw new OutOfRangeError(
          `profile ${p.id}: the ${operand} SRAM holds ${capacityBits} bits (${(capacityBits / 8 / 2 ** 20).toPrecision(3)} MiB), above sramMaxBits = ${sramMaxBits}, the largest SRAM the capacity fit is valid for; the fit is not extrapolated — if this operand lives off chip, declare it (options: memoryKind.${operand}: { value: dram, source: … }), or use sramMode flat-packed`,
        );
      }
      const fit = (c.sramSlope.valueSI * capacityBits + c.sramIntercept.valueSI) * nodeFactor;
      return { level: 'sram', unitJ: mode === 'fit-per-access' ? fit : fit * packing };
    };
    used.push(...MEMORY_ROLES.map((r) => c[r]), ...(c[PACKED_SRAM_ROLE] ? [c[PACKED_SRAM_ROLE]] : []), widthExponent('memory'));
  }
  return { nodeFactor, opJ, memoryJ, constants: used };
}

/** Horowitz's three 64-bit SRAM read points, piecewise linear in capacity between 8 KB and 1 MB (decimal). */
export function horowitzSramJ(capacityBytes: number, points: { readonly kb8: Constant; readonly kb32: Constant; readonly mb1: Constant }): number {
  const xs = [8_000, 32_000, 1_000_000];
  const ys = [points.kb8.valueSI, points.kb32.valueSI, points.mb1.valueSI];
  if (!(capacityBytes >= xs[0] && capacityBytes <= xs[2])) {
    throw new OutOfRangeError(`SRAM of ${capacityBytes} bytes is outside Horowitz's measured range 8 KB – 1 MB; the piecewise model does not extrapolate`);
  }
  const i = capacityBytes <= xs[1] ? 0 : 1;
  return ys[i] + ((ys[i + 1] - ys[i]) * (capacityBytes - xs[i])) / (xs[i + 1] - xs[i]);
}
