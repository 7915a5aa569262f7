// Izhikevich's look-up-table ("spiking") network, after github.com/izhikevich/SNN main.c and the
// Spiking Manifesto (arXiv:2512.11843), shared/reference/workloads.md §1. Plain TypeScript, Float32Array
// tables, every random choice from an explicit seeded stream (core/rng.ts).
//
// A LUT has n_t tables. Table i has n_c fixed random anchor pairs (a_ir, b_ir), a_ir ≠ b_ir, and a
// zero-initialised array S_i of 2^bits rows of y_dim floats. Its index for an input x:
//   u_ir = x[a_ir] − x[b_ir];  bit r of j_i is set when u_ir > 0;  r_min = argmin_r |u_ir| (kept for backward)
// and its output adds one row per table:  y += Σ_i S_i[j_i]  (a gather and adds, no multiplies).
//
// Network (main.c): a fixed random token embedder (vocab × n, uniform ±1, not learned) gives z[pos];
// per layer, every attention head reads x = z (a copy) and adds into z; then the FFN LUT adds into z
// (residual, z ← z + S(z)); the unembedder LUT (y_dim = vocab) gives logits, then a softmax.
// Attention head (one value LUT V with 2·n_c + p index bits): every position's index j(pos) is hashed
// with V's anchors (queries and keys share them: the V-index cache); a learned positional encoding
// PE[d][i][r] (d = pos − pos1, r < p) gives j_PE(d) by comparison with 0 (no anchors). For each
// query pos and every earlier pos1 < pos (causal, self excluded):
//   y[pos] += Σ_i S_i[(j_i(pos) << (n_c+p)) | (j_i(pos1) << p) | j_PE,i(pos − pos1)].
// Backward (surrogate gradient), per table and LUT application, with y_grad the gradient at the output:
//   j̄ = j XOR 2^{r_min};  g = y_grad·(S[j̄] − S[j]);  v = g·U′(u_min),  U′(u) = −½·sign(u)/(1+|u|)²
//   (sign(0) = −1);  x_grad[a_{r_min}] += v,  x_grad[b_{r_min}] −= v;  then S[j] −= lr·y_grad.
// In attention the flipped bit is that of the query or the key, whichever has the smaller |u_min|;
// when the PE's |u_min| is smaller than both, a PE gradient g_PE·U′ goes to PE[d][i][r_min] as well.
// Training step (model_training_step): a random window of C + 1 tokens, forward over all C
// positions, softmax, y_grad = p − onehot(next token) at every position, backward in reverse layer
// order (residual: each block adds its input gradient to the running one). Learning rate
// lr(t) = min(1/√(1+t), t/(W·√W)), W = warm-up steps (4000 in main.c).
import { InputError } from '../../../core/errors.js';
import type { Rng } from '../../../core/rng.js';
import { createRng } from '../../../core/rng.js';

export interface LutConfig {
  /** Context window C (positions per training window). */
  readonly context: number;
  /** Embedding width n. */
  readonly dim: number;
  readonly layers: number;
  /** Attention heads per layer; 0 = FFN-only. */
  readonly heads: number;
  /** false = attention-only (main.c's ablation with the FFN lines commented out). */
  readonly ffn: boolean;
  /** n_t: tables per LUT. */
  readonly tables: number;
  /** n_c: anchor comparisons per table (index bits of the FFN and unembedder; query and key parts of attention). */
  readonly comparisons: number;
  /** p: positional-encoding bits of the attention index. */
  readonly posBits: number;
  readonly vocab: number;
  /** W of the learning-rate schedule. */
  readonly warmupSteps: number;
}

/** A configuration that trains on 2 cores in about a minute per 1000 steps. */
export const DEFAULT_LUT: LutConfig = {
  context: 32,
  dim: 32,
  layers: 2,
  heads: 2,
  ffn: true,
  tables: 16,
  comparisons: 4,
  posBits: 3,
  vocab: 96,
  warmupSteps: 500,
};

export function checkLutConfig(c: LutConfig): void {
  const int = (name: string, v: number, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw new InputError(`LUT ${name} must be an integer in ${lo}…${hi}, got ${v}`);
  };
  int('context', c.context, 2, 1024);
  int('dim', c.dim, 2, 1024);
  int('layers', c.layers, 0, 64);
  int('heads', c.heads, 0, 64);
  int('tables', c.tables, 1, 1024);
  int('comparisons', c.comparisons, 1, 16);
  int('posBits', c.posBits, 0, 8);
  int('vocab', c.vocab, 2, 65536);
  int('warmupSteps', c.warmupSteps, 1, 1e9);
  if (c.heads > 0 && 2 * c.comparisons + c.posBits > 24) throw new InputError(`LUT attention index of 2·n_c + p = ${2 * c.comparisons + c.posBits} bits is too large (at most 24)`);
  if (c.layers > 0 && c.heads === 0 && !c.ffn) throw new InputError('a LUT layer needs attention heads or an FFN');
}

