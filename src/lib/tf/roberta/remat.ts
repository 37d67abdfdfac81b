/**
 * Gradient checkpointing (Chen et al. 2016, "Training Deep Nets with Sublinear Memory Cost") for
 * one block at a time (forward.ts: each half of an encoder layer): the forward pass runs without
 * recording (inside tf.customGrad), so only the block's inputs stay alive; the backward pass
 * recomputes the block on a tape of its own and differentiates it. Same numbers, one block's
 * activations in memory instead of all of them (measured with whole layers as blocks on the small
 * preset, batch 4, length 128, wasm: a gradient pass peaked at 436 MB instead of 1,603 MB).
 *
 * tfjs 4.22 has one active tape per engine: a gradient computed inside a backward pass replaces it
 * and leaves null behind, which the outer pass then reads. The outer tape is put back afterwards.
 */
import * as tf from '@tensorflow/tfjs';

/** fn(inputs) with its activations recomputed in the backward pass; every input gets a gradient. */
export function rematerialized(fn: (xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): tf.Tensor {
  const f = tf.customGrad((...args) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    (args[inputs.length] as tf.GradSaveFunc)(xs); // the forward's tidy would dispose them
    return {
      value: fn(xs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const state = tf.engine().state;
        const outer = state.activeTape;
        try {
          return tf.grads((...ys: tf.Tensor[]) => fn(ys))(saved, dy);
        } finally {
          state.activeTape = outer;
        }
      },
    };
  });
  return f(...inputs);
}
