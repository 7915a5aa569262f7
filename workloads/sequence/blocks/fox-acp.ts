// FoX with adaptive computation pruning ('fox-acp'): Lin, Obando-Ceron, He & Courville, "Adaptive
// Computation Pruning for the Forgetting Transformer", COLM 2025 (arXiv 2504.06949), applied to the
// decode step of fox.ts's Forgetting Transformer attention (same parameters, same parallel form:
// training is FoX's, pruning is a decode-time rule whose error is bounded below).
//
// The rule, as the authors' code computes it (zhixuan-lin/forgetting-transformer, the README's ACP
// example and forgetting_attention's `adaptive_threshold`; zhixuan-lin/arctic-fox's Triton kernel): with
// the decay bias D_tj = c_t − c_j = Σ_{l=j+1..t} log f_l ≤ 0 and an upper bound U ≥ |q_t·k_j|/√dh on
// the attention logits, position j is pruned (its score, value and KV reads not done) when D_tj < δ,
// δ = −2U − log n + log ε (their `adaptive_threshold = −(2·logit_upper_bound + log(seq_len)) +
// log_pruning_tolerance`; the kernel skips key blocks while `decay < threshold`). The pruned softmax
// weights then sum to at most ε: each pruned term is ≤ e^{U+δ}, there are < n of them, and the
// normalizer is ≥ e^{s_tt} ≥ e^{−U} (D_tt = 0). Their U is max‖q‖·max‖k‖/√dh over the sequence per
// head (or from the QK-norm gains when the model has QK-norm); this FoX has no QK-norm, and a decode
// step knows its own query, so U_h = ‖q_h‖·max_{j≤t}‖k_j‖/√dh (no larger than theirs, still a bound:
// one running maximum of the key norms per KV head) and n = t + 1, the positions this step attends
// (theirs: the training sequence length; n ≤ it). ε = options.epsilon, e^−10 by default (their
// `log_pruning_tolerance = -10.0`). The output then differs from unpruned FoX by at most 2ε·max|v| per
// coordinate of o (o_full = (1 − w)·o_kept + w·o_pruned with w ≤ ε).
//
// Training: the authors prune in pretraining too (forward and backward kernels); here the model is
// trained as FoX is (trainsAs 'fox': the same weights, pruning only in the decoder). The pruned
// weights sum to ≤ ε either way, and the paper reports no loss from training with ACP.
//
// D_tj only decreases as j moves back (log f ≤ 0), so the pruned positions of a head are a prefix
// 0 … j₀−1: the decoder walks j = t−1, t−2, … reading c_j and stops at the first pruned j (it never
// reads c_j or k_j, v_j further back). Kept positions are scored exactly as FoX does (bias −c_j, one
// add per kept position), so with nothing pruned the output is FoX's, bit for bit.
//
// Step ledger at position t = L (n = L + 1), per step with kept = Σ_h k_h (kept positions per query
// head, current included), kvKept = Σ over KV heads of the largest k_h of its group (the cached keys
// and values read), examined = Σ_h (k_h − 1 + [k_h < n]) (the c_j read and tested):
//   projections, kv write 2·Hk·dh and the forget gate exactly as fox.ts;
//   mac acp-bound Hk·dh + H·dh (‖k‖² of the new key, ‖q_h‖²), cmp acp-bound Hk (running max of ‖k‖²),
//   log acp-bound 1 (log n), add acp-bound 1 + H (log ε − log n; δ_h), mul acp-bound 2H
//   (‖q‖²·max‖k‖², ·2/√dh), div acp-bound H (the square root, counted as one division as lm.ts counts
//   RMSNorm's 1/√·); state read and write Hk (the key-norm maxima);
//   add acp-test examined (D = c_t − c_j), cmp acp-test examined (D < δ), kv read examined (c_j);
//   mac score kept·dh, mul score-scale kept, add score-bias kept, softmax over k_h per head
//   (cmp kept − H, add 2·kept − H, exp kept, div H, mul kept), mac value kept·dh;
//   kv read 2·dh·kvKept.
// Stores: FoX's (weights; kv (L+1)·(2·Hk·dh + H)) and the key-norm maxima, state Hk.
// activity(): kept, kvKept, examined, pruned (= H·n − kept).
import { InputError } from '../../../core/errors.js';
import type { BlockConfig, BlockDecoder, BlockWeights, SequenceBlock, StepActivity } from '../block.js';
import type { StepCounts } from '../counter.js';
import { countsOf, StepCounter } from '../counter.js';
import { KvCache, attendSoftmax } from '../kv-cache.js';
import { dot } from '../ops.js';
import { attnDefaults, attnDims, mem, need, op, passCounts, projectionEntries, projectOut, projectQkv, softmaxEntries } from './block-sparse.js';
import { validateDense } from './attention-common.js';
import { forgetBiasTf, forgetGateEntries, foxParams, foxStores, LogForgets } from './fox.js';
import { softmaxParallel } from './softmax.js';

const ID = 'fox-acp';

/** ε of the pruning threshold when options.epsilon is not given (see the header). */
export const FOX_ACP_EPSILON = Math.exp(-10);

const acpStores = (cfg: BlockConfig, positions: number) => [...foxStores(cfg, positions), { operand: 'state' as const, words: cfg.kvHeads, bits: 32 }];

