// Technology scaling of per-op energies: technology node and supply voltage (Stillmaker & Baas 2017:
// E(node, V) ∝ a·V² + b·V + c per node row), and bit width (E ∝ width^exponent: adders and memory
// words linearly, multipliers quadratically). Coefficients and exponents are data in cost-models/tech/
// (stillmaker-baas-2017.yaml, width-scaling.yaml). A node between two rows (22 nm, 28 nm …) is
// interpolated log-log between its neighbouring rows at the same supply: ln E is linear in ln(node)
// between E(lower row, V) and E(upper row, V) [I: joulebench's choice; the Stillmaker–Baas paper
// gives fits per node only]. Nodes outside the table (below 7 nm, above 130 nm) and voltages outside
// the declared range are refused, never extrapolated.
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
  return [builtinConstant(`${TABLE}/${nodeNm}nm-a`), builtinConstant(`${TABLE}/${nodeNm}nm-b`), builtinConstant(`${TABLE}/${nodeNm}nm-c`)];
}

/**
 * The table rows a node is priced from: itself when it is a row, else its two neighbouring rows
 * (`lower` the smaller node, `upper` the larger) with the log-log weight t = ln(n/lower)/ln(upper/lower)
 * of the upper row. A node outside the table's range is refused (OutOfRangeError), never extrapolated.
 */
export function nodeRows(nodeNm: number): { readonly exact: true; readonly node: number } | { readonly exact: false; readonly lower: number; readonly upper: number; readonly t: number } {
  const nodes = scalingNodes();
  if (nodes.includes(nodeNm)) return { exact: true, node: nodeNm };
  const min = nodes[nodes.length - 1];
  const max = nodes[0];
  if (!(nodeNm > min && nodeNm < max)) {
    throw new OutOfRangeError(`technology node ${nodeNm} nm is outside the Stillmaker–Baas table (${min}–${max} nm; rows at ${nodes.join(', ')} nm); nodes outside it are not extrapolated`);
  }
  const upper = Math.min(...nodes.filter((n) => n > nodeNm));
  const lower = Math.max(...nodes.filter((n) => n < nodeNm));
  return { exact: false, lower, upper, t: Math.log(nodeNm / lower) / Math.log(upper / lower) };
}

/** One sentence saying how a node is scaled: a table row, or interpolated log-log between which rows. */
export function nodeScalingText(nodeNm: number): string {
  const r = nodeRows(nodeNm);
  if (r.exact) return `${nodeNm} nm is a Stillmaker–Baas table row`;
  return `${nodeNm} nm is not a table row: interpolated log-log between the ${r.lower} nm and ${r.upper} nm rows (ln E linear in ln node, weight ${r.t.toFixed(3)} on ${r.upper} nm)`;
}

function rowEnergy(nodeNm: number, vddV: number): number {
  const [a, b, c] = coefficients(nodeNm);
  const e = a.valueSI * vddV * vddV + b.valueSI * vddV + c.valueSI;
  if (!(e > 0)) throw new OutOfRangeError(`the ${nodeNm} nm energy polynomial is not positive at ${vddV} V`);
  return e;
}

/**
 * The normalized energy a·V² + b·V + c of a node row at supply `vddV`; between rows, the log-log
 * interpolation exp((1 − t)·ln E(lower, V) + t·ln E(upper, V)) (see nodeRows).
 */
export function nodeEnergy(p: OperatingPoint): number {
  const lo = builtinConstant(`${TABLE}/vdd-min`).valueSI;
  const hi = builtinConstant(`${TABLE}/vdd-max`).valueSI;
  if (!(p.vddV >= lo && p.vddV <= hi)) throw new OutOfRangeError(`supply voltage ${p.vddV} V is outside the scaling model's range [${lo}, ${hi}] V`);
  const r = nodeRows(p.nodeNm);
  if (r.exact) return rowEnergy(r.node, p.vddV);
  return Math.exp((1 - r.t) * Math.log(rowEnergy(r.lower, p.vddV)) + r.t * Math.log(rowEnergy(r.upper, p.vddV)));
}

/** Factor that takes an energy measured at `from` to `to`: E(to) / E(from). */
export function nodeScaleFactor(from: OperatingPoint, to: OperatingPoint): number {
  return nodeEnergy(to) / nodeEnergy(from);
}

/** The coefficient constants a scaling between two points used (for the results' provenance list). */
export function scalingConstantsUsed(from: OperatingPoint, to: OperatingPoint): Constant[] {
  if (from.nodeNm === to.nodeNm && from.vddV === to.vddV) return [];
  const rows = new Set([from.nodeNm, to.nodeNm].flatMap((n) => {
    const r = nodeRows(n);
    return r.exact ? [r.node] : [r.lower, r.upper];
  }));
  return [...[...rows].flatMap((n) => coefficients(n)), builtinConstant(`${TABLE}/vdd-min`), builtinConstant(`${TABLE}/vdd-max`)];
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
