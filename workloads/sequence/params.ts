// Deterministic initialisation of a block's (or a model's) parameters from their ParamSpecs, drawn
// from the harness RNG (never tfjs' RNG), so a seed fixes every initial weight.
import type { Rng } from '../../core/rng.js';
import type { ParamSpec } from './block.js';

export function initParams(specs: readonly ParamSpec[], rng: Rng): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {};
  for (const s of specs) {
    if (out[s.name]) throw new Error(`parameter ${s.name} is declared twice`);
    const n = s.shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    const init = s.init;
    if (init === 'zeros') {
      // already zero
    } else if (init === 'ones') a.fill(1);
    else if (init === 'glorot') {
      const fanIn = s.shape[0];
      const fanOut = s.shape[s.shape.length - 1];
      const lim = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) a[i] = (2 * rng.next() - 1) * lim;
    } else if ('constant' in init) a.fill(init.constant);
    else {
      const [lo, hi] = init.uniform;
      for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.next();
    }
    out[s.name] = a;
  }
  return out;
}
