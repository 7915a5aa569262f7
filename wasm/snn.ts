// WebAssembly SIMD128 kernels (AssemblyScript) of the SNN backends' dense, conv and pooling synapses and
// their neurons, time-stepped and event-driven (harness/backends/snn.ts and snn-graph.ts, kernel 'wasm';
// loaded by harness/kernels/wasm.ts). The TypeScript kernels
// stay the reference: these reproduce them bit for bit (test/snn-wasm.test.ts).
// Exactness: every output lane j accumulates its input events in event order (SIMD over j only, as
// harness/kernels/dense.ts addRow adds rows one event at a time), and the neuron update repeats
// harness/neurons.ts stepNeuron's float32 roundings: an f32 add equals fround of the f64 add of two
// float32s; LIF's β·v is an f64 multiply (β a float64) demoted to f32, exactly Math.fround(beta * v);
// `v >= threshold` (a float64) is `v >= the smallest float32 >= threshold`; reset by subtraction of a
// threshold that is not a float32 goes through f64 as fround(v - threshold) does.
// Build: npm run build:wasm (AssemblyScript 0.28.20, pinned; the output is byte-reproducible and
// committed as wasm/snn.wasm, checked against a fresh build by the tests).

export function alloc(bytes: i32): usize {
  return heap.alloc(<usize>bytes);
}

/**
 * Zeroes the heap below `top` and frees every allocation (the stub runtime's heap reset): the host reuses
 * an instance whose memory pages are already mapped (first writes to fresh pages cost more than the run).
 */
export function resetHeap(top: usize): void {
  const base = (__heap_base + 15) & ~15;
  if (top > base) memory.fill(base, 0, top - base);
  heap.reset();
}

// Layer descriptor (one per layer, in linear memory), byte offsets:
//  0 nIn  4 nOut  8 nOutPad  12 w  16 b  20 v  24 ref  28 model(0 IF, 1 LIF, 2 CUBA)  32 reset(0 subtract, 1 zero)
// 36 spiking  40 refractory  44 thrIsF32  48 i (CUBA's currents)  52 pad  56 beta:f64  64 thr:f64  72 thrUp:f32
// 80 alpha:f64  88 eff (NeuroBench's effective fan-out per input, i32; 0: not counted by denseStep)
// and what runSteps needs to step the layer itself: 92 kind (0 dense, 1 conv, 2 pool)  96 acc  100 hwc
// 104 t1  108 t2  112 t3 (the conv's offsets/pairs, the pool's oOff/outs/inv)  116 K  120 Kpad  124 kk  128 HW
// 132 plane (output positions)  136 fan (synaptic fan-out per input position)  140 countEff (countEvents' eff)
// 144 out (the layer's output spike indices)
const D_NIN = 0, D_NOUT = 4, D_NPAD = 8, D_W = 12, D_B = 16, D_V = 20, D_REF = 24, D_MODEL = 28, D_RESET = 32;
const D_SPIKING = 36, D_REFR = 40, D_THRF32 = 44, D_I = 48, D_BETA = 56, D_THR = 64, D_THRUP = 72, D_ALPHA = 80, D_EFF = 88;
const D_KIND = 92, D_ACC = 96, D_HWC = 100, D_T1 = 104, D_T2 = 108, D_T3 = 112, D_K = 116, D_KPAD = 120, D_KK = 124;
const D_HW = 128, D_PLANE = 132, D_FAN = 136, D_CEFF = 140, D_OUT = 144;
export const LAYER_BYTES: i32 = 160;

/** fround(s · v) per lane for float32 v and a float64 s (splat in both f64x2 lanes): the f64 product demoted, as Math.fround(s * v). */
// @ts-ignore: decorator
@inline function scaleF64(v: v128, s: v128): v128 {
  const lo = f64x2.mul(f64x2.promote_low_f32x4(v), s);
  const hi = f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), s);
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

// scratch for the changed counter of one step
let gChanged: i32 = 0;
// counters of the last event-driven step (visited neurons) and catch-up
let gUpdates: i32 = 0;
// where the steps publish their counts (0: nowhere): f64 synaptic ops @0, f64 effective ops @8 (countEvents,
// denseStep), i32 changed potentials @16, i32 visited neurons @20 — read by the host without a call
let gStats: usize = 0;

export function setStats(p: usize): void { gStats = p; }

// @ts-ignore: decorator
@inline function publish(): void {
  if (gStats) {
    store<i32>(gStats, gChanged, 16);
    store<i32>(gStats, gUpdates, 20);
  }
}

