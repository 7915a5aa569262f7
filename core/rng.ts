// Seeded pseudo-random numbers. sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, as in
// PractRand) seeded through splitmix32, so any 32-bit seed gives a well-mixed independent stream.
// Results must not depend on Math.random: every stochastic choice draws from an explicit Rng.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * The generator's state [a, b, c, d] for these seed parts, after seeding and warm-up: where createRng's
 * stream starts (kernels that draw the same stream elsewhere, e.g. the WebAssembly rate encoder, start here).
 */
export function rngState(...seeds: number[]): Uint32Array {
  return rngStateInto(new Uint32Array(4), seeds);
}

/**
 * rngState written into `out` (4 words), allocating nothing: the per-sample seeding of a kernel that
 * draws createRng's stream in its own code (the WebAssembly rate encoder seeds once per sample).
 */
export function rngStateInto(out: Uint32Array, seeds: ArrayLike<number>): Uint32Array {
  // Fold all seed parts (e.g. run seed, sample index) into one stream seed.
  let h = 0x811c9dc5;
  for (let i = 0; i < seeds.length; i++) {
    const part = seeds[i];
    if (!Number.isInteger(part)) throw new Error(`rng seed part ${part} is not an integer`);
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(part / 0x100000000), 0x01000193) >>> 0;
  }
  // splitmix32 from h: the four state words
  let s = h;
  for (let k = 0; k < 4; k++) {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out[k] = (z ^ (z >>> 16)) >>> 0;
  }
  for (let i = 0; i < 12; i++) sfc32Step(out);
  return out;
}

/** One sfc32 step on the state [a, b, c, d] in place; returns the output word. */
function sfc32Step(st: Uint32Array): number {
  const a = st[0];
  const b = st[1];
  const c = st[2];
  const d = st[3];
  const t = (((a + b) >>> 0) + d) >>> 0;
  st[3] = d + 1;
  st[0] = b ^ (b >>> 9);
  st[1] = c + (c << 3);
  st[2] = ((c << 21) | (c >>> 11)) + t;
  return t;
}

export function createRng(...seeds: number[]): Rng {
  const st = rngState(...seeds);
  return {
    next: () => sfc32Step(st) / 0x100000000,
    int: (n: number) => Math.floor((sfc32Step(st) / 0x100000000) * n),
  };
}
