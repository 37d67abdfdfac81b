/**
 * Loss-landscape slices: f on a plane x + a·d₁ + b·d₂ with filter-normalized random directions
 * (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets") or (δ, random), with the
 * trajectory projected onto the plane.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerConfig } from '../../optim/config';
import { fitSpan } from '../../lab/sliceSpan';
import type { SliceDirections, SliceSpan } from '../../lab/types';
import { dot, flatten, mapGrad, mapLeaves, type LossFn } from '../maps';
import type { ParamSpec } from '../model/model';
import { makeRng, mixSeed, STREAM } from '../rng';
import type { TensorMap } from '../tensorSpace';
import type { Snapshot } from './race';

/**
 * A seeded random direction with Li et al.'s filter normalization: for every filter, the
 * direction is scaled to the norm of the same filter of the weights. A filter is an output unit:
 * a column of a dense kernel [in, out], a row (one token or position) of an embedding table.
 * 1-D parameters (biases, LayerNorm) get 0, as in Li et al. (their "ignore biasbn").
 */
export function filterNormalizedDirection(
  params: TensorMap,
  seed: number,
  which: number,
  specs: readonly ParamSpec[] = [],
): TensorMap {
  const rng = makeRng(mixSeed(seed, STREAM.direction, which));
  const filterAxis = new Map(specs.map((p) => [p.name, p.filterAxis]));
  return tf.tidy(() =>
    mapLeaves(params, (w, k) => {
      if (w.rank < 2) return tf.zerosLike(w);
      const d = tf.tensor(
        Float32Array.from({ length: w.size }, () => rng.normal()),
        w.shape,
      ); // like w
      // reduce over every axis but the filter axis: a row of an embedding, a column of a kernel
      const unit = filterAxis.get(k) ?? w.rank - 1;
      const axes = w.shape.map((_, i) => i).filter((i) => i !== unit);
      const axis = axes.length === 1 ? axes[0] : axes;
      const dn = tf.norm(d, 'euclidean', axis, true); // [V, 1] or [1, out]
      const wn = tf.norm(w, 'euclidean', axis, true); // same
      return tf.mul(d, tf.div(wn, tf.maximum(dn, 1e-12))); // like w
    }),
  );
}

export interface SliceOptions {
  directions: SliceDirections;
  /** grid points per axis (≤ 41) */
  n: number;
  /**
   * a, b ∈ [−span, span] in units of the directions (filter-normalized: ~ the weights' own
   * scale); 'fit': 1.5 × the farthest projected snapshot (lab/types' fitSpan)
   */
  span: SliceSpan;
  seed: number;
  /** for 'delta-random': the run's config, for the δ direction (SAM: s; ASAM: (|x|+η_A)²⊙s) */
  config?: OptimizerConfig;
  /** the model's parameters, for each one's filter axis (default: the last axis of every leaf) */
  specs?: readonly ParamSpec[];
  /** weight snapshots to project onto the plane */
  snapshots?: Snapshot[];
  onProgress?: (done: number, total: number) => void | Promise<void>;
  shouldStop?: () => boolean;
}

/**
 * f(x + a·d₁ + b·d₂) on an n×n grid (row-major, b outer) and the snapshots projected on the
 * plane: r = x_k − x is mapped to the least-squares (a, b) with a·d₁ + b·d₂ ≈ r (the 2×2 normal
 * equations, since d₁ and d₂ need not be orthogonal). 'delta-random': d₁ is the SAM ascent
 * direction at x (on the same loss) scaled to the norm of a filter-normalized random d₂, and d₂
 * is made orthogonal to d₁ (Gram–Schmidt) and rescaled to its norm. Returns null when stopped.
 */
