/**
 * Matrix products that reach tfjs-backend-wasm's fast path in both passes. Its BatchMatMul is
 * several times slower with a transposed operand (measured here, [256, 384] × [384, 1536]:
 * plain 73 ms, transposeB 407 ms, transposeA 904 ms), and tf.matMul's own gradient uses exactly
 * those (dA = dC·Bᵀ, dB = Aᵀ·dC). Here every operand is transposed explicitly (O(n²)) and every
 * product is plain (O(n³)), forward and backward.
 */
import * as tf from '@tensorflow/tfjs';

/** Swaps the last two axes. */
function swap(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/** op(a)·op(b), op = transpose of the last two axes when asked (as tf.matMul's flags). */
export function matMul(
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA = false,
  transposeB = false,
): tf.Tensor {
  const f = tf.customGrad((...args) => {
    const [x, y, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([x, y]);
    const A = transposeA ? swap(x) : x;
    const B = transposeB ? swap(y) : y;
    return {
      value: tf.matMul(A, B),
      // in a tidy: tfjs keeps a custom gradient's temporaries until the whole backward pass ends
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [sx, sy] = saved;
          const A2 = transposeA ? swap(sx) : sx;
          const B2 = transposeB ? swap(sy) : sy;
          const dA = tf.matMul(dy, swap(B2)); // dC·Bᵀ
          const dB = tf.matMul(swap(A2), dy); // Aᵀ·dC
          return [transposeA ? swap(dA) : dA, transposeB ? swap(dB) : dB];
        }),
    };
  });
  return f(a, b);
}