// @ts-ignore: decorator
@inline function neuron4(d: usize, jj: i32, a: v128, outIdx: usize, ns: i32, nOut: i32): i32 {
  const off = <usize>jj << 2;
  const bp = load<usize>(d + D_B) + off;
  const vp = load<usize>(d + D_V) + off;
  const vv = v128.load(vp);
  const x = f32x4.add(v128.load(bp), a);          // fround(b + input)
  const lanes = nOut - jj >= 4 ? 0xf : (1 << (nOut - jj)) - 1;
  if (!load<i32>(d + D_SPIKING)) {
    const nv = f32x4.add(vv, x);
    v128.store(vp, nv);
    gChanged += popcnt<i32>(i32x4.bitmask(f32x4.ne(nv, vv)) & lanes);
    return ns;
  }
  let nv: v128;
  const model = load<i32>(d + D_MODEL);
  const ip = load<usize>(d + D_I) + off;
  let iv = f32x4.splat(0);
  let cur = f32x4.splat(0);
  if (model == 1) {
    nv = f32x4.add(scaleF64(vv, f64x2.splat(load<f64>(d + D_BETA))), x);
  } else if (model == 2) {
    // CUBA: i = fround(fround(α·i) + fround(b + input)); v = fround(fround(β·v) + i)
    iv = v128.load(ip);
    cur = f32x4.add(scaleF64(iv, f64x2.splat(load<f64>(d + D_ALPHA))), x);
    nv = f32x4.add(scaleF64(vv, f64x2.splat(load<f64>(d + D_BETA))), cur);
  } else {
    nv = f32x4.add(vv, x);
  }
  let sp = f32x4.ge(nv, f32x4.splat(load<f32>(d + D_THRUP)));
  let rs: v128;
  if (load<i32>(d + D_RESET) == 1) rs = f32x4.splat(0);
  else if (load<i32>(d + D_THRF32)) rs = f32x4.sub(nv, f32x4.splat(<f32>load<f64>(d + D_THR)));
  else {
    const thr = f64x2.splat(load<f64>(d + D_THR));
    const lo = f64x2.sub(f64x2.promote_low_f32x4(nv), thr);
    const hi = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(nv, nv, 2, 3, 0, 1)), thr);
    rs = i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
  }
  const refr = load<i32>(d + D_REFR);
  if (refr > 0) {
    const rp = load<usize>(d + D_REF) + off;
    const rv = v128.load(rp);
    const active = i32x4.eq(rv, i32x4.splat(0));
    sp = v128.and(sp, active);
    nv = v128.bitselect(nv, vv, active);
    // a refractory neuron keeps its current too
    cur = v128.bitselect(cur, iv, active);
    // ref-- where refractory, = refractory where it spikes
    const dec = i32x4.add(rv, v128.not(active)); // rv + (-1) on inactive lanes
    v128.store(rp, v128.bitselect(i32x4.splat(refr), dec, sp));
  }
  if (model == 2) v128.store(ip, cur);
  nv = v128.bitselect(rs, nv, sp);
  v128.store(vp, nv);
  gChanged += popcnt<i32>(i32x4.bitmask(f32x4.ne(nv, vv)) & lanes);
  let bits = i32x4.bitmask(sp) & lanes;
  while (bits) {
    store<i32>(outIdx + (<usize>ns << 2), jj + ctz<i32>(bits));
    ns++;
    bits &= bits - 1;
  }
  return ns;
}

/** One time step of a dense spiking (or read-out) layer: scatter the nIn events, update, list spikes. Returns the number of spikes. */
export function denseStep(d: usize, idx: usize, nIn: i32, outIdx: usize): i32 {
  const nOut = load<i32>(d + D_NOUT);
  const nOutPad = load<i32>(d + D_NPAD);
  const w = load<usize>(d + D_W);
  const rowBytes = <usize>nOutPad << 2;
  let ns = 0;
  gChanged = 0;
  const eff = load<usize>(d + D_EFF);
  if (gStats && eff) {
    // the step's counts: every event reaches all nOut outputs; NeuroBench's effective ops from the table
    let e: i64 = 0;
    for (let k = 0; k < nIn; k++) e += load<i32>(eff + (<usize>load<i32>(idx + (<usize>k << 2)) << 2));
    store<f64>(gStats, <f64>nIn * <f64>nOut);
    store<f64>(gStats, <f64>e, 8);
  }
  let j0 = 0;
  for (; j0 + 32 <= nOutPad; j0 += 32) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
    const base = w + (<usize>j0 << 2);
    for (let e = 0; e < nIn; e++) {
      const r = base + <usize>load<i32>(idx + (<usize>e << 2)) * rowBytes;
      a0 = f32x4.add(a0, v128.load(r, 0)); a1 = f32x4.add(a1, v128.load(r, 16));
      a2 = f32x4.add(a2, v128.load(r, 32)); a3 = f32x4.add(a3, v128.load(r, 48));
      a4 = f32x4.add(a4, v128.load(r, 64)); a5 = f32x4.add(a5, v128.load(r, 80));
      a6 = f32x4.add(a6, v128.load(r, 96)); a7 = f32x4.add(a7, v128.load(r, 112));
    }
    ns = neuron4(d, j0, a0, outIdx, ns, nOut); ns = neuron4(d, j0 + 4, a1, outIdx, ns, nOut);
    ns = neuron4(d, j0 + 8, a2, outIdx, ns, nOut); ns = neuron4(d, j0 + 12, a3, outIdx, ns, nOut);
    ns = neuron4(d, j0 + 16, a4, outIdx, ns, nOut); ns = neuron4(d, j0 + 20, a5, outIdx, ns, nOut);
    ns = neuron4(d, j0 + 24, a6, outIdx, ns, nOut); ns = neuron4(d, j0 + 28, a7, outIdx, ns, nOut);
  }
  for (; j0 < nOutPad; j0 += 4) {
    let a = f32x4.splat(0);
    const base = w + (<usize>j0 << 2);
    for (let e = 0; e < nIn; e++) a = f32x4.add(a, v128.load(base + <usize>load<i32>(idx + (<usize>e << 2)) * rowBytes));
    ns = neuron4(d, j0, a, outIdx, ns, nOut);
  }
  publish();
  return ns;
}

