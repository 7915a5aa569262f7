// The zero mixer: the ablation every family is measured against (issue 18). The same LM (lm.ts) with
// the mixer's output replaced by zero, so that no information passes between tokens: each position's
// prediction depends on its own token only (embedding → MLPs → head), a learned bigram model. A
// family whose bits per character or recall is no better than this row's has not learned to use its
// context.
//
//   y_t = 0 (length d), no parameters, no cache or state.
//
// Step ledger: empty — no op and no access of its own. The wrapper around it (lm.ts) still computes
// the pre-norm rms(h)·g1 and adds the zero output into the residual stream, and counts both in the
// mixer's ledger layer, as it does for every family: the row prices the LM with its mixer removed.
// Stores: none. activity(): none.
import type { Tensor3D } from '@tensorflow/tfjs-core';
import { InputError } from '../../../core/errors.js';
import type { BlockConfig, SequenceBlock } from '../block.js';
import { countsOf } from '../counter.js';

const ID = 'zero';

export const zeroBlock: SequenceBlock = {
  id: ID,
  title: 'Zero mixer (ablation: no information between tokens)',
  family: 'ann',
  source: 'ablation of this study (issue 18): the LM with the mixer output replaced by zero',
  defaults: (d) => ({ d, heads: 4, kvHeads: 4, headDim: d / 4, options: {} }),
  validate(cfg: BlockConfig): void {
    if (!Number.isInteger(cfg.d) || cfg.d < 1) throw new InputError(`${ID}: d must be a positive integer, got ${cfg.d}`);
    const extra = Object.keys(cfg.options);
    if (extra.length > 0) throw new InputError(`${ID}: options.${extra[0]} is not an option of ${ID}; it has none`);
  },
  params: () => [],
  trainForward: (tf, _w, x) => tf.zerosLike(x) as Tensor3D,
  decoder: (_w, cfg) => ({
    step: () => new Float32Array(cfg.d),
    activity: () => ({}),
    stores: () => [],
  }),
  stepCounts: () => countsOf({}),
  storesAt: () => [],
};
