/**
 * The 2-D problems as TF.js functions of a [2] tensor, so the tensor path of the optimizer can be
 * checked against the golden files in float32 (spec §9.4). The spec's three problems are written
 * in tf ops (gradients by autodiff); any other landscape is wrapped with tf.customGrad around its
 * float64 value and analytic gradient, rounded to float32.
 */
import * as tf from '@tensorflow/tfjs';
import type { Landscape } from '../landscapes';
import type { Vec } from '../math/vec';
import { WELLS } from '../landscapes/wells';
import type { ValueAndGrad } from '../optim/step';

export type TfObjective = (x: tf.Tensor1D) => tf.Scalar;

const H = [
  [5.5, 4.5],
  [4.5, 5.5],
];

/** f = ½ xᵀHx */
const quadratic: TfObjective = (x) =>
  tf.mul(
    0.5,
    tf.sum(tf.mul(x, tf.matMul(tf.tensor2d(H), x.reshape([2, 1])).reshape([2]))),
  ) as tf.Scalar;

/** f = (1−x₁)² + 100(x₂−x₁²)² */
const rosenbrock: TfObjective = (x) => {
  const [x1, x2] = tf.unstack(x);
  return tf.add(
    tf.square(tf.sub(1, x1)),
    tf.mul(100, tf.square(tf.sub(x2, tf.square(x1)))),
  ) as tf.Scalar;
};

/** f = −Σ_k A_k exp(−‖x−c_k‖²/(2σ_k²)) */
const wells: TfObjective = (x) => {
  const well = (w: { c: readonly number[]; sigma: number; depth: number }) =>
    tf.mul(
      -w.depth,
      tf.exp(tf.div(tf.sum(tf.square(tf.sub(x, tf.tensor1d([...w.c])))), -2 * w.sigma * w.sigma)),
    );
  return tf.add(well(WELLS.sharp), well(WELLS.flat)) as tf.Scalar;
};

const NATIVE: Record<string, TfObjective> = { quadratic, rosenbrock, wells };

/** A float64 objective (value and gradient at a point) as a TF.js function with that gradient. */
export function wrapVecObjective(vg: ValueAndGrad<Vec, number>): TfObjective {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { loss, grad } = vg(Array.from(x.dataSync()));
    save([tf.tensor1d(grad)]);
    return {
      value: tf.scalar(loss),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]),
    };
  }) as unknown as TfObjective;
}

/** The landscape in tf ops when it is one of the spec's problems, else its float64 functions wrapped. */
export function tfObjective(land: Landscape): TfObjective {
  return NATIVE[land.id] ?? wrapVecObjective((x) => ({ loss: land.f(x), grad: land.grad(x) }));
}