export function lastChanged(): i32 { return gChanged; }

/** The neuron update of a layer whose input current is already in memory (acc, nOutPad floats): spikes out, returns count. */
export function neuronStep(d: usize, acc: usize, outIdx: usize): i32 {
  const nOut = load<i32>(d + D_NOUT);
  const nOutPad = load<i32>(d + D_NPAD);
  gChanged = 0;
  let ns = 0;
  for (let j = 0; j < nOutPad; j += 4) ns = neuron4(d, j, v128.load(acc + (<usize>j << 2)), outIdx, ns, nOut);
  publish();
  return ns;
}

/** A layer's neuron parameters and state pointers, read once per call (the scalar, event-driven path). */
@unmanaged class Cell {
  v: usize = 0; b: usize = 0; r: usize = 0; i: usize = 0;
  model: i32 = 0; zero: bool = false; spiking: bool = false; refr: i32 = 0;
  beta: f64 = 0; alpha: f64 = 0; thr: f64 = 0; thrUp: f32 = 0;
}
// in static memory, not on the heap: resetHeap frees the whole heap
const gCell = changetype<Cell>(memory.data(offsetof<Cell>(), 16));

// @ts-ignore: decorator
@inline function loadCell(d: usize): Cell {
  const c = gCell;
  c.v = load<usize>(d + D_V); c.b = load<usize>(d + D_B); c.r = load<usize>(d + D_REF); c.i = load<usize>(d + D_I);
  c.model = load<i32>(d + D_MODEL); c.zero = load<i32>(d + D_RESET) == 1; c.spiking = load<i32>(d + D_SPIKING) != 0;
  c.refr = load<i32>(d + D_REFR); c.beta = load<f64>(d + D_BETA); c.alpha = load<f64>(d + D_ALPHA);
  c.thr = load<f64>(d + D_THR); c.thrUp = load<f32>(d + D_THRUP);
  return c;
}

/**
 * harness/neurons.ts stepNeuron for neuron j on input x, scalar: returns 1 when it spikes; adds 1 to
 * gChanged when `count` and its potential changed.
 */
// @ts-ignore: decorator
@inline function neuron1(c: Cell, j: i32, x: f32, count: bool): i32 {
  const off = <usize>j << 2;
  const vp = c.v + off;
  const v0 = load<f32>(vp);
  const bx: f32 = load<f32>(c.b + off) + x;
  if (!c.spiking) {
    const nv: f32 = v0 + bx;
    store<f32>(vp, nv);
    if (count && nv != v0) gChanged++;
    return 0;
  }
  const rp = c.r + off;
  const r = load<i32>(rp);
  if (r > 0) {
    store<i32>(rp, r - 1);
    return 0;
  }
  let v: f32;
  if (c.model == 2) {
    const ip = c.i + off;
    const cur: f32 = <f32>(c.alpha * <f64>load<f32>(ip)) + bx;
    store<f32>(ip, cur);
    v = <f32>(c.beta * <f64>v0) + cur;
  } else if (c.model == 1) v = <f32>(c.beta * <f64>v0) + bx;
  else v = v0 + bx;
  let spike = 0;
  if (v >= c.thrUp) {
    v = c.zero ? <f32>0 : <f32>(<f64>v - c.thr);
    store<i32>(rp, c.refr);
    spike = 1;
  }
  store<f32>(vp, v);
  if (count && v != v0) gChanged++;
  return spike;
}

/**
 * Steps neuron j with zero input over steps from … to − 1 (counting changed potentials after step 0).
 * Exact shortcut: once a step leaves its state (v, i, refractory count) bit for bit as it was without a
 * spike, every later zero-input step would too, so the rest are skipped (they change nothing).
 */
// @ts-ignore: decorator
@inline function catchUpOne(c: Cell, j: i32, from: i32, to: i32): void {
  const off = <usize>j << 2;
  for (let u = from; u < to; u++) {
    const v0 = load<f32>(c.v + off);
    const vb = load<u32>(c.v + off);
    const r0 = load<i32>(c.r + off);
    const i0 = load<u32>(c.i + off);
    if (neuron1(c, j, 0, u > 0)) continue;
    if (load<f32>(c.v + off) == v0 && load<u32>(c.v + off) == vb && load<i32>(c.r + off) == r0 && (c.model != 2 || load<u32>(c.i + off) == i0)) break;
  }
}

/**
 * One event-driven step t of a layer (harness/backends/snn.ts's event-driven loop): a neuron is visited
 * when an input event reached it or it is self-active; a visited neuron first catches up the steps it
 * was skipped since last[j] (zero input), then steps on acc[j]. Neuron j = k·plane + o (channel k,
 * position o) is reached when mark[(k / Kg)·plane + o] ≠ 0 — a convolution marks positions per group of
 * Kg channels, a pooling every output (Kg = 1), a dense layer all (`all`, or nothing when no event came).
 * Four neighbours all visited and up to date step together (SIMD, as time-stepped execution does).
 * Spikes to outIdx in ascending order, returns their count; publishes the visited neurons and the
 * potentials that changed at steps after the first (the catch-ups' included).
 */
