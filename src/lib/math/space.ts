/**
 * Element-wise arithmetic on "parameter-shaped" values, so that the optimizer is written once
 * and runs on plain float64 vectors (the 2-D landscapes) and on maps of TF.js tensors (models).
 * This plays the role of optax's tree math (tree_add, tree_scale, tree_norm).
 *
 * Type parameters:
 *   P  a parameter-shaped value (Float64Array, Record<string, tf.Tensor>, …)
 *   N  a scalar as the backend holds it (number, or a 0-d tensor that stays on the device)
 *   B  a boolean as the backend holds it (boolean, or a 0-d bool tensor)
 *
 * Every operation returns a new value and never mutates its arguments: the optimizer keeps the
 * previous state intact until a step is known to be finite (spec §7.5).
 */
export interface Space<P, N, B> {
  zerosLike(p: P): P;
  fullLike(p: P, c: number): P;
  add(a: P, b: P): P;
  sub(a: P, b: P): P;
  mul(a: P, b: P): P;
  div(a: P, b: P): P;
  /** c·a */
  scale(a: P, c: number): P;
  /** a / c (kept separate from scale(a, 1/c): torch divides, and so do we, §4.6) */
  divScalar(a: P, c: number): P;
  addScalar(a: P, c: number): P;
  square(a: P): P;
  sqrt(a: P): P;
  abs(a: P): P;
  maximum(a: P, b: P): P;
  maxScalar(a: P, c: number): P;
  /** 1 / a */
  reciprocal(a: P): P;
  /** Global L2 norm over every coordinate of every leaf (spec §1: all layers together). */
  norm(a: P): N;
  /** dir · (n == 0 ? 0 : rho / (n + xi)), the SAM/ASAM ascent scaling of spec §4.2. */
  scaleToRadius(dir: P, n: N, rho: number, xi: number): P;
  /** True when the scalar and every coordinate of every value are finite. */
  allFinite(scalars: N[], values: P[]): B;
}