/** U′(u) of the surrogate U(u) = ½/(1+|u|), with sign(0) = −1 as in main.c. */
export function surrogateSlope(u: number): number {
  const s = u > 0 ? 1 : -1;
  const d = 1 + Math.abs(u);
  return (-0.5 * s) / (d * d);
}

/** lr(t) = min(1/√(1+t), t/(W·√W)): linear warm-up to 1/√W at t = W, then 1/√t (main.c, integer-division fix). */
export function learningRate(t: number, warmup: number): number {
  return Math.min(1 / Math.sqrt(1 + t), t / (warmup * Math.sqrt(warmup)));
}

/** n_t tables with n_c anchor pairs each over an input of `xDim`, 2^bits rows of `yDim` floats per table. */
export class Lut {
  readonly rows: number;
  /** Anchors, table-major: a[i·n_c + r]. */
  readonly a: Int32Array;
  readonly b: Int32Array;
  /** Rows, table-major: S[(i·rows + j)·yDim + k]. */
  readonly S: Float32Array;
  constructor(
    readonly tables: number,
    readonly comparisons: number,
    readonly bits: number,
    readonly xDim: number,
    readonly yDim: number,
    rng: Rng | null,
  ) {
    if (xDim < 2) throw new InputError(`a LUT needs an input of at least 2 elements for its anchor pairs, got ${xDim}`);
    this.rows = 2 ** bits;
    this.a = new Int32Array(tables * comparisons);
    this.b = new Int32Array(tables * comparisons);
    this.S = new Float32Array(tables * this.rows * yDim);
    if (rng) {
      for (let q = 0; q < this.a.length; q++) {
        this.a[q] = rng.int(xDim);
        let v = rng.int(xDim);
        while (v === this.a[q]) v = rng.int(xDim);
        this.b[q] = v;
      }
    }
  }

  /** Words of the table memory (n_t · 2^bits · y_dim). */
  get words(): number {
    return this.S.length;
  }
}

/** Indices j, r_min and u_min of one LUT at `positions` slots (slot-major: [slot·n_t + i]). */
export class LutCache {
  readonly j: Int32Array;
  readonly rMin: Int32Array;
  readonly uMin: Float32Array;
  constructor(
    positions: number,
    readonly tables: number,
  ) {
    this.j = new Int32Array(positions * tables);
    this.rMin = new Int32Array(positions * tables);
    this.uMin = new Float32Array(positions * tables);
  }
}

/** cache_index: hashes x[xOff … xOff + xDim) with the LUT's anchors into slot `slot`. */
export function cacheIndex(lut: Lut, x: Float32Array, xOff: number, cache: LutCache, slot: number): void {
  const { tables, comparisons: nc, a, b } = lut;
  for (let i = 0; i < tables; i++) {
    let j = 0;
    let rMin = 0;
    let uMin = Infinity;
    for (let r = 0; r < nc; r++) {
      const u = Math.fround(x[xOff + a[i * nc + r]] - x[xOff + b[i * nc + r]]);
      if (u > 0) j |= 1 << r;
      if (Math.abs(u) < Math.abs(uMin)) {
        rMin = r;
        uMin = u;
      }
    }
    const q = slot * tables + i;
    cache.j[q] = j;
    cache.rMin[q] = rMin;
    cache.uMin[q] = uMin;
  }
}

/** LUT_forward: y[yOff …] += Σ_i S_i[j_i]. Counts each table's row in `hits` (n_t·rows) when given. */
export function lutForward(lut: Lut, cache: LutCache, slot: number, y: Float32Array, yOff: number, hits: Uint32Array | null): void {
  const { tables, rows, yDim, S } = lut;
  for (let i = 0; i < tables; i++) {
    const j = cache.j[slot * tables + i];
    if (hits) hits[i * rows + j]++;
    const base = (i * rows + j) * yDim;
    for (let k = 0; k < yDim; k++) y[yOff + k] += S[base + k];
  }
}