export function eventStep(d: usize, acc: usize, mark: usize, all: bool, plane: i32, Kg: i32, last: usize, t: i32, outIdx: usize): i32 {
  const c = loadCell(d);
  const nOut = load<i32>(d + D_NOUT);
  gChanged = 0;
  gUpdates = 0;
  let ns = 0;
  let k = 0;
  let o = 0;
  let row = mark;
  // a quad's 4 marks lie in one row when the rows are whole quads
  const quads = (plane & 3) == 0;
  const zero = i32x4.splat(0);
  const thrUp = f32x4.splat(c.thrUp);
  const prev = i32x4.splat(t - 1);
  for (let j0 = 0; j0 < nOut; j0 += 4) {
    const n4 = min(4, nOut - j0);
    const lanes = (1 << n4) - 1;
    const off = <usize>j0 << 2;
    let visit = lanes;
    if (!all) {
      let m = 0;
      if (quads) {
        m = i8x16.bitmask(i8x16.ne(v128.load32_zero(row + <usize>o), zero)) & 0xf;
        o += 4;
        if (o == plane) {
          o = 0;
          k++;
          row = mark + <usize>((k / Kg) * plane);
        }
      } else {
        for (let q = 0; q < n4; q++) {
          if (load<u8>(row + <usize>o) != 0) m |= 1 << q;
          if (++o == plane) {
            o = 0;
            k++;
            row = mark + <usize>((k / Kg) * plane);
          }
        }
      }
      // harness/neurons.ts selfActive, four lanes at once
      const b = v128.load(c.b + off);
      let self: v128;
      if (!c.spiking) self = f32x4.ne(b, f32x4.splat(0));
      else {
        self = v128.or(v128.or(f32x4.gt(b, f32x4.splat(0)), f32x4.ge(v128.load(c.v + off), thrUp)), i32x4.gt_s(v128.load(c.r + off), zero));
        if (c.model == 2) self = v128.or(self, f32x4.ne(v128.load(c.i + off), f32x4.splat(0)));
      }
      visit = (m | i32x4.bitmask(self)) & lanes;
      if (visit == 0) continue;
    }
    const upToDate = i32x4.bitmask(i32x4.eq(v128.load(last + off), prev));
    if (t > 0 && visit == lanes && (upToDate & lanes) == lanes) {
      ns = neuron4(d, j0, v128.load(acc + off), outIdx, ns, nOut);
      v128.store(last + off, i32x4.splat(t));
      gUpdates += n4;
      continue;
    }
    for (let q = 0; q < n4; q++) {
      if (!(visit & (1 << q))) continue;
      const j = j0 + q;
      const lp = last + (<usize>j << 2);
      catchUpOne(c, j, load<i32>(lp) + 1, t);
      if (neuron1(c, j, load<f32>(acc + (<usize>j << 2)), t > 0)) {
        store<i32>(outIdx + (<usize>ns << 2), j);
        ns++;
      }
      store<i32>(lp, t);
      gUpdates++;
    }
  }
  publish();
  return ns;
}

/** The end of a sample: every neuron steps (zero input) from its last visit to step T − 1; returns the potentials that changed after the first step. */
export function catchUp(d: usize, last: usize, T: i32): i32 {
  const c = loadCell(d);
  const nOut = load<i32>(d + D_NOUT);
  gChanged = 0;
  for (let j = 0; j < nOut; j++) {
    const lp = last + (<usize>j << 2);
    catchUpOne(c, j, load<i32>(lp) + 1, T);
    store<i32>(lp, T - 1);
  }
  publish();
  return gChanged;
}

/** mark[(c / Cg)·plane + o] = 1 for every output position o a convolution's events reach (all Kg channels of c's group: harness/exec.ts markTargets). */
export function convMark(offsets: usize, pairs: usize, HW: i32, plane: i32, Cg: i32, idx: usize, nIn: i32, mark: usize): void {
  for (let e = 0; e < nIn; e++) {
    const i = load<i32>(idx + (<usize>e << 2));
    const c = i / HW;
    const p = i - c * HW;
    const row = mark + <usize>((c / Cg) * plane);
    const q1 = load<i32>(offsets + (<usize>(p + 1) << 2));
    for (let q = load<i32>(offsets + (<usize>p << 2)); q < q1; q++) store<u8>(row + <usize>load<i32>(pairs + (<usize>q << 3), 4), 1);
  }
}

/** mark[c·outPlane + o] = 1 for every output an average pooling's events reach. */
export function poolMark(oOff: usize, outs: usize, HW: i32, outPlane: i32, idx: usize, nIn: i32, mark: usize): void {
  for (let e = 0; e < nIn; e++) {
    const i = load<i32>(idx + (<usize>e << 2));
    const c = i / HW;
    const p = i - c * HW;
    const q1 = load<i32>(oOff + (<usize>(p + 1) << 2));
    for (let q = load<i32>(oOff + (<usize>p << 2)); q < q1; q++) store<u8>(mark + <usize>(c * outPlane + load<i32>(outs + (<usize>q << 2))), 1);
  }
}

/**
 * The counts of one layer step's nIn input events (harness/backends/snn.ts's reference loop): synaptic
 * operations — nIn · fanConst for a dense layer (HW = 0), else the sum of fan[i mod HW] — and
 * NeuroBench's effective operations, the sum of eff[i] (eff = 0: none). Written as f64 to stats[0], stats[1].
 */
