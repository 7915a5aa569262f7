// Dense and convolution ops with hand-placed gradients, for tfjs' wasm backend (measured on this
// machine, 2 cores, wasm SIMD, one thread):
// - its BatchMatMul is ≈10× slower with a transposed operand (784×128 by 128×256: 21 ms against
//   2.0 ms for an explicit Transpose then a plain MatMul), and tfjs' built-in MatMul gradient uses
//   transposed operands; the dense op below transposes explicitly;
// - it lacks the Conv2DBackpropFilter kernel (tensorflow/tfjs#8474) and its Conv2DBackpropInput is a
//   generic loop (12× slower than the equivalent forward Conv2D); the conv op below computes both
//   gradients as forward convolutions.
// Tests check every gradient against tfjs' own kernels on the cpu backend.
//
// Dense: y = x·W;  ∂L/∂x = dy·Wᵀ;  ∂L/∂W = xᵀ·dy.
//
// Convolution, stride 1 (NHWC input, HWIO filter, symmetric zero padding); the standard identities
// (e.g. Dumoulin & Visin, "A guide to convolution arithmetic for deep learning", arXiv:1603.07285,
// §4), for padding p ≤ kernel − 1:
//
//   y[n,oy,ox,k]  = Σ_{fy,fx,c} xpad[n, oy+fy, ox+fx, c] · w[fy,fx,c,k]
//   ∂L/∂x         = conv(dy, w rotated 180° with c and k swapped, padding kernel − 1 − p)
//   ∂L/∂w[fy,fx,c,k] = Σ_{n,oy,ox} xpad[n, oy+fy, ox+fx, c] · dy[n,oy,ox,k]
//                 = conv(x as [C,H,W,N] images, dy as a [OY,OX,N,K] filter, padding p) → [C,FY,FX,K]
import type { GradSaveFunc, Tensor, Tensor2D, Tensor4D } from '@tensorflow/tfjs-core';
import type { Tf } from './tf.js';

export interface ConvGeometry {
  /** Zero padding [top = bottom, left = right]. */
  readonly padding: readonly [number, number];
  readonly kernel: readonly [number, number];
}

/** Checks that a conv layer is one this trainer can differentiate; throws naming the layer. */
export function checkTrainableConv(name: string, g: ConvGeometry & { readonly stride: readonly [number, number] }): void {
  if (g.stride[0] !== 1 || g.stride[1] !== 1) throw new Error(`layer ${name}: the trainer handles stride-1 convolutions only (downsample with a pooling layer)`);
  if (g.padding[0] >= g.kernel[0] || g.padding[1] >= g.kernel[1]) throw new Error(`layer ${name}: padding ${g.padding.join('×')} must be smaller than the kernel ${g.kernel.join('×')} to train`);
}

function explicitPad(py: number, px: number): [[number, number], [number, number], [number, number], [number, number]] {
  return [
    [0, 0],
    [py, py],
    [px, px],
    [0, 0],
  ];
}

/** ∂L/∂w of a stride-1 conv as a forward convolution (HWIO, like w). */
export function convFilterGrad(tf: Tf, x: Tensor4D, dy: Tensor4D, g: ConvGeometry): Tensor4D {
  const xc = tf.transpose(x, [3, 1, 2, 0]); // [C, H, W, N]: channels become the batch
  const f = tf.transpose(dy, [1, 2, 0, 3]); // [OY, OX, N, K]: the output gradient becomes the filter
  const cfk = tf.conv2d(xc, f, 1, explicitPad(g.padding[0], g.padding[1])); // [C, FY, FX, K]
  return tf.transpose(cfk, [1, 2, 0, 3]);
}

/** ∂L/∂x of a stride-1 conv as a forward convolution with the flipped, transposed filter. */
export function convInputGrad(tf: Tf, w: Tensor4D, dy: Tensor4D, g: ConvGeometry): Tensor4D {
  const flipped = tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]); // [FY, FX, K, C]
  return tf.conv2d(dy, flipped, 1, explicitPad(g.kernel[0] - 1 - g.padding[0], g.kernel[1] - 1 - g.padding[1]));
}

/**
 * y = f(x, w) with the given gradients. `inputGrad` false: x is data (the first layer's input), so
 * only ∂L/∂w is computed.
 */
function linearOp<X extends Tensor, W extends Tensor, Y extends Tensor>(
  tf: Tf,
  x: X,
  w: W,
  inputGrad: boolean,
  f: (x: X, w: W) => Y,
  gradX: (w: W, dy: Y) => X,
  gradW: (x: X, dy: Y) => W,
): Y {
  if (!inputGrad) {
    const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
      const [wt, save] = args as [W, GradSaveFunc];
      save([x]);
      return { value: f(x, wt), gradFunc: (dy: Y, saved: Tensor[]) => [gradW(saved[0] as X, dy)] };
    });
    return op(w) as Y;
  }
  const op = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [xt, wt, save] = args as [X, W, GradSaveFunc];
    save([xt, wt]);
    return { value: f(xt, wt), gradFunc: (dy: Y, saved: Tensor[]) => [gradX(saved[1] as W, dy), gradW(saved[0] as X, dy)] };
  });
  return op(x, w) as Y;
}

/** Stride-1 conv y = conv(x, w) (NHWC, HWIO) with the gradients above. */
export function trainableConv(tf: Tf, x: Tensor4D, w: Tensor4D, g: ConvGeometry, inputGrad: boolean): Tensor4D {
  const pad = explicitPad(g.padding[0], g.padding[1]);
  return linearOp(
    tf,
    x,
    w,
    inputGrad,
    (xt, wt) => tf.conv2d(xt, wt, 1, pad),
    (wt, dy) => convInputGrad(tf, wt, dy, g),
    (xt, dy) => convFilterGrad(tf, xt, dy, g),
  );
}

/** y = x·W with ∂L/∂x = dy·transpose(W) and ∂L/∂W = transpose(x)·dy. */
export function trainableDense(tf: Tf, x: Tensor2D, w: Tensor2D, inputGrad: boolean): Tensor2D {
  return linearOp(
    tf,
    x,
    w,
    inputGrad,
    (xt, wt) => tf.matMul(xt, wt),
    (wt, dy) => tf.matMul(dy, tf.transpose(wt)),
    (xt, dy) => tf.matMul(tf.transpose(xt), dy),
  );
}
