/**
 * a·b for 2-D a and b, whose gradient multiplies by explicitly transposed operands:
 * dA = dY·bᵀ and dB = aᵀ·dY with aᵀ and bᵀ made by tf.transpose, so that no product runs with
 * a transpose flag. Why: tfjs-backend-wasm 4.22 computes a flagged product in a plain loop
 * instead of XNNPACK. On the lab's benchmark model those gradient products took 85 % of an
 * AdaSAM step on wasm (dW = Xᵀ·dY for [1024, 256]ᵀ·[1024, 64]: 43 ms, against 1.3 ms for the
 * forward product of the same size). The cpu backend sums a flagged and an unflagged product
 * in the same order, so there the values are bit for bit those of tf.matMul.
 */
import * as tf from '@tensorflow/tfjs';

export const matMul = tf.customGrad((a, b, save) => {
  const [x, w] = [a as tf.Tensor2D, b as tf.Tensor2D];
  (save as tf.GradSaveFunc)([x, w]);
  return {
    value: tf.matMul(x, w),
    gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
      tf.matMul(dy as tf.Tensor2D, tf.transpose(ws as tf.Tensor2D)),
      tf.matMul(tf.transpose(xs as tf.Tensor2D), dy as tf.Tensor2D),
    ],
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