export function countEvents(idx: usize, nIn: i32, fan: usize, HW: i32, fanConst: i32, eff: usize, stats: usize): void {
  let syn: f64 = 0;
  let e: i64 = 0;
  if (HW == 0) syn = <f64>nIn * <f64>fanConst;
  else {
    let acc: i64 = 0;
    for (let k = 0; k < nIn; k++) {
      const i = load<i32>(idx + (<usize>k << 2));
      acc += load<i32>(fan + (<usize>(i % HW) << 2));
    }
    syn = <f64>acc;
  }
  if (eff) for (let k = 0; k < nIn; k++) e += load<i32>(eff + (<usize>load<i32>(idx + (<usize>k << 2)) << 2));
  store<f64>(stats, syn);
  store<f64>(stats, <f64>e, 8);
}

/**
 * Rate coding of one sample for T steps, bit-exact with harness/encoders.ts rateEncoder + core/rng.ts
 * (sfc32-like generator; next() = u32 / 2^32, spike when next() < p, drawn only for pixels with p > 0,
 * in ascending pixel order). x: the sample's n inputs (float32 probabilities), whose inputs with p > 0 are
 * gathered into the scratch nzIdx/nzP (ascending; nzP the u32 bound of a spiking draw, drawBound) four at a time, a quad with none skipped.
 * state: 4 u32 (a, b, c, d) after seeding and warm-up, updated in place. Writes events and counts.
 */
// 16 bytes of scratch: one quad's draw bounds
const gQuad: usize = memory.data(16, 16);

export function encodeRate(x: usize, n: i32, nzIdx: usize, nzP: usize, T: i32, state: usize, evIdx: usize, evCounts: usize): i32 {
  let nnz = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    let bits = i32x4.bitmask(f32x4.gt(v, f32x4.splat(0)));
    if (!bits) continue;
    // the quad's four bounds at once (drawBound per lane: ⌈p·2^32⌉ − 1 in f64, saturated to a u32)
    const scale = f64x2.splat(4294967296.0);
    const one = f64x2.splat(1.0);
    const lo = f64x2.sub(f64x2.ceil(f64x2.mul(f64x2.promote_low_f32x4(v), scale)), one);
    const hi = f64x2.sub(f64x2.ceil(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), scale)), one);
    v128.store(gQuad, i64x2.shuffle(i32x4.trunc_sat_f64x2_u_zero(lo), i32x4.trunc_sat_f64x2_u_zero(hi), 0, 2));
    while (bits) {
      const lane = ctz<i32>(bits);
      store<i32>(nzIdx + (<usize>nnz << 2), i + lane);
      store<u32>(nzP + (<usize>nnz << 2), load<u32>(gQuad + (<usize>lane << 2)));
      nnz++;
      bits &= bits - 1;
    }
  }
  for (; i < n; i++) {
    const p = load<f32>(x + (<usize>i << 2));
    if (p > 0) {
      store<i32>(nzIdx + (<usize>nnz << 2), i);
      store<u32>(nzP + (<usize>nnz << 2), drawBound(p));
      nnz++;
    }
  }
  return encodeNonzero(nzIdx, nzP, nnz, T, state, evIdx, evCounts);
}

/**
 * The largest draw r (a u32) that spikes at probability p > 0: r / 2^32 < p ⟺ r < p·2^32 (both exact in
 * f64) ⟺ r ≤ ⌈p·2^32⌉ − 1 for an integer r; p ≥ 1 spikes at every draw.
 */
// @ts-ignore: decorator
@inline function drawBound(p: f32): u32 {
  const x = <f64>p * 4294967296.0;
  return x >= 4294967296.0 ? 0xffffffff : <u32>(<u64>Math.ceil(x) - 1);
}

/** drawBound, exported for its test. */
export function rateDrawBound(p: f32): u32 {
  return drawBound(p);
}

// @ts-ignore: decorator
@inline function encodeNonzero(nzIdx: usize, nzP: usize, nnz: i32, T: i32, state: usize, evIdx: usize, evCounts: usize): i32 {
  let a = load<u32>(state), b = load<u32>(state, 4), c = load<u32>(state, 8), d = load<u32>(state, 12);
  let n = 0;
  for (let t = 0; t < T; t++) {
    let k = 0;
    for (let q = 0; q < nnz; q++) {
      const r = a + b + d;
      d = d + 1;
      a = b ^ (b >>> 9);
      b = c + (c << 3);
      c = (c << 21) | (c >>> 11);
      c = c + r;
      // branch-free: always write, advance when it spikes (r / 2^32 < p, as r ≤ its bound)
      store<i32>(evIdx + (<usize>n << 2), load<i32>(nzIdx + (<usize>q << 2)));
      const hit = <i32>(r <= load<u32>(nzP + (<usize>q << 2)));
      n += hit; k += hit;
    }
    store<i32>(evCounts + (<usize>t << 2), k);
  }
  store<u32>(state, a); store<u32>(state, b, 4); store<u32>(state, c, 8); store<u32>(state, d, 12);
  return n;
}

/**
 * A convolution's event scatter (a grouped one's weight runs padded with zeros to all K channels): for every input event i = c·HW + p and every (kernel offset,
 * output position) pair of p (harness/kernels/conv.ts planConv's offsets/pairs), the weight run
 * w[(c·kk + offset)·Kpad ..] of the K output channels is added at that output position of a channel-last
 * accumulator accHWC[o·Kpad + k] (zeroed first; SIMD over k). Each output element receives its adds in
 * event order, as convScatter adds them. Then accCHW[k·plane + o] = accHWC[o·Kpad + k] (the neuron order).
 */
