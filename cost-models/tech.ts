// The technology a hardware-aware profile binds: arithmetic energies (int/fp add and multiply at a
// reference width, scaled to any width), on-chip SRAM access energy as a function of the memory's
// capacity (Lemaire's linear fit to Horowitz's points, words packed into one access), DRAM beyond the
// largest SRAM the fit covers, and the node/voltage scaling of everything on chip.
//
// Division, exp and log have no energy of their own: each is k multiplies and k adds of its type and
// width (k × E_MAC), k a constant with provenance and a range (tech/op-equivalents.yaml, roles
// expMacs, logMacs, divMacs), so they scale with width and node like the MAC they are built from and
// the uncertainty analysis varies k like any other constant. A profile that binds no k for an op
// refuses ledgers that record it.
import type { Numeric, OpKind } from '../harness/ledger.js';
import type { Constant } from './constants.js';
import { OutOfRangeError } from './model.js';
import type { HardwareProfile, ProfileRequirements } from './profile.js';
import type { OperatingPoint, WidthRule } from './scaling.js';
import { nodeScaleFactor, scalingConstantsUsed, widthExponent, widthFactor } from './scaling.js';

/** Arithmetic roles: energies of one op at the profile's `opBits` width. */
export const ARITHMETIC_ROLES = ['intAdd', 'intMul', 'fpAdd', 'fpMul'] as const;
/** Multiply-add equivalents of division and transcendental ops (optional roles: unbound, the op is refused). */
export const OP_EQUIVALENT_ROLES = ['expMacs', 'logMacs', 'divMacs'] as const;
const OP_EQUIVALENT_ROLE: Readonly<Partial<Record<OpKind, (typeof OP_EQUIVALENT_ROLES)[number]>>> = { exp: 'expMacs', log: 'logMacs', div: 'divMacs' };
/** SRAM (per `accessBits` access, linear in capacity) and DRAM (per `accessBits` access). */
export const MEMORY_ROLES = ['sramSlope', 'sramIntercept', 'dram'] as const;

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
  sramMaxBits: { unit: 'bits', min: 1024, max: 1e9, integer: true },
};

export type MemoryLevel = 'sram' | 'dram';

export interface Tech {
  /** Scale factor from the constants' node/voltage to the profile's (applies on chip only). */
  readonly nodeFactor: number;
  /** Energy of one op of this kind, numeric type and width, at the profile's node (joules). */
  opJ(op: OpKind, numeric: Numeric, bits: number): number;
  /** Energy of one `wordBits` access to a memory of `capacityBits`, and the level that holds it. */
  memoryJ(capacityBits: number, wordBits: number): { readonly level: MemoryLevel; readonly unitJ: number };
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
    memoryJ: (capacityBits, wordBits) => {
      const k = `${capacityBits}|${wordBits}`;
      let v = mems.get(k);
      if (v === undefined) {
        v = t.memoryJ(capacityBits, wordBits);
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
    memoryJ = (capacityBits: number, wordBits: number) => {
      const packing = widthFactor('memory', accessBits, wordBits);
      if (capacityBits <= sramMaxBits) return { level: 'sram', unitJ: (c.sramSlope.valueSI * capacityBits + c.sramIntercept.valueSI) * nodeFactor * packing };
      return { level: 'dram', unitJ: c.dram.valueSI * packing };
    };
    used.push(...MEMORY_ROLES.map((r) => c[r]), widthExponent('memory'));
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