/** LUT_backward: surrogate gradient onto x_grad[xOff …] and the SGD update of each table's row j. */
export function lutBackward(lut: Lut, cache: LutCache, slot: number, xGrad: Float32Array, xOff: number, yGrad: Float32Array, yOff: number, lr: number): void {
  const { tables, comparisons: nc, rows, yDim, S, a, b } = lut;
  for (let i = 0; i < tables; i++) {
    const q = slot * tables + i;
    const r = cache.rMin[q];
    const j = (i * rows + cache.j[q]) * yDim;
    const jBar = (i * rows + (cache.j[q] ^ (1 << r))) * yDim;
    let g = 0;
    for (let k = 0; k < yDim; k++) g += yGrad[yOff + k] * (S[jBar + k] - S[j + k]);
    const v = g * surrogateSlope(cache.uMin[q]);
    xGrad[xOff + a[i * nc + r]] += v;
    xGrad[xOff + b[i * nc + r]] -= v;
    for (let k = 0; k < yDim; k++) S[j + k] -= lr * yGrad[yOff + k];
  }
}

export class AttentionHead {
  /** The value LUT V, indexed by 2·n_c + p bits. */
  readonly V: Lut;
  /** PE[d][i][r], d < C (d = 0 unused), uniform ±1 at start. */
  readonly pe: Float32Array;
  readonly vCache: LutCache;
  readonly peCache: LutCache;
  constructor(
    readonly cfg: LutConfig,
    rng: Rng,
  ) {
    const { context: C, tables, comparisons, posBits, dim } = cfg;
    this.V = new Lut(tables, comparisons, 2 * comparisons + posBits, dim, dim, rng);
    this.pe = new Float32Array(C * tables * posBits);
    for (let q = 0; q < this.pe.length; q++) this.pe[q] = 2 * (rng.next() - 0.5);
    this.vCache = new LutCache(C, tables);
    this.peCache = new LutCache(C, tables);
    this.indexPositions();
  }

  /** cache_PE_index for every distance d: bit r set when PE[d][i][r] > 0. In inference these depend on parameters only (precomputed). */
  indexPositions(): void {
    const { context: C, tables, posBits: p } = this.cfg;
    for (let d = 0; d < C; d++) {
      for (let i = 0; i < tables; i++) {
        let j = 0;
        let rMin = 0;
        let uMin = Infinity;
        for (let r = 0; r < p; r++) {
          const u = this.pe[(d * tables + i) * p + r];
          if (u > 0) j |= 1 << r;
          if (Math.abs(u) < Math.abs(uMin)) {
            rMin = r;
            uMin = u;
          }
        }
        this.peCache.j[d * tables + i] = j;
        this.peCache.rMin[d * tables + i] = rMin;
        this.peCache.uMin[d * tables + i] = uMin;
      }
    }
  }

  /** Row index of table i for query q, key k: (j_Q << (n_c+p)) | (j_K << p) | j_PE(q − k). */
  private row(i: number, jq: number, jk: number, jpe: number): number {
    const { comparisons: nc, posBits: p } = this.cfg;
    return (i * this.V.rows + ((jq << (nc + p)) | (jk << p) | jpe)) * this.cfg.dim;
  }

  /** attention_forward over positions 0 … len−1: index every position of x, then add every causal pair's rows into y. */
  forward(x: Float32Array, y: Float32Array, len: number, hits: Uint32Array | null): void {
    const { tables, dim: n } = this.cfg;
    const V = this.V;
    const S = V.S;
    const jc = this.vCache.j;
    const jp = this.peCache.j;
    for (let pos = 0; pos < len; pos++) cacheIndex(V, x, pos * n, this.vCache, pos);
    for (let pos = 1; pos < len; pos++) {
      const yOff = pos * n;
      for (let pos1 = 0; pos1 < pos; pos1++) {
        const d = pos - pos1;
        for (let i = 0; i < tables; i++) {
          const base = this.row(i, jc[pos * tables + i], jc[pos1 * tables + i], jp[d * tables + i]);
          if (hits) hits[base / n]++;
          for (let k = 0; k < n; k++) y[yOff + k] += S[base + k];
        }
      }
    }
  }

