// Technology scaling of per-op energies: technology node and supply voltage (Stillmaker & Baas 2017:
// E(node, V) ∝ a·V² + b·V + c per node row), and bit width (E ∝ width^exponent: adders and memory
// words linearly, multipliers quadratically). Coefficients and exponents are data in cost-models/tech/
// (stillmaker-baas-2017.yaml, width-scaling.yaml). Nodes between rows and voltages outside the declared
// range are refused, never interpolated or extrapolated.
import type { Constant } from './constants.js';
import { builtinConstant, builtinConstants } from './constants.js';
import { OutOfRangeError } from './model.js';

const TABLE = 'stillmaker-baas-2017';

let nodesOnce: number[] | undefined;

/** Nodes (nm) with a coefficient row, largest first (read once: the built-in constants do not change). */
export function scalingNodes(): number[] {
  if (nodesOnce !== undefined) return [...nodesOnce];
  const nodes = new Set<number>();
  for (const id of builtinConstants().keys()) {
    const m = new RegExp(`^${TABLE}/(\\d+)nm-a$`).exec(id);
    if (m) nodes.add(Number(m[1]));
  }
  nodesOnce = [...nodes].sort((a, b) => b - a);
  return [...nodesOnce];
}

export interface OperatingPoint {
  readonly nodeNm: number;
  readonly vddV: number;
}

function coefficients(nodeNm: number): [Constant, Constant, Constant] {
  const nodes = scalingNodes();
  if (!nodes.includes(nodeNm)) {
    throw new OutOfRangeError(`technology node ${nodeNm} nm has no Stillmaker–Baas coefficient row; use one of ${nodes.join(', ')} nm (nodes in between are not interpolated)`);
  }
  return [builtinConstant(`${TABLE}/${nodeNm}nm-a`), builtinConstant(`${TABLE}/${nodeNm}nm-b`), builtinConstant(`${TABLE}/${nodeNm}nm-c`)];
}

/** The normalized energy a·V² + b·V + c of one node row at supply `vddV`. */
export function nodeEnergy(p: OperatingPoint): number {
  const lo = builtinConstant(`${TABLE}/vdd-min`).valueSI;
  const hi = builtinConstant(`${TABLE}/vdd-max`).valueSI;
  if (!(p.vddV >= lo && p.vddV <= hi)) throw new OutOfRangeError(`supply voltage ${p.vddV} V is outside the scaling model's range [${lo}, ${hi}] V`);
  const [a, b, c] = coefficients(p.nodeNm);
  const e = a.valueSI * p.vddV * p.vddV + b.valueSI * p.vddV + c.valueSI;
  if (!(e > 0)) throw new OutOfRangeError(`the ${p.nodeNm} nm energy polynomial is not positive at ${p.vddV} V`);
  return e;
}

/** Factor that takes an energy measured at `from` to `to`: E(to) / E(from). */
export function nodeScaleFactor(from: OperatingPoint, to: OperatingPoint): number {
  return nodeEnergy(to) / nodeEnergy(from);
}

/** The coefficient constants a scaling between two points used (for the results' provenance list). */
export function scalingConstantsUsed(from: OperatingPoint, to: OperatingPoint): Constant[] {
  if (from.nodeNm === to.nodeNm && from.vddV === to.vddV) return [];
  const ids = new Set([from.nodeNm, to.nodeNm]);
  return [...[...ids].flatMap((n) => coefficients(n)), builtinConstant(`${TABLE}/vdd-min`), builtinConstant(`${TABLE}/vdd-max`)];
}

export type WidthRule = 'add' | 'mul' | 'memory';

export function widthExponent(rule: WidthRule): Constant {
  return builtinConstant(`width-scaling/${rule}-exponent`);
}

/** Factor that takes an energy at `fromBits` to `toBits`: (to/from)^exponent of the rule. */
export function widthFactor(rule: WidthRule, fromBits: number, toBits: number): number {
  if (!(fromBits > 0 && toBits > 0 && Number.isFinite(fromBits) && Number.isFinite(toBits))) throw new OutOfRangeError(`bit widths must be positive (got ${fromBits} → ${toBits})`);
  return (toBits / fromBits) ** widthExponent(rule).valueSI;
}
