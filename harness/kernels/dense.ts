// Reference kernels for fully connected layers, in plain TypeScript over Float32Array.
// They skip zero inputs (MNIST is ~80% zeros), which changes the wall time, never the result
// or the ledger: counters come from geometry and activity, not from these loops.

/**
 * y = b + x · W for one sample; W is row-major [nIn][nOut]. Returns the number of nonzero inputs.
 */
export function denseAffine(x: Float32Array, w: Float32Array, b: Float32Array, nIn: number, nOut: number, y: Float32Array): number {
  y.set(b.subarray(0, nOut));
  let nonzero = 0;
  for (let i = 0; i < nIn; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    nonzero++;
    const row = i * nOut;
    for (let j = 0; j < nOut; j++) y[j] += xi * w[row + j];
  }
  return nonzero;
}

/** grad[i][j] += x[i] · delta[j] for every nonzero x[i] (the weight gradient of one sample). */
export function accumulateOuter(x: Float32Array, delta: Float32Array, nIn: number, nOut: number, grad: Float32Array): void {
  for (let i = 0; i < nIn; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * nOut;
    for (let j = 0; j < nOut; j++) grad[row + j] += xi * delta[j];
  }
}

/** out[i] = Σ_j W[i][j] · delta[j] (back-propagates delta through W). */
export function backpropInput(w: Float32Array, delta: Float32Array, nIn: number, nOut: number, out: Float32Array): void {
  for (let i = 0; i < nIn; i++) {
    const row = i * nOut;
    let s = 0;
    for (let j = 0; j < nOut; j++) s += w[row + j] * delta[j];
    out[i] = s;
  }
}

/** Adds row `i` of W ([nIn][nOut]) into acc: the work of one input spike. */
export function addRow(w: Float32Array, i: number, nOut: number, acc: Float32Array): void {
  const row = i * nOut;
  for (let j = 0; j < nOut; j++) acc[j] += w[row + j];
}

export function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}
