/**
 * Embedding lookup whose gradient is a scatter-add (tf.scatterND sums duplicate indices), not
 * tf.gather's own gradient: that one is UnsortedSegmentSum, which tfjs-backend-wasm 4.22 lacks
 * and which tfjs-cpu runs over every row of the table (50,265 rows for RoBERTa: a 3-step run of
 * the tiny model did not finish in 9 minutes). The scatter costs O(N·D) plus zeroing the table.
 */
import * as tf from '@tensorflow/tfjs';

/** table[ids] for int32 ids [N] and a table [V, D] → [N, D]. */
export function lookup(table: tf.Tensor2D, ids: tf.Tensor1D): tf.Tensor2D {
  const f = tf.customGrad((...args) => {
    const t = args[0] as tf.Tensor;
    return {
      value: tf.gather(t, ids),
      gradFunc: (dy: tf.Tensor) => tf.scatterND(tf.expandDims(ids, 1), dy, t.shape),
    };
  });
  return f(table) as tf.Tensor2D;
}