  /**
   * attention_backward: per causal pair and table, the query's or the key's bit (smaller |u_min|) is
   * flipped and its surrogate gradient added to x_grad; the PE bit too when its |u_min| is the
   * smallest; row j updated. Then PE −= lr·PE_grad. Returns the PE flips taken (data-dependent work).
   */
  backward(xGrad: Float32Array, yGrad: Float32Array, lr: number, peGrad: Float32Array): number {
    const { context: C, tables, dim: n, comparisons: nc, posBits: p } = this.cfg;
    const V = this.V;
    const S = V.S;
    const vc = this.vCache;
    const pc = this.peCache;
    let flips = 0;
    peGrad.fill(0);
    for (let pos = 1; pos < C; pos++) {
      const yOff = pos * n;
      for (let pos1 = 0; pos1 < pos; pos1++) {
        const d = pos - pos1;
        for (let i = 0; i < tables; i++) {
          const qq = pos * tables + i;
          const qk = pos1 * tables + i;
          const qp = d * tables + i;
          const jq = vc.j[qq];
          const jk = vc.j[qk];
          const jpe = pc.j[qp];
          const j = this.row(i, jq, jk, jpe);
          const uq = vc.uMin[qq];
          const uk = vc.uMin[qk];
          const upe = pc.uMin[qp];
          // the query's bit when |u_Q| < |u_K|, else the key's
          const useQ = Math.abs(uq) < Math.abs(uk);
          const q = useQ ? qq : qk;
          const r = vc.rMin[q];
          const jBar = useQ ? this.row(i, jq ^ (1 << r), jk, jpe) : this.row(i, jq, jk ^ (1 << r), jpe);
          let g = 0;
          for (let k = 0; k < n; k++) g += yGrad[yOff + k] * (S[jBar + k] - S[j + k]);
          const v = g * surrogateSlope(useQ ? uq : uk);
          const xOff = (useQ ? pos : pos1) * n;
          xGrad[xOff + V.a[i * nc + r]] += v;
          xGrad[xOff + V.b[i * nc + r]] -= v;
          if (Math.abs(upe) < Math.abs(uq) && Math.abs(upe) < Math.abs(uk)) {
            flips++;
            const rp = pc.rMin[qp];
            const jBarPe = this.row(i, jq, jk, jpe ^ (1 << rp));
            let gp = 0;
            for (let k = 0; k < n; k++) gp += yGrad[yOff + k] * (S[jBarPe + k] - S[j + k]);
            peGrad[(d * tables + i) * p + rp] += gp * surrogateSlope(upe);
          }
          for (let k = 0; k < n; k++) S[j + k] -= lr * yGrad[yOff + k];
        }
      }
    }
    for (let q = 0; q < this.pe.length; q++) this.pe[q] -= lr * peGrad[q];
    return flips;
  }
}

export interface LutLayer {
  readonly heads: readonly AttentionHead[];
  readonly ffn: Lut | null;
  readonly ffnCache: LutCache;
}

/** Counts of the data-dependent work of one training window. */
export interface StepWork {
  /** PE flips per layer and head ([l·heads + h]). */
  readonly peFlips: Int32Array;
}

/** Row-hit counters per LUT (n_t·rows each), filled during evaluation. */
export interface LutHits {
  readonly heads: Uint32Array[][];
  readonly ffn: (Uint32Array | null)[];
  readonly unembed: Uint32Array;
}

export class LutNetwork {
  /** Token embedder, vocab × n, uniform ±1, fixed (main.c does not learn it). */
  readonly embed: Float32Array;
  readonly layers: LutLayer[];
  readonly unembed: Lut;
  readonly unembedCache: LutCache;
  /** Residual stream z (C × n), logits / output gradient (C × vocab), scratch. */
  readonly z: Float32Array;
  readonly out: Float32Array;
  private readonly x: Float32Array;
  private readonly xGrad: Float32Array;
  private readonly yGrad: Float32Array;
  private readonly peGrad: Float32Array;
  /** Training steps taken (the t of the learning-rate schedule). */
  step = 0;

  constructor(
    readonly cfg: LutConfig,
    seed: number,
  ) {
    checkLutConfig(cfg);
    const { context: C, dim: n, vocab, tables, comparisons } = cfg;
    const rng = createRng(seed, 0x1a7);
    this.embed = new Float32Array(vocab * n);
    for (let q = 0; q < this.embed.length; q++) this.embed[q] = 2 * (rng.next() - 0.5);
    this.layers = [];
    for (let l = 0; l < cfg.layers; l++) {
      const heads = Array.from({ length: cfg.heads }, () => new AttentionHead(cfg, rng));
      const ffn = cfg.ffn ? new Lut(tables, comparisons, comparisons, n, n, rng) : null;
      this.layers.push({ heads, ffn, ffnCache: new LutCache(C, tables) });
    }
    this.unembed = new Lut(tables, comparisons, comparisons, n, vocab, rng);
    this.unembedCache = new LutCache(C, tables);
    this.z = new Float32Array(C * n);
    this.out = new Float32Array(C * vocab);
    this.x = new Float32Array(C * n);
    this.xGrad = new Float32Array(C * n);
    this.yGrad = new Float32Array(C * n);
    this.peGrad = new Float32Array(C * tables * cfg.posBits);
  }