export function convScatter(w: usize, K: i32, Kpad: i32, kk: i32, offsets: usize, pairs: usize, HW: i32, plane: i32, idx: usize, nIn: i32, accHWC: usize, accCHW: usize): void {
  memory.fill(accHWC, 0, <usize>(plane * Kpad) << 2);
  scatterHWC(w, Kpad, kk, offsets, pairs, HW, idx, nIn, accHWC);
  toCHW(accHWC, K, Kpad, plane, accCHW);
}

/** The event scatter of a convolution into a channel-last accumulator (SIMD over the Kpad output channels). */
// @ts-ignore: decorator
@inline function scatterHWC(w: usize, Kpad: i32, kk: i32, offsets: usize, pairs: usize, HW: i32, idx: usize, nIn: i32, accHWC: usize): void {
  const kb = <usize>Kpad << 2;
  for (let e = 0; e < nIn; e++) {
    const i = load<i32>(idx + (<usize>e << 2));
    const c = i / HW;
    const p = i - c * HW;
    const q1 = load<i32>(offsets + (<usize>(p + 1) << 2));
    const wc = w + <usize>(c * kk) * kb;
    for (let q = load<i32>(offsets + (<usize>p << 2)); q < q1; q++) {
      const wr = wc + <usize>load<i32>(pairs + (<usize>q << 3)) * kb;
      const ar = accHWC + <usize>load<i32>(pairs + (<usize>q << 3), 4) * kb;
      for (let k: usize = 0; k < kb; k += 16) v128.store(ar + k, f32x4.add(v128.load(ar + k), v128.load(wr + k)));
    }
  }
}

/** accCHW[k·plane + o] = accHWC[o·Kpad + k] for the K real channels. */
// @ts-ignore: decorator
@inline function toCHW(accHWC: usize, K: i32, Kpad: i32, plane: i32, accCHW: usize): void {
  for (let o = 0; o < plane; o++) {
    const s = accHWC + (<usize>(o * Kpad) << 2);
    for (let k = 0; k < K; k++) store<f32>(accCHW + (<usize>(k * plane + o) << 2), load<f32>(s + (<usize>k << 2)));
  }
}

/**
 * An average-pooling layer's event scatter (harness/exec.ts poolLayerPlan.scatter): each input event
 * i = c·HW + p adds 1/(taps of the window) to every output o of channel c whose window holds p
 * (outs[oOff[p] .. oOff[p+1]); inv[o] = 1/taps as a float64), the sum rounded to float32 as a
 * Float32Array store rounds `acc[x] += 1 / n`. acc (nOutPad floats) is zeroed first.
 */
export function poolScatter(oOff: usize, outs: usize, inv: usize, HW: i32, outPlane: i32, nOutPad: i32, idx: usize, nIn: i32, acc: usize): void {
  memory.fill(acc, 0, <usize>nOutPad << 2);
  poolAcc(oOff, outs, inv, HW, outPlane, idx, nIn, acc);
}

/**
 * acc[j] += the weight rows of the nIn events (rows of nOutPad floats), each output's adds in event order after its
 * current value. Outputs go 32 at a time (eight independent accumulators: one would wait on its own previous add
 * at every event), then the last 4 to 28 in one more pass.
 */
export function denseAcc(w: usize, nOutPad: i32, idx: usize, nIn: i32, acc: usize): void {
  const rowBytes = <usize>nOutPad << 2;
  let j0 = 0;
  for (; j0 + 32 <= nOutPad; j0 += 32) {
    const ap = acc + (<usize>j0 << 2);
    let a0 = v128.load(ap, 0), a1 = v128.load(ap, 16), a2 = v128.load(ap, 32), a3 = v128.load(ap, 48);
    let a4 = v128.load(ap, 64), a5 = v128.load(ap, 80), a6 = v128.load(ap, 96), a7 = v128.load(ap, 112);
    const base = w + (<usize>j0 << 2);
    for (let e = 0; e < nIn; e++) {
      const r = base + <usize>load<i32>(idx + (<usize>e << 2)) * rowBytes;
      a0 = f32x4.add(a0, v128.load(r, 0)); a1 = f32x4.add(a1, v128.load(r, 16));
      a2 = f32x4.add(a2, v128.load(r, 32)); a3 = f32x4.add(a3, v128.load(r, 48));
      a4 = f32x4.add(a4, v128.load(r, 64)); a5 = f32x4.add(a5, v128.load(r, 80));
      a6 = f32x4.add(a6, v128.load(r, 96)); a7 = f32x4.add(a7, v128.load(r, 112));
    }
    v128.store(ap, a0, 0); v128.store(ap, a1, 16); v128.store(ap, a2, 32); v128.store(ap, a3, 48);
    v128.store(ap, a4, 64); v128.store(ap, a5, 80); v128.store(ap, a6, 96); v128.store(ap, a7, 112);
  }
  const rest = (nOutPad - j0) >> 2;
  if (rest == 0) return;
  const ap = acc + (<usize>j0 << 2);
  let a0 = v128.load(ap, 0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0);
  if (rest > 1) a1 = v128.load(ap, 16);
  if (rest > 2) a2 = v128.load(ap, 32);
  if (rest > 3) a3 = v128.load(ap, 48);
  if (rest > 4) a4 = v128.load(ap, 64);
  if (rest > 5) a5 = v128.load(ap, 80);
  if (rest > 6) a6 = v128.load(ap, 96);
  const base = w + (<usize>j0 << 2);
  for (let e = 0; e < nIn; e++) {
    const r = base + <usize>load<i32>(idx + (<usize>e << 2)) * rowBytes;
    a0 = f32x4.add(a0, v128.load(r, 0));
    if (rest > 1) a1 = f32x4.add(a1, v128.load(r, 16));
    if (rest > 2) a2 = f32x4.add(a2, v128.load(r, 32));
    if (rest > 3) {
      a3 = f32x4.add(a3, v128.load(r, 48));
      if (rest > 4) a4 = f32x4.add(a4, v128.load(r, 64));
      if (rest > 5) a5 = f32x4.add(a5, v128.load(r, 80));
      if (rest > 6) a6 = f32x4.add(a6, v128.load(r, 96));
    }
  }
  v128.store(ap, a0, 0);
  if (rest > 1) v128.store(ap, a1, 16);
  if (rest > 2) v128.store(ap, a2, 32);
  if (rest > 3) v128.store(ap, a3, 48);
  if (rest > 4) v128.store(ap, a4, 64);
  if (rest > 5) v128.store(ap, a5, 80);
  if (rest > 6) v128.store(ap, a6, 96);
}

