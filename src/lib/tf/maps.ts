/**
 * The operations on maps of named tensors (a model's parameters) that training, η statistics,
 * the Hessian and the loss slice all need, written once: gradients of a loss over a map, the dot
 * product and norm over all leaves, a seeded random map, and the readback of a map as one flat
 * array in key order (spec §8.3's flattening).
 */
import * as tf from '@tensorflow/tfjs';
import type { ValueAndGrad } from '../optim/step';
import type { Rng } from './rng';
import { sumScalars, type TensorMap } from './tensorSpace';

/** A scalar loss of the parameters on one fixed minibatch. */
export type LossFn = (params: TensorMap) => tf.Scalar;

const mapOf = (keys: readonly string[], leaves: readonly tf.Tensor[]): TensorMap =>
  Object.fromEntries(keys.map((k, i) => [k, leaves[i]]));

/** tf.valueAndGrads over the leaves of a map, returning maps. */
export function mapValueAndGrad(
  lossFn: LossFn,
  keys: string[],
): ValueAndGrad<TensorMap, tf.Scalar> {
  const vg = tf.valueAndGrads((...leaves: tf.Tensor[]) => lossFn(mapOf(keys, leaves)));
  return (p) => {
    const { value, grads } = vg(keys.map((k) => p[k]));
    return { loss: value as tf.Scalar, grad: mapOf(keys, grads) };
  };
}

/** ∇f over the leaves of a map, as a map (no loss value). */
export function mapGrad(lossFn: LossFn, keys: string[]): (p: TensorMap) => TensorMap {
  const grads = tf.grads((...leaves: tf.Tensor[]) => lossFn(mapOf(keys, leaves)));
  return (p) => mapOf(keys, grads(keys.map((k) => p[k])));
}

/** ⟨a, b⟩ over every coordinate of every leaf, as a 0-d tensor. */
export const dot = (a: TensorMap, b: TensorMap): tf.Scalar =>
  sumScalars(Object.keys(a).map((k) => tf.sum(tf.mul(a[k], b[k]))));

/** The global L2 norm ‖a‖ (spec §1), as a 0-d tensor. */
export const norm = (a: TensorMap): tf.Scalar => tf.sqrt(dot(a, a));

/** f(a[k], k) for every leaf. */
export const mapLeaves = (a: TensorMap, f: (x: tf.Tensor, key: string) => tf.Tensor): TensorMap =>
  Object.fromEntries(Object.keys(a).map((k) => [k, f(a[k], k)]));

/** Standard-normal entries shaped like `like`, drawn on the CPU from `rng` in key order. */
export const normalLike = (like: TensorMap, rng: Rng): TensorMap =>
  mapLeaves(like, (x) =>
    tf.tensor(
      Float32Array.from({ length: x.size }, () => rng.normal()),
      x.shape,
    ),
  );

/** Reads every leaf into one Float32Array in key order (x flattened as spec §8.3 says). */
export async function flatten(m: TensorMap): Promise<Float32Array> {
  const parts = await Promise.all(
    Object.keys(m).map(async (k) => (await m[k].data()) as Float32Array),
  );
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Disposes every leaf of the maps. */
export const disposeMaps = (...maps: (TensorMap | null | undefined)[]): void => {
  for (const m of maps) if (m) tf.dispose(Object.values(m));
};