  /** Every LUT, in forward order (heads and FFN per layer, then the unembedder). */
  luts(): Lut[] {
    return [...this.layers.flatMap((L) => [...L.heads.map((h) => h.V), ...(L.ffn ? [L.ffn] : [])]), this.unembed];
  }

  newHits(): LutHits {
    const h = (lut: Lut) => new Uint32Array(lut.tables * lut.rows);
    return {
      heads: this.layers.map((L) => L.heads.map((hd) => h(hd.V))),
      ffn: this.layers.map((L) => (L.ffn ? h(L.ffn) : null)),
      unembed: h(this.unembed),
    };
  }

  /** model_forward over tokens[off … off+len): logits of every position in `out`. */
  forward(tokens: Uint8Array, off: number, len: number, hits: LutHits | null = null): void {
    const { dim: n, vocab } = this.cfg;
    const { z, x, out } = this;
    for (let pos = 0; pos < len; pos++) z.set(this.embed.subarray(tokens[off + pos] * n, tokens[off + pos] * n + n), pos * n);
    this.layers.forEach((L, l) => {
      if (L.heads.length > 0) {
        x.set(z.subarray(0, len * n));
        L.heads.forEach((h, hi) => h.forward(x, z, len, hits ? hits.heads[l][hi] : null));
      }
      if (L.ffn) {
        for (let pos = 0; pos < len; pos++) {
          cacheIndex(L.ffn, z, pos * n, L.ffnCache, pos);
          lutForward(L.ffn, L.ffnCache, pos, z, pos * n, hits ? hits.ffn[l] : null);
        }
      }
    });
    out.fill(0, 0, len * vocab);
    for (let pos = 0; pos < len; pos++) {
      cacheIndex(this.unembed, z, pos * n, this.unembedCache, pos);
      lutForward(this.unembed, this.unembedCache, pos, out, pos * vocab, hits ? hits.unembed : null);
    }
  }

  /** log2 p(tokens[off+pos+1]) at position pos from the logits of the last forward. */
  log2Prob(pos: number, target: number): number {
    const V = this.cfg.vocab;
    const o = this.out;
    let m = -Infinity;
    for (let k = 0; k < V; k++) if (o[pos * V + k] > m) m = o[pos * V + k];
    let s = 0;
    for (let k = 0; k < V; k++) s += Math.exp(o[pos * V + k] - m);
    return (o[pos * V + target] - m - Math.log(s)) / Math.LN2;
  }

  /**
   * model_training_step on tokens[off … off+C]: forward, softmax, y_grad = p − onehot, backward and
   * SGD updates at lr(t). Returns the window's mean cross-entropy (bits per character) before the update.
   */
  trainStep(tokens: Uint8Array, off: number, work: StepWork | null = null): number {
    const { context: C, dim: n, vocab: V } = this.cfg;
    const lr = learningRate(this.step, this.cfg.warmupSteps);
    this.forward(tokens, off, C);
    const out = this.out;
    let bits = 0;
    for (let pos = 0; pos < C; pos++) {
      let m = -Infinity;
      for (let k = 0; k < V; k++) if (out[pos * V + k] > m) m = out[pos * V + k];
      let s = 0;
      for (let k = 0; k < V; k++) {
        const e = Math.exp(out[pos * V + k] - m);
        out[pos * V + k] = e;
        s += e;
      }
      const t = tokens[off + pos + 1];
      bits -= Math.log2(out[pos * V + t] / s);
      for (let k = 0; k < V; k++) out[pos * V + k] /= s;
      out[pos * V + t] -= 1;
    }
    const { xGrad, yGrad } = this;
    xGrad.fill(0);
    for (let pos = 0; pos < C; pos++) lutBackward(this.unembed, this.unembedCache, pos, xGrad, pos * n, out, pos * V, lr);
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layers[l];
      if (L.ffn) {
        yGrad.set(xGrad);
        for (let pos = 0; pos < C; pos++) lutBackward(L.ffn, L.ffnCache, pos, xGrad, pos * n, yGrad, pos * n, lr);
      }
      if (L.heads.length > 0) {
        yGrad.set(xGrad);
        L.heads.forEach((h, hi) => {
          const f = h.backward(xGrad, yGrad, lr, this.peGrad);
          if (work) work.peFlips[l * L.heads.length + hi] += f;
          h.indexPositions();
        });
      }
    }
    this.step++;
    return bits / C;
  }

  /** Every learned parameter in a fixed order (tables, then positional encodings), for determinism checks. */
  parameters(): Float32Array[] {
    return [...this.luts().map((l) => l.S), ...this.layers.flatMap((L) => L.heads.map((h) => h.pe))];
  }
}