/** accCHW += a convolution's scatter of the nIn events: convScatter starting from accCHW's values (transposed in first). */
export function convAcc(w: usize, K: i32, Kpad: i32, kk: i32, offsets: usize, pairs: usize, HW: i32, plane: i32, idx: usize, nIn: i32, accHWC: usize, accCHW: usize): void {
  memory.fill(accHWC, 0, <usize>(plane * Kpad) << 2);
  for (let o = 0; o < plane; o++) {
    const d = accHWC + (<usize>(o * Kpad) << 2);
    for (let k = 0; k < K; k++) store<f32>(d + (<usize>k << 2), load<f32>(accCHW + (<usize>(k * plane + o) << 2)));
  }
  scatterHWC(w, Kpad, kk, offsets, pairs, HW, idx, nIn, accHWC);
  toCHW(accHWC, K, Kpad, plane, accCHW);
}

/** acc += an average-pooling layer's scatter of the nIn events (poolScatter without zeroing acc first). */
export function poolAcc(oOff: usize, outs: usize, inv: usize, HW: i32, outPlane: i32, idx: usize, nIn: i32, acc: usize): void {
  for (let e = 0; e < nIn; e++) {
    const i = load<i32>(idx + (<usize>e << 2));
    const c = i / HW;
    const p = i - c * HW;
    const q1 = load<i32>(oOff + (<usize>(p + 1) << 2));
    for (let q = load<i32>(oOff + (<usize>p << 2)); q < q1; q++) {
      const o = load<i32>(outs + (<usize>q << 2));
      const a = acc + (<usize>(c * outPlane + o) << 2);
      store<f32>(a, <f32>(<f64>load<f32>(a) + load<f64>(inv + (<usize>o << 3))));
    }
  }
}

// Group descriptor (a neuron group with parameters per neuron; harness/neurons.ts stepGroup), byte offsets:
//  0 n  4 nPad  8 model(0 IF, 1 LIF, 2 CUBA, 3 threshold)  12 reset(0 subtract, 1 zero)  16 v  20 i  24 bias(f32)
// 28 beta(f64)  32 alpha(f64)  36 thrUp(f32: the smallest float32 ≥ each threshold)  40 subtract(f64)
export const GROUP_BYTES: i32 = 48;

/** (lo, hi) f64 pairs of 4 lanes from a float64 array at p: s·v per lane, demoted: fround(s[j] · v[j]). */
// @ts-ignore: decorator
@inline function scaleLanes(v: v128, p: usize): v128 {
  const lo = f64x2.mul(f64x2.promote_low_f32x4(v), v128.load(p));
  const hi = f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)), v128.load(p, 16));
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

/**
 * One step of every neuron of a group on its summed input acc (nPad floats): stepGroup's update with
 * per-neuron β, α, threshold, subtraction and bias. Writes the spiking neurons' indices to outIdx and
 * returns how many; lastChanged() gives the neurons whose potential changed.
 */
export function groupStep(g: usize, acc: usize, outIdx: usize): i32 {
  const n = load<i32>(g), nPad = load<i32>(g, 4), model = load<i32>(g, 8), zero = load<i32>(g, 12);
  const vB = load<usize>(g, 16), iB = load<usize>(g, 20), bB = load<usize>(g, 24), betaB = load<usize>(g, 28);
  const alphaB = load<usize>(g, 32), thrB = load<usize>(g, 36), subB = load<usize>(g, 40);
  gChanged = 0;
  let ns = 0;
  for (let j = 0; j < nPad; j += 4) {
    const o4 = <usize>j << 2;
    const o8 = <usize>j << 3;
    const vv = v128.load(vB + o4);
    const x = f32x4.add(v128.load(bB + o4), v128.load(acc + o4));
    let nv: v128;
    if (model == 2) {
      const cur = f32x4.add(scaleLanes(v128.load(iB + o4), alphaB + o8), x);
      v128.store(iB + o4, cur);
      nv = f32x4.add(scaleLanes(vv, betaB + o8), cur);
    } else if (model == 1) nv = f32x4.add(scaleLanes(vv, betaB + o8), x);
    else if (model == 3) nv = x;
    else nv = f32x4.add(vv, x);
    const lanes = n - j >= 4 ? 0xf : (1 << (n - j)) - 1;
    const sp = f32x4.ge(nv, v128.load(thrB + o4));
    let rs: v128;
    if (zero) rs = f32x4.splat(0);
    else {
      const lo = f64x2.sub(f64x2.promote_low_f32x4(nv), v128.load(subB + o8));
      const hi = f64x2.sub(f64x2.promote_low_f32x4(i32x4.shuffle(nv, nv, 2, 3, 0, 1)), v128.load(subB + o8, 16));
      rs = i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
    }
    nv = v128.bitselect(rs, nv, sp);
    v128.store(vB + o4, nv);
    gChanged += popcnt<i32>(i32x4.bitmask(f32x4.ne(nv, vv)) & lanes);
    let bits = i32x4.bitmask(sp) & lanes;
    while (bits) {
      store<i32>(outIdx + (<usize>ns << 2), j + ctz<i32>(bits));
      ns++;
      bits &= bits - 1;
    }
  }
  return ns;
}

