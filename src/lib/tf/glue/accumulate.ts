/**
 * f_B and ∇f_B of one step evaluated micro-batch by micro-batch (gradient accumulation,
 * decisions.md GLUE): f_B = Σ_j (n_j/N)·f_j and ∇f_B = Σ_j (n_j/N)·∇f_j, each micro-batch on its
 * own tape, so only one micro-batch's activations are alive at a time. The optimizer calls it at
 * x_t and at x_t + δ_t (one δ from the summed s), over the same micro-batches with the same
 * dropout masks, which gives the whole-batch step.
 */
import * as tf from '@tensorflow/tfjs';
import type { Model, StepNoise } from '../model/model';
import type { ValueAndGrad } from '../../optim/step';
import type { TensorMap } from '../tensorSpace';

export interface MicroBatch<B> {
  batch: B;
  /** n_j / N */
  weight: number;
  noise: StepNoise | null;
}

export function accumulatedValueAndGrad<B>(
  model: Model<B>,
  keys: readonly string[],
  micro: readonly MicroBatch<B>[],
): ValueAndGrad<TensorMap, tf.Scalar> {
  return (x) => {
    let loss: tf.Scalar | null = null;
    let grad: tf.Tensor[] = [];
    for (const { batch, weight, noise } of micro) {
      const part = tf.tidy(() => {
        const vg = tf.valueAndGrads((...leaves: tf.Tensor[]) =>
          model.loss(Object.fromEntries(keys.map((k, i) => [k, leaves[i]])), batch, noise),
        );
        const { value, grads } = vg(keys.map((k) => x[k]));
        // a whole batch in one pass: ×1 changes no bit, and would hold a second gradient
        if (weight === 1) return { value: value as tf.Scalar, grads };
        const w = tf.scalar(weight);
        const weighted = (g: tf.Tensor) => {
          const out = tf.mul(g, w);
          g.dispose(); // one gradient copy at a time, not two
          return out;
        };
        return { value: tf.mul(value, w) as tf.Scalar, grads: grads.map(weighted) };
      });
      if (!loss) {
        loss = part.value;
        grad = part.grads;
        continue;
      }
      const sum = tf.add(loss, part.value) as tf.Scalar;
      // keep one running sum alive, tensor by tensor
      const sums = grad.map((g, i) => {
        const out = tf.add(g, part.grads[i]);
        tf.dispose([g, part.grads[i]]);
        return out;
      });
      tf.dispose([loss, part.value]);
      loss = sum;
      grad = sums;
    }
    if (!loss) throw new Error('a step needs at least one micro-batch');
    return { loss, grad: Object.fromEntries(keys.map((k, i) => [k, grad[i]])) };
  };
}
