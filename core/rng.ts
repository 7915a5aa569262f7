// Seeded pseudo-random numbers. sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, as in
// PractRand) seeded through splitmix32, so any 32-bit seed gives a well-mixed independent stream.
// Results must not depend on Math.random: every stochastic choice draws from an explicit Rng.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * The generator's state [a, b, c, d] for these seed parts, after seeding and warm-up: where createRng's
 * stream starts (kernels that draw the same stream elsewhere, e.g. the WebAssembly rate encoder, start here).
 */
export function rngState(...seeds: number[]): Uint32Array {
  const rng = sfc32(seeds);
  return Uint32Array.from(rng.state());
}

export function createRng(...seeds: number[]): Rng {
  const { u32 } = sfc32(seeds);
  return {
    next: () => u32() / 0x100000000,
    int: (n: number) => Math.floor((u32() / 0x100000000) * n),
  };
}

function sfc32(seeds: readonly number[]): { u32: () => number; state: () => number[] } {
  // Fold all seed parts (e.g. run seed, sample index) into one stream seed.
  let h = 0x811c9dc5;
  for (const part of seeds) {
    if (!Number.isInteger(part)) throw new Error(`rng seed part ${part} is not an integer`);
    h = Math.imul(h ^ (part >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(part / 0x100000000), 0x01000193) >>> 0;
  }
  const sm = splitmix32(h);
  let a = sm();
  let b = sm();
  let c = sm();
  let d = sm();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  return { u32, state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0] };
}
