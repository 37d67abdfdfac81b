/**
 * Space over maps of named TF.js tensors (a model's parameters), so the optimizer core of
 * lib/optim runs on models unchanged. Every op maps over the keys; the global norm and the
 * finiteness flag are reduced on the device and stay there as 0-d tensors (no readback inside
 * a step: on WebGPU a synchronous read is slow and was seen returning zeros).
 *
 * Callers run whole steps inside tf.tidy; nothing here disposes.
 */
import * as tf from '@tensorflow/tfjs';
import type { Space } from '../math/space';

export type TensorMap = Record<string, tf.Tensor>;

function map1(a: TensorMap, f: (x: tf.Tensor) => tf.Tensor): TensorMap {
  const out: TensorMap = {};
  for (const key of Object.keys(a)) out[key] = f(a[key]);
  return out;
}

function map2(a: TensorMap, b: TensorMap, f: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor): TensorMap {
  const out: TensorMap = {};
  for (const key of Object.keys(a)) out[key] = f(a[key], b[key]);
  return out;
}

/**
 * The sum of 0-d tensors, as one scalar on the device: stacked and summed rather than combined
 * with tf.addN, which on the WebGPU backend (tfjs 4.22) returned garbage (0 or 1e-45) for a
 * transformer's ~20 leaves.
 */
export function sumScalars(parts: tf.Tensor[]): tf.Scalar {
  return (parts.length === 1 ? parts[0] : tf.sum(tf.stack(parts))) as tf.Scalar;
}

/**
 * √(Σ over leaves of Σ x²) where `leaves` make the leaves: each is made and squared in a tidy of
 * its own, so only one leaf's temporaries exist at a time (a model's word embedding is one
 * tenth of a gigabyte).
 */
export function leafwiseNorm(leaves: (() => tf.Tensor)[]): tf.Scalar {
  return tf.tidy(() =>
    tf.sqrt(sumScalars(leaves.map((leaf) => tf.tidy(() => tf.sum(tf.square(leaf())))))),
  );
}

export const tensorSpace: Space<TensorMap, tf.Scalar, tf.Scalar> = {
  zerosLike: (p) => map1(p, (x) => tf.zerosLike(x)),
  fullLike: (p, c) => map1(p, (x) => tf.fill(x.shape, c)),
  add: (a, b) => map2(a, b, tf.add),
  sub: (a, b) => map2(a, b, tf.sub),
  mul: (a, b) => map2(a, b, tf.mul),
  div: (a, b) => map2(a, b, tf.div),
  scale: (a, c) => map1(a, (x) => tf.mul(tf.scalar(c), x)),
  divScalar: (a, c) => map1(a, (x) => tf.div(x, tf.scalar(c))),
  addScalar: (a, c) => map1(a, (x) => tf.add(x, tf.scalar(c))),
  square: (a) => map1(a, tf.square),
  sqrt: (a) => map1(a, tf.sqrt),
  abs: (a) => map1(a, tf.abs),
  maximum: (a, b) => map2(a, b, tf.maximum),
  maxScalar: (a, c) => map1(a, (x) => tf.maximum(x, tf.scalar(c))),
  reciprocal: (a) => map1(a, tf.reciprocal),
  norm: (a) => leafwiseNorm(Object.values(a).map((x) => () => x)),
  scaleToRadius(dir, n, rho, xi) {
    // c = (n == 0) ? 0 : ρ/(n + ξ), branch-free so it stays on the device
    const c = tf.where(
      tf.equal(n, 0),
      tf.scalar(0),
      tf.div(tf.scalar(rho), tf.add(n, tf.scalar(xi))),
    );
    return map1(dir, (x) => tf.mul(x, c));
  },
  allFinite(scalars, values) {
    const flags: tf.Tensor[] = scalars.map((s) => tf.isFinite(s));
    for (const v of values) for (const x of Object.values(v)) flags.push(tf.all(tf.isFinite(x)));
    return flags.reduce((acc, f) => tf.logicalAnd(acc, f)).reshape([]) as tf.Scalar;
  },
};

/** Every tensor in a map (for disposal and memory accounting). */
export const tensorsOf = (...maps: (TensorMap | null | undefined)[]): tf.Tensor[] =>
  maps.flatMap((m) => (m ? Object.values(m) : []));

/** Disposes the tensors of `old` that `keep` no longer references (a pass-through tensor can be in both). */
export function disposeReplaced(old: tf.Tensor[], keep: tf.Tensor[]): void {
  const kept = new Set(keep);
  for (const t of old) if (!kept.has(t) && !t.isDisposed) t.dispose();
}

/** Copies a map of tensors to float64 arrays (for traces and tests). */
export async function readMap(m: TensorMap): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const key of Object.keys(m)) out[key] = (await m[key].data()) as Float32Array;
  return out;
}
