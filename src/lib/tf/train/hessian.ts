/**
 * λ_max, the sharpness measure of the lab's Hessian panel, for any loss over a parameter map.
 */
import * as tf from '@tensorflow/tfjs';
import { dot, mapGrad, mapLeaves, norm, normalLike, type LossFn } from '../maps';
import { makeRng, mixSeed, STREAM } from '../rng';
import type { TensorMap } from '../tensorSpace';

/**
 * Largest-magnitude Hessian eigenvalue of f at `params` by power iteration:
 *   v ← Hv/‖Hv‖,  λ = ⟨v, Hv⟩ (Rayleigh quotient, v unit)
 * The Hessian-vector product is the central difference of gradients,
 *   Hv ≈ [∇f(x + εv) − ∇f(x − εv)] / (2ε),
 * exact for quadratics and O(ε²) otherwise. (tfjs 4.22 cannot differentiate ⟨∇f, v⟩ through
 * this model's gradients: the nested tf.grads reports that y does not depend on x.)
 * v₀ is seeded, so the same seed gives the same answer. Also returns f at `params`, so a λ_max
 * is always shown with the loss where it was measured (runs at different losses differ in
 * curvature for that reason alone).
 */
export async function hessianTopEigen(
  params: TensorMap,
  lossFn: LossFn,
  opts: { iters?: number; seed?: number; epsilon?: number; shouldStop?: () => boolean } = {},
): Promise<{ lambdaMax: number; history: number[]; loss: number }> {
  const iters = opts.iters ?? 20;
  const eps = opts.epsilon ?? 1e-3;
  const grad = mapGrad(lossFn, Object.keys(params));
  const rng = makeRng(mixSeed(opts.seed ?? 0, STREAM.hessian));
  let v: TensorMap = tf.tidy(() => {
    const raw = normalLike(params, rng);
    const n = norm(raw);
    return mapLeaves(raw, (r) => tf.div(r, n));
  });
  const history: number[] = [];
  try {
    for (let it = 0; it < iters && !opts.shouldStop?.(); it++) {
      const [next, lambda] = tf.tidy(() => {
        const gp = grad(mapLeaves(params, (x, k) => tf.add(x, tf.mul(v[k], eps))));
        const gm = grad(mapLeaves(params, (x, k) => tf.sub(x, tf.mul(v[k], eps))));
        const hv = mapLeaves(gp, (g, k) => tf.div(tf.sub(g, gm[k]), 2 * eps));
        const n = tf.maximum(norm(hv), 1e-30);
        return [mapLeaves(hv, (h) => tf.div(h, n)), dot(hv, v)] as [TensorMap, tf.Tensor];
      });
      history.push((await lambda.data())[0]);
      lambda.dispose();
      tf.dispose(Object.values(v));
      v = next;
    }
  } finally {
    tf.dispose(Object.values(v));
  }
  const lossT = tf.tidy(() => lossFn(params));
  const loss = (await lossT.data())[0];
  lossT.dispose();
  return { lambdaMax: history.length ? history[history.length - 1] : NaN, history, loss };
}
