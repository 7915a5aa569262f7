// Technology scaling of energies (Stillmaker & Baas 2017): E(node, V) ∝ a·V² + b·V + c with per-node
// coefficients from cost-models/tech/stillmaker-baas-2017.yaml. A constant measured at (node₀, V₀)
// moves to (node, V) by the ratio of the two polynomials. Only the tabulated nodes are accepted, and
// only voltages inside the fit's usual operating band: anything else is refused, not extrapolated.
import type { Constant } from './constants.js';
import { builtinConstants } from './constants.js';
import { OutOfRangeError } from './model.js';

/** Voltage band the scaling is trusted in (assumption: the fits cover nominal to near-threshold operation) [I]. */
export const VDD_RANGE_V = { min: 0.5, max: 1.2 } as const;

export function scalingNodes(constants: ReadonlyMap<string, Constant> = builtinConstants()): number[] {
  const nodes = new Set<number>();
  for (const id of constants.keys()) {
    const m = /^stillmaker-baas-2017\/energy-(\d+)nm-a$/.exec(id);
    if (m) nodes.add(Number(m[1]));
  }
  return [...nodes].sort((a, b) => b - a);
}

function coefficients(nodeNm: number, constants: ReadonlyMap<string, Constant>): [Constant, Constant, Constant] {
  const get = (k: string) => constants.get(`stillmaker-baas-2017/energy-${nodeNm}nm-${k}`);
  const a = get('a');
  const b = get('b');
  const c = get('c');
  if (!a || !b || !c) throw new OutOfRangeError(`technology node ${nodeNm} nm is not in the Stillmaker–Baas table (${scalingNodes(constants).join(', ')} nm); interpolation is not supported`);
  return [a, b, c];
}

/** The normalised energy a·V² + b·V + c at a node and supply voltage. */
export function energyPolynomial(nodeNm: number, vddV: number, constants: ReadonlyMap<string, Constant> = builtinConstants()): number {
  if (!(vddV >= VDD_RANGE_V.min && vddV <= VDD_RANGE_V.max)) throw new OutOfRangeError(`supply voltage ${vddV} V is outside the scaling model's range [${VDD_RANGE_V.min}, ${VDD_RANGE_V.max}] V`);
  const [a, b, c] = coefficients(nodeNm, constants);
  return a.value * vddV * vddV + b.value * vddV + c.value;
}

/** Factor that moves an energy from (fromNode, fromV) to (toNode, toV), and the coefficients it used. */
export function scaleFactor(from: { nodeNm: number; vddV: number }, to: { nodeNm: number; vddV: number }, constants: ReadonlyMap<string, Constant> = builtinConstants()): { factor: number; used: Constant[] } {
  const factor = energyPolynomial(to.nodeNm, to.vddV, constants) / energyPolynomial(from.nodeNm, from.vddV, constants);
  return { factor, used: [...coefficients(from.nodeNm, constants), ...coefficients(to.nodeNm, constants)] };
}

/** Energy per access scaled with word width: a w-bit word costs w/b of a b-bit access (packing, as SATA-Sim scales by b/16). */
export function widthFactor(wordBits: number, accessBits: number): number {
  if (!(wordBits > 0 && accessBits > 0)) throw new OutOfRangeError(`word widths must be positive (got ${wordBits} and ${accessBits} bits)`);
  return wordBits / accessBits;
}