export function foxAcpDecoder(w: BlockWeights, cfg: BlockConfig, counter: StepCounter): BlockDecoder {
  const { d, H, Hk, g, dh, scale } = attnDims(cfg);
  const logEps = Math.log(cfg.options.epsilon ?? FOX_ACP_EPSILON);
  const twoScale = Math.fround(2 * scale);
  const cache = new KvCache(Hk, dh, counter);
  const c = new LogForgets(H);
  const kmax2 = new Float32Array(Hk); // max_j ‖k_j‖² per KV head
  let last: StepActivity = {};
  return {
    step(x: Float32Array): Float32Array {
      const t = cache.length;
      const n = t + 1;
      const { q, k, v } = projectQkv(counter, w, x, cfg);
      cache.append(k, v);
      c.append(counter, w, x, d);
      counter.read('state', Hk);
      for (let kvh = 0; kvh < Hk; kvh++) kmax2[kvh] = Math.max(kmax2[kvh], dot(counter, k, kvh * dh, k, kvh * dh, dh, 'acp-bound'));
      counter.op('cmp', 'acp-bound', Hk);
      counter.write('state', Hk);
      const base = Math.fround(logEps - Math.fround(Math.log(n)));
      counter.op('log', 'acp-bound', 1);
      counter.op('add', 'acp-bound', 1);
      const o = new Float32Array(H * dh);
      const scratch = new StepCounter();
      let kept = 0;
      let kvKept = 0;
      let examined = 0;
      for (let kvh = 0; kvh < Hk; kvh++) {
        let groupKept = 0;
        for (let i = 0; i < g; i++) {
          const h = kvh * g + i;
          const qq = dot(counter, q, h * dh, q, h * dh, dh, 'acp-bound');
          const delta = Math.fround(base - Math.fround(Math.fround(Math.sqrt(Math.fround(qq * kmax2[kvh]))) * twoScale));
          const ct = c.at(t, h);
          let j0 = t;
          for (let j = t - 1; j >= 0; j--) {
            examined++;
            if (Math.fround(ct - c.at(j, h)) < delta) break;
            j0 = j;
          }
          const positions = Array.from({ length: n - j0 }, (_, i) => j0 + i);
          kept += positions.length;
          groupKept = Math.max(groupKept, positions.length);
          o.set(attendSoftmax(scratch, cache, kvh, q, h * dh, positions, scale, (j) => -c.at(j, h)), h * dh);
        }
        kvKept += groupKept;
      }
      counter.op('mul', 'acp-bound', 2 * H);
      counter.op('div', 'acp-bound', H);
      counter.op('add', 'acp-bound', H);
      counter.op('add', 'acp-test', examined);
      counter.op('cmp', 'acp-test', examined);
      counter.read('kv', examined + 2 * dh * kvKept);
      passCounts(counter, scratch.take(), true);
      last = { kept, kvKept, examined, pruned: H * n - kept };
      return projectOut(counter, w, o, cfg);
    },
    activity: () => last,
    stores: () => acpStores(cfg, cache.length),
  };
}

export const foxAcpBlock: SequenceBlock = {
  id: ID,
  title: 'Forgetting Transformer attention with adaptive computation pruning (decode)',
  family: 'ann',
  source: 'Lin et al., "Adaptive Computation Pruning for the Forgetting Transformer", COLM 2025 (arXiv 2504.06949); FoX: arXiv 2503.02130',
  // training is FoX's (foxParams, FoX's parallel form); ε acts only in the decoder
  trainsAs: 'fox',
  defaults: (d) => attnDefaults(ID, d, { epsilon: FOX_ACP_EPSILON }),
  validate(cfg) {
    validateDense(ID, cfg, { epsilon: { lo: 0, hi: 1 } });
    if (cfg.options.epsilon === 0) throw new InputError(`${ID}: options.epsilon must be greater than 0 (the bound on the pruned attention weight; fox is the unpruned family)`);
  },
  params: (cfg) => foxParams(cfg),
  trainForward: (tf, w, x, cfg) => softmaxParallel(tf, w, x, cfg, forgetBiasTf(tf, w, x, cfg)),
  decoder: (w, cfg, counter) => foxAcpDecoder(w, cfg, counter),
  stepCounts(cfg: BlockConfig, L: number, a: StepActivity): StepCounts {
    const { H, Hk, dh } = attnDims(cfg);
    const kept = need(ID, a, 'kept');
    const kvKept = need(ID, a, 'kvKept');
    const examined = need(ID, a, 'examined');
    const proj = projectionEntries(cfg);
    const gate = forgetGateEntries(cfg);
    return countsOf({
      compute: [
        ...proj.compute,
        ...gate.compute,
        op('mac', 'acp-bound', (Hk + H) * dh),
        op('cmp', 'acp-bound', Hk),
        op('log', 'acp-bound', 1),
        op('add', 'acp-bound', 1 + H),
        op('mul', 'acp-bound', 2 * H),
        op('div', 'acp-bound', H),
        op('add', 'acp-test', examined),
        op('cmp', 'acp-test', examined),
        op('mac', 'score', kept * dh),
        op('mul', 'score-scale', kept),
        op('add', 'score-bias', kept),
        ...softmaxEntries(kept, H),
        op('mac', 'value', kept * dh),
      ],
      memory: [...proj.memory, ...gate.memory, mem('state', 'read', Hk), mem('state', 'write', Hk), mem('kv', 'read', examined + 2 * dh * kvKept)],
    });
  },
  storesAt: (cfg, L) => acpStores(cfg, L + 1),
};