export async function lossSlice(
  params: TensorMap,
  lossFn: LossFn,
  o: SliceOptions,
): Promise<{
  grid: Float32Array;
  center: number;
  trajectory: { step: number; a: number; b: number }[];
  span: number;
} | null> {
  const n = Math.max(2, Math.min(41, Math.floor(o.n)));
  const d2raw = filterNormalizedDirection(params, o.seed, 2, o.specs);
  let d1: TensorMap;
  let d2: TensorMap;
  if (o.directions === 'filter-normalized') {
    d1 = filterNormalizedDirection(params, o.seed, 1, o.specs);
    d2 = d2raw;
  } else {
    const grad = mapGrad(lossFn, Object.keys(params));
    [d1, d2] = tf.tidy(() => {
      const s = grad(params);
      // the SAM ascent direction s, or ASAM's (|x| + η_A)²⊙s (spec §4.2)
      const asamEta = o.config?.perturbation === 'asam' ? o.config.asamEta : null;
      const dir =
        asamEta === null
          ? s
          : mapLeaves(s, (g, k) => tf.mul(tf.square(tf.add(tf.abs(params[k]), asamEta)), g));
      const target = tf.sqrt(dot(d2raw, d2raw));
      const c1 = tf.div(target, tf.maximum(tf.sqrt(dot(dir, dir)), 1e-30));
      const a = mapLeaves(dir, (x) => tf.mul(x, c1));
      const proj = tf.div(dot(d2raw, a), tf.maximum(dot(a, a), 1e-30));
      const orth = mapLeaves(d2raw, (x, k) => tf.sub(x, tf.mul(a[k], proj)));
      const c2 = tf.div(target, tf.maximum(tf.sqrt(dot(orth, orth)), 1e-30));
      return [a, mapLeaves(orth, (x) => tf.mul(x, c2))] as [TensorMap, TensorMap];
    });
    tf.dispose(Object.values(d2raw));
  }
  try {
    // the path first: a 'fit' span is taken from how far it reaches on this plane
    const trajectory = o.snapshots?.length
      ? project(await flatten(params), await flatten(d1), await flatten(d2), o.snapshots)
      : [];
    const span =
      o.span === 'fit'
        ? fitSpan(Math.max(0, ...trajectory.map((p) => Math.max(Math.abs(p.a), Math.abs(p.b)))))
        : o.span;
    const coords = Float64Array.from({ length: n }, (_, i) => -span + (2 * span * i) / (n - 1));
    const grid = new Float32Array(n * n);
    for (let j = 0; j < n; j++) {
      if (o.shouldStop?.()) return null;
      const row = tf.tidy(() =>
        tf.stack(
          Array.from(coords, (a) => {
            const b = coords[j];
            return lossFn(
              mapLeaves(params, (x, k) => tf.add(x, tf.add(tf.mul(d1[k], a), tf.mul(d2[k], b)))),
            );
          }),
        ),
      ); // [n]
      grid.set((await row.data()) as Float32Array, j * n);
      row.dispose();
      await o.onProgress?.(j + 1, n);
    }
    const centerT = tf.tidy(() => lossFn(params));
    const center = (await centerT.data())[0];
    centerT.dispose();
    return { grid, center, trajectory, span };
  } finally {
    tf.dispose([...Object.values(d1), ...Object.values(d2)]);
  }
}

/** Least-squares coordinates of (snapshot − x) in span(d₁, d₂), in float64. */
function project(
  x: Float32Array,
  d1: Float32Array,
  d2: Float32Array,
  snaps: Snapshot[],
): { step: number; a: number; b: number }[] {
  let g11 = 0;
  let g12 = 0;
  let g22 = 0;
  for (let i = 0; i < x.length; i++) {
    g11 += d1[i] * d1[i];
    g12 += d1[i] * d2[i];
    g22 += d2[i] * d2[i];
  }
  const det = g11 * g22 - g12 * g12 || 1e-300;
  return snaps.map(({ step, flat }) => {
    let r1 = 0;
    let r2 = 0;
    for (let i = 0; i < x.length; i++) {
      const r = flat[i] - x[i];
      r1 += d1[i] * r;
      r2 += d2[i] * r;
    }
    return { step, a: (g22 * r1 - g12 * r2) / det, b: (g11 * r2 - g12 * r1) / det };
  });
}