/**
 * One time-stepped step of layer d on the nIn input events at idx, as the host's step does it (harness/kernels/wasm.ts
 * WasmChain stepFrom): the step's counts to the stats block, the scatter, the neuron update. Returns its spike count.
 */
// @ts-ignore: decorator
@inline function layerStep(d: usize, idx: usize, nIn: i32): i32 {
  const kind = load<i32>(d + D_KIND);
  const out = load<usize>(d + D_OUT);
  const nOut = load<i32>(d + D_NOUT);
  if (kind == 0) {
    if (!load<usize>(d + D_EFF)) {
      // no effective fan-out table: denseStep counts nothing, every event reaches all outputs
      store<f64>(gStats, <f64>nIn * <f64>nOut);
      store<f64>(gStats, 0, 8);
    }
    return denseStep(d, idx, nIn, out);
  }
  const HW = load<i32>(d + D_HW);
  const plane = load<i32>(d + D_PLANE);
  const acc = load<usize>(d + D_ACC);
  countEvents(idx, nIn, load<usize>(d + D_FAN), HW, nOut, load<usize>(d + D_CEFF), gStats);
  if (kind == 1) {
    convScatter(load<usize>(d + D_W), load<i32>(d + D_K), load<i32>(d + D_KPAD), load<i32>(d + D_KK), load<usize>(d + D_T1), load<usize>(d + D_T2), HW, plane, idx, nIn, load<usize>(d + D_HWC), acc);
  } else {
    poolScatter(load<usize>(d + D_T1), load<usize>(d + D_T2), load<usize>(d + D_T3), HW, plane, load<i32>(d + D_NPAD), idx, nIn, acc);
  }
  return neuronStep(d, acc, out);
}

// what runSteps records per layer for the sample (f64 each, LAYER_TOTALS_BYTES apart): 0 synaptic ops, 8 effective
// ops, 16 input events, 24 output spikes, 32 potentials changed at steps 1 … T − 1 (all summed over the steps)
export const LAYER_TOTALS_BYTES: i32 = 40;

/**
 * A new sample (every state zeroed), then T time steps of the L layers of the chain at net (descriptors
 * LAYER_BYTES apart) on its input events (ev: every step's events in order, evCounts[t] of them at step t),
 * in one call: step t runs layer 0 on its events, layer l on layer l − 1's spikes. Writes each layer's totals
 * over the sample at totals + l·LAYER_TOTALS_BYTES, and adds its input events and output spikes of step t
 * to perStep[2·(l·T + t)] and perStep[2·(l·T + t) + 1] (f64, summed over the samples of a run).
 */
export function runSteps(net: usize, L: i32, T: i32, ev: usize, evCounts: usize, totals: usize, perStep: usize): void {
  for (let l = 0; l < L; l++) {
    const d = net + <usize>(l * LAYER_BYTES);
    const bytes = <usize>load<i32>(d + D_NPAD) << 2;
    memory.fill(load<usize>(d + D_V), 0, bytes);
    memory.fill(load<usize>(d + D_I), 0, bytes);
    memory.fill(load<usize>(d + D_REF), 0, bytes);
  }
  memory.fill(totals, 0, <usize>(L * LAYER_TOTALS_BYTES));
  let next = ev;
  for (let t = 0; t < T; t++) {
    let nIn = load<i32>(evCounts + (<usize>t << 2));
    let src = next;
    next += <usize>nIn << 2;
    for (let l = 0; l < L; l++) {
      const d = net + <usize>(l * LAYER_BYTES);
      const k = layerStep(d, src, nIn);
      const r = totals + <usize>(l * LAYER_TOTALS_BYTES);
      store<f64>(r, load<f64>(r) + load<f64>(gStats));
      store<f64>(r, load<f64>(r, 8) + load<f64>(gStats, 8), 8);
      store<f64>(r, load<f64>(r, 16) + <f64>nIn, 16);
      store<f64>(r, load<f64>(r, 24) + <f64>k, 24);
      if (t > 0) store<f64>(r, load<f64>(r, 32) + <f64>gChanged, 32);
      const ps = perStep + (<usize>(l * T + t) << 4);
      store<f64>(ps, load<f64>(ps) + <f64>nIn);
      store<f64>(ps, load<f64>(ps, 8) + <f64>k, 8);
      src = load<usize>(d + D_OUT);
      nIn = k;
    }
  }
}
